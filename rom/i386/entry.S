/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The i386 ROM's entry points, in the convention of the VMI 3.0 clients
 * (Linux 2.6.21-2.6.36 CONFIG_VMI, arch/x86/kernel/vmi_32.c; docs/abi.md,
 * "i386"): called in place at PAGE_OFFSET + its physical address, with
 * regparm(3) arguments (EAX, EDX, ECX, then the stack, which the caller
 * pops), u64 results in EDX:EAX.  Every entry may clobber EAX, ECX, EDX
 * and the arithmetic flags and preserves the rest, except where noted:
 * the interrupt-flag calls 29-32 preserve everything (they are patched
 * into sites that save nothing), CPUID has the native register semantics.
 * No entry touches FS or GS or writes anything but its arguments.
 *
 * The kernel's IBT and return thunks do not exist on i386 2.6.x: entries
 * carry no ENDBR32 and return with a plain "ret".
 */
#include "impl.h"

	.macro FUNC name
	.globl \name
	.hidden \name
	.type \name, @function
	.p2align 4
\name:
	.endm

	.macro ENDF name
	.size \name, . - \name
	.endm

	.text
	.code32

/*
 * VMI_Init(): nothing to set up and nothing to remember (the ROM has no
 * writable memory), so it always succeeds.
 */
FUNC vmi32_init
	xorl	%eax, %eax
	ret
ENDF vmi32_init

/*
 * GetRelocationInfo(EAX = call) -> EAX = absolute address, DL = type.
 * vmi32_select (select.c) answers implementation | type << 8; the address
 * is this copy's own, from EIP, so it is right wherever the ROM runs.
 */
FUNC vmi32_get_relocation
	call	vmi32_select
	movl	%eax, %edx
	shrl	$VMI32_TYPE_SHIFT, %edx
	jz	2f
	movzbl	%al, %eax
	call	1f
1:	popl	%ecx
	leal	vmi32_impls - 1b(%ecx), %ecx
	addl	(%ecx,%eax,4), %ecx
	movl	%ecx, %eax
	ret
2:	xorl	%eax, %eax
	xorl	%edx, %edx
	ret
ENDF vmi32_get_relocation

/* Target of NOP answers and of UpdatePxE(Long): nothing to do. */
FUNC vmi32_ret
	ret
ENDF vmi32_ret

/* CPUID: native semantics, EAX = leaf, ECX = subleaf -> EAX..EDX. */
FUNC vmi32_cpuid
	cpuid
	ret
ENDF vmi32_cpuid

FUNC vmi32_clts
	clts
	ret
ENDF vmi32_clts

/* GetDR(EAX = 0..7) -> EAX; SetDR(EAX = 0..7, EDX = value). 4/5 alias 6/7. */
FUNC vmi32_get_dr
	andl	$7, %eax
	cmpl	$4, %eax
	jb	1f
	orl	$2, %eax
1:	cmpl	$0, %eax
	jne	2f
	movl	%db0, %eax
	ret
2:	cmpl	$1, %eax
	jne	3f
	movl	%db1, %eax
	ret
3:	cmpl	$2, %eax
	jne	4f
	movl	%db2, %eax
	ret
4:	cmpl	$3, %eax
	jne	6f
	movl	%db3, %eax
	ret
6:	cmpl	$6, %eax
	jne	7f
	movl	%db6, %eax
	ret
7:	movl	%db7, %eax
	ret
ENDF vmi32_get_dr

FUNC vmi32_set_dr
	andl	$7, %eax
	cmpl	$4, %eax
	jb	1f
	orl	$2, %eax
1:	cmpl	$0, %eax
	jne	2f
	movl	%edx, %db0
	ret
2:	cmpl	$1, %eax
	jne	3f
	movl	%edx, %db1
	ret
3:	cmpl	$2, %eax
	jne	4f
	movl	%edx, %db2
	ret
4:	cmpl	$3, %eax
	jne	6f
	movl	%edx, %db3
	ret
6:	cmpl	$6, %eax
	jne	7f
	movl	%edx, %db6
	ret
7:	movl	%edx, %db7
	ret
ENDF vmi32_set_dr

/* GetCRn() -> EAX; SetCRn(EAX = value). */
	.irp n, 0, 2, 3, 4
FUNC vmi32_get_cr\n
	movl	%cr\n, %eax
	ret
ENDF vmi32_get_cr\n

FUNC vmi32_set_cr\n
	movl	%eax, %cr\n
	ret
ENDF vmi32_set_cr\n
	.endr

/*
 * 29-32 are patched as "call rel32" into sites that save no register
 * (entry_32.S's CLBR_NONE): everything is preserved, EFLAGS too except
 * IF, and GetInterruptMask changes only EAX.
 */
FUNC vmi32_irq_enable
	sti
	ret
ENDF vmi32_irq_enable

FUNC vmi32_irq_disable
	cli
	ret
ENDF vmi32_irq_disable

/* GetInterruptMask() -> EAX = EFLAGS. */
FUNC vmi32_save_fl
	pushfl
	popl	%eax
	ret
ENDF vmi32_save_fl

/*
 * SetInterruptMask(EAX = flags): only IF is taken from EAX.  The test
 * and the edit change the live flags, the popfl puts the caller's back
 * with the new IF.
 */
FUNC vmi32_restore_fl
	pushfl
	testl	$0x200, %eax
	jz	1f
	orl	$0x200, (%esp)
	popfl
	ret
1:	andl	$~0x200, (%esp)
	popfl
	ret
ENDF vmi32_restore_fl

FUNC vmi32_wbinvd
	wbinvd
	ret
ENDF vmi32_wbinvd

/* RDTSC() -> EDX:EAX */
FUNC vmi32_rdtsc
	rdtsc
	ret
ENDF vmi32_rdtsc

/* SetTR/SetLDT(EAX = selector; 0 loads the null LDT). */
FUNC vmi32_set_tr
	ltr	%ax
	ret
ENDF vmi32_set_tr

FUNC vmi32_set_ldt
	lldt	%ax
	ret
ENDF vmi32_set_ldt

/* SetGDT/SetIDT/GetGDT/GetIDT(EAX = pointer to 6 bytes limit:base). */
FUNC vmi32_set_gdt
	lgdt	(%eax)
	ret
ENDF vmi32_set_gdt

FUNC vmi32_set_idt
	lidt	(%eax)
	ret
ENDF vmi32_set_idt

FUNC vmi32_get_gdt
	sgdt	(%eax)
	ret
ENDF vmi32_get_gdt

FUNC vmi32_get_idt
	sidt	(%eax)
	ret
ENDF vmi32_get_idt

/* GetTR() -> EAX = selector */
FUNC vmi32_get_tr
	xorl	%eax, %eax
	str	%ax
	ret
ENDF vmi32_get_tr

/*
 * Write{G,L,I}DTEntry(EAX = table, EDX = index, ECX = descriptor's low
 * dword, [esp+4] = its high dword): every i386 descriptor is 8 bytes.
 */
FUNC vmi32_write_desc
	movl	%ecx, (%eax,%edx,8)
	movl	4(%esp), %ecx
	movl	%ecx, 4(%eax,%edx,8)
	ret
ENDF vmi32_write_desc

/* SetIOPLMask(EAX = IOPL bits 12-13), as native set_iopl_mask. */
FUNC vmi32_set_iopl_mask
	pushfl
	popl	%edx
	andl	$~0x3000, %edx
	andl	$0x3000, %eax
	orl	%eax, %edx
	pushl	%edx
	popfl
	ret
ENDF vmi32_set_iopl_mask

/* IODelay(): the kernel's native delay, a write to port 0x80. */
FUNC vmi32_io_delay
	outb	%al, $0x80
	ret
ENDF vmi32_io_delay

/*
 * FlushTLB(EAX = VMI_FLUSH_TLB 1 | VMI_FLUSH_GLOBAL 2): globals too by
 * toggling CR4.PGE with interrupts off when it is set, else reload CR3.
 */
FUNC vmi32_flush_tlb
	testl	$2, %eax
	jz	1f
	movl	%cr4, %edx
	testl	$0x80, %edx
	jz	1f
	pushfl
	cli
	movl	%edx, %ecx
	andl	$~0x80, %ecx
	movl	%ecx, %cr4
	movl	%edx, %cr4
	popfl
	ret
1:	movl	%cr3, %eax
	movl	%eax, %cr3
	ret
ENDF vmi32_flush_tlb

/* InvalPage(EAX = virtual address) */
FUNC vmi32_inval_page
	invlpg	(%eax)
	ret
ENDF vmi32_inval_page

/* SetPxE(EAX = entry, EDX = pointer, ECX = flags): one aligned store. */
FUNC vmi32_set_pxe
	movl	%eax, (%edx)
	ret
ENDF vmi32_set_pxe

/*
 * SetPxELong(EAX = entry low, EDX = entry high, ECX = pointer,
 * [esp+4] = flags): one atomic 64-bit store (cmpxchg8b loop), so no
 * half-written present entry is ever visible to the page walker or to
 * another CPU.
 */
FUNC vmi32_set_pxe_long
	pushl	%ebx
	pushl	%esi
	movl	%ecx, %esi
	movl	%eax, %ebx
	movl	%edx, %ecx
	movl	(%esi), %eax
	movl	4(%esi), %edx
1:	lock cmpxchg8b (%esi)
	jnz	1b
	popl	%esi
	popl	%ebx
	ret
ENDF vmi32_set_pxe_long

/* GetCycleCounter(EAX = which) -> EDX:EAX; REAL = AVAILABLE = TSC, STOLEN = 0 */
FUNC vmi32_get_cycle_counter
	cmpl	$2, %eax
	je	1f
	rdtsc
	ret
1:	xorl	%eax, %eax
	xorl	%edx, %edx
	ret
ENDF vmi32_get_cycle_counter

/* Halt(): safe halt; STI's shadow makes the pair atomic. */
FUNC vmi32_halt
	sti
	hlt
	ret
ENDF vmi32_halt

/* IRET and SYSEXIT are jumped to (JUMP_REL), with the native state. */
FUNC vmi32_iret
	iret
ENDF vmi32_iret

FUNC vmi32_sysexit
	sti
	sysexit
ENDF vmi32_sysexit

/*
 * Offsets of the implementations from the table itself: link-time
 * constants (PC-relative), so the image needs no relocation.
 */
	.section .rodata
	.p2align 2
vmi32_impls:
#define VMI32_X(id, sym) .long sym - vmi32_impls;
	VMI_I386_IMPLS(VMI32_X)
#undef VMI32_X

	.section .note.GNU-stack, "", @progbits
