// SPDX-License-Identifier: GPL-2.0
/* Last object of vmi_shim.ko: its own site list ends (own_sites_start.c). */
#include "compat/compat.h"

asm(".pushsection " VMI_PV_SITE_TABLE ",\"a\"\n"
	".globl vmi_own_sites_end\n"
	"vmi_own_sites_end:\n"
	".popsection\n");
