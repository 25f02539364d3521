// SPDX-License-Identifier: GPL-2.0
/* Printable names for VMI call numbers, relocation types and backends. */
#include "../include/vmi/abi.h"
#include "../include/vmi/names.h"

static const char * const call_names[VMI_CALL_COUNT] = {
	[VMI_CALL_CPUID] = "CPUID",
	[VMI_CALL_WRMSR] = "WRMSR",
	[VMI_CALL_RDMSR] = "RDMSR",
	[VMI_CALL_SET_GDT] = "SetGDT",
	[VMI_CALL_SET_LDT] = "SetLDT",
	[VMI_CALL_SET_IDT] = "SetIDT",
	[VMI_CALL_SET_TR] = "SetTR",
	[VMI_CALL_GET_GDT] = "GetGDT",
	[VMI_CALL_GET_LDT] = "GetLDT",
	[VMI_CALL_GET_IDT] = "GetIDT",
	[VMI_CALL_GET_TR] = "GetTR",
	[VMI_CALL_WRITE_GDT_ENTRY] = "WriteGDTEntry",
	[VMI_CALL_WRITE_LDT_ENTRY] = "WriteLDTEntry",
	[VMI_CALL_WRITE_IDT_ENTRY] = "WriteIDTEntry",
	[VMI_CALL_UPDATE_KERNEL_STACK] = "UpdateKernelStack",
	[VMI_CALL_SET_CR0] = "SetCR0",
	[VMI_CALL_SET_CR2] = "SetCR2",
	[VMI_CALL_SET_CR3] = "SetCR3",
	[VMI_CALL_SET_CR4] = "SetCR4",
	[VMI_CALL_GET_CR0] = "GetCR0",
	[VMI_CALL_GET_CR2] = "GetCR2",
	[VMI_CALL_GET_CR3] = "GetCR3",
	[VMI_CALL_GET_CR4] = "GetCR4",
	[VMI_CALL_WBINVD] = "WBINVD",
	[VMI_CALL_SET_DR] = "SetDR",
	[VMI_CALL_GET_DR] = "GetDR",
	[VMI_CALL_RDPMC] = "RDPMC",
	[VMI_CALL_RDTSC] = "RDTSC",
	[VMI_CALL_CLTS] = "CLTS",
	[VMI_CALL_ENABLE_INTERRUPTS] = "EnableInterrupts",
	[VMI_CALL_DISABLE_INTERRUPTS] = "DisableInterrupts",
	[VMI_CALL_GET_INTERRUPT_MASK] = "GetInterruptMask",
	[VMI_CALL_SET_INTERRUPT_MASK] = "SetInterruptMask",
	[VMI_CALL_IRET] = "IRET",
	[VMI_CALL_SYSEXIT] = "SYSEXIT",
	[VMI_CALL_HALT] = "Halt",
	[VMI_CALL_REBOOT] = "Reboot",
	[VMI_CALL_SHUTDOWN] = "Shutdown",
	[VMI_CALL_SET_PXE] = "SetPxE",
	[VMI_CALL_SET_PXE_LONG] = "SetPxELong",
	[VMI_CALL_UPDATE_PXE] = "UpdatePxE",
	[VMI_CALL_UPDATE_PXE_LONG] = "UpdatePxELong",
	[VMI_CALL_MACHINE_TO_PHYSICAL] = "MachineToPhysical",
	[VMI_CALL_PHYSICAL_TO_MACHINE] = "PhysicalToMachine",
	[VMI_CALL_ALLOCATE_PAGE] = "AllocatePage",
	[VMI_CALL_RELEASE_PAGE] = "ReleasePage",
	[VMI_CALL_INVAL_PAGE] = "InvalPage",
	[VMI_CALL_FLUSH_TLB] = "FlushTLB",
	[VMI_CALL_SET_LINEAR_MAPPING] = "SetLinearMapping",
	[VMI_CALL_INL] = "INL",
	[VMI_CALL_INB] = "INB",
	[VMI_CALL_INW] = "INW",
	[VMI_CALL_INSL] = "INSL",
	[VMI_CALL_INSB] = "INSB",
	[VMI_CALL_INSW] = "INSW",
	[VMI_CALL_OUTL] = "OUTL",
	[VMI_CALL_OUTB] = "OUTB",
	[VMI_CALL_OUTW] = "OUTW",
	[VMI_CALL_OUTSL] = "OUTSL",
	[VMI_CALL_OUTSB] = "OUTSB",
	[VMI_CALL_OUTSW] = "OUTSW",
	[VMI_CALL_SET_IOPL_MASK] = "SetIOPLMask",
	[VMI_CALL_SET_INITIAL_AP_STATE] = "SetInitialAPState",
	[VMI_CALL_APIC_WRITE] = "APICWrite",
	[VMI_CALL_APIC_READ] = "APICRead",
	[VMI_CALL_IO_DELAY] = "IODelay",
	[VMI_CALL_GET_CYCLE_FREQUENCY] = "GetCycleFrequency",
	[VMI_CALL_GET_CYCLE_COUNTER] = "GetCycleCounter",
	[VMI_CALL_SET_ALARM] = "SetAlarm",
	[VMI_CALL_CANCEL_ALARM] = "CancelAlarm",
	[VMI_CALL_GET_WALLCLOCK_TIME] = "GetWallclockTime",
	[VMI_CALL_WALLCLOCK_UPDATED] = "WallclockUpdated",
	[VMI_CALL_SET_CALLBACKS] = "SetCallbacks",
	[VMI_CALL_SET_LAZY_MODE] = "SetLazyMode",
	[VMI_CALL_FLUSH_TLB_OTHERS] = "FlushTLBOthers",
	[VMI_CALL_SEND_IPI_MASK] = "SendIPIMask",
	[VMI_CALL_KICK_CPU] = "KickCPU",
	[VMI_CALL_YIELD_TO_CPU] = "YieldToCPU",
	[VMI_CALL_VCPU_IS_PREEMPTED] = "VCPUIsPreempted",
	[VMI_CALL_SPIN_WAIT] = "SpinWait",
	[VMI_CALL_STEAL_CLOCK] = "StealClock",
	[VMI_CALL_REGISTER_STEAL_TIME] = "RegisterStealTime",
	[VMI_CALL_GET_BACKEND] = "GetBackend",
	[VMI_CALL_REGISTER_PV_EOI] = "RegisterPVEOI",
	[VMI_CALL_PV_EOI] = "PVEOI",
	[VMI_CALL_REGISTER_SYSTEM_TIME] = "RegisterSystemTime",
	[VMI_CALL_SYSTEM_TIME] = "SystemTime",
};

const char *vmi_call_name(unsigned long call)
{
	if (call >= VMI_CALL_COUNT || !call_names[call])
		return "(unknown)";
	return call_names[call];
}

const char *vmi_relocation_name(unsigned long type)
{
	switch (type) {
	case VMI_RELOCATION_NONE:	return "NONE";
	case VMI_RELOCATION_CALL_REL:	return "CALL_REL";
	case VMI_RELOCATION_JUMP_REL:	return "JUMP_REL";
	case VMI_RELOCATION_NOP:	return "NOP";
	}
	return "(bad type)";
}

const char *vmi_backend_name(unsigned long backend)
{
	switch (backend) {
	case VMI_BACKEND_NONE:		return "none";
	case VMI_BACKEND_NATIVE:	return "native";
	case VMI_BACKEND_KVM:		return "kvm";
	case VMI_BACKEND_NOP:		return "nop";
	case VMI_BACKEND_ROM:		return "rom";
	}
	return "(bad backend)";
}
