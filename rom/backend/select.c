// SPDX-License-Identifier: GPL-2.0
/*
 * Per-call backend choice (made once by VMI_Init) and the address of the
 * chosen implementation (returned by GetRelocationInfo).  docs/abi.md has
 * the table in prose; the reasons for each NOP/NONE are there.
 */
#include "../rom.h"

#define FN(f)	((void *)(f))

/*
 * The address of call id's C implementation, which must have the
 * prototype of VMI_CALLS (include/vmi/calls.h): what the caller will
 * call it as.  The assembly ones (native.S) have no C type to check.
 */
#define IMPL(id, f) ({							\
	_Static_assert(__builtin_types_compatible_p(typeof(&(f)),	\
						    vmi_fn(id)),	\
		       #f " is not VMI_CALLS' " #id);			\
	FN(f);								\
})

/*
 * The same for a call the ROM's minor may not define (appended ones):
 * without it, no address, and the compiler drops the reference, so the
 * link leaves the call's code out of the image (rom/Makefile,
 * --gc-sections).
 */
#define IMPL_IF_HAS(id, f)	(VMI_ROM_HAS(id) ? IMPL(id, f) : 0)

/* The backend a call gets without any hypervisor help. */
static unsigned int default_backend(const struct vmi_state *s,
				    unsigned int call)
{
	switch (call) {
	/* Notifications and conversions that are identities on x86-64/KVM. */
	case VMI_CALL_UPDATE_KERNEL_STACK:
	case VMI_CALL_UPDATE_PXE:
	case VMI_CALL_UPDATE_PXE_LONG:
	case VMI_CALL_MACHINE_TO_PHYSICAL:
	case VMI_CALL_PHYSICAL_TO_MACHINE:
	case VMI_CALL_ALLOCATE_PAGE:
	case VMI_CALL_RELEASE_PAGE:
	case VMI_CALL_SET_LINEAR_MAPPING:
	case VMI_CALL_SET_LAZY_MODE:
		return VMI_BACKEND_NOP;
	/* Left to the kernel's own native code (no single instruction). */
	case VMI_CALL_SYSEXIT:
	case VMI_CALL_REBOOT:
	case VMI_CALL_SHUTDOWN:
	case VMI_CALL_SET_INITIAL_AP_STATE:
	case VMI_CALL_SET_ALARM:
	case VMI_CALL_CANCEL_ALARM:
	case VMI_CALL_GET_WALLCLOCK_TIME:
	case VMI_CALL_WALLCLOCK_UPDATED:
	case VMI_CALL_SET_CALLBACKS:
		return VMI_BACKEND_NONE;
	case VMI_CALL_GET_CYCLE_FREQUENCY:
		return s->tsc_hz ? VMI_BACKEND_NATIVE : VMI_BACKEND_NONE;
	case VMI_CALL_GET_BACKEND:
		return VMI_BACKEND_ROM;
	}
	/* The appended calls exist only as paravirtual operations. */
	if (call >= VMI_CALL_COUNT_3_0)
		return VMI_BACKEND_NONE;
	return VMI_BACKEND_NATIVE;
}

/* The backend KVM offers for a call, or VMI_BACKEND_NONE. */
static unsigned int kvm_backend(const struct vmi_state *s, unsigned int call)
{
	int steal = vmi_kvm_steal_usable(s);

	switch (call) {
	case VMI_CALL_IO_DELAY:
		return kvm_has(s, KVM_FEATURE_NOP_IO_DELAY) ?
			VMI_BACKEND_NOP : VMI_BACKEND_NONE;
	case VMI_CALL_GET_CYCLE_FREQUENCY:
		return s->tsc_source == VMI_BACKEND_KVM ?
			VMI_BACKEND_KVM : VMI_BACKEND_NONE;
	case VMI_CALL_GET_CYCLE_COUNTER:
		return steal && s->tsc_hz ? VMI_BACKEND_KVM : VMI_BACKEND_NONE;
	case VMI_CALL_FLUSH_TLB_OTHERS:
		return steal && kvm_has(s, KVM_FEATURE_PV_TLB_FLUSH) ?
			VMI_BACKEND_KVM : VMI_BACKEND_NONE;
	case VMI_CALL_SEND_IPI_MASK:
		return kvm_has(s, KVM_FEATURE_PV_SEND_IPI) ?
			VMI_BACKEND_KVM : VMI_BACKEND_NONE;
	case VMI_CALL_KICK_CPU:
	case VMI_CALL_SPIN_WAIT:
		return kvm_has(s, KVM_FEATURE_PV_UNHALT) ?
			VMI_BACKEND_KVM : VMI_BACKEND_NONE;
	case VMI_CALL_YIELD_TO_CPU:
		return kvm_has(s, KVM_FEATURE_PV_SCHED_YIELD) ?
			VMI_BACKEND_KVM : VMI_BACKEND_NONE;
	case VMI_CALL_VCPU_IS_PREEMPTED:
	case VMI_CALL_STEAL_CLOCK:
	case VMI_CALL_REGISTER_STEAL_TIME:
		return steal ? VMI_BACKEND_KVM : VMI_BACKEND_NONE;
	case VMI_CALL_ADOPT_STEAL_TIME:
		return vmi_kvm_adopt_usable(s) ?
			VMI_BACKEND_KVM : VMI_BACKEND_NONE;
	case VMI_CALL_REGISTER_PV_EOI:
	case VMI_CALL_PV_EOI:
		return vmi_kvm_pv_eoi_usable(s) ?
			VMI_BACKEND_KVM : VMI_BACKEND_NONE;
	case VMI_CALL_REGISTER_SYSTEM_TIME:
	case VMI_CALL_SYSTEM_TIME:
		return vmi_kvm_clock_usable(s) ?
			VMI_BACKEND_KVM : VMI_BACKEND_NONE;
	}
	return VMI_BACKEND_NONE;
}

static int forced_native(const struct vmi_state *s, unsigned int call)
{
	return (s->force_native[call / 64] >> (call % 64)) & 1;
}

void vmi_select_backends(struct vmi_state *s)
{
	unsigned int call, b;

	/* Steal-time users depend on RegisterStealTime being available. */
	if (forced_native(s, VMI_CALL_REGISTER_STEAL_TIME))
		s->phys = 0;

	for (call = 0; call < VMI_CALL_COUNT; call++) {
		b = VMI_BACKEND_NONE;
		if (s->kvm_base && !forced_native(s, call))
			b = kvm_backend(s, call);
		if (b == VMI_BACKEND_NONE)
			b = default_backend(s, call);
		/* A call past this ROM's minor (rom.h) is not there. */
		if (call >= VMI_ROM_CALLS)
			b = VMI_BACKEND_NONE;
		s->backend[call] = (uint8_t)b;
	}
}

static void *native_address(const struct vmi_state *s, unsigned int call)
{
	switch (call) {
	case VMI_CALL_CPUID:		return FN(vmi_native_cpuid);
	case VMI_CALL_WRMSR:		return FN(vmi_native_wrmsr);
	case VMI_CALL_RDMSR:		return FN(vmi_native_rdmsr);
	case VMI_CALL_SET_GDT:		return FN(vmi_native_set_gdt);
	case VMI_CALL_SET_LDT:		return FN(vmi_native_set_ldt);
	case VMI_CALL_SET_IDT:		return FN(vmi_native_set_idt);
	case VMI_CALL_SET_TR:		return FN(vmi_native_set_tr);
	case VMI_CALL_GET_GDT:		return FN(vmi_native_get_gdt);
	case VMI_CALL_GET_LDT:		return FN(vmi_native_get_ldt);
	case VMI_CALL_GET_IDT:		return FN(vmi_native_get_idt);
	case VMI_CALL_GET_TR:		return FN(vmi_native_get_tr);
	case VMI_CALL_WRITE_GDT_ENTRY:	return FN(vmi_native_write_gdt_entry);
	case VMI_CALL_WRITE_LDT_ENTRY:	return FN(vmi_native_write_gdt_entry);
	case VMI_CALL_WRITE_IDT_ENTRY:	return FN(vmi_native_write_idt_entry);
	case VMI_CALL_SET_CR0:		return FN(vmi_native_set_cr0);
	case VMI_CALL_SET_CR2:		return FN(vmi_native_set_cr2);
	case VMI_CALL_SET_CR3:		return FN(vmi_native_set_cr3);
	case VMI_CALL_SET_CR4:		return FN(vmi_native_set_cr4);
	case VMI_CALL_GET_CR0:		return FN(vmi_native_get_cr0);
	case VMI_CALL_GET_CR2:		return FN(vmi_native_get_cr2);
	case VMI_CALL_GET_CR3:		return FN(vmi_native_get_cr3);
	case VMI_CALL_GET_CR4:		return FN(vmi_native_get_cr4);
	case VMI_CALL_WBINVD:		return FN(vmi_native_wbinvd);
	case VMI_CALL_SET_DR:		return FN(vmi_native_set_dr);
	case VMI_CALL_GET_DR:		return FN(vmi_native_get_dr);
	case VMI_CALL_RDPMC:		return FN(vmi_native_rdpmc);
	case VMI_CALL_RDTSC:		return FN(vmi_native_rdtsc);
	case VMI_CALL_CLTS:		return FN(vmi_native_clts);
	case VMI_CALL_ENABLE_INTERRUPTS: return FN(vmi_native_enable_interrupts);
	case VMI_CALL_DISABLE_INTERRUPTS: return FN(vmi_native_disable_interrupts);
	case VMI_CALL_GET_INTERRUPT_MASK: return FN(vmi_native_get_interrupt_mask);
	case VMI_CALL_SET_INTERRUPT_MASK: return FN(vmi_native_set_interrupt_mask);
	case VMI_CALL_IRET:		return FN(vmi_native_iret);
	case VMI_CALL_HALT:
		return s->flags & VMI_INIT_IDLE_VERW ?
		       FN(vmi_native_halt_verw) : FN(vmi_native_halt);
	case VMI_CALL_SET_PXE:		return FN(vmi_native_set_pxe);
	case VMI_CALL_SET_PXE_LONG:	return FN(vmi_native_set_pxe);
	case VMI_CALL_INVAL_PAGE:	return FN(vmi_native_inval_page);
	case VMI_CALL_FLUSH_TLB:	return FN(vmi_native_flush_tlb);
	case VMI_CALL_INL:		return FN(vmi_native_inl);
	case VMI_CALL_INB:		return FN(vmi_native_inb);
	case VMI_CALL_INW:		return FN(vmi_native_inw);
	case VMI_CALL_INSL:		return FN(vmi_native_insl);
	case VMI_CALL_INSB:		return FN(vmi_native_insb);
	case VMI_CALL_INSW:		return FN(vmi_native_insw);
	case VMI_CALL_OUTL:		return FN(vmi_native_outl);
	case VMI_CALL_OUTB:		return FN(vmi_native_outb);
	case VMI_CALL_OUTW:		return FN(vmi_native_outw);
	case VMI_CALL_OUTSL:		return FN(vmi_native_outsl);
	case VMI_CALL_OUTSB:		return FN(vmi_native_outsb);
	case VMI_CALL_OUTSW:		return FN(vmi_native_outsw);
	case VMI_CALL_SET_IOPL_MASK:	return FN(vmi_native_set_iopl_mask);
	case VMI_CALL_APIC_WRITE:	return FN(vmi_native_apic_write);
	case VMI_CALL_APIC_READ:	return FN(vmi_native_apic_read);
	case VMI_CALL_IO_DELAY:		return FN(vmi_native_io_delay);
	case VMI_CALL_GET_CYCLE_FREQUENCY:
		return IMPL(GET_CYCLE_FREQUENCY, vmi_get_cycle_frequency);
	case VMI_CALL_GET_CYCLE_COUNTER:
		return IMPL(GET_CYCLE_COUNTER, vmi_native_get_cycle_counter);
	}
	return 0;
}

static void *kvm_address(unsigned int call)
{
	switch (call) {
	case VMI_CALL_GET_CYCLE_FREQUENCY:
		return IMPL(GET_CYCLE_FREQUENCY, vmi_get_cycle_frequency);
	case VMI_CALL_GET_CYCLE_COUNTER:
		return IMPL(GET_CYCLE_COUNTER, vmi_kvm_get_cycle_counter);
	case VMI_CALL_FLUSH_TLB_OTHERS:
		return IMPL_IF_HAS(FLUSH_TLB_OTHERS, vmi_kvm_flush_tlb_others);
	case VMI_CALL_SEND_IPI_MASK:
		return IMPL_IF_HAS(SEND_IPI_MASK, vmi_kvm_send_ipi_mask);
	case VMI_CALL_KICK_CPU:
		return IMPL_IF_HAS(KICK_CPU, vmi_kvm_kick_cpu);
	case VMI_CALL_YIELD_TO_CPU:
		return IMPL_IF_HAS(YIELD_TO_CPU, vmi_kvm_yield_to_cpu);
	case VMI_CALL_VCPU_IS_PREEMPTED:
		return IMPL_IF_HAS(VCPU_IS_PREEMPTED, vmi_kvm_vcpu_is_preempted);
	case VMI_CALL_SPIN_WAIT:
		return IMPL_IF_HAS(SPIN_WAIT, vmi_kvm_spin_wait);
	case VMI_CALL_STEAL_CLOCK:
		return IMPL_IF_HAS(STEAL_CLOCK, vmi_kvm_steal_clock);
	case VMI_CALL_REGISTER_STEAL_TIME:
		return IMPL_IF_HAS(REGISTER_STEAL_TIME, vmi_kvm_register_steal_time);
	case VMI_CALL_REGISTER_PV_EOI:
		return IMPL_IF_HAS(REGISTER_PV_EOI, vmi_kvm_register_pv_eoi);
	case VMI_CALL_PV_EOI:
		return IMPL_IF_HAS(PV_EOI, vmi_kvm_pv_eoi);
	case VMI_CALL_REGISTER_SYSTEM_TIME:
		return IMPL_IF_HAS(REGISTER_SYSTEM_TIME, vmi_kvm_register_system_time);
	case VMI_CALL_SYSTEM_TIME:
		return IMPL_IF_HAS(SYSTEM_TIME, vmi_kvm_system_time);
	case VMI_CALL_ADOPT_STEAL_TIME:
		return IMPL_IF_HAS(ADOPT_STEAL_TIME, vmi_kvm_adopt_steal_time);
	}
	return 0;
}

void *vmi_call_address(const struct vmi_state *s, unsigned int call,
		       unsigned int backend)
{
	switch (backend) {
	case VMI_BACKEND_NATIVE:
		return native_address(s, call);
	case VMI_BACKEND_KVM:
		return kvm_address(call);
	case VMI_BACKEND_NOP:
		return FN(vmi_rom_ret);
	case VMI_BACKEND_ROM:
		return call == VMI_CALL_GET_BACKEND ?
		       IMPL_IF_HAS(GET_BACKEND, vmi_get_backend) : 0;
	}
	return 0;
}
