/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Negative test input for mkrom: a plain indirect call (no NOTRACK).  Its
 * target would have to start with ENDBR64 under kernel IBT; mkrom refuses
 * any indirect branch rather than try to prove that.
 */
	.text
	.globl	bad_indirect
	.hidden	bad_indirect
	.type	bad_indirect, @function
bad_indirect:
	endbr64
	call	*%rax
	jmp	__x86_return_thunk
	.size	bad_indirect, . - bad_indirect
	.section .note.GNU-stack, "", @progbits
