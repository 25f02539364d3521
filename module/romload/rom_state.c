// SPDX-License-Identifier: GPL-2.0
/*
 * The ROM the shim installed, owned by the ROM loader (rom.c). Its own
 * file because i386 builds carry no ROM loader, yet report "no ROM".
 */
#include "romload/rom.h"

struct vmi_rom vmi_rom;
