// SPDX-License-Identifier: GPL-2.0
/*
 * VMI's cycle counters on x86-64: REAL is the TSC; with KVM steal time,
 * STOLEN is the vCPU's steal time converted to TSC cycles and
 * AVAILABLE = REAL - STOLEN (VMI: real = available + stolen).
 * GetCycleFrequency reports the TSC frequency found at VMI_Init.
 */
#include "emul.h"

#define NSEC_PER_SEC	1000000000ULL

/* TSC Hz from CPUID 0x15 (crystal ratio) or 0x16 (base MHz), 0 if none. */
static uint64_t cpuid_tsc_hz(void)
{
	uint32_t r[4];
	uint32_t max;

	vmi_cpuid(0, 0, r);
	max = r[0];
	if (max >= 0x15) {
		vmi_cpuid(0x15, 0, r);
		if (r[0] && r[1] && r[2])
			return (uint64_t)r[2] * r[1] / r[0];
	}
	if (max >= 0x16) {
		vmi_cpuid(0x16, 0, r);
		if (r[0] & 0xffff)
			return (uint64_t)(r[0] & 0xffff) * 1000000;
	}
	return 0;
}

/* KVM's timing leaf (base + 0x10, EAX = TSC kHz), if the VMM sets it. */
static uint64_t kvm_tsc_hz(const struct vmi_state *s)
{
	uint32_t r[4];

	if (!s->kvm_base)
		return 0;
	vmi_cpuid(s->kvm_base, 0, r);
	if (r[0] < s->kvm_base + KVM_CPUID_TSC_LEAF_OFFSET)
		return 0;
	vmi_cpuid(s->kvm_base + KVM_CPUID_TSC_LEAF_OFFSET, 0, r);
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
		hz = cpuid_tsc_hz();
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
