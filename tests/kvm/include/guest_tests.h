/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest's test groups (guest/), one file per group of ROM calls, in
 * the order guest/main.c runs them on vCPU0.  Each test names itself
 * with begin() and reports with ok()/skip() (include/guest.h).
 */
#ifndef VMI_CONFORMANCE_GUEST_TESTS_H
#define VMI_CONFORMANCE_GUEST_TESTS_H

/* guest/reloc.c: VMI_Init, GetRelocationInfo, GetBackend */
void test_init(void);
void test_tables(void);

/* guest/cpu.c: CPUID, control and debug registers, MSRs */
void test_cpuid(void);
void test_cr_dr(void);
void test_msr(void);

/* guest/mmu.c: page table updates and TLB flushes */
void test_tlb(void);

/* guest/time.c: TSC, cycle counter and frequency, KVM system time */
void test_time(void);
void test_system_time(void);

/* guest/flags.c: the interrupt flag, IRET and IOPL */
void test_flags(void);

/* guest/descriptors.c: GDT, IDT, TR, LDT */
void test_descriptors(void);

/* guest/io.c: port I/O, IODelay, WBINVD and the NOP calls */
void test_io(void);
void test_nops(void);

/* guest/apic.c: APIC access, IPIs, PV EOI */
void test_apic_read(void);
void test_ipi_native(void);
void test_pv_eoi(void);

/* guest/kvm_pv.c: the KVM PV calls between vCPUs */
void test_kvm_pv(void);

/* guest/steal_time.c: steal time, StealClock, VCPUIsPreempted, adoption */
void test_steal(void);
void test_adopt(void);

#endif
