// SPDX-License-Identifier: GPL-2.0
/*
 * PV spinlocks and vcpu_is_preempted, retrofitted (see retrofit.c).
 *
 * The kernel's own paravirt qspinlock code is in every PARAVIRT_SPINLOCKS
 * kernel (__pv_queued_spin_lock_slowpath, __pv_queued_spin_unlock); a KVM
 * guest points the lock ops at it at boot with kvm_wait/kvm_kick_cpu. Here
 * the lock ops are routed like any op (ops.c: pv_ops entries, call sites
 * re-patched; the inline unlock and vcpu_is_preempted sites written whole
 * with every CPU stopped, text_stop.c), but the slow path goes through a
 * dispatch that stays native until one switch:
 *
 * The PV slow path marks a lock it waits on (_Q_SLOW_VAL, plus an entry
 * in pv_lock_hash) and halts until the unlocker kicks it, so it is correct
 * only if every unlock in the kernel and in every module is the PV unlock.
 * A PV unlock behaves as the native one for locks never marked, so unlock
 * sites may change first, at any time. Then the dispatch is switched in
 * stop_machine: every CPU is in the stopper, none inside a lock's slow
 * path or waiting for a kick, no lock held. Before switching, every loaded
 * module must be known to unlock through the PV unlock: re-patched from
 * the modsites= table with no inline unlock left, or loaded while the
 * lock ops were routed (X86_FEATURE_PVUNLOCK set first, so alternatives
 * leave their unlock calls to pv_ops). Otherwise the switch is refused
 * and the lock ops stay native. Switching back is the same in reverse, in
 * stop_machine, and checks that no lock is marked (the hash is empty).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/log2.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/stop_machine.h>
#include <linux/vmalloc.h>
#include <asm/cpufeature.h>
#include <asm/hypervisor.h>
#include <asm/kvm_para.h>
#include <asm/paravirt.h>
#include <asm/smp.h>
#include <vmi/abi.h>

#include "ksyms.h"
#include "modsites.h"
#include "modtrack.h"
#include "ops.h"
#include "pvspin.h"
#include "retrofit.h"
#include "shim.h"
#include "text_stop.h"

#if defined(CONFIG_SMP) && defined(CONFIG_PARAVIRT_SPINLOCKS)

struct qspinlock;
struct pv_hash_entry {
	struct qspinlock *lock;
	void *node;
};

typedef void (*slowpath_t)(struct qspinlock *lock, u32 val);
typedef void (*rom_spin_wait_t)(void *state, u8 *ptr, u64 val);
typedef s64 (*rom_kick_t)(void *state, u64 apicid);
typedef u64 (*rom_preempted_t)(void *state, u64 cpu);

static struct {
	slowpath_t native_slowpath, pv_slowpath;
	rom_spin_wait_t spin_wait;
	rom_kick_t kick;
	rom_preempted_t preempted;
	struct pv_hash_entry **hash;	/* the kernel's pv_lock_hash */
	unsigned int *hash_bits;
	struct pv_hash_entry *own_hash;	/* allocated here, if it was NULL */
	struct list_head *modules;	/* the kernel's module list */
	bool pvunlock_set, vcpupreempt_set;
	bool on;
} s;

static DEFINE_PER_CPU(u64, cnt_waits);
static DEFINE_PER_CPU(u64, cnt_kicks);

void vmi_lock_slowpath(struct qspinlock *lock, u32 val)
{
	if (READ_ONCE(s.on))
		s.pv_slowpath(lock, val);
	else
		s.native_slowpath(lock, val);
}

/* As kvm_wait: halt while *ptr == val; an NMI must not halt. */
void vmi_lock_wait(u8 *ptr, u8 val)
{
	if (in_nmi())
		return;
	this_cpu_inc(cnt_waits);
	s.spin_wait(vmi_shim.rom.state, ptr, val);
}

void vmi_lock_kick(int cpu)
{
	this_cpu_inc(cnt_kicks);
	s.kick(vmi_shim.rom.state, per_cpu(x86_cpu_to_apicid, cpu));
}

__visible bool vmi_vcpu_is_preempted(long cpu)
{
	return s.preempted(vmi_shim.rom.state, cpu);
}
PV_CALLEE_SAVE_REGS_THUNK(vmi_vcpu_is_preempted);

static void *rom_kvm_call(unsigned int call)
{
	const struct vmi_rom_call *c = &vmi_shim.rom.calls[call];

	return c->type == VMI_RELOCATION_CALL_REL &&
	       c->backend == VMI_BACKEND_KVM ? c->addr : NULL;
}

/* Why the lock ops may not be routed in @mode; NULL if they may. */
const char *vmi_pvspin_veto(unsigned int call, enum vmi_mode mode)
{
	if (!vmi_shim.hv.kvm_base)
		return "no KVM underneath";
	if (x86_hyper_type == X86_HYPER_KVM)
		return "kernel runs KVM's own guest code";
	if (call == VMI_CALL_VCPU_IS_PREEMPTED) {
		s.preempted = rom_kvm_call(call);
		if (!s.preempted)
			return "ROM has no KVM backend for it";
		if (!vmi_retro_steal_registered())
			return "steal time not registered";
		return vmi_text_stop_unsafe();
	}
	if (!(vmi_shim.hv.kvm_features & BIT(KVM_FEATURE_PV_UNHALT)))
		return "host does not offer PV_UNHALT";
	/* kvm_wait halts after clearing CPU buffers; an old ROM cannot. */
	if (vmi_shim.rom.idle_verw_missing)
		return "kernel clears CPU buffers before HLT, the ROM cannot";
	if (num_possible_cpus() == 1)
		return "one CPU";
	s.spin_wait = rom_kvm_call(VMI_CALL_SPIN_WAIT);
	s.kick = rom_kvm_call(VMI_CALL_KICK_CPU);
	if (!s.spin_wait || !s.kick)
		return "ROM has no KVM backend for SpinWait/KickCPU";
	s.native_slowpath = (void *)vmi_ksym("native_queued_spin_lock_slowpath");
	s.pv_slowpath = (void *)vmi_ksym("__pv_queued_spin_lock_slowpath");
	s.hash = (void *)vmi_ksym("pv_lock_hash");
	s.hash_bits = (void *)vmi_ksym("pv_lock_hash_bits");
	s.modules = (void *)vmi_ksym("modules");
	if (!s.native_slowpath || !s.pv_slowpath || !s.hash || !s.hash_bits ||
	    !s.modules || !vmi_ksym("__raw_callee_save___pv_queued_spin_unlock"))
		return "kernel lacks the PV qspinlock code";
	return vmi_text_stop_unsafe();
}

/*
 * Before pv_ops is routed: from now on alternatives in a loading module
 * leave its unlock and vcpu_is_preempted calls to pv_ops (ALT_NOT).
 */
void vmi_pvspin_prepare(void)
{
	unsigned long *caps = (unsigned long *)boot_cpu_data.x86_capability;

	if (!test_and_set_bit(X86_FEATURE_PVUNLOCK, caps))
		s.pvunlock_set = true;
	if (!test_and_set_bit(X86_FEATURE_VCPUPREEMPT, caps))
		s.vcpupreempt_set = true;
}

/* Whether @mod is known to unlock through pv_ops now. */
static bool module_covered(struct module *mod)
{
	return mod == THIS_MODULE || vmi_modsites_covers(mod) ||
	       vmi_modtrack_has(mod);
}

struct flip {
	bool on;
	const char *why;
};

static int flip_stopped(void *data)
{
	struct flip *f = data;
	struct module *mod;
	unsigned long i, n = 1UL << *s.hash_bits;

	if (f->on) {
		list_for_each_entry_rcu(mod, s.modules, list) {
			if (module_covered(mod))
				continue;
			f->why = "a loaded module's unlock sites are not known to be PV";
			pr_warn("pv spinlocks: module %s not covered\n",
				mod->name);
			return 0;
		}
	} else {
		for (i = 0; i < n; i++) {
			if (READ_ONCE((*s.hash)[i].lock)) {
				f->why = "a lock is still marked in pv_lock_hash";
				return 0;
			}
		}
	}
	WRITE_ONCE(s.on, f->on);
	return 0;
}

/* After sites are patched: switch the slow path to PV, or say why not. */
const char *vmi_pvspin_switch_on(bool unlock_routed, unsigned int kept)
{
	struct flip f = { .on = true };
	unsigned int entries;

	if (!unlock_routed)
		return "lock ops not routed";
	if (kept)
		return "inline unlock sites left in modules";
	if (!*s.hash) {
		entries = roundup_pow_of_two(4 * num_possible_cpus());
		s.own_hash = kvcalloc(entries, sizeof(*s.own_hash), GFP_KERNEL);
		if (!s.own_hash)
			return "out of memory";
		WRITE_ONCE(*s.hash_bits, ilog2(entries));
		WRITE_ONCE(*s.hash, s.own_hash);
	}
	stop_machine(flip_stopped, &f, NULL);
	if (f.why)
		return f.why;
	pr_info("PV spinlocks on (pv_lock_hash %u entries)\n",
		1U << *s.hash_bits);
	return NULL;
}

/* Before the lock ops' sites go back: switch the slow path to native. */
const char *vmi_pvspin_switch_off(void)
{
	struct flip f = { .on = false };

	if (!s.on)
		return NULL;
	stop_machine(flip_stopped, &f, NULL);
	return f.why;
}

/* After everything is restored and quiesced. */
void vmi_pvspin_stop(void)
{
	unsigned long *caps = (unsigned long *)boot_cpu_data.x86_capability;

	if (s.on)
		return;		/* never free what a marked lock may use */
	if (s.own_hash && *s.hash == s.own_hash) {
		WRITE_ONCE(*s.hash, NULL);
		WRITE_ONCE(*s.hash_bits, 0);
		kvfree(s.own_hash);
		s.own_hash = NULL;
	}
	if (s.pvunlock_set)
		clear_bit(X86_FEATURE_PVUNLOCK, caps);
	if (s.vcpupreempt_set)
		clear_bit(X86_FEATURE_VCPUPREEMPT, caps);
	s.pvunlock_set = false;
	s.vcpupreempt_set = false;
}

bool vmi_pvspin_on(void)
{
	return READ_ONCE(s.on);
}

void vmi_pvspin_counts(u64 *waits, u64 *kicks)
{
	int cpu;

	*waits = 0;
	*kicks = 0;
	for_each_possible_cpu(cpu) {
		*waits += per_cpu(cnt_waits, cpu);
		*kicks += per_cpu(cnt_kicks, cpu);
	}
}

#endif /* CONFIG_SMP && CONFIG_PARAVIRT_SPINLOCKS */
