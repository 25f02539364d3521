/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ROM calls C cannot make or check: the register-clobber probe, IRET
 * (jumped to with an IRETQ frame) and CPUID (native registers in and out).
 */
	.text
/*
 * uint64_t clobber_probe(void *fn, uint64_t arg): call fn(arg) with known
 * values in every general-purpose register and return a bitmask of the
 * registers that changed: bit 0 rax, 1 rbx, 2 rcx, 3 rdx, 4 rsi, 5 rdi,
 * 6 rbp, 7 r8 ... 14 r15, 16 arithmetic flags/DF.
 */
	.globl	clobber_probe
clobber_probe:
	pushq	%rbx
	pushq	%rbp
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	pushq	%rdi			/* fn */
	pushfq				/* flags before */
	movq	%rsi, %rdi
	movl	$0x1111, %eax
	movl	$0x2222, %ebx
	movl	$0x3333, %ecx
	movl	$0x4444, %edx
	movl	$0x5555, %esi
	movl	$0x6666, %ebp
	movl	$0x8888, %r8d
	movl	$0x9999, %r9d
	movl	$0xaaaa, %r10d
	movl	$0xbbbb, %r11d
	movl	$0xcccc, %r12d
	movl	$0xdddd, %r13d
	movl	$0xeeee, %r14d
	movl	$0xffff, %r15d
	pushq	%rdi			/* arg, to compare rdi with; aligned */
	/* flags with a known arithmetic pattern: CF=1 ZF=0 */
	cmpq	$0x0, %r15
	stc
	pushfq
	popq	%rdi
	movq	%rdi, 8(%rsp)		/* overwrite "flags before" */
	movq	0(%rsp), %rdi
	call	*16(%rsp)
	pushfq
	pushq	%rax
	xorl	%eax, %eax
	.macro CHK reg, val, bit
	cmpq	$\val, \reg
	je	1f
	orq	$(1 << \bit), %rax
1:
	.endm
	CHK	%rbx, 0x2222, 1
	CHK	%rcx, 0x3333, 2
	CHK	%rdx, 0x4444, 3
	CHK	%rsi, 0x5555, 4
	CHK	%rbp, 0x6666, 6
	CHK	%r8, 0x8888, 7
	CHK	%r9, 0x9999, 8
	CHK	%r10, 0xaaaa, 9
	CHK	%r11, 0xbbbb, 10
	CHK	%r12, 0xcccc, 11
	CHK	%r13, 0xdddd, 12
	CHK	%r14, 0xeeee, 13
	CHK	%r15, 0xffff, 14
	cmpq	16(%rsp), %rdi		/* rdi vs arg */
	je	1f
	orq	$(1 << 5), %rax
1:	popq	%rcx			/* rax after the call */
	cmpq	$0x1111, %rcx
	je	1f
	orq	$1, %rax
1:	popq	%rcx			/* flags after */
	xorq	8(%rsp), %rcx		/* vs before */
	andq	$0xcd5, %rcx		/* CF PF AF ZF SF DF OF (not IF) */
	jz	1f
	orq	$(1 << 16), %rax
1:	addq	$24, %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbp
	popq	%rbx
	ret

/*
 * uint64_t iret_probe(void *iret_entry): jump to the ROM's IRET with an
 * IRETQ frame that returns to the label below; returns 1 once back.
 */
	.globl	iret_probe
iret_probe:
	movq	%rsp, %rax
	pushq	$0x10			/* ss */
	pushq	%rax			/* rsp */
	pushfq				/* rflags */
	pushq	$0x08			/* cs */
	leaq	1f(%rip), %rax
	pushq	%rax			/* rip */
	jmp	*%rdi
1:	movl	$1, %eax
	ret

/* cpuid through the ROM: uint32_t r[4] = ROM's CPUID(leaf, sub) */
	.globl	rom_cpuid
rom_cpuid:	/* rdi = fn, esi = leaf, edx = subleaf, rcx = out */
	pushq	%rbx
	pushq	%r12
	movq	%rcx, %r12
	movq	%rdi, %r8
	movl	%esi, %eax
	movl	%edx, %ecx
	call	*%r8
	movl	%eax, 0(%r12)
	movl	%ebx, 4(%r12)
	movl	%ecx, 8(%r12)
	movl	%edx, 12(%r12)
	popq	%r12
	popq	%rbx
	ret

	.section .note.GNU-stack, "", @progbits
