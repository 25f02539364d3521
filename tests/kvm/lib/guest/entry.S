/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest entry, exception and interrupt stubs.  The VMM starts every vCPU
 * in 64-bit mode at _start with rdi = vCPU index and rsp = its stack top.
 */
	.section .text.entry, "ax"
	.globl	_start
_start:
	cld
	call	guest_main
1:	cli
	hlt
	jmp	1b

	.text
/* Exceptions 0-31: push a dummy error code where the CPU pushes none. */
	.macro EXC vec
	.p2align 4
exc_\vec:
	.if (\vec == 8) || (\vec >= 10 && \vec <= 14) || (\vec == 17) || (\vec == 21) || (\vec == 29) || (\vec == 30)
	.else
	pushq	$0
	.endif
	pushq	$\vec
	jmp	exc_common
	.endm

	.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	EXC \v
	.endr

exc_common:
	movq	%rsp, %rdi		/* vector, error, rip, cs, rflags, rsp, ss */
	andq	$-16, %rsp
	call	guest_exception
1:	cli
	hlt
	jmp	1b

	.section .rodata
	.globl	exc_table
exc_table:
	.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	.quad	exc_\v
	.endr
	.text

/* Interrupt vectors the tests use: record the vector, EOI, return. */
	.macro IRQ vec
	.globl	irq_\vec
	.p2align 4
irq_\vec:
	pushq	$0x\vec
	jmp	irq_common
	.endm
	IRQ f0
	IRQ f1
	IRQ f2

irq_common:
	pushq	%rax
	pushq	%rcx
	pushq	%rdx
	pushq	%rsi
	pushq	%rdi
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	pushq	%rbp
	movq	80(%rsp), %rdi		/* the vector */
	movq	%rsp, %rbp
	andq	$-16, %rsp
	call	guest_irq
	movq	%rbp, %rsp
	popq	%rbp
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rdi
	popq	%rsi
	popq	%rdx
	popq	%rcx
	popq	%rax
	addq	$8, %rsp
	iretq

	.section .note.GNU-stack, "", @progbits
