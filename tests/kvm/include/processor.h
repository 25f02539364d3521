/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest side: the x86 the guest touches directly, around the ROM calls
 * under test: port output, TSC, native CPUID, descriptor formats and the
 * xAPIC (identity mapped at APIC_GPA).
 */
#ifndef VMI_CONFORMANCE_PROCESSOR_H
#define VMI_CONFORMANCE_PROCESSOR_H

#include <stdint.h>

#include "layout.h"

#define APIC		((volatile uint32_t *)APIC_GPA)
/* The xAPIC mapping the APIC calls take: identity mapped here. */
#define APIC_MAP	((void *)APIC_GPA)

#define APIC_ID		0x20
#define APIC_VERSION	0x30
#define APIC_EOI	0xB0
#define APIC_SVR	0xF0
#define APIC_ICR_LO	0x300
#define APIC_ICR_HI	0x310

static inline void outl(uint16_t port, uint32_t v)
{
	asm volatile("outl %0, %1" : : "a"(v), "Nd"(port) : "memory");
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

static inline void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	asm volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
		     : "a"(leaf), "c"(sub));
}

static inline void pause(void)
{
	asm volatile("pause" ::: "memory");
}

/* A 64-bit IDT gate. */
struct gate {
	uint16_t off0, sel;
	uint8_t ist, type;
	uint16_t off1;
	uint32_t off2, zero;
};

/* What LGDT/LIDT load and SGDT/SIDT store. */
struct __attribute__((packed)) dtr {
	uint16_t limit;
	uint64_t base;
};

#endif
