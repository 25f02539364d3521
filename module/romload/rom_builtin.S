/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ROM built with the module, used when the platform provides none.
 * Data only: it is validated and copied like any other ROM, never run here.
 */
#include <linux/linkage.h>

	.section .rodata.vmi_rom_builtin, "a"
	.balign 16
SYM_DATA_START(vmi_rom_builtin)
	.incbin VMI_ROM_BIN
SYM_DATA_END_LABEL(vmi_rom_builtin, SYM_L_GLOBAL, vmi_rom_builtin_end)

/*
 * No executable stack: the kbuild of some kernels (5.10.89's, 4.19's)
 * does not tell the assembler so, and today's ld then warns that the
 * module needs one.
 */
	.section .note.GNU-stack, "", @progbits
