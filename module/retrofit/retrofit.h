/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VMI_SHIM_RETROFIT_H
#define VMI_SHIM_RETROFIT_H

#include <linux/percpu.h>
#include <linux/types.h>

#include "base/why.h"
#include "patch/ops.h"

/*
 * KVM paravirtualization switched on in a kernel that booted without it
 * (nopv, or built without CONFIG_KVM_GUEST), through the ROM's KVM
 * backend. docs/sysfs.md ("features/") lists what each one does.
 */
enum vmi_retro_feature {
	VMI_RETRO_STEAL_TIME,	/* per-CPU steal-time areas registered */
	VMI_RETRO_STEAL_CLOCK,	/* steal time accounted (/proc/stat) */
	VMI_RETRO_PV_TLB_FLUSH,	/* preempted vCPUs flushed on next entry */
	VMI_RETRO_PV_IPI,	/* call-function IPIs by one hypercall */
	VMI_RETRO_SCHED_YIELD,	/* yield to a preempted IPI target */
	VMI_RETRO_PV_SPINLOCKS,
	VMI_RETRO_PV_EOI,	/* EOIs the host completed need no exit */
	VMI_RETRO_KVM_CLOCK,	/* kvmclock as the kernel's clocksource */
	VMI_RETRO_STEAL_SHARED,	/* the ROM reads the kernel's steal time */
	VMI_RETRO_NR,
	/* Shown, not set: parts of pv_tlb_flush and pv_ipi. */
	VMI_RETRO_TLB_RCU_TABLES = VMI_RETRO_NR, /* freed tables skip vCPUs */
	VMI_RETRO_IPI_APIC,	/* the APIC driver's IPIs by hypercall too */
	VMI_RETRO_SHOWN
};

/* Events counted per CPU, shown summed (sysfs counters/). */
enum vmi_retro_counter {
	VMI_CNT_TLB_SKIPPED,	/* vCPUs a PV flush did not interrupt */
	VMI_CNT_TLB_ALL_CPUS,	/* flushes that interrupted every CPU */
	VMI_CNT_IPI_HYPERCALLS,
	VMI_CNT_IPI_FALLBACKS,	/* hypercall failed: sent natively */
	VMI_CNT_YIELDS,
	VMI_CNT_SPIN_WAITS,
	VMI_CNT_SPIN_KICKS,
	VMI_CNT_EOI_COMPLETED,	/* EOIs the host had completed */
	VMI_CNT_NR
};
DECLARE_PER_CPU(u64 [VMI_CNT_NR], vmi_retro_cnt);

/* A feature the unload in progress (or done) switched off. */
#define VMI_RETRO_WHY_UNLOADED	VMI_WHY("unloaded", "switched off by the unload")
/* A feature a kernel running KVM's guest code set up itself and keeps. */
#define VMI_RETRO_WHY_KERNEL_PV	VMI_WHY("kernel-pv", "kernel runs KVM's own guest code")
/*
 * PV spinlocks, PV TLB flush and PV sched yield help only vCPUs that can
 * be preempted while others wait on them. With KVM_HINTS_REALTIME the
 * host says each vCPU has a physical CPU of its own, so none is: KVM's
 * guest code then keeps the native qspinlock, and leaves the other two
 * off then too, when the guest may idle in MWAIT (a host that exposes
 * MWAIT gives each vCPU a physical CPU of its own) and on one possible
 * CPU (kvm.c: kvm_spinlock_init, pv_tlb_flush_supported,
 * pv_sched_yield_supported); so does the retrofit, saying which.
 * vmi_retro_dedicated_why(): NULL, or why the latter two stay off.
 */
#define VMI_RETRO_WHY_REALTIME	VMI_WHY("realtime", "host hints realtime")
bool vmi_retro_realtime(void);
const char *vmi_retro_dedicated_why(void);

int vmi_retro_register_ops(void);
void vmi_retro_none(const char *why);
void vmi_retro_start(enum vmi_mode mode);
void vmi_retro_hook(void);
const char *vmi_retro_unhook(void);
void vmi_retro_stop(void);
bool vmi_retro_active(void);
bool vmi_retro_steal_registered(void);
const char *vmi_retro_no_steal_why(void);
bool vmi_retro_preempted_readable(void);
bool vmi_retro_kernel_pv(void);
void vmi_retro_set(enum vmi_retro_feature f, bool on, const char *why);
void vmi_retro_unloaded(enum vmi_retro_feature f);
/* For iface/: a feature's name, and NULL when on or why it is off. */
const char *vmi_retro_name(unsigned int f);
const char *vmi_retro_why(unsigned int f);
const char *vmi_retro_counter_name(unsigned int c);

struct cpumask;
struct flush_tlb_info;
int vmi_retro_tlb_register_ops(void);
void vmi_retro_tlb_prepare(void);
void vmi_retro_tlb_hook(void);
void vmi_retro_tlb_unhook(void);
void vmi_retro_tlb_stop(void);
const char *vmi_retro_tlb_tables_why(void);
bool vmi_flush_frees_tables(const struct flush_tlb_info *info);

/* A live ROM swap (main.c: the order; retrofit.c: what each does). */
struct vmi_rom;
int vmi_retro_swap_prepare(const struct vmi_rom *next);
void vmi_retro_swap_abort(void);
int vmi_retro_swap_cpu(bool back);
void vmi_retro_swap_publish(void);
void vmi_retro_swap_finish(void);
void vmi_retro_snapshot(bool *on);
void vmi_retro_swap_counts(const bool *before, unsigned int *off,
			   unsigned int *on);
/* ... and the features' parts of it. */
const char *vmi_retro_tlb_swap_prepare(const struct vmi_rom *next,
				       const char *preempted_why);
void vmi_retro_tlb_swap_publish(void);
const char *vmi_retro_apic_swap_prepare(const struct vmi_rom *next);
int vmi_retro_apic_swap_cpu(bool back);
void vmi_retro_apic_swap_publish(void);
const char *vmi_retro_clock_swap_prepare(const struct vmi_rom *next);
int vmi_retro_clock_swap_begin(bool off);
int vmi_retro_clock_swap_end(bool on);
int vmi_retro_clock_swap_cpu(bool back);
void vmi_retro_clock_swap_publish(void);

/* Shared by the retrofit's files. */
void *vmi_retro_rom_call_in(const struct vmi_rom *rom, unsigned int call);
const char *vmi_retro_unavailable_in(const struct vmi_rom *rom,
				     unsigned int call, int bit);
void *vmi_retro_rom_call(unsigned int call);
/* The same, typed by the ABI table: vmi_retro_rom_fn(STEAL_CLOCK). */
#define vmi_retro_rom_fn(id)	vmi_call(id, vmi_retro_rom_call(VMI_CALL_##id))
const char *vmi_retro_unavailable(unsigned int call, int bit);
bool vmi_retro_pv_ipi(const struct cpumask *mask, int vector, int exclude);
void vmi_retro_apic_hook(bool pv_ipi);
const char *vmi_retro_apic_unhook(void);
void vmi_retro_apic_stop(void);
bool vmi_retro_apic_active(void);
const char *vmi_retro_apic_ipi_why(void);
void vmi_retro_clock_hook(void);
const char *vmi_retro_clock_unhook(void);
void vmi_retro_clock_stop(void);
bool vmi_retro_clock_active(void);

#endif /* VMI_SHIM_RETROFIT_H */
