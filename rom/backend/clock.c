// SPDX-License-Identifier: GPL-2.0
/*
 * VMI's cycle counters on x86-64: REAL is the TSC; with KVM steal time,
 * STOLEN is the vCPU's steal time converted to TSC cycles and
 * AVAILABLE = REAL - STOLEN (VMI: real = available + stolen).
 * GetCycleFrequency reports the TSC frequency found at VMI_Init.
 */
#include "../rom.h"

#define NSEC_PER_SEC	1000000000ULL

/* KVM's timing leaf (base + 0x10, EAX = TSC kHz), if the VMM sets it. */
static uint64_t kvm_tsc_hz(const struct vmi_state *s)
{
	uint32_t r[4];

	if (!vmi_kvm_timing_leaf(s->kvm_base, r))
		return 0;
	return (uint64_t)r[0] * 1000;
}

/* Preference: what the caller measured, then KVM's leaf, then CPUID. */
void vmi_clock_init(struct vmi_state *s, uint32_t caller_khz)
{
	uint64_t hz = (uint64_t)caller_khz * 1000;

	s->tsc_source = VMI_BACKEND_NATIVE;
	if (!hz) {
		hz = kvm_tsc_hz(s);
		s->tsc_source = VMI_BACKEND_KVM;
	}
	if (!hz) {
		hz = vmi_cpuid_tsc_hz();
		s->tsc_source = VMI_BACKEND_NATIVE;
	}
	if (!hz)
		s->tsc_source = VMI_BACKEND_NONE;
	s->tsc_hz = hz;
	/* hz / 1e9 in 32.32 fixed point, split so nothing overflows. */
	s->ns_to_cycles = (hz / NSEC_PER_SEC << 32) +
			  ((hz % NSEC_PER_SEC) << 32) / NSEC_PER_SEC;
}

/* GetCycleFrequency(state) -> TSC cycles per second. */
uint64_t vmi_get_cycle_frequency(struct vmi_state *s)
{
	return s->tsc_hz;
}

static uint64_t counter(uint64_t which, uint64_t tsc, uint64_t stolen)
{
	switch (which) {
	case VMI_CYCLES_REAL:
		return tsc;
	case VMI_CYCLES_AVAILABLE:
		return tsc > stolen ? tsc - stolen : 0;
	case VMI_CYCLES_STOLEN:
		return stolen;
	}
	return 0;
}

/* GetCycleCounter(state, which, cpu), native: nothing is ever stolen. */
uint64_t vmi_native_get_cycle_counter(struct vmi_state *s, uint64_t which,
				      uint64_t cpu)
{
	(void)s;
	(void)cpu;
	return counter(which, vmi_rdtsc(), 0);
}

/* GetCycleCounter(state, which, cpu), KVM: @cpu selects the steal slot. */
uint64_t vmi_kvm_get_cycle_counter(struct vmi_state *s, uint64_t which,
				   uint64_t cpu)
{
	uint64_t tsc = vmi_rdtsc();
	uint64_t ns = 0;

	if (which != VMI_CYCLES_REAL)
		ns = vmi_kvm_steal_ns(s, cpu);
	return counter(which, tsc,
		       (uint64_t)(((unsigned __int128)ns * s->ns_to_cycles) >> 32));
}

/* ---- KVM's clock (kvmclock) ------------------------------------------- */

/* The clock needs either clock MSR, the block's physical address, slots. */
int vmi_kvm_clock_usable(const struct vmi_state *s)
{
	return (kvm_has(s, KVM_FEATURE_CLOCKSOURCE2) ||
		kvm_has(s, KVM_FEATURE_CLOCKSOURCE)) && s->phys && s->nr_cpus;
}

/*
 * RegisterSystemTime(state, cpu, enable) -> 0 or -1.  On the CPU that owns
 * slot @cpu, as RegisterStealTime: the host keeps the slot's clock area
 * (struct pvclock_vcpu_time_info) current for that vCPU.
 */
int64_t vmi_kvm_register_system_time(struct vmi_state *s, uint64_t cpu,
				     uint64_t enable)
{
	uint32_t msr = kvm_has(s, KVM_FEATURE_CLOCKSOURCE2) ?
		       MSR_KVM_SYSTEM_TIME_NEW : MSR_KVM_SYSTEM_TIME;
	struct vmi_percpu *pc;

	if (cpu >= s->nr_cpus)
		return -1;
	pc = vmi_percpu(s, cpu);
	if (enable)
		((volatile struct vmi_kvm_clock *)&pc->clock)->version = 0;
	vmi_kvm_msr_area(s, msr, &pc->clock, enable);
	pc->clock_registered = !!enable;
	return 0;
}

/*
 * delta * mul >> 32 after the shift, as pvclock_scale_delta. A negative
 * delta (this CPU's TSC behind the area's timestamp: another vCPU's area,
 * read while this CPU's own is not registered, on a host whose TSCs are
 * not synchronized) counts as 0: wrapped, it would be centuries, and the
 * monotonic clamp would keep them.
 */
static uint64_t scale_delta(int64_t sdelta, uint32_t mul, int8_t shift)
{
	uint64_t delta = sdelta > 0 ? (uint64_t)sdelta : 0;

	if (shift < 0)
		delta >>= -shift;
	else
		delta <<= shift;
	return (uint64_t)(((unsigned __int128)delta * mul) >> 32);
}

/*
 * SystemTime(state, cpu) -> ns since the host's epoch for this VM, read
 * from slot @cpu's clock area; the caller runs on CPU @cpu (preemption
 * off) and the slot is registered, else 0.  As Linux's
 * pvclock_clocksource_read: unless the host promises a stable TSC
 * (CLOCKSOURCE_STABLE_BIT and the area's TSC_STABLE flag), the result is
 * clamped so that it never goes back, whichever CPU reads.
 */
uint64_t vmi_kvm_system_time(struct vmi_state *s, uint64_t cpu)
{
	const volatile struct vmi_kvm_clock *c;
	uint64_t ns, last;
	uint32_t version;
	uint8_t flags;

	if (cpu >= s->nr_cpus || !vmi_percpu(s, cpu)->clock_registered)
		return 0;
	c = &vmi_percpu(s, cpu)->clock;
	do {
		version = c->version;
		asm volatile("lfence" ::: "memory");	/* no TSC read before */
		ns = c->system_time +
		     scale_delta((int64_t)(vmi_rdtsc() - c->tsc_timestamp),
				 c->tsc_to_system_mul, c->tsc_shift);
		flags = c->flags;
		asm volatile("" ::: "memory");
	} while ((version & 1) || version != c->version);

	if (kvm_has(s, KVM_FEATURE_CLOCKSOURCE_STABLE_BIT) &&
	    (flags & PVCLOCK_TSC_STABLE_BIT))
		return ns;
	last = __atomic_load_n(&s->clock_last, __ATOMIC_RELAXED);
	do {
		if (ns <= last)
			return last;
	} while (!__atomic_compare_exchange_n(&s->clock_last, &last, ns, 0,
					      __ATOMIC_SEQ_CST,
					      __ATOMIC_RELAXED));
	return ns;
}
