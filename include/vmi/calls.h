/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one table of the ROM's calls (docs/abi.md sections 5 and 6).  Call
 * numbers, names and C prototypes are all generated from it, for the ROM,
 * the kernel module, the tools and the tests, the way the kernel generates
 * kvm_x86_ops from kvm-x86-ops.h:
 *
 *   X(nr, ID, name, minor, ret, params)
 *
 *   nr      the number GetRelocationInfo takes; the table is in number
 *           order without gaps (checked in common/names.c);
 *   ID      gives VMI_CALL_<ID> (the number) and vmi_fn(ID) (the type
 *           of a pointer to the call, from ret and params);
 *   name    VMI's own name, as the tools and the log print it;
 *   minor   the API minor that introduced the call: 0 for VMI 3.0's 74
 *           calls, 1 to VMI_API_MINOR for the appended ones (checked in
 *           common/names.c; tests/host/test_abi_table.sh checks the
 *           table against docs/abi.md).  Calls 74-86 came with minors
 *           1-13 (nr - 73), 3.14 added none, 87 came with 15;
 *   ret, params  the prototype under docs/abi.md's x86-64 convention.
 *
 * A few 3.0 calls have a register convention of their own (section 2):
 * CPUID takes and returns the native registers, and IRET is jumped to
 * with an IRETQ frame.  Their prototype is void (void): not callable from
 * C.  The calls a ROM answers NONE or NOP for without reading arguments
 * (UpdatePxE, SetAlarm, ...) are void (void) too: docs/abi.md defines no
 * arguments for them.
 *
 * The calls that take the ROM's state block first take a struct vmi_state
 * pointer: opaque outside the ROM, which defines it (rom/rom.h).  Bitmaps
 * are arrays of unsigned long, 64 bits on x86-64: the kernel's cpumask
 * words.
 */
#ifndef VMI_CALLS_H
#define VMI_CALLS_H

#include "types.h"

struct vmi_state;

#define VMI_CALLS(X) \
	X(0,  CPUID,			"CPUID",		0, void, (void)) \
	X(1,  WRMSR,			"WRMSR",		0, void, (uint64_t msr, uint64_t value)) \
	X(2,  RDMSR,			"RDMSR",		0, uint64_t, (uint64_t msr)) \
	X(3,  SET_GDT,			"SetGDT",		0, void, (const void *desc)) \
	X(4,  SET_LDT,			"SetLDT",		0, void, (uint64_t sel)) \
	X(5,  SET_IDT,			"SetIDT",		0, void, (const void *desc)) \
	X(6,  SET_TR,			"SetTR",		0, void, (uint64_t sel)) \
	X(7,  GET_GDT,			"GetGDT",		0, void, (void *desc)) \
	X(8,  GET_LDT,			"GetLDT",		0, uint64_t, (void)) \
	X(9,  GET_IDT,			"GetIDT",		0, void, (void *desc)) \
	X(10, GET_TR,			"GetTR",		0, uint64_t, (void)) \
	X(11, WRITE_GDT_ENTRY,		"WriteGDTEntry",	0, void, (void *table, uint64_t index, const void *desc, uint64_t size)) \
	X(12, WRITE_LDT_ENTRY,		"WriteLDTEntry",	0, void, (void *table, uint64_t index, const void *desc, uint64_t size)) \
	X(13, WRITE_IDT_ENTRY,		"WriteIDTEntry",	0, void, (void *table, uint64_t vector, const void *gate)) \
	X(14, UPDATE_KERNEL_STACK,	"UpdateKernelStack",	0, void, (uint64_t sel, uint64_t sp0)) \
	X(15, SET_CR0,			"SetCR0",		0, void, (uint64_t value)) \
	X(16, SET_CR2,			"SetCR2",		0, void, (uint64_t value)) \
	X(17, SET_CR3,			"SetCR3",		0, void, (uint64_t value)) \
	X(18, SET_CR4,			"SetCR4",		0, void, (uint64_t value)) \
	X(19, GET_CR0,			"GetCR0",		0, uint64_t, (void)) \
	X(20, GET_CR2,			"GetCR2",		0, uint64_t, (void)) \
	X(21, GET_CR3,			"GetCR3",		0, uint64_t, (void)) \
	X(22, GET_CR4,			"GetCR4",		0, uint64_t, (void)) \
	X(23, WBINVD,			"WBINVD",		0, void, (void)) \
	X(24, SET_DR,			"SetDR",		0, void, (uint64_t n, uint64_t value)) \
	X(25, GET_DR,			"GetDR",		0, uint64_t, (uint64_t n)) \
	X(26, RDPMC,			"RDPMC",		0, uint64_t, (uint64_t counter)) \
	X(27, RDTSC,			"RDTSC",		0, uint64_t, (void)) \
	X(28, CLTS,			"CLTS",			0, void, (void)) \
	X(29, ENABLE_INTERRUPTS,	"EnableInterrupts",	0, void, (void)) \
	X(30, DISABLE_INTERRUPTS,	"DisableInterrupts",	0, void, (void)) \
	X(31, GET_INTERRUPT_MASK,	"GetInterruptMask",	0, uint64_t, (void)) \
	X(32, SET_INTERRUPT_MASK,	"SetInterruptMask",	0, void, (uint64_t mask)) \
	X(33, IRET,			"IRET",			0, void, (void)) \
	X(34, SYSEXIT,			"SYSEXIT",		0, void, (void)) \
	X(35, HALT,			"Halt",			0, void, (void)) \
	X(36, REBOOT,			"Reboot",		0, void, (void)) \
	X(37, SHUTDOWN,			"Shutdown",		0, void, (void)) \
	X(38, SET_PXE,			"SetPxE",		0, void, (uint64_t entry, uint64_t *ptr, uint64_t flags)) \
	X(39, SET_PXE_LONG,		"SetPxELong",		0, void, (uint64_t entry, uint64_t *ptr, uint64_t flags)) \
	X(40, UPDATE_PXE,		"UpdatePxE",		0, void, (void)) \
	X(41, UPDATE_PXE_LONG,		"UpdatePxELong",	0, void, (void)) \
	X(42, MACHINE_TO_PHYSICAL,	"MachineToPhysical",	0, void, (void)) \
	X(43, PHYSICAL_TO_MACHINE,	"PhysicalToMachine",	0, void, (void)) \
	X(44, ALLOCATE_PAGE,		"AllocatePage",		0, void, (void)) \
	X(45, RELEASE_PAGE,		"ReleasePage",		0, void, (void)) \
	X(46, INVAL_PAGE,		"InvalPage",		0, void, (uint64_t va)) \
	X(47, FLUSH_TLB,		"FlushTLB",		0, void, (uint64_t flags)) \
	X(48, SET_LINEAR_MAPPING,	"SetLinearMapping",	0, void, (void)) \
	X(49, INL,			"INL",			0, uint64_t, (uint64_t port)) \
	X(50, INB,			"INB",			0, uint64_t, (uint64_t port)) \
	X(51, INW,			"INW",			0, uint64_t, (uint64_t port)) \
	X(52, INSL,			"INSL",			0, void, (uint64_t port, void *buf, uint64_t count)) \
	X(53, INSB,			"INSB",			0, void, (uint64_t port, void *buf, uint64_t count)) \
	X(54, INSW,			"INSW",			0, void, (uint64_t port, void *buf, uint64_t count)) \
	X(55, OUTL,			"OUTL",			0, void, (uint64_t value, uint64_t port)) \
	X(56, OUTB,			"OUTB",			0, void, (uint64_t value, uint64_t port)) \
	X(57, OUTW,			"OUTW",			0, void, (uint64_t value, uint64_t port)) \
	X(58, OUTSL,			"OUTSL",		0, void, (uint64_t port, const void *buf, uint64_t count)) \
	X(59, OUTSB,			"OUTSB",		0, void, (uint64_t port, const void *buf, uint64_t count)) \
	X(60, OUTSW,			"OUTSW",		0, void, (uint64_t port, const void *buf, uint64_t count)) \
	X(61, SET_IOPL_MASK,		"SetIOPLMask",		0, void, (uint64_t mask)) \
	X(62, SET_INITIAL_AP_STATE,	"SetInitialAPState",	0, void, (void)) \
	X(63, APIC_WRITE,		"APICWrite",		0, void, (uint64_t reg, uint64_t value, void *mapping)) \
	X(64, APIC_READ,		"APICRead",		0, uint64_t, (uint64_t reg, void *mapping)) \
	X(65, IO_DELAY,			"IODelay",		0, void, (void)) \
	X(66, GET_CYCLE_FREQUENCY,	"GetCycleFrequency",	0, uint64_t, (struct vmi_state *s)) \
	X(67, GET_CYCLE_COUNTER,	"GetCycleCounter",	0, uint64_t, (struct vmi_state *s, uint64_t which, uint64_t cpu)) \
	X(68, SET_ALARM,		"SetAlarm",		0, void, (void)) \
	X(69, CANCEL_ALARM,		"CancelAlarm",		0, void, (void)) \
	X(70, GET_WALLCLOCK_TIME,	"GetWallclockTime",	0, void, (void)) \
	X(71, WALLCLOCK_UPDATED,	"WallclockUpdated",	0, void, (void)) \
	X(72, SET_CALLBACKS,		"SetCallbacks",		0, void, (void)) \
	X(73, SET_LAZY_MODE,		"SetLazyMode",		0, void, (uint64_t mode)) \
	X(74, FLUSH_TLB_OTHERS,		"FlushTLBOthers",	1, uint64_t, (struct vmi_state *s, unsigned long *cpumask, uint64_t nbits)) \
	X(75, SEND_IPI_MASK,		"SendIPIMask",		2, int64_t, (struct vmi_state *s, const unsigned long *apic_bitmap, uint64_t nbits, uint64_t icr)) \
	X(76, KICK_CPU,			"KickCPU",		3, int64_t, (struct vmi_state *s, uint64_t apicid)) \
	X(77, YIELD_TO_CPU,		"YieldToCPU",		4, int64_t, (struct vmi_state *s, uint64_t apicid)) \
	X(78, VCPU_IS_PREEMPTED,	"VCPUIsPreempted",	5, uint64_t, (struct vmi_state *s, uint64_t cpu)) \
	X(79, SPIN_WAIT,		"SpinWait",		6, void, (struct vmi_state *s, const uint8_t *ptr, uint64_t val)) \
	X(80, STEAL_CLOCK,		"StealClock",		7, uint64_t, (struct vmi_state *s, uint64_t cpu)) \
	X(81, REGISTER_STEAL_TIME,	"RegisterStealTime",	8, int64_t, (struct vmi_state *s, uint64_t cpu, uint64_t enable)) \
	X(82, GET_BACKEND,		"GetBackend",		9, uint64_t, (struct vmi_state *s, uint64_t call)) \
	X(83, REGISTER_PV_EOI,		"RegisterPVEOI",	10, int64_t, (struct vmi_state *s, uint64_t cpu, uint64_t enable)) \
	X(84, PV_EOI,			"PVEOI",		11, uint64_t, (struct vmi_state *s, uint64_t cpu)) \
	X(85, REGISTER_SYSTEM_TIME,	"RegisterSystemTime",	12, int64_t, (struct vmi_state *s, uint64_t cpu, uint64_t enable)) \
	X(86, SYSTEM_TIME,		"SystemTime",		13, uint64_t, (struct vmi_state *s, uint64_t cpu)) \
	X(87, ADOPT_STEAL_TIME,		"AdoptStealTime",	15, int64_t, (struct vmi_state *s, uint64_t cpu, void *record))

/* VMI_CALL_<ID>: the table is in number order (names.c checks it). */
enum vmi_call {
#define VMI_X(nr, id, name, minor, ret, params) \
	VMI_CALL_##id,
	VMI_CALLS(VMI_X)
#undef VMI_X
	VMI_CALL_COUNT		/* valid numbers: 0..COUNT-1 */
};

/* VMI 3.0's own calls: minor 0. */
#define VMI_CALL_COUNT_3_0	(VMI_CALL_SET_LAZY_MODE + 1)

/*
 * Version negotiation (docs/abi.md, "Versions"): the number of calls a ROM
 * whose header announces 3.@minor defines, calls 0 to the result - 1, which
 * are the calls of the table whose minor is at most @minor (the table's
 * minors never decrease, so they are its first ones: tests/host's
 * test_minor checks both for every minor).  3.0 defines 74, 3.13 and 3.14
 * 87, 3.15 88.  A minor newer than this table gives every call the table
 * knows: VMI_CALL_COUNT.  The module and vmirom ask a ROM's
 * GetRelocationInfo and GetBackend for no number at or past it: the ROM
 * never defined one there and may answer anything.  One rule for the
 * ROM, the module and the tools.
 */
static inline unsigned int vmi_calls_for_minor(int minor)
{
	return 0
#define VMI_X(nr, id, name, call_minor, ret, params) \
		+ ((call_minor) <= minor)
		VMI_CALLS(VMI_X)
#undef VMI_X
		;
}

/*
 * vmi_fn(ID): the type of a pointer to call ID, from a struct per call
 * (as the kernel types static calls after struct kvm_x86_ops' members).
 */
#define VMI_X(nr, id, name, minor, ret, params) \
	struct vmi_call_##id { typeof(ret) (*fn) params; };
VMI_CALLS(VMI_X)
#undef VMI_X

/* The two entry points in the header (docs/abi.md section 4). */
struct vmi_init_args;
struct vmi_relocation;
struct vmi_call_INIT {
	int64_t (*fn)(struct vmi_state *s, uint64_t size,
		      const struct vmi_init_args *args);
};
struct vmi_call_GET_RELOCATION_INFO {
	struct vmi_relocation (*fn)(const struct vmi_state *s, uint64_t call);
};

#define vmi_fn(id)		typeof(((struct vmi_call_##id *)0)->fn)

/*
 * A typed call through an address GetRelocationInfo gave:
 * vmi_call(FLUSH_TLB_OTHERS, addr)(state, mask, nbits).
 */
#define vmi_call(id, addr)	((vmi_fn(id))(addr))

#endif /* VMI_CALLS_H */
