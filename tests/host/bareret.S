/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Negative test input for mkrom: a plain "ret" outside the ROM's return
 * thunk, which no return-site table entry could send through the kernel's
 * return thunk (assembly must use RET: jmp __x86_return_thunk).
 */
	.text
	.globl	bad_bareret
	.hidden	bad_bareret
	.type	bad_bareret, @function
bad_bareret:
	endbr64
	xorl	%eax, %eax
	ret
	.size	bad_bareret, . - bad_bareret
	.section .note.GNU-stack, "", @progbits
