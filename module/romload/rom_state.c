// SPDX-License-Identifier: GPL-2.0
/*
 * The ROM the shim installed, owned by the ROM loader (rom.c), and the
 * names of its sources. Their own file because i386 builds carry no ROM
 * loader, yet take rom= and report "no ROM".
 */
#include <linux/mutex.h>

#include "romload/rom.h"

struct vmi_rom vmi_rom;
DEFINE_MUTEX(vmi_rom_lock);

const char * const vmi_rom_sources[] = {
	[VMI_ROM_SRC_OPTION] = "option", [VMI_ROM_SRC_FIRMWARE] = "firmware",
	[VMI_ROM_SRC_BUILTIN] = "builtin", [VMI_ROM_SRC_AUTO] = "auto",
	[VMI_ROM_SRC_NONE] = "none", [VMI_ROM_SRC_IMAGE] = "image",
};
