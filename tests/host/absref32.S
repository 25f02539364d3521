/* SPDX-License-Identifier: GPL-2.0 */
/* For test_rom32.sh: an absolute address, a dynamic relocation in the PIE. */
	.text
	.globl	vmi32_test_absref
	.hidden	vmi32_test_absref
	.type	vmi32_test_absref, @function
vmi32_test_absref:
	movl	$vmi32_test_absref, %eax
	ret
	.size	vmi32_test_absref, . - vmi32_test_absref
	.section .note.GNU-stack, "", @progbits
