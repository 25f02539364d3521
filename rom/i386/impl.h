/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The i386 ROM's implementations, one number each: GetRelocationInfo's C
 * part (select.c) picks a number and a relocation type, its assembly part
 * (entry.S) turns the number into an address through a table of offsets
 * built from this same list, so C never takes an address (on i386 that
 * would need a GOT).  Included from assembly too.
 *
 *   X(ID, symbol)
 */
#ifndef VMI_ROM_I386_IMPL_H
#define VMI_ROM_I386_IMPL_H

#define VMI_I386_IMPLS(X) \
	X(RET,			vmi32_ret) \
	X(CPUID,		vmi32_cpuid) \
	X(CLTS,			vmi32_clts) \
	X(GET_DR,		vmi32_get_dr) \
	X(SET_DR,		vmi32_set_dr) \
	X(GET_CR0,		vmi32_get_cr0) \
	X(GET_CR2,		vmi32_get_cr2) \
	X(GET_CR3,		vmi32_get_cr3) \
	X(GET_CR4,		vmi32_get_cr4) \
	X(SET_CR0,		vmi32_set_cr0) \
	X(SET_CR2,		vmi32_set_cr2) \
	X(SET_CR3,		vmi32_set_cr3) \
	X(SET_CR4,		vmi32_set_cr4) \
	X(IRQ_ENABLE,		vmi32_irq_enable) \
	X(IRQ_DISABLE,		vmi32_irq_disable) \
	X(SAVE_FL,		vmi32_save_fl) \
	X(RESTORE_FL,		vmi32_restore_fl) \
	X(WBINVD,		vmi32_wbinvd) \
	X(RDTSC,		vmi32_rdtsc) \
	X(SET_TR,		vmi32_set_tr) \
	X(SET_LDT,		vmi32_set_ldt) \
	X(SET_GDT,		vmi32_set_gdt) \
	X(SET_IDT,		vmi32_set_idt) \
	X(GET_GDT,		vmi32_get_gdt) \
	X(GET_IDT,		vmi32_get_idt) \
	X(GET_TR,		vmi32_get_tr) \
	X(WRITE_DESC,		vmi32_write_desc) \
	X(SET_IOPL_MASK,	vmi32_set_iopl_mask) \
	X(IO_DELAY,		vmi32_io_delay) \
	X(FLUSH_TLB,		vmi32_flush_tlb) \
	X(INVAL_PAGE,		vmi32_inval_page) \
	X(SET_PXE,		vmi32_set_pxe) \
	X(SET_PXE_LONG,		vmi32_set_pxe_long) \
	X(APIC_WRITE,		vmi32_apic_write) \
	X(APIC_READ,		vmi32_apic_read) \
	X(GET_CYCLE_FREQUENCY,	vmi32_get_cycle_frequency) \
	X(GET_CYCLE_COUNTER,	vmi32_get_cycle_counter) \
	X(SET_ALARM,		vmi32_set_alarm) \
	X(CANCEL_ALARM,		vmi32_cancel_alarm) \
	X(GET_WALLCLOCK,	vmi32_get_wallclock) \
	X(HALT,			vmi32_halt) \
	X(IRET,			vmi32_iret) \
	X(SYSEXIT,		vmi32_sysexit)

/* select.c's answer: implementation number | relocation type << 8. */
#define VMI32_TYPE_SHIFT	8

#ifndef __ASSEMBLY__
enum vmi32_impl {
#define VMI32_X(id, sym) VMI32_##id,
	VMI_I386_IMPLS(VMI32_X)
#undef VMI32_X
	VMI32_COUNT
};
#endif

#endif /* VMI_ROM_I386_IMPL_H */
