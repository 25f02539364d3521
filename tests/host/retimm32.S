/* SPDX-License-Identifier: GPL-2.0 */
/* For test_rom32.sh: a callee-pop return, which mkrom refuses in the i386 ROM. */
	.text
	.globl	vmi32_test_retimm
	.hidden	vmi32_test_retimm
	.type	vmi32_test_retimm, @function
vmi32_test_retimm:
	ret	$4
	.size	vmi32_test_retimm, . - vmi32_test_retimm
	.section .note.GNU-stack, "", @progbits
