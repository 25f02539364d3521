/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Negative test input for mkrom: an absolute pointer to ROM code, which a
 * copied ROM could not use without load-time relocation.
 */
	.section .rodata
	.quad	rom_start
	.section .note.GNU-stack, "", @progbits
