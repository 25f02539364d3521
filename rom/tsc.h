/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CPU queries both ROMs make the same way, compiled into each (x86-64
 * and i386): CPUID, RDTSC, the KVM signature leaf, and the TSC frequency
 * the CPU or KVM states.  Stateless; static inline so each image gets
 * its own position-independent copy, and without 64-bit divisions (on
 * i386 those would need libgcc, which the ROM does not link).
 */
#ifndef VMI_ROM_TSC_H
#define VMI_ROM_TSC_H

#include "../include/vmi/types.h"

/* KVM guest ABI numbers (Documentation/virt/kvm/x86). */
#define KVM_CPUID_SIGNATURE_FIRST	0x40000000
#define KVM_CPUID_STEP			0x100
#define KVM_CPUID_TSC_LEAF_OFFSET	0x10	/* EAX = TSC kHz, EBX = APIC bus kHz */

#define CPUID1_ECX_HYPERVISOR		(1U << 31)

static inline void vmi_cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	asm volatile("cpuid"
		     : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
		     : "a"(leaf), "c"(sub));
}

static inline uint64_t vmi_rdtsc(void)
{
	uint32_t lo, hi;

	asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

/* n / d and n % d by shift and subtract: no libgcc on i386. */
static inline uint64_t vmi_div64(uint64_t n, uint64_t d, uint64_t *rem)
{
	uint64_t q = 0, r = 0;
	int i;

	if (!d)
		return 0;
	for (i = 63; i >= 0; i--) {
		r = r << 1 | ((n >> i) & 1);
		if (r >= d) {
			r -= d;
			q |= 1ULL << i;
		}
	}
	if (rem)
		*rem = r;
	return q;
}

/*
 * The CPUID base of KVM's leaves ("KVMKVMKVM"), 0 without KVM.  KVM puts
 * them at 0x40000000, or at 0x40000100 when it shows Hyper-V's leaves
 * first, so only those two are looked at: the i386 ROM asks on every
 * alarm, and each CPUID is an exit (several under nested KVM).
 */
static inline uint32_t vmi_kvm_base(void)
{
	uint32_t r[4];
	uint32_t base;

	vmi_cpuid(1, 0, r);
	if (!(r[2] & CPUID1_ECX_HYPERVISOR))
		return 0;
	for (base = KVM_CPUID_SIGNATURE_FIRST;
	     base <= KVM_CPUID_SIGNATURE_FIRST + KVM_CPUID_STEP;
	     base += KVM_CPUID_STEP) {
		vmi_cpuid(base, 0, r);
		if (r[1] == 0x4b4d564b && r[2] == 0x564b4d56 &&
		    r[3] == 0x0000004d)
			return base;
	}
	return 0;
}

/*
 * KVM's timing leaf (base + 0x10), if the VMM fills it: EAX = TSC kHz,
 * EBX = local APIC timer kHz.  @r gets the leaf; returns 0 without it.
 */
static inline int vmi_kvm_timing_leaf(uint32_t base, uint32_t r[4])
{
	if (!base)
		return 0;
	vmi_cpuid(base, 0, r);
	if (r[0] < base + KVM_CPUID_TSC_LEAF_OFFSET)
		return 0;
	vmi_cpuid(base + KVM_CPUID_TSC_LEAF_OFFSET, 0, r);
	return 1;
}

/* TSC Hz from CPUID 0x15 (crystal ratio) or 0x16 (base MHz), 0 if none. */
static inline uint64_t vmi_cpuid_tsc_hz(void)
{
	uint32_t r[4];
	uint32_t max;

	vmi_cpuid(0, 0, r);
	max = r[0];
	if (max >= 0x15) {
		vmi_cpuid(0x15, 0, r);
		if (r[0] && r[1] && r[2])
			return vmi_div64((uint64_t)r[2] * r[1], r[0], 0);
	}
	if (max >= 0x16) {
		vmi_cpuid(0x16, 0, r);
		if (r[0] & 0xffff)
			return (uint64_t)(r[0] & 0xffff) * 1000000;
	}
	return 0;
}

#endif /* VMI_ROM_TSC_H */
