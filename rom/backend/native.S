/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Native backend: each VMI call as the privileged instruction itself.
 * Under a hypervisor these trap and are emulated there.  Arguments follow
 * the x86-64 convention in docs/abi.md (SysV registers unless noted).
 * Every entry starts with ENDBR64 so an IBT kernel may call it indirectly;
 * everything is position independent (no absolute addresses).
 */

	.macro FUNC name
	.globl \name
	.hidden \name
	.type \name, @function
	.p2align 4
\name:
	endbr64
	.endm

	.macro ENDF name
	.size \name, . - \name
	.endm

/*
 * Every return goes through the ROM's return thunk (rom/thunk.S), as the
 * kernel's RET does with return thunks: a rel32 jump the installer can
 * retarget to the kernel's own thunk.  mkrom refuses a bare "ret".
 */
#define RET	jmp __x86_return_thunk

	.text

/* Target of NOP relocations: a caller that calls anyway just returns. */
FUNC vmi_rom_ret
	RET
ENDF vmi_rom_ret

/* CPUID keeps native register semantics: in eax, ecx; out eax..edx. */
FUNC vmi_native_cpuid
	cpuid
	RET
ENDF vmi_native_cpuid

/* WRMSR(rdi = msr, rsi = 64-bit value) */
FUNC vmi_native_wrmsr
	movl	%edi, %ecx
	movl	%esi, %eax
	movq	%rsi, %rdx
	shrq	$32, %rdx
	wrmsr
	RET
ENDF vmi_native_wrmsr

/* RDMSR(rdi = msr) -> rax = 64-bit value */
FUNC vmi_native_rdmsr
	movl	%edi, %ecx
	rdmsr
	shlq	$32, %rdx
	orq	%rdx, %rax
	RET
ENDF vmi_native_rdmsr

/* SetGDT/SetIDT(rdi = pointer to 10-byte limit:base) */
FUNC vmi_native_set_gdt
	lgdt	(%rdi)
	RET
ENDF vmi_native_set_gdt

FUNC vmi_native_set_idt
	lidt	(%rdi)
	RET
ENDF vmi_native_set_idt

/* SetLDT/SetTR(rdi = selector) */
FUNC vmi_native_set_ldt
	lldt	%di
	RET
ENDF vmi_native_set_ldt

FUNC vmi_native_set_tr
	ltr	%di
	RET
ENDF vmi_native_set_tr

/* GetGDT/GetIDT(rdi = where to store limit:base) */
FUNC vmi_native_get_gdt
	sgdt	(%rdi)
	RET
ENDF vmi_native_get_gdt

FUNC vmi_native_get_idt
	sidt	(%rdi)
	RET
ENDF vmi_native_get_idt

/* GetLDT/GetTR() -> rax = selector */
FUNC vmi_native_get_ldt
	xorl	%eax, %eax
	sldt	%ax
	RET
ENDF vmi_native_get_ldt

FUNC vmi_native_get_tr
	xorl	%eax, %eax
	str	%ax
	RET
ENDF vmi_native_get_tr

/*
 * WriteGDTEntry/WriteLDTEntry(rdi = table, rsi = index in 8-byte units,
 * rdx = descriptor, rcx = its size: 8, or 16 for 64-bit system descriptors)
 */
FUNC vmi_native_write_gdt_entry
	leaq	(%rdi,%rsi,8), %rdi
	movq	(%rdx), %rax
	movq	%rax, (%rdi)
	cmpq	$16, %rcx
	jb	1f
	movq	8(%rdx), %rax
	movq	%rax, 8(%rdi)
1:	RET
ENDF vmi_native_write_gdt_entry

/* WriteIDTEntry(rdi = table, rsi = vector, rdx = 16-byte gate) */
FUNC vmi_native_write_idt_entry
	shlq	$4, %rsi
	movq	(%rdx), %rax
	movq	%rax, (%rdi,%rsi)
	movq	8(%rdx), %rax
	movq	%rax, 8(%rdi,%rsi)
	RET
ENDF vmi_native_write_idt_entry

	.irp n, 0, 2, 3, 4
FUNC vmi_native_set_cr\n
	movq	%rdi, %cr\n
	RET
ENDF vmi_native_set_cr\n

FUNC vmi_native_get_cr\n
	movq	%cr\n, %rax
	RET
ENDF vmi_native_get_cr\n
	.endr

FUNC vmi_native_wbinvd
	wbinvd
	RET
ENDF vmi_native_wbinvd

/* SetDR(rdi = 0..7, rsi = value); 4/5 alias 6/7 as without CR4.DE. */
FUNC vmi_native_set_dr
	andl	$7, %edi
	cmpl	$4, %edi
	jb	1f
	orl	$2, %edi
1:	cmpl	$0, %edi
	jne	2f
	movq	%rsi, %db0
	RET
2:	cmpl	$1, %edi
	jne	3f
	movq	%rsi, %db1
	RET
3:	cmpl	$2, %edi
	jne	4f
	movq	%rsi, %db2
	RET
4:	cmpl	$3, %edi
	jne	6f
	movq	%rsi, %db3
	RET
6:	cmpl	$6, %edi
	jne	7f
	movq	%rsi, %db6
	RET
7:	movq	%rsi, %db7
	RET
ENDF vmi_native_set_dr

/* GetDR(rdi = 0..7) -> rax */
FUNC vmi_native_get_dr
	andl	$7, %edi
	cmpl	$4, %edi
	jb	1f
	orl	$2, %edi
1:	cmpl	$0, %edi
	jne	2f
	movq	%db0, %rax
	RET
2:	cmpl	$1, %edi
	jne	3f
	movq	%db1, %rax
	RET
3:	cmpl	$2, %edi
	jne	4f
	movq	%db2, %rax
	RET
4:	cmpl	$3, %edi
	jne	6f
	movq	%db3, %rax
	RET
6:	cmpl	$6, %edi
	jne	7f
	movq	%db6, %rax
	RET
7:	movq	%db7, %rax
	RET
ENDF vmi_native_get_dr

/* RDPMC(rdi = counter) -> rax */
FUNC vmi_native_rdpmc
	movl	%edi, %ecx
	rdpmc
	shlq	$32, %rdx
	orq	%rdx, %rax
	RET
ENDF vmi_native_rdpmc

/* RDTSC() -> rax */
FUNC vmi_native_rdtsc
	rdtsc
	shlq	$32, %rdx
	orq	%rdx, %rax
	RET
ENDF vmi_native_rdtsc

FUNC vmi_native_clts
	clts
	RET
ENDF vmi_native_clts

/* The four interrupt-flag calls clobber nothing (GetInterruptMask: rax). */
FUNC vmi_native_enable_interrupts
	sti
	RET
ENDF vmi_native_enable_interrupts

FUNC vmi_native_disable_interrupts
	cli
	RET
ENDF vmi_native_disable_interrupts

/* -> rax = RFLAGS; only bit 9 (IF, 0x200) is meaningful. */
FUNC vmi_native_get_interrupt_mask
	pushfq
	popq	%rax
	RET
ENDF vmi_native_get_interrupt_mask

/*
 * SetInterruptMask(rdi = mask): IF := mask & 0x200.  The test would
 * change the arithmetic flags, so they are saved around it.
 */
FUNC vmi_native_set_interrupt_mask
	pushfq
	testl	$0x200, %edi
	jz	1f
	popfq
	sti
	RET
1:	popfq
	cli
	RET
ENDF vmi_native_set_interrupt_mask

/* IRET: JUMP_REL target, reached by jmp with an IRETQ frame at rsp. */
FUNC vmi_native_iret
	iretq
ENDF vmi_native_iret

/* Halt is VMI's safe halt: the STI shadow covers the HLT. */
FUNC vmi_native_halt
	sti
	hlt
	RET
ENDF vmi_native_halt

/*
 * Halt when the kernel clears CPU buffers before idling (MDS, TSA:
 * VMI_INIT_IDLE_VERW): as native_safe_halt() with
 * x86_idle_clear_cpu_buffers(), VERW with a memory operand (only that form
 * is documented to flush), on the kernel's data segment selector.
 */
FUNC vmi_native_halt_verw
	verw	vmi_verw_sel(%rip)
	sti
	hlt
	RET
ENDF vmi_native_halt_verw

/* SetPxE/SetPxELong(rdi = entry, rsi = pointer, rdx = flags) */
FUNC vmi_native_set_pxe
	movq	%rdi, (%rsi)
	RET
ENDF vmi_native_set_pxe

/* InvalPage(rdi = virtual address) */
FUNC vmi_native_inval_page
	invlpg	(%rdi)
	RET
ENDF vmi_native_inval_page

/*
 * FlushTLB(rdi = VMI_FLUSH_TLB | VMI_FLUSH_GLOBAL).  Global: toggle
 * CR4.PGE (flushes every PCID too), with interrupts off so nothing runs
 * in between; otherwise, or without PGE: reload CR3.
 */
FUNC vmi_native_flush_tlb
	testl	$2, %edi
	jz	1f
	movq	%cr4, %rax
	testl	$0x80, %eax
	jz	1f
	pushfq
	cli
	xorq	$0x80, %rax
	movq	%rax, %cr4
	xorq	$0x80, %rax
	movq	%rax, %cr4
	popfq
	RET
1:	movq	%cr3, %rax
	movq	%rax, %cr3
	RET
ENDF vmi_native_flush_tlb

/* INx(rdi = port) -> rax */
FUNC vmi_native_inl
	movl	%edi, %edx
	inl	%dx, %eax
	RET
ENDF vmi_native_inl

FUNC vmi_native_inb
	movl	%edi, %edx
	xorl	%eax, %eax
	inb	%dx, %al
	RET
ENDF vmi_native_inb

FUNC vmi_native_inw
	movl	%edi, %edx
	xorl	%eax, %eax
	inw	%dx, %ax
	RET
ENDF vmi_native_inw

/* INSx(rdi = port, rsi = buffer, rdx = count); DF clear as in the kernel. */
	.irp w, b, w, l
FUNC vmi_native_ins\w
	movq	%rdx, %rcx
	movl	%edi, %edx
	movq	%rsi, %rdi
	rep ins\w
	RET
ENDF vmi_native_ins\w

/* OUTSx(rdi = port, rsi = buffer, rdx = count) */
FUNC vmi_native_outs\w
	movq	%rdx, %rcx
	movl	%edi, %edx
	rep outs\w
	RET
ENDF vmi_native_outs\w
	.endr

/* OUTx(rdi = value, rsi = port), the order of Linux's outb(value, port). */
FUNC vmi_native_outl
	movl	%esi, %edx
	movl	%edi, %eax
	outl	%eax, %dx
	RET
ENDF vmi_native_outl

FUNC vmi_native_outb
	movl	%esi, %edx
	movl	%edi, %eax
	outb	%al, %dx
	RET
ENDF vmi_native_outb

FUNC vmi_native_outw
	movl	%esi, %edx
	movl	%edi, %eax
	outw	%ax, %dx
	RET
ENDF vmi_native_outw

/* SetIOPLMask(rdi = mask): RFLAGS.IOPL := mask & 0x3000. */
FUNC vmi_native_set_iopl_mask
	pushfq
	andq	$~0x3000, (%rsp)
	andl	$0x3000, %edi
	orq	%rdi, (%rsp)
	popfq
	RET
ENDF vmi_native_set_iopl_mask

/*
 * APICWrite(rdi = register offset, rsi = value, rdx = xAPIC mapping or 0)
 * APICRead(rdi = register offset, rsi = xAPIC mapping or 0) -> rax
 * A zero mapping means x2APIC mode: MSR 0x800 + offset / 16.
 */
FUNC vmi_native_apic_write
	testq	%rdx, %rdx
	jz	1f
	movl	%esi, (%rdx,%rdi)
	RET
1:	movl	%edi, %ecx
	shrl	$4, %ecx
	addl	$0x800, %ecx
	movl	%esi, %eax
	movq	%rsi, %rdx
	shrq	$32, %rdx
	wrmsr
	RET
ENDF vmi_native_apic_write

FUNC vmi_native_apic_read
	testq	%rsi, %rsi
	jz	1f
	movl	(%rsi,%rdi), %eax
	RET
1:	movl	%edi, %ecx
	shrl	$4, %ecx
	addl	$0x800, %ecx
	rdmsr
	shlq	$32, %rdx
	orq	%rdx, %rax
	RET
ENDF vmi_native_apic_read

/* IODelay: a write to the POST port, what Linux's native_io_delay does. */
FUNC vmi_native_io_delay
	outb	%al, $0x80
	RET
ENDF vmi_native_io_delay

/*
 * VERW's operand: Linux x86-64's __KERNEL_DS (GDT entry 3), as the
 * kernel's x86_clear_cpu_buffers() uses.  Any selector makes VERW flush;
 * a writable data segment is the fastest.
 */
	.section .rodata
	.globl	vmi_verw_sel
	.hidden	vmi_verw_sel
	.type	vmi_verw_sel, @object
	.balign	2
vmi_verw_sel:
	.word	0x18
	.size	vmi_verw_sel, 2

	.section .note.GNU-stack, "", @progbits
