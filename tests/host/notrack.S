/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Negative test input for mkrom: what GCC makes of a switch statement with
 * -fcf-protection=branch and jump tables, "notrack jmp *%reg".  Kernel IBT
 * runs with NOTRACK disabled, so this jump faults unless its target starts
 * with ENDBR64.
 */
	.text
	.globl	bad_notrack
	.hidden	bad_notrack
	.type	bad_notrack, @function
bad_notrack:
	endbr64
	notrack jmp *%rax
	.size	bad_notrack, . - bad_notrack
	.section .note.GNU-stack, "", @progbits
