/* SPDX-License-Identifier: GPL-2.0 */
/* For test_rom32.sh: an %fs, which mkrom refuses in the i386 ROM. */
	.text
	.globl	vmi32_test_fsprefix32
	.hidden	vmi32_test_fsprefix32
	.type	vmi32_test_fsprefix32, @function
vmi32_test_fsprefix32:
	 prefix:movl %fs:0, %eax
	ret
	.size	vmi32_test_fsprefix32, . - vmi32_test_fsprefix32
	.section .note.GNU-stack, "", @progbits
