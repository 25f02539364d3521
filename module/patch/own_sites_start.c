// SPDX-License-Identifier: GPL-2.0
/*
 * The first object of vmi_shim.ko (Kbuild): marks where the module's own
 * paravirt call-site list begins, own_sites_end.c (the last) where it
 * ends. The linker concatenates the objects' sections in that order, so
 * the kernel's site records of every other object lie between the two
 * (zero-sized, unaligned: nothing is added to the list). The PV spinlock
 * switch reads the shim's own unlock sites there (pvspin.c).
 */
#include "compat/compat.h"

asm(".pushsection " VMI_PV_SITE_TABLE ",\"a\"\n"
	".globl vmi_own_sites_start\n"
	"vmi_own_sites_start:\n"
	".popsection\n");
