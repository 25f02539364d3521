// SPDX-License-Identifier: GPL-2.0
/*
 * Retrofitting KVM paravirtualization into a running kernel that booted
 * without it (nopv, or built without CONFIG_KVM_GUEST). What a stock KVM
 * guest sets up at boot (arch/x86/kernel/kvm.c), done here through the
 * ROM's KVM backend (calls 74-81) while the kernel runs:
 *
 *   steal_time    the ROM registers a steal-time area on every CPU (CPU
 *                 hotplug callbacks; unregistered on reboot and unload, or
 *                 the host would keep writing into freed memory)
 *   steal_clock   pv_steal_clock (a static call) reads it, and the
 *                 paravirt_steal_enabled key turns on steal accounting
 *   pv_tlb_flush  flush_tlb_multi skips preempted vCPUs (the host flushes
 *                 them on their next entry); routed as an op (tlb.c)
 *   pv_ipi        call-function IPIs (TLB shootdowns, smp_call_function,
 *                 membarrier) go out in one hypercall
 *   sched_yield   after such an IPI, yield to a preempted target
 *
 * With KVM_HINTS_REALTIME (dedicated physical CPUs) PV TLB flush, PV sched
 * yield and PV spinlocks stay off, as in KVM's guest code (retrofit.h).
 *
 * A kernel that runs KVM's own guest code set up at boot what its release
 * knew: steal time and its accounting, PV EOI, PV spinlocks and kvm-clock
 * long before 4.14, PV TLB flush from 4.16, PV IPIs from 4.19, PV sched
 * yield from 5.3. It keeps all of that ("off kernel-pv"); the shim adds
 * what it left native, and for the two that need a vCPU's preempted flag
 * the ROM reads the kernel's own steal-time records (steal_time_shared):
 * the host keeps one record per vCPU, and it is the kernel's.
 *
 * Each is switched on only if the host offers it, the ROM's backend for it
 * is KVM, and the kernel's hook still holds its native value: a kernel
 * that runs KVM's own guest code keeps it. Anything unexpected leaves the
 * feature off with the reason (sysfs features/).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/io.h>
#include <linux/kernel_stat.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/smp.h>
#include <linux/static_key.h>
#include <asm/apicdef.h>
#include <asm/cpufeature.h>
#include <asm/hypervisor.h>
#include <asm/irq_vectors.h>
#include <asm/kvm_para.h>
#include <asm/msr.h>
#include <asm/pgtable.h>
#include <asm/smp.h>
#include <vmi/abi.h>

#include "base/cpu_area.h"
#include "base/hv_detect.h"
#include "base/ksyms.h"
#include "base/trace.h"
#include "compat/apic.h"
#include "compat/compat.h"
#include "patch/modsites.h"
#include "patch/ops.h"
#include "patch/sites.h"
#include "retrofit/pvspin.h"
#include "retrofit/retrofit.h"
#include "romload/rom.h"

/* Enough for any APIC ID a KVM guest gets; larger IDs keep native IPIs. */
#define APIC_ID_LIMIT	32768

static const char *const feature_names[VMI_RETRO_SHOWN] = {
	[VMI_RETRO_STEAL_TIME] = "steal_time",
	[VMI_RETRO_STEAL_CLOCK] = "steal_clock",
	[VMI_RETRO_PV_TLB_FLUSH] = "pv_tlb_flush",
	[VMI_RETRO_PV_IPI] = "pv_ipi",
	[VMI_RETRO_SCHED_YIELD] = "sched_yield",
	[VMI_RETRO_PV_SPINLOCKS] = "pv_spinlocks",
	[VMI_RETRO_PV_EOI] = "pv_eoi",
	[VMI_RETRO_KVM_CLOCK] = "kvm_clock",
	[VMI_RETRO_STEAL_SHARED] = "steal_time_shared",
	[VMI_RETRO_TLB_RCU_TABLES] = "pv_tlb_rcu_tables",
	[VMI_RETRO_IPI_APIC] = "pv_ipi_apic",
};

static const char *const counter_names[VMI_CNT_NR] = {
	[VMI_CNT_TLB_SKIPPED] = "tlb_skipped",
	[VMI_CNT_TLB_ALL_CPUS] = "tlb_all_cpus",
	[VMI_CNT_IPI_HYPERCALLS] = "ipi_hypercalls",
	[VMI_CNT_IPI_FALLBACKS] = "ipi_fallbacks",
	[VMI_CNT_YIELDS] = "yields",
	[VMI_CNT_SPIN_WAITS] = "spin_waits",
	[VMI_CNT_SPIN_KICKS] = "spin_kicks",
	[VMI_CNT_EOI_COMPLETED] = "eoi_completed",
};

static struct {
	bool on[VMI_RETRO_NR];
	const char *why[VMI_RETRO_NR];
	/* ROM entries */
	struct vmi_call_REGISTER_STEAL_TIME reg;
	struct vmi_call_STEAL_CLOCK steal;
	struct vmi_call_SEND_IPI_MASK send_ipi;
	struct vmi_call_YIELD_TO_CPU yield;
	struct vmi_call_VCPU_IS_PREEMPTED preempted;
	struct vmi_call_ADOPT_STEAL_TIME adopt;
	/* kernel hooks and their native values */
	void (*orig_call_func_ipi)(const struct cpumask *mask);
	bool applicable;	/* KVM underneath */
	bool kernel_pv;		/* ... and the kernel runs KVM's guest code */
	unsigned int apic_nbits;
	unsigned long __percpu *apic_bits;
	/* What the load switched on: a swap can turn only these back on. */
	bool loaded[VMI_RETRO_NR];
	/* The next ROM's entries, while a swap is under way. */
	struct {
		struct vmi_call_REGISTER_STEAL_TIME reg;
		struct vmi_call_STEAL_CLOCK steal;
		struct vmi_call_SEND_IPI_MASK send_ipi;
		struct vmi_call_YIELD_TO_CPU yield;
		struct vmi_call_VCPU_IS_PREEMPTED preempted;
		struct vmi_call_ADOPT_STEAL_TIME adopt;
		const char *why[VMI_RETRO_NR];	/* NULL: on after the swap */
		void *old_state, *new_state;
	} nx;
} r;

/* The kernel's steal-time record of each CPU, for a swap (adopt_move). */
static DEFINE_PER_CPU(void *, shared_rec);
/* A swap's forward move registered this CPU's steal time with the next ROM. */
static DEFINE_PER_CPU(bool, steal_moved);

/*
 * The clock the scheduler reads is steal_base + the area's count. The
 * kernel subtracts what it already accounted (cpustat STEAL), so the clock
 * must continue from there and never go back: steal_next is where it
 * continues when the area (re)starts. The host's first update after
 * registration carries everything the vCPU waited since it was created;
 * that is not steal of this kernel's time, so it is folded into the base.
 */
static DEFINE_PER_CPU(u64, steal_base);
static DEFINE_PER_CPU(u64, steal_next);

DEFINE_PER_CPU(u64 [VMI_CNT_NR], vmi_retro_cnt);

/* The reason is in place before a reader can see the feature off. */
void vmi_retro_set(enum vmi_retro_feature f, bool on, const char *why)
{
	if (!on)
		r.why[f] = why;
	WRITE_ONCE(r.on[f], on);
	trace_vmi_feature(feature_names[f], on, on ? "" : why ?: "");
}

/* Off for the unload; one that never came on keeps its own reason. */
void vmi_retro_unloaded(enum vmi_retro_feature f)
{
	if (r.on[f])
		vmi_retro_set(f, false, VMI_RETRO_WHY_UNLOADED);
}

bool vmi_retro_steal_registered(void)
{
	return r.on[VMI_RETRO_STEAL_TIME];
}

/*
 * Why steal time is not registered, for what needs it: the ROM's age when
 * that is why ("rom-too-old: needs 3.8 RegisterStealTime"), so that all
 * that needs a call the ROM does not announce says so.
 */
const char *vmi_retro_no_steal_why(void)
{
	static const char too_old[] = "rom-too-old:";
	const char *why = r.why[VMI_RETRO_STEAL_TIME];

	if (!r.on[VMI_RETRO_STEAL_TIME] && why &&
	    !strncmp(why, too_old, sizeof(too_old) - 1))
		return why;
	return VMI_WHY("no-steal-time", "steal time not registered");
}

/* Whether the ROM can tell a preempted vCPU: its own areas or the kernel's. */
bool vmi_retro_preempted_readable(void)
{
	return r.on[VMI_RETRO_STEAL_TIME] || r.on[VMI_RETRO_STEAL_SHARED];
}

bool vmi_retro_kernel_pv(void)
{
	return r.kernel_pv;
}

bool vmi_retro_realtime(void)
{
	return vmi_hv.kvm_hints & BIT(KVM_HINTS_REALTIME);
}

const char *vmi_retro_dedicated_why(void)
{
	if (vmi_retro_realtime())
		return VMI_RETRO_WHY_REALTIME;
	if (boot_cpu_has(X86_FEATURE_MWAIT))
		return VMI_WHY("mwait", "the CPU has MWAIT (dedicated CPUs)");
	if (num_possible_cpus() == 1)
		return VMI_WHY("one-cpu", "one possible CPU");
	return NULL;
}

/* @rom's entry for @call if its backend is KVM's, else NULL. */
void *vmi_retro_rom_call_in(const struct vmi_rom *rom, unsigned int call)
{
	const struct vmi_rom_call *c = &rom->calls[call];

	return c->type == VMI_RELOCATION_CALL_REL &&
	       c->backend == VMI_BACKEND_KVM ? c->addr : NULL;
}

void *vmi_retro_rom_call(unsigned int call)
{
	return vmi_retro_rom_call_in(&vmi_rom, call);
}

/* Why a feature needing @call and KVM feature bit @bit cannot use @rom. */
const char *vmi_retro_unavailable_in(const struct vmi_rom *rom,
				     unsigned int call, int bit)
{
	if (bit >= 0 && !(vmi_hv.kvm_features & BIT(bit)))
		return VMI_WHY("host-lacks", "host does not offer it");
	if (vmi_rom_too_old_in(rom, call))
		return vmi_rom_too_old_in(rom, call);
	if (!vmi_retro_rom_call_in(rom, call))
		return VMI_WHY("rom-no-backend", "ROM has no KVM backend for it");
	return NULL;
}

/* Why a feature needing @call and KVM feature bit @bit cannot be on. */
const char *vmi_retro_unavailable(unsigned int call, int bit)
{
	return vmi_retro_unavailable_in(&vmi_rom, call, bit);
}

/* ---- steal time ------------------------------------------------------ */

static int steal_online(unsigned int cpu)
{
	unsigned long flags;
	int err = 0;

	if (cpu != raw_smp_processor_id())
		return -EINVAL;
	/* A ROM swapped in since the load without steal time: none. */
	if (!r.reg.fn)
		return 0;
	local_irq_save(flags);
	if (r.reg.fn(vmi_rom.state, cpu, 1))
		err = -EIO;
	else
		this_cpu_write(steal_base, this_cpu_read(steal_next) -
			       r.steal.fn(vmi_rom.state, cpu));
	local_irq_restore(flags);
	return err;
}

/* The area restarts when registered again: remember where the clock was. */
static int steal_offline(unsigned int cpu)
{
	unsigned long flags;

	if (!r.reg.fn)
		return 0;
	local_irq_save(flags);
	this_cpu_write(steal_next, this_cpu_read(steal_base) +
		       r.steal.fn(vmi_rom.state, cpu));
	r.reg.fn(vmi_rom.state, cpu, 0);
	local_irq_restore(flags);
	return 0;
}

static void steal_off_here(void *unused)
{
	if (r.reg.fn)
		r.reg.fn(vmi_rom.state, smp_processor_id(), 0);
}

static struct vmi_cpu_area steal_area = {
	.name = KBUILD_MODNAME ":steal_time",
	.online = steal_online,
	.offline = steal_offline,
	.drop_here = steal_off_here,
};

/* ---- the kernel's own steal time, read by the ROM --------------------- */

/*
 * The kernel's record of this CPU: where MSR_KVM_STEAL_TIME points, as
 * the kernel's own per-CPU steal_time when kallsyms names it (its own
 * mapping of it), else through the direct map if that is RAM. NULL if
 * the MSR is off or the address is neither.
 */
static void *kernel_steal_record(unsigned int cpu)
{
	void __percpu *own = (void __percpu *)vmi_ksym("steal_time");
	void *rec;
	u64 msr;

	if (rdmsrl_safe(MSR_KVM_STEAL_TIME, &msr) || !(msr & KVM_MSR_ENABLED))
		return NULL;
	msr &= KVM_STEAL_VALID_BITS;
	if (own) {
		rec = per_cpu_ptr(own, cpu);
		return slow_virt_to_phys(rec) == msr ? rec : NULL;
	}
	if (!pfn_valid(PHYS_PFN(msr)) || !page_is_ram(PHYS_PFN(msr)))
		return NULL;
	return phys_to_virt(msr);
}

/*
 * On a CPU as it comes online and before it goes. The kernel's own
 * "x86/kvm:online" state took the first dynamic hotplug slot at boot
 * (kvm_guest_init()), so it registered the record before this runs and
 * unregisters it after. A CPU whose record cannot be had is left out, not
 * refused: its slot reads "not preempted", so it gets every flush IPI and
 * is never yielded to, and the CPU still comes online.
 */
static int shared_online(unsigned int cpu)
{
	void *rec;

	if (cpu != raw_smp_processor_id())
		return -EINVAL;
	/* Kept even while the ROM in force cannot adopt: a swap may. */
	rec = kernel_steal_record(cpu);
	per_cpu(shared_rec, cpu) = rec;
	if (!r.adopt.fn)
		return 0;
	if (!rec || r.adopt.fn(vmi_rom.state, cpu, rec))
		pr_warn("CPU %u: the kernel's steal-time record not found; its vCPU always counts as running\n",
			cpu);
	return 0;
}

static int shared_offline(unsigned int cpu)
{
	if (r.adopt.fn)
		r.adopt.fn(vmi_rom.state, cpu, NULL);
	per_cpu(shared_rec, cpu) = NULL;
	return 0;
}

static void shared_off_here(void *unused)
{
	if (r.adopt.fn)
		r.adopt.fn(vmi_rom.state, smp_processor_id(), NULL);
}

static struct vmi_cpu_area shared_area = {
	.name = KBUILD_MODNAME ":steal_time_shared",
	.online = shared_online,
	.offline = shared_offline,
	.drop_here = shared_off_here,
};

static void steal_shared_start(void)
{
	const char *why = vmi_retro_unavailable(VMI_CALL_ADOPT_STEAL_TIME,
						KVM_FEATURE_STEAL_TIME);

	if (!why && vmi_rom.info.state_percpu == 0)
		why = VMI_WHY("rom-no-percpu", "ROM has no per-CPU state");
	if (!why) {
		r.adopt.fn = vmi_retro_rom_fn(ADOPT_STEAL_TIME);
		why = vmi_cpu_area_start(&shared_area);
	}
	vmi_retro_set(VMI_RETRO_STEAL_SHARED, !why, why);
}

bool vmi_retro_active(void)
{
	return vmi_cpu_area_on(&steal_area) ||
	       vmi_cpu_area_on(&shared_area) || r.on[VMI_RETRO_PV_IPI] ||
	       r.on[VMI_RETRO_SCHED_YIELD] || r.on[VMI_RETRO_STEAL_CLOCK] ||
	       vmi_retro_apic_active() || vmi_retro_clock_active();
}

static void steal_time_start(void)
{
	const char *why = vmi_retro_unavailable(VMI_CALL_REGISTER_STEAL_TIME,
				      KVM_FEATURE_STEAL_TIME);
	int cpu;

	if (!why && vmi_rom.info.state_percpu == 0)
		why = VMI_WHY("rom-no-percpu", "ROM has no per-CPU state");
	if (!why)
		why = vmi_rom_too_old(VMI_CALL_STEAL_CLOCK);
	if (!why && !vmi_retro_rom_call(VMI_CALL_STEAL_CLOCK))
		why = VMI_WHY("rom-no-backend", "ROM has no KVM backend for StealClock");
	if (!why) {
		r.reg.fn = vmi_retro_rom_fn(REGISTER_STEAL_TIME);
		r.steal.fn = vmi_retro_rom_fn(STEAL_CLOCK);
		for_each_possible_cpu(cpu)
			per_cpu(steal_next, cpu) = kcpustat_cpu(cpu).cpustat[CPUTIME_STEAL];
		why = vmi_cpu_area_start(&steal_area);
	}
	vmi_retro_set(VMI_RETRO_STEAL_TIME, !why, why);
}

/* Without steal time (a ROM swapped in lacks it) the clock stands still. */
static u64 vmi_steal_clock(int cpu)
{
	vmi_fn(STEAL_CLOCK) fn = READ_ONCE(r.steal.fn);

	if (!fn)
		return per_cpu(steal_next, cpu);
	return per_cpu(steal_base, cpu) + fn(vmi_rom.state, cpu);
}

/*
 * Where the steal clock is the op time.steal_clock (compat.h), the core
 * routes it like any op; this says when it may be. The accounting
 * switch is turned on by the hook, once the clock reads the ROM.
 */
static const char *steal_op_veto(const struct vmi_op *op, enum vmi_mode mode)
{
	if (!r.on[VMI_RETRO_STEAL_TIME])
		return vmi_retro_no_steal_why();
	if (!vmi_ks.paravirt_steal_enabled)
		return VMI_WHY("kernel-lacks", "kernel lacks paravirt_steal_enabled");
	if (static_key_enabled(vmi_ks.paravirt_steal_enabled))
		return VMI_WHY("kernel-paravirt", "kernel already has a steal clock");
	return NULL;
}

static const struct vmi_op steal_op = {
	"time.steal_clock", VMI_STEAL_CLOCK_SLOT, VMI_CALL_STEAL_CLOCK,
	.accelerates = true, .native = "native_steal_clock",
	.adapter = vmi_steal_clock, .veto = steal_op_veto,
};
static int steal_op_index = -1;

static const char *steal_clock_hook(void)
{
	/* The kernel's pv_steal_clock static call and accounting switch. */
	struct static_call_key *key = vmi_ks.__SCK__pv_steal_clock;
	struct static_key *enabled = vmi_ks.paravirt_steal_enabled;

	if (steal_op_index >= 0) {
		const struct vmi_op_state *st = &vmi_op_states[steal_op_index];

		if (!st->routed)
			return st->why_not;
		/* Boot patching made the kernel's calls direct calls. */
		if (!st->sites)
			return VMI_WHY("sites-not-patched", "steal clock call sites not re-patched (no kernel site table)");
		static_key_slow_inc(enabled);
		return NULL;
	}
	if (!r.on[VMI_RETRO_STEAL_TIME])
		return vmi_retro_no_steal_why();
	if (!key || !vmi_ks.__SCT__pv_steal_clock ||
	    !vmi_ks.native_steal_clock || !enabled)
		return VMI_WHY("kernel-lacks", "kernel lacks the pv_steal_clock hook");
	if (vmi_static_call_func(key) != vmi_ks.native_steal_clock ||
	    static_key_enabled(enabled))
		return VMI_WHY("kernel-paravirt", "kernel already has a steal clock");
	/* Accounting starts only once the clock reads the ROM. */
	vmi_static_call_update(key, vmi_ks.__SCT__pv_steal_clock, vmi_steal_clock);
	static_key_slow_inc(enabled);
	return NULL;
}

/* ---- PV IPIs and yield: smp_ops.send_call_func_ipi ------------------- */

/*
 * Send @vector to the CPUs in @mask but @exclude (-1: none) by hypercall.
 * False if the caller must send it natively: PV IPIs off, an NMI (the
 * per-CPU bitmap may be half built by the code the NMI interrupted), or
 * the hypercall failed (counted as a fallback).
 */
bool vmi_retro_pv_ipi(const struct cpumask *mask, int vector, int exclude)
{
	unsigned long flags, *bits;
	s64 ret;
	int cpu;

	if (!READ_ONCE(r.on[VMI_RETRO_PV_IPI]) || in_nmi())
		return false;
	/* Interrupts off: the per-CPU bitmap is in use until the call. */
	local_irq_save(flags);
	bits = this_cpu_ptr(r.apic_bits);
	bitmap_zero(bits, r.apic_nbits);
	ret = 0;
	for_each_cpu(cpu, mask) {
		u32 id = per_cpu(x86_cpu_to_apicid, cpu);

		if (cpu == exclude)
			continue;
		/* A CPU hot-added since the load: beyond the bitmap. */
		if (id >= r.apic_nbits) {
			ret = -1;
			break;
		}
		__set_bit(id, bits);
	}
	if (!ret)
		ret = r.send_ipi.fn(vmi_rom.state, bits, r.apic_nbits,
				 APIC_DM_FIXED | vector);
	if (ret >= 0)
		this_cpu_inc(vmi_retro_cnt[VMI_CNT_IPI_HYPERCALLS]);
	else
		this_cpu_inc(vmi_retro_cnt[VMI_CNT_IPI_FALLBACKS]);
	local_irq_restore(flags);
	return ret >= 0;
}

static void yield_to_preempted(const struct cpumask *mask)
{
	int cpu;

	for_each_cpu(cpu, mask) {
		if ((vmi_ks.idle_cpu && vmi_ks.idle_cpu(cpu)) ||
		    !r.preempted.fn(vmi_rom.state, cpu))
			continue;
		r.yield.fn(vmi_rom.state, per_cpu(x86_cpu_to_apicid, cpu));
		this_cpu_inc(vmi_retro_cnt[VMI_CNT_YIELDS]);
		break;
	}
}

static void vmi_send_call_func_ipi(const struct cpumask *mask)
{
	if (!vmi_retro_pv_ipi(mask, CALL_FUNCTION_VECTOR, -1))
		r.orig_call_func_ipi(mask);
	if (READ_ONCE(r.on[VMI_RETRO_SCHED_YIELD]))
		yield_to_preempted(mask);
}

/* The highest APIC ID of any possible CPU, plus one. */
static unsigned int apic_id_bits(void)
{
	unsigned int n = 0;
	int cpu;

	/* Possible but not present CPUs have none yet (BAD_APICID). */
	for_each_possible_cpu(cpu)
		if (per_cpu(x86_cpu_to_apicid, cpu) != BAD_APICID)
			n = max_t(unsigned int, n,
				  per_cpu(x86_cpu_to_apicid, cpu) + 1);
	return n;
}

/* smp_ops lives in writable data; check rather than fault if it did not. */
static bool writable(void *addr)
{
	unsigned int level;
	pte_t *pte = lookup_address((unsigned long)addr, &level);

	return pte && pte_present(*pte) && pte_write(*pte);
}

/*
 * Whether the kernel sends its IPIs by hypercall itself: from 4.19 its
 * APIC driver's send_IPI_mask is kvm_send_ipi_mask (kvm_setup_pv_ipi()).
 * If the callbacks cannot be read, a kernel that has the code is taken
 * to use it.
 */
static bool kernel_pv_ipi(void)
{
	void *kvm = (void *)vmi_ksym("kvm_send_ipi_mask");

	if (!kvm)
		return false;
	if (vmi_apic_cb_probe())
		return true;
	return vmi_apic_cb_get(VMI_APIC_SEND_IPI_MASK) == kvm;
}

static void ipi_hook(void)
{
	const char *ipi_why, *yield_why, *why = NULL;
	void *native = vmi_ks.native_send_call_func_ipi;
	bool hooked = !native || smp_ops.send_call_func_ipi != native;

	/* What a kernel with KVM's guest code set up itself comes first. */
	ipi_why = vmi_retro_unavailable(VMI_CALL_SEND_IPI_MASK, KVM_FEATURE_PV_SEND_IPI);
	if (!ipi_why && r.kernel_pv && kernel_pv_ipi())
		ipi_why = VMI_RETRO_WHY_KERNEL_PV;
	/* As kvm.c's pv_ipi_supported(). */
	if (!ipi_why && num_possible_cpus() == 1)
		ipi_why = VMI_WHY("one-cpu", "one possible CPU");
	yield_why = vmi_retro_unavailable(VMI_CALL_YIELD_TO_CPU, KVM_FEATURE_PV_SCHED_YIELD);
	if (!yield_why && r.kernel_pv && hooked)	/* 5.3+: its own yield */
		yield_why = VMI_RETRO_WHY_KERNEL_PV;
	yield_why = yield_why ?: vmi_retro_dedicated_why() ?:
		    vmi_retro_unavailable(VMI_CALL_VCPU_IS_PREEMPTED, -1);
	if (!yield_why && !vmi_retro_preempted_readable())
		yield_why = vmi_retro_no_steal_why();
	r.apic_nbits = apic_id_bits();
	if (!ipi_why && r.apic_nbits > APIC_ID_LIMIT)
		ipi_why = VMI_WHY("apic-ids-too-large", "APIC IDs too large");
	if (!ipi_why) {
		r.apic_bits = __alloc_percpu(BITS_TO_LONGS(r.apic_nbits) *
					     sizeof(long), sizeof(long));
		if (!r.apic_bits)
			ipi_why = VMI_WHY("no-memory", "out of memory");
	}
	if (hooked)
		why = r.kernel_pv ? VMI_RETRO_WHY_KERNEL_PV :
		      VMI_WHY("kernel-hooked", "kernel already hooks call-function IPIs");
	else if (!writable(&smp_ops.send_call_func_ipi))
		why = VMI_WHY("kernel-read-only", "smp_ops is read-only in this kernel");
	ipi_why = ipi_why ?: why;
	yield_why = yield_why ?: why;
	vmi_retro_set(VMI_RETRO_PV_IPI, !ipi_why, ipi_why);
	vmi_retro_set(VMI_RETRO_SCHED_YIELD, !yield_why, yield_why);
	if (ipi_why && yield_why)
		return;
	r.send_ipi.fn = vmi_retro_rom_fn(SEND_IPI_MASK);
	r.yield.fn = vmi_retro_rom_fn(YIELD_TO_CPU);
	r.preempted.fn = vmi_retro_rom_fn(VCPU_IS_PREEMPTED);
	r.orig_call_func_ipi = smp_ops.send_call_func_ipi;
	WRITE_ONCE(smp_ops.send_call_func_ipi, vmi_send_call_func_ipi);
}

/* ---- the whole ------------------------------------------------------- */

/*
 * Before ops are routed: register steal time (the TLB flush op needs it).
 * Nothing here is fatal: a feature that cannot be had stays off.
 */
static void retro_start(enum vmi_mode mode)
{
	const char *why = NULL;

	vmi_retro_none(VMI_WHY("mode-off", "mode=off"));
	if (mode == VMI_MODE_OFF || !vmi_rom.installed)
		return;
	if (!vmi_hv.kvm_base)
		why = VMI_WHY("no-kvm", "no KVM underneath");
	if (why) {
		vmi_retro_none(why);
		return;
	}
	r.applicable = true;
	r.kernel_pv = x86_hyper_type == X86_HYPER_KVM;
	vmi_retro_set(VMI_RETRO_PV_TLB_FLUSH, false, VMI_WHY("not-routed", "not routed"));
	if (r.kernel_pv) {
		/* What every such kernel set up at boot (the top). */
		vmi_retro_set(VMI_RETRO_STEAL_TIME, false, VMI_RETRO_WHY_KERNEL_PV);
		vmi_retro_set(VMI_RETRO_STEAL_CLOCK, false, VMI_RETRO_WHY_KERNEL_PV);
		vmi_retro_set(VMI_RETRO_PV_SPINLOCKS, false, VMI_RETRO_WHY_KERNEL_PV);
		vmi_retro_set(VMI_RETRO_PV_EOI, false, VMI_RETRO_WHY_KERNEL_PV);
		vmi_retro_set(VMI_RETRO_KVM_CLOCK, false, VMI_RETRO_WHY_KERNEL_PV);
		steal_shared_start();
		return;
	}
	vmi_retro_set(VMI_RETRO_PV_SPINLOCKS, false, VMI_WHY("not-routed", "not routed"));
	vmi_retro_set(VMI_RETRO_PV_EOI, false, VMI_WHY("not-hooked", "not hooked"));
	vmi_retro_set(VMI_RETRO_KVM_CLOCK, false, VMI_WHY("not-registered", "not registered"));
	vmi_retro_set(VMI_RETRO_STEAL_SHARED, false,
		      VMI_WHY("own-areas", "the ROM registers its own (steal_time)"));
	steal_time_start();
}

void vmi_retro_start(enum vmi_mode mode)
{
	retro_start(mode);
	/*
	 * Whatever that found, the features' ops need their verdict before
	 * pv_ops changes (their vetoes only read it); from here on loading
	 * modules also keep their lock calls to pv_ops.
	 */
	vmi_pvspin_prepare(mode);
	vmi_retro_tlb_prepare();
}

/*
 * The features whose ops the core routes register them, in this order
 * (the order sysfs and debugfs list them in): the lock ops, then the TLB
 * flush ops. Before every load, after the core's own (vmi_ops_init()).
 */
int vmi_retro_register_ops(void)
{
	int err = vmi_pvspin_register_ops() ?: vmi_retro_tlb_register_ops();

	steal_op_index = -1;
	if (err || VMI_STEAL_CLOCK_SLOT == UINT_MAX)
		return err;
	steal_op_index = vmi_ops_register(&steal_op, 1);
	return steal_op_index < 0 ? steal_op_index : 0;
}

/* After ops are routed and sites patched: the hooks outside pv_ops. */
void vmi_retro_hook(void)
{
	const struct vmi_op_state *unlock = vmi_pvspin_unlock_state();
	const char *why;

	if (!r.applicable)
		return;
	/* A kernel that runs KVM's guest code keeps these (the top). */
	if (!r.kernel_pv) {
		/* Every unlock in kernel text must be the PV one: the table's. */
		if (!unlock || !unlock->routed)
			why = unlock ? unlock->why_not : VMI_WHY("kernel-lacks", "kernel without PARAVIRT_SPINLOCKS");
		else if (!vmi_sites.loaded)
			why = VMI_WHY("no-site-table", "no kernel site table (sites=): inline unlocks would stay");
		else
			why = vmi_pvspin_switch_on(true, vmi_modsites.lock_inline_kept);
		vmi_retro_set(VMI_RETRO_PV_SPINLOCKS, !why, why);
		why = steal_clock_hook();
		vmi_retro_set(VMI_RETRO_STEAL_CLOCK, !why, why);
	}
	/* These it has only from 4.16, 4.19 and 5.3 on: each says. */
	ipi_hook();
	vmi_retro_apic_hook(r.on[VMI_RETRO_PV_IPI]);
	if (!r.kernel_pv)
		vmi_retro_clock_hook();
	vmi_retro_tlb_hook();
	/* The kernel's records are read only for what the shim added. */
	if (r.on[VMI_RETRO_STEAL_SHARED] && !r.on[VMI_RETRO_PV_TLB_FLUSH] &&
	    !r.on[VMI_RETRO_SCHED_YIELD]) {
		vmi_cpu_area_stop(&shared_area);
		vmi_retro_set(VMI_RETRO_STEAL_SHARED, false,
			      VMI_WHY("unused", "nothing the shim added reads them"));
	}
	memcpy(r.loaded, r.on, sizeof(r.loaded));
}

/*
 * Put the hooks back (before the caller's quiesce). Returns what could
 * not be proven restored, or NULL.
 */
const char *vmi_retro_unhook(void)
{
	const char *failed, *apic;

	vmi_retro_tlb_unhook();
	failed = vmi_retro_clock_unhook();
	apic = vmi_retro_apic_unhook();
	failed = failed ?: apic;
	/* Off from here, whatever the rest of the unload does. */
	vmi_retro_unloaded(VMI_RETRO_PV_TLB_FLUSH);
	vmi_retro_unloaded(VMI_RETRO_PV_SPINLOCKS);
	/* smp_ops is hooked while either is on. */
	if (r.on[VMI_RETRO_PV_IPI] || r.on[VMI_RETRO_SCHED_YIELD]) {
		vmi_retro_unloaded(VMI_RETRO_PV_IPI);
		vmi_retro_unloaded(VMI_RETRO_SCHED_YIELD);
		if (smp_ops.send_call_func_ipi == vmi_send_call_func_ipi)
			WRITE_ONCE(smp_ops.send_call_func_ipi,
				   r.orig_call_func_ipi);
		else
			pr_err("smp_ops.send_call_func_ipi changed by someone else (%ps)\n",
			       smp_ops.send_call_func_ipi);
		if (smp_ops.send_call_func_ipi != r.orig_call_func_ipi)
			failed = failed ?: VMI_WHY("smp-ops-not-restored", "smp_ops.send_call_func_ipi not restored");
	}
	if (r.on[VMI_RETRO_STEAL_CLOCK]) {
		struct static_call_key *key = vmi_ks.__SCK__pv_steal_clock;

		/* Accounting off first: the native clock reads 0. */
		static_key_slow_dec(vmi_ks.paravirt_steal_enabled);
		/* The op (steal_op_index) goes back with the others. */
		if (steal_op_index < 0) {
			vmi_static_call_update(key, vmi_ks.__SCT__pv_steal_clock,
					       vmi_ks.native_steal_clock);
			if (vmi_static_call_func(key) != vmi_ks.native_steal_clock)
				failed = failed ?: VMI_WHY("steal-clock-not-restored", "pv_steal_clock not restored");
		}
		vmi_retro_unloaded(VMI_RETRO_STEAL_CLOCK);
	}
	return failed;
}

/* After the caller's quiesce: nothing reads the areas any more. */
void vmi_retro_stop(void)
{
	vmi_cpu_area_stop(&steal_area);
	vmi_cpu_area_stop(&shared_area);
	vmi_retro_clock_stop();
	vmi_retro_apic_stop();
	vmi_pvspin_stop();
	vmi_modsites_forget();
	vmi_retro_unloaded(VMI_RETRO_STEAL_TIME);
	vmi_retro_unloaded(VMI_RETRO_PV_TLB_FLUSH);
	vmi_retro_unloaded(VMI_RETRO_PV_SPINLOCKS);
	vmi_retro_unloaded(VMI_RETRO_PV_EOI);
	vmi_retro_unloaded(VMI_RETRO_KVM_CLOCK);
	vmi_retro_unloaded(VMI_RETRO_STEAL_SHARED);
	r.applicable = false;
	r.kernel_pv = false;
	memset(r.loaded, 0, sizeof(r.loaded));
	free_percpu(r.apic_bits);
	r.apic_bits = NULL;
	vmi_retro_tlb_stop();
}

/* Nothing of the retrofit runs (no ROM): every feature says why. */
void vmi_retro_none(const char *why)
{
	int f;

	for (f = 0; f < VMI_RETRO_NR; f++)
		vmi_retro_set(f, false, why);
}

const char *vmi_retro_name(unsigned int f)
{
	return f < VMI_RETRO_SHOWN ? feature_names[f] : NULL;
}

const char *vmi_retro_counter_name(unsigned int c)
{
	return c < VMI_CNT_NR ? counter_names[c] : NULL;
}

/* A part of a feature is on only while the feature is: its reason first. */
const char *vmi_retro_why(unsigned int f)
{
	switch (f) {
	case VMI_RETRO_TLB_RCU_TABLES:
		return vmi_retro_why(VMI_RETRO_PV_TLB_FLUSH) ?:
		       vmi_retro_tlb_tables_why();
	case VMI_RETRO_IPI_APIC:
		return vmi_retro_why(VMI_RETRO_PV_IPI) ?:
		       vmi_retro_apic_ipi_why();
	}
	return r.on[f] ? NULL : r.why[f] ?: VMI_WHY("not-started", "not started");
}

/* ---- a live ROM swap ---------------------------------------------------- */

/*
 * A swap (main.c) keeps every hook the load installed; what changes is
 * the ROM behind them. Each feature the load switched on is on after the
 * swap exactly when @next gives it the calls it needs (the load's rules,
 * asked of @next); otherwise it is off with @next's reason, and its hooks
 * do what the kernel does natively until a later swap brings the calls
 * back. A feature the load left off stays off: switching it on would
 * take what only a load does (routing its ops, patching its sites).
 *
 * vmi_retro_swap_prepare(): before, changing nothing but what must go
 * first (the kernel off the clocksource whose calls go away).
 * vmi_retro_swap_cpu(): with every CPU stopped, on each: the memory this
 * CPU registered with the host moves to @next's state block (the old
 * registration is dropped first, so the host never writes both).
 * vmi_retro_swap_publish(): once every CPU has moved, on one: the
 * entries every hook calls. vmi_retro_swap_finish(): after.
 */

/* Why feature @f cannot be on with @next; its load verdict first. */
static const char *swap_why(enum vmi_retro_feature f, const char *next_why)
{
	if (!r.loaded[f])
		return r.why[f] ?: VMI_WHY("not-started", "not started");
	return next_why;
}

int vmi_retro_swap_prepare(const struct vmi_rom *next)
{
	const char *why, *preempted;
	int err;

	memset(&r.nx, 0, sizeof(r.nx));
	r.nx.old_state = vmi_rom.state;
	r.nx.new_state = next->state;
	if (!r.applicable)
		return 0;
	/* Steal time: its areas, its clock. */
	why = vmi_retro_unavailable_in(next, VMI_CALL_REGISTER_STEAL_TIME,
				       KVM_FEATURE_STEAL_TIME) ?:
	      vmi_retro_unavailable_in(next, VMI_CALL_STEAL_CLOCK, -1);
	if (!why && !next->info.state_percpu)
		why = VMI_WHY("rom-no-percpu", "ROM has no per-CPU state");
	r.nx.why[VMI_RETRO_STEAL_TIME] = swap_why(VMI_RETRO_STEAL_TIME, why);
	if (!r.nx.why[VMI_RETRO_STEAL_TIME]) {
		r.nx.reg.fn = vmi_retro_rom_call_in(next, VMI_CALL_REGISTER_STEAL_TIME);
		r.nx.steal.fn = vmi_retro_rom_call_in(next, VMI_CALL_STEAL_CLOCK);
	}
	r.nx.why[VMI_RETRO_STEAL_CLOCK] =
		swap_why(VMI_RETRO_STEAL_CLOCK, r.nx.why[VMI_RETRO_STEAL_TIME]);
	why = vmi_retro_unavailable_in(next, VMI_CALL_ADOPT_STEAL_TIME,
				       KVM_FEATURE_STEAL_TIME);
	if (!why && !next->info.state_percpu)
		why = VMI_WHY("rom-no-percpu", "ROM has no per-CPU state");
	r.nx.why[VMI_RETRO_STEAL_SHARED] = swap_why(VMI_RETRO_STEAL_SHARED, why);
	if (!r.nx.why[VMI_RETRO_STEAL_SHARED])
		r.nx.adopt.fn = vmi_retro_rom_call_in(next, VMI_CALL_ADOPT_STEAL_TIME);
	/* What reads a vCPU's preempted flag needs one of the two. */
	preempted = vmi_retro_unavailable_in(next, VMI_CALL_VCPU_IS_PREEMPTED, -1);
	/* Neither: the reason of the one the load had (kernel-pv: shared). */
	if (!preempted && r.nx.why[VMI_RETRO_STEAL_TIME] &&
	    r.nx.why[VMI_RETRO_STEAL_SHARED])
		preempted = r.loaded[VMI_RETRO_STEAL_SHARED] ?
			    r.nx.why[VMI_RETRO_STEAL_SHARED] :
			    r.nx.why[VMI_RETRO_STEAL_TIME];
	if (!preempted)
		r.nx.preempted.fn = vmi_retro_rom_call_in(next, VMI_CALL_VCPU_IS_PREEMPTED);
	why = vmi_retro_unavailable_in(next, VMI_CALL_SEND_IPI_MASK,
				       KVM_FEATURE_PV_SEND_IPI);
	r.nx.why[VMI_RETRO_PV_IPI] = swap_why(VMI_RETRO_PV_IPI, why);
	if (!r.nx.why[VMI_RETRO_PV_IPI])
		r.nx.send_ipi.fn = vmi_retro_rom_call_in(next, VMI_CALL_SEND_IPI_MASK);
	why = vmi_retro_unavailable_in(next, VMI_CALL_YIELD_TO_CPU,
				       KVM_FEATURE_PV_SCHED_YIELD) ?: preempted;
	r.nx.why[VMI_RETRO_SCHED_YIELD] = swap_why(VMI_RETRO_SCHED_YIELD, why);
	if (!r.nx.why[VMI_RETRO_SCHED_YIELD])
		r.nx.yield.fn = vmi_retro_rom_call_in(next, VMI_CALL_YIELD_TO_CPU);
	r.nx.why[VMI_RETRO_PV_TLB_FLUSH] =
		swap_why(VMI_RETRO_PV_TLB_FLUSH,
			 vmi_retro_tlb_swap_prepare(next, preempted));
	r.nx.why[VMI_RETRO_PV_SPINLOCKS] =
		swap_why(VMI_RETRO_PV_SPINLOCKS,
			 vmi_pvspin_swap_prepare(next, preempted));
	r.nx.why[VMI_RETRO_PV_EOI] =
		swap_why(VMI_RETRO_PV_EOI, vmi_retro_apic_swap_prepare(next));
	why = vmi_retro_clock_swap_prepare(next);
	r.nx.why[VMI_RETRO_KVM_CLOCK] = swap_why(VMI_RETRO_KVM_CLOCK, why);
	/* The one change made before: the kernel off a clock that goes. */
	err = vmi_retro_clock_swap_begin(r.loaded[VMI_RETRO_KVM_CLOCK] && why);
	if (err)
		pr_err("swap: the kernel cannot switch away from the ROM's clock, which the new ROM lacks (%s)\n",
		       why);
	return err;
}

/* The swap was refused after prepare: undo what it changed. */
void vmi_retro_swap_abort(void)
{
	if (r.applicable &&
	    vmi_retro_clock_swap_end(r.loaded[VMI_RETRO_KVM_CLOCK]))
		vmi_retro_set(VMI_RETRO_KVM_CLOCK, false,
			      VMI_WHY("clocksource-refused", "the kernel refused the clocksource"));
}

/*
 * Steal time of this CPU from @from's entries to @to's (either may be
 * NULL). The clock goes on from where the registration being dropped left
 * it: a way back after a refused move (@from_reg NULL here then) keeps
 * where the forward move left it.
 */
static int steal_move(void *from_state, vmi_fn(REGISTER_STEAL_TIME) from_reg,
		      vmi_fn(STEAL_CLOCK) from_steal, void *to_state,
		      vmi_fn(REGISTER_STEAL_TIME) to_reg,
		      vmi_fn(STEAL_CLOCK) to_steal)
{
	unsigned int cpu = smp_processor_id();

	if (from_reg) {
		this_cpu_write(steal_next, this_cpu_read(steal_base) +
			       from_steal(from_state, cpu));
		from_reg(from_state, cpu, 0);
	}
	if (!to_reg)
		return 0;
	if (to_reg(to_state, cpu, 1))
		return -EIO;
	this_cpu_write(steal_base, this_cpu_read(steal_next) -
		       to_steal(to_state, cpu));
	return 0;
}

static int adopt_move(void *from_state, vmi_fn(ADOPT_STEAL_TIME) from,
		      void *to_state, vmi_fn(ADOPT_STEAL_TIME) to)
{
	unsigned int cpu = smp_processor_id();
	void *rec = this_cpu_read(shared_rec);

	if (from)
		from(from_state, cpu, NULL);
	/* A CPU whose record was not found counts as running, as before. */
	if (to && rec && to(to_state, cpu, rec))
		return -EIO;
	return 0;
}

/* Every CPU stopped, on each: move (@back: undo the move) this CPU's areas. */
int vmi_retro_swap_cpu(bool back)
{
	void *o = r.nx.old_state, *n = r.nx.new_state;
	bool steal = vmi_cpu_area_on(&steal_area);
	bool shared = vmi_cpu_area_on(&shared_area);
	int err = 0;

	if (!r.applicable)
		return 0;
	if (steal && !back) {
		err = steal_move(o, r.reg.fn, r.steal.fn, n, r.nx.reg.fn,
				 r.nx.steal.fn);
		this_cpu_write(steal_moved, !err && r.nx.reg.fn);
	} else if (steal) {
		/* Only a registration the forward move made is dropped. */
		steal_move(n, this_cpu_read(steal_moved) ? r.nx.reg.fn : NULL,
			   r.nx.steal.fn, o, r.reg.fn, r.steal.fn);
		this_cpu_write(steal_moved, false);
	}
	if (shared && !back)
		err = adopt_move(o, r.adopt.fn, n, r.nx.adopt.fn) ?: err;
	else if (shared)
		adopt_move(n, r.nx.adopt.fn, o, r.adopt.fn);
	err = vmi_retro_apic_swap_cpu(back) ?: err;
	err = vmi_retro_clock_swap_cpu(back) ?: err;
	return err;
}

/* Every CPU stopped and moved, on one: every hook calls the new ROM. */
void vmi_retro_swap_publish(void)
{
	int f;

	if (!r.applicable)
		return;
	r.reg = r.nx.reg;
	WRITE_ONCE(r.steal.fn, r.nx.steal.fn);
	r.adopt = r.nx.adopt;
	r.send_ipi = r.nx.send_ipi;
	r.yield = r.nx.yield;
	r.preempted = r.nx.preempted;
	vmi_retro_tlb_swap_publish();
	vmi_pvspin_swap_publish();
	vmi_retro_apic_swap_publish();
	vmi_retro_clock_swap_publish();
	for (f = 0; f < VMI_RETRO_NR; f++)
		if (r.loaded[f])
			vmi_retro_set(f, !r.nx.why[f], r.nx.why[f]);
}

/* After: the clocksource back if the new ROM has its calls. */
void vmi_retro_swap_finish(void)
{
	if (!r.applicable)
		return;
	if (r.loaded[VMI_RETRO_KVM_CLOCK] && !r.nx.why[VMI_RETRO_KVM_CLOCK] &&
	    vmi_retro_clock_swap_end(true))
		vmi_retro_set(VMI_RETRO_KVM_CLOCK, false,
			      VMI_WHY("clocksource-refused", "the kernel refused the clocksource"));
}

/* How many features the published swap switched off and on. */
void vmi_retro_swap_counts(const bool *before, unsigned int *off,
			   unsigned int *on)
{
	int f;

	*off = *on = 0;
	for (f = 0; f < VMI_RETRO_NR; f++) {
		*off += before[f] && !r.on[f];
		*on += !before[f] && r.on[f];
	}
}

/* Which features are on now (for vmi_retro_swap_counts()). */
void vmi_retro_snapshot(bool *on)
{
	memcpy(on, r.on, sizeof(r.on));
}
