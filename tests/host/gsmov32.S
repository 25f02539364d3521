/* SPDX-License-Identifier: GPL-2.0 */
/* For test_rom32.sh: a load of %gs, which mkrom refuses in the i386 ROM. */
	.text
	.globl	vmi32_test_gsmov32
	.hidden	vmi32_test_gsmov32
	.type	vmi32_test_gsmov32, @function
vmi32_test_gsmov32:
	movl %eax, %gs
	ret
	.size	vmi32_test_gsmov32, . - vmi32_test_gsmov32
	.section .note.GNU-stack, "", @progbits
