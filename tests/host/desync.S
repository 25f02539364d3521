/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Negative test input for mkrom: a data byte in the code that makes a
 * linear sweep read "b8 ff e0 90 90" as one mov $imm32, %eax, hiding the
 * "jmp *%rax" (ff e0) that the direct jmp actually reaches.  mkrom must
 * notice that the jmp lands inside a decoded instruction.
 */
	.text
	.globl	bad_desync
	.hidden	bad_desync
	.type	bad_desync, @function
bad_desync:
	endbr64
	jmp	1f
	.byte	0xb8
1:	jmp	*%rax
	nop
	nop
	jmp	__x86_return_thunk
	.size	bad_desync, . - bad_desync
	.section .note.GNU-stack, "", @progbits
