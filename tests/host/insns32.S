/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test input for mkrom's decoder in 32-bit mode (rom/x86insn.c): the
 * encoding forms an i386 ROM uses (ModRM, SIB and displacement forms,
 * operand-size and segment prefixes other than FS/GS, the one-byte
 * inc/dec and push/pop forms that are REX in 64-bit mode, immediates,
 * the 0F map, system instructions, relative branches), linked into an
 * i386 ROM so that test_code.sh can compare mkrom's instruction
 * boundaries with objdump's.  Never run; no indirect branch.
 */
	.text
	.globl	insn32_zoo
	.hidden	insn32_zoo
	.type	insn32_zoo, @function
insn32_zoo:
	/* ModRM, SIB, displacements, absolute disp32 */
	movl	%eax, %ebx
	movl	(%eax), %ebx
	movl	8(%eax), %ebx
	movl	0x1000(%eax), %ebx
	movl	(%eax,%ecx,4), %ebx
	movl	0x10(%esp), %esi
	movl	0x12345678(,%ecx,8), %edx
	movl	0x12345678, %edx
	leal	-0x80(%ebp,%edi,2), %edi
	movl	(%ebp), %eax
	/* the one-byte forms (REX prefixes in 64-bit mode) */
	incl	%eax
	decl	%ecx
	pushl	%ebx
	popl	%ebx
	pushl	%ebp
	popl	%ebp
	pushfl
	popfl
	/* immediates, operand size */
	addl	$1, %eax
	addl	$0x12345678, %ecx
	andl	$0x7f, (%ebx)
	movl	$0x12345678, (%ebx)
	movw	$0x1234, (%ebx)
	movw	%ax, %bx
	movb	$0x12, %al
	movzbl	%al, %eax
	movzwl	(%eax), %ecx
	shldl	$4, %eax, %edx
	shrdl	%cl, %edx, %eax
	testl	$0x200, %eax
	imull	$10, %ecx, %edx
	mull	%ecx
	pushl	$0x12
	pushl	$0x12345678
	/* other segment prefixes, string ops */
	movl	%ss:(%esp), %eax
	movl	%es:(%edi), %eax
	movl	%cs:(%eax), %eax
	rep movsb
	rep stosl
	/* 0F map, locked, system */
	lock cmpxchg8b (%esi)
	lock incl (%eax)
	cpuid
	rdtsc
	rdmsr
	wrmsr
	movl	%cr3, %eax
	movl	%eax, %cr3
	movl	%cr4, %ecx
	movl	%db7, %eax
	lgdt	(%eax)
	sidt	(%eax)
	lldt	%ax
	ltr	%ax
	str	%eax
	invlpg	(%eax)
	wbinvd
	clts
	sete	%al
	cmovnel	%ecx, %eax
	inb	$0x61, %al
	outb	%al, $0x80
	inb	%dx, %al
	outl	%eax, %dx
	mfence
	pause
	cli
	sti
	hlt
	/* relative branches */
1:	jmp	1b
	jne	1b
	jne	2f
	.skip	200, 0x90
2:	call	insn32_zoo
4:	loop	4b
	jecxz	4b
	jmp	3f
	.skip	200, 0x90
3:	iret
	sysexit
	ret
	.size	insn32_zoo, . - insn32_zoo
	.section .note.GNU-stack, "", @progbits
