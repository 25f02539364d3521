// SPDX-License-Identifier: GPL-2.0
/*
 * GetRelocationInfo's choice for the i386 ROM.  The ROM has no memory, so
 * nothing is chosen once: every query recomputes the answer from CPUID
 * alone, which gives the same answer every time (the client asks per
 * patch site and at every module load).  docs/abi.md, "i386", has the
 * table and the reasons for each NONE.
 */
#include "rom32.h"

#define ANSWER(impl, type)	((uint32_t)(VMI32_##impl) | \
				 (uint32_t)(type) << VMI32_TYPE_SHIFT)
#define CALL(impl)		ANSWER(impl, VMI_RELOCATION_CALL_REL)
#define JUMP(impl)		ANSWER(impl, VMI_RELOCATION_JUMP_REL)
#define NOP			ANSWER(RET, VMI_RELOCATION_NOP)
#define NONE			0

/* Returns implementation | relocation type << 8, 0 for NONE. */
uint32_t vmi32_select(uint32_t call)
{
	uint32_t r[4], edx, kvm;

	vmi_cpuid(1, 0, r);
	edx = r[3];

	switch (call) {
	case VMI_CALL_CPUID:		return CALL(CPUID);
	case VMI_CALL_SET_GDT:		return CALL(SET_GDT);
	case VMI_CALL_SET_LDT:		return CALL(SET_LDT);
	case VMI_CALL_SET_IDT:		return CALL(SET_IDT);
	case VMI_CALL_SET_TR:		return CALL(SET_TR);
	case VMI_CALL_GET_GDT:		return CALL(GET_GDT);
	case VMI_CALL_GET_IDT:		return CALL(GET_IDT);
	case VMI_CALL_GET_TR:		return CALL(GET_TR);
	case VMI_CALL_WRITE_GDT_ENTRY:
	case VMI_CALL_WRITE_LDT_ENTRY:
	case VMI_CALL_WRITE_IDT_ENTRY:	return CALL(WRITE_DESC);
	case VMI_CALL_SET_CR0:		return CALL(SET_CR0);
	case VMI_CALL_SET_CR2:		return CALL(SET_CR2);
	case VMI_CALL_SET_CR3:		return CALL(SET_CR3);
	case VMI_CALL_SET_CR4:		return CALL(SET_CR4);
	case VMI_CALL_GET_CR0:		return CALL(GET_CR0);
	case VMI_CALL_GET_CR2:		return CALL(GET_CR2);
	case VMI_CALL_GET_CR3:		return CALL(GET_CR3);
	case VMI_CALL_GET_CR4:		return CALL(GET_CR4);
	case VMI_CALL_WBINVD:		return CALL(WBINVD);
	case VMI_CALL_SET_DR:		return CALL(SET_DR);
	case VMI_CALL_GET_DR:		return CALL(GET_DR);
	case VMI_CALL_RDTSC:
		return edx & CPUID1_EDX_TSC ? CALL(RDTSC) : NONE;
	case VMI_CALL_CLTS:		return CALL(CLTS);
	case VMI_CALL_ENABLE_INTERRUPTS:	return CALL(IRQ_ENABLE);
	case VMI_CALL_DISABLE_INTERRUPTS:	return CALL(IRQ_DISABLE);
	case VMI_CALL_GET_INTERRUPT_MASK:	return CALL(SAVE_FL);
	case VMI_CALL_SET_INTERRUPT_MASK:	return CALL(RESTORE_FL);
	/* The client's own pointers for these two are poison: never NONE. */
	case VMI_CALL_IRET:		return JUMP(IRET);
	case VMI_CALL_SYSEXIT:		return JUMP(SYSEXIT);
	case VMI_CALL_HALT:		return CALL(HALT);
	case VMI_CALL_SET_PXE:
	case VMI_CALL_UPDATE_PXE:
		/*
		 * UpdatePxE is a notification with nothing to do natively;
		 * CALL_REL to a ret, like its PAE twin below.
		 */
		return call == VMI_CALL_SET_PXE ? CALL(SET_PXE) : CALL(RET);
	case VMI_CALL_SET_PXE_LONG:
	case VMI_CALL_UPDATE_PXE_LONG:
		/*
		 * PAE's set_pte_atomic calls UpdatePxELong unconditionally once
		 * SetPxELong is bound, so both or neither.
		 */
		if (!(edx & CPUID1_EDX_CX8))
			return NONE;
		return call == VMI_CALL_SET_PXE_LONG ?
			CALL(SET_PXE_LONG) : CALL(RET);
	case VMI_CALL_INVAL_PAGE:	return CALL(INVAL_PAGE);
	case VMI_CALL_FLUSH_TLB:	return CALL(FLUSH_TLB);
	case VMI_CALL_SET_IOPL_MASK:	return CALL(SET_IOPL_MASK);
	case VMI_CALL_APIC_WRITE:
	case VMI_CALL_APIC_READ:
		/* The mapping is found per call (timer.c): never stored. */
		if (!(edx & CPUID1_EDX_APIC))
			return NONE;
		return call == VMI_CALL_APIC_WRITE ?
			CALL(APIC_WRITE) : CALL(APIC_READ);
	case VMI_CALL_IO_DELAY:
		kvm = vmi_kvm_base();
		if (kvm) {
			vmi_cpuid(kvm + 1, 0, r);
			if (r[0] & (1U << KVM_FEATURE_NOP_IO_DELAY))
				return NOP;
		}
		return CALL(IO_DELAY);
	/*
	 * The timer block, all or none: with GetCycleFrequency bound the
	 * client calls the other four unchecked.  The TSC is the counter.
	 */
	case VMI_CALL_GET_CYCLE_FREQUENCY:
	case VMI_CALL_GET_CYCLE_COUNTER:
	case VMI_CALL_SET_ALARM:
	case VMI_CALL_CANCEL_ALARM:
	case VMI_CALL_GET_WALLCLOCK_TIME:
		if (!(edx & CPUID1_EDX_TSC))
			return NONE;
		switch (call) {
		case VMI_CALL_GET_CYCLE_FREQUENCY:
			return CALL(GET_CYCLE_FREQUENCY);
		case VMI_CALL_GET_CYCLE_COUNTER:
			return CALL(GET_CYCLE_COUNTER);
		case VMI_CALL_SET_ALARM:
			return CALL(SET_ALARM);
		case VMI_CALL_CANCEL_ALARM:
			return CALL(CANCEL_ALARM);
		}
		return CALL(GET_WALLCLOCK);
	}
	/*
	 * NONE, the client keeps its native code: WRMSR, RDMSR, RDPMC,
	 * GetLDT, Reboot, Shutdown, the port I/O calls, MachineToPhysical,
	 * PhysicalToMachine, SetCallbacks (never requested by 2.6.32);
	 * UpdateKernelStack, SetLazyMode, AllocatePage, ReleasePage,
	 * SetLinearMapping, SetInitialAPState, WallclockUpdated (nothing
	 * to do natively: NONE keeps the kernel's equivalent code); every
	 * call past VMI 3.0's 74 (x86-64 extensions that need a state
	 * block).
	 */
	return NONE;
}
