/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Private interfaces of the i386 ROM (rom/i386/).  Compiled with
 * -mregparm=3, the VMI 3.0 clients' convention, so the C functions here
 * are entry points as they stand.  All symbols are hidden: calls are
 * PC-relative; C never takes an address or reads a global (that would
 * need a GOT, which mkrom refuses).
 */
#ifndef VMI_ROM_I386_ROM32_H
#define VMI_ROM_I386_ROM32_H

#include <linux/kvm_para.h>

#include "../../include/vmi/abi.h"
#include "../tsc.h"
#include "impl.h"

#pragma GCC visibility push(hidden)

/* CPUID.1 bits the choices depend on. */
#define CPUID1_EDX_TSC		(1U << 4)
#define CPUID1_EDX_CX8		(1U << 8)
#define CPUID1_EDX_APIC		(1U << 9)
#define CPUID1_EDX_SEP		(1U << 11)
#define CPUID1_ECX_TSC_DEADLINE	(1U << 24)

/* select.c */
uint32_t vmi32_select(uint32_t call);

/* timer.c: the calls as the client calls them (regparm(3)). */
uint64_t vmi32_get_cycle_frequency(void);
void vmi32_set_alarm(uint32_t flags, uint64_t expiry, uint64_t period);
uint32_t vmi32_cancel_alarm(uint32_t flags);
uint64_t vmi32_get_wallclock(void);
uint32_t vmi32_apic_read(uint32_t reg);
void vmi32_apic_write(uint32_t reg, uint32_t value);

#pragma GCC visibility pop

#endif /* VMI_ROM_I386_ROM32_H */
