/* SPDX-License-Identifier: GPL-2.0 */
/* For test_rom32.sh: push and pop of %fs, which mkrom refuses in the i386 ROM. */
	.text
	.globl	vmi32_test_pushfs32
	.hidden	vmi32_test_pushfs32
	.type	vmi32_test_pushfs32, @function
vmi32_test_pushfs32:
	pushl %fs
	popl %fs
	ret
	.size	vmi32_test_pushfs32, . - vmi32_test_pushfs32
	.section .note.GNU-stack, "", @progbits
