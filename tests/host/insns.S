/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test input for mkrom's instruction decoder (rom/x86insn.c): one of each
 * encoding form it accepts (prefixes, REX, ModRM/SIB/displacement forms,
 * every immediate size, the 0F/0F38/0F3A maps, relative branches; "ret"
 * only as the ROM's own return thunk, since mkrom refuses any other), linked
 * into a ROM so that test_code.sh can compare mkrom's instruction
 * boundaries with objdump's.  Never run; no indirect branch.
 */
	.text
	.globl	insn_zoo
	.hidden	insn_zoo
	.type	insn_zoo, @function
insn_zoo:
	endbr64
	/* ModRM, SIB, displacements, RIP-relative */
	movq	%rax, %rbx
	movq	(%rax), %rbx
	movq	8(%rax), %rbx
	movq	0x1000(%rax), %rbx
	movq	(%rax,%rcx,4), %rbx
	movq	0x10(%rsp), %r12
	movq	0x12345678(,%rcx,8), %rdx
	movq	0x12345678, %rdx
	movq	insn_zoo(%rip), %r9
	leaq	-0x80(%rbp,%r13,2), %r14
	movl	(%r13), %eax
	movl	(%r12), %eax
	/* immediates */
	addl	$1, %eax
	addl	$0x12345678, %eax
	addw	$0x1234, %ax
	addb	$7, %al
	addq	$-1, (%rdi)
	addl	$0x12345678, 4(%rdi)
	addw	$0x1234, 4(%rdi)
	movb	$1, (%rdi)
	movw	$0x1234, (%rdi)
	movl	$0x12345678, (%rdi,%rsi)
	movq	$-5, (%rdi)
	movl	$0x12345678, %ecx
	movw	$0x1234, %cx
	movabsq	$0x123456789abcdef0, %rcx
	movabsl	0x1122334455667788, %eax
	movabsq	%rax, 0x1122334455667788
	/*
	 * 66 with REX.W: REX.W wins, so imm32 (imm64 for B8+r), not the
	 * imm16 that 66 alone selects.  Assemblers never emit the redundant
	 * 66, compilers and hand-written code may: bytes, then.
	 */
	.byte	0x66, 0x48, 0xc7, 0xc0, 0x78, 0x56, 0x34, 0x12	/* mov $imm32, %rax */
	.byte	0x66, 0x48, 0x05, 0x78, 0x56, 0x34, 0x12	/* add $imm32, %rax */
	.byte	0x66, 0x48, 0x81, 0xc1, 0x78, 0x56, 0x34, 0x12	/* add $imm32, %rcx */
	.byte	0x66, 0x48, 0x69, 0xc1, 0x78, 0x56, 0x34, 0x12	/* imul $imm32, %rcx, %rax */
	.byte	0x66, 0x48, 0xf7, 0xc7, 0x78, 0x56, 0x34, 0x12	/* test $imm32, %rdi */
	.byte	0x66, 0x48, 0xa9, 0x78, 0x56, 0x34, 0x12	/* test $imm32, %rax */
	.byte	0x66, 0x48, 0x68, 0x78, 0x56, 0x34, 0x12	/* push $imm32 */
	.byte	0x66, 0x48, 0xb8, 0xf0, 0xde, 0xbc, 0x9a, 0x78, 0x56, 0x34, 0x12	/* movabs $imm64, %rax */
	imull	$100, %ecx, %edx
	imull	$100000, %ecx, %edx
	imulw	$1000, %cx, %dx
	pushq	$1
	pushq	$0x12345678
	testb	$1, (%rdi)
	testl	$0x200, %edi
	testw	$0x200, %di
	notl	%eax
	negq	(%rdi)
	mull	%ecx
	divq	8(%rsp)
	shlq	$3, %rax
	shrl	%cl, %edx
	rolb	$1, %al
	enter	$16, $0
	leave
	incb	(%rdi)
	decq	%rax
	incq	%gs:0x1234
	pushq	(%rax)
	popq	(%rax)
	/* one-byte oddities */
	cbw
	cwtl
	cltq
	cqto
	xchgl	%eax, %ecx
	lahf
	sahf
	pushfq
	popfq
	xlat
	movsb
	rep stosq
	repne scasb
	lock cmpxchgl %ecx, (%rdi)
	lock xaddq %rax, 8(%rdi)
	inb	$0x80, %al
	outb	%al, $0x80
	inw	%dx, %ax
	outl	%eax, %dx
	rep insw
	rep outsl
	int	$3
	int3
	hlt
	cmc
	clc
	stc
	cli
	sti
	cld
	std
	fninit
	fldz
	fstpt	(%rdi)
	/* 0F map */
	cpuid
	rdtsc
	rdtscp
	rdmsr
	wrmsr
	rdpmc
	clts
	wbinvd
	invd
	lfence
	mfence
	sfence
	pause
	movq	%cr0, %rax
	movq	%rdi, %cr3
	movq	%cr4, %r8
	movq	%db7, %rax
	movq	%rsi, %db0
	lgdt	(%rdi)
	sidt	8(%rsp)
	lldt	%di
	str	%ax
	verw	0x10(%rip)
	invlpg	(%rdi)
	vmcall
	vmmcall
	swapgs
	cmovnel	%ecx, %eax
	sete	%al
	setg	(%rdi)
	movzbl	(%rdi), %eax
	movswq	%ax, %rcx
	bsfq	%rax, %rcx
	popcntl	%eax, %ecx
	btl	$3, %eax
	btsq	$63, (%rdi)
	btrl	$0, 4(%rdi)
	btcl	%ecx, %eax
	shldl	$4, %eax, %ecx
	shrdq	%cl, %rax, %rcx
	bswapq	%rax
	bswapl	%r10d
	cmpxchg16b (%rdi)
	rdrand	%rax
	prefetcht0 (%rdi)
	nopl	0(%rax)
	nopw	0x0(%rax,%rax,1)
	nopw	%cs:0x0(%rax,%rax,1)
	.byte	0x66, 0x66, 0x2e, 0x0f, 0x1f, 0x84, 0, 0, 0, 0, 0
	ud2
	ud1	(%rax), %eax
	iretq
	/* 0F 38 and 0F 3A */
	crc32b	%al, %ecx
	crc32q	(%rdi), %rax
	movbe	(%rdi), %eax
	.byte	0x66, 0x0f, 0x3a, 0x0f, 0xc1, 0x08	/* palignr $8, %xmm1, %xmm0 */
	/* relative branches, all to instructions */
1:	jne	1b
	jne	2f
	.fill	200, 1, 0x90
2:	jmp	1b
	jmp	3f
3:	loop	3b
	jrcxz	3b
	call	insn_zoo
	jmp	__x86_return_thunk	/* a bare ret is refused */
	.size	insn_zoo, . - insn_zoo
	.section .note.GNU-stack, "", @progbits
