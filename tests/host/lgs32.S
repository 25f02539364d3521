/* SPDX-License-Identifier: GPL-2.0 */
/*
 * For test_rom32.sh: lgs, a far-pointer load of %gs, which mkrom refuses
 * in the i386 ROM.
 */
	.text
	.globl	vmi32_test_lgs32
	.hidden	vmi32_test_lgs32
	.type	vmi32_test_lgs32, @function
vmi32_test_lgs32:
	lgs (%eax), %ecx
	ret
	.size	vmi32_test_lgs32, . - vmi32_test_lgs32
	.section .note.GNU-stack, "", @progbits
