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
 * path or waiting for a kick, no spinlock held (a holder cannot be in the
 * stopper). The switching task holds the module tracker's mutex around
 * it, so no record or verdict is stopped half-written. Before switching,
 * with every CPU stopped (no module load makes progress), the unlock
 * sites of every loaded module are checked, not the module as a whole:
 *
 *  - a module loaded while the lock ops were routed (X86_FEATURE_PVUNLOCK
 *    set first, so alternatives leave its unlock calls to pv_ops): the
 *    tracker looked at each unlock site of its list when it came, and
 *    one that did not call the shim's unlock entry (its load read pv_ops
 *    while routing wrote them slot by slot, say) makes it native; those
 *    that did must still do so now; one with no unlock site is PV;
 *  - a module loaded before the shim: re-patched from the modsites=
 *    table with no unlock site of it left inline, the re-pointed ones
 *    still calling the shim's unlock entry;
 *  - the shim itself, loaded before PVUNLOCK was set: none of its own
 *    unlock sites (own_sites_start.c) may be native.
 *
 * A module whose load or unload is in progress has no verdict yet: the
 * check is tried again a few times, then refused. Any other module that
 * is not known to be PV refuses the switch, and the lock ops stay as they
 * are (routed, with the native slow path), the kernel log naming the
 * module. Once on, a module whose unlock sites are not PV is refused at
 * its load (modtrack.c). Switching back is the same in reverse, in
 * stop_machine, and checks that no lock is marked (the hash is empty).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/log2.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/stop_machine.h>
#include <linux/string.h>
#include <asm/cpufeature.h>
#include <asm/hypervisor.h>
#include <asm/kvm_para.h>
#include <asm/paravirt.h>
#include <asm/smp.h>
#include <vmi/abi.h>

#include "base/hv_detect.h"
#include "base/ksyms.h"
#include "base/text_stop.h"
#include "compat/compat.h"
#include "patch/modsites.h"
#include "patch/modtrack.h"
#include "patch/ops.h"
#include "retrofit/pvspin.h"
#include "retrofit/retrofit.h"
#include "romload/rom.h"

#if defined(CONFIG_SMP) && defined(CONFIG_PARAVIRT_SPINLOCKS)

struct qspinlock;
struct pv_hash_entry {
	struct qspinlock *lock;
	void *node;
};

static struct {
	struct vmi_call_SPIN_WAIT spin_wait;
	struct vmi_call_KICK_CPU kick;
	struct vmi_call_VCPU_IS_PREEMPTED preempted;
	/* A swap's next entries (vmi_pvspin_swap_prepare()). */
	struct vmi_call_SPIN_WAIT next_wait;
	struct vmi_call_KICK_CPU next_kick;
	struct vmi_call_VCPU_IS_PREEMPTED next_preempted;
	struct pv_hash_entry *own_hash;	/* allocated here, if it was NULL */
	bool pvunlock_set, vcpupreempt_set;
	bool on;
} s;

static void vmi_lock_slowpath(struct qspinlock *lock, u32 val)
{
	if (READ_ONCE(s.on))
		vmi_ks.__pv_queued_spin_lock_slowpath(lock, val);
	else
		vmi_ks.native_queued_spin_lock_slowpath(lock, val);
}

/*
 * As kvm_wait: halt while *ptr == val; an NMI must not halt. Without the
 * calls (a ROM swapped in since lacks them) the wait returns at once,
 * which pv_wait() may always do, and the slow path spins.
 */
static void vmi_lock_wait(u8 *ptr, u8 val)
{
	vmi_fn(SPIN_WAIT) fn = READ_ONCE(s.spin_wait.fn);

	if (in_nmi() || !fn)
		return;
	this_cpu_inc(vmi_retro_cnt[VMI_CNT_SPIN_WAITS]);
	fn(vmi_rom.state, ptr, val);
}

static void vmi_lock_kick(int cpu)
{
	vmi_fn(KICK_CPU) fn = READ_ONCE(s.kick.fn);

	if (!fn)
		return;
	this_cpu_inc(vmi_retro_cnt[VMI_CNT_SPIN_KICKS]);
	fn(vmi_rom.state, per_cpu(x86_cpu_to_apicid, cpu));
}

/*
 * Preemption off across both reads: a caller may be preemptible (rtmutex
 * spinning under rcu_read_lock() alone), and a ROM swap must not fall
 * between the entry and the state block it reads.
 */
__visible bool vmi_vcpu_is_preempted(long cpu)
{
	vmi_fn(VCPU_IS_PREEMPTED) fn;
	bool ret;

	preempt_disable_notrace();
	fn = READ_ONCE(s.preempted.fn);
	ret = fn && fn(vmi_rom.state, cpu);
	preempt_enable_notrace();
	return ret;
}
PV_CALLEE_SAVE_REGS_THUNK(vmi_vcpu_is_preempted);

/*
 * Why the lock op of VMI call @call may not be routed, or NULL. Pure: the
 * ROM's entries were looked up by vmi_pvspin_prepare().
 */
static const char *pvspin_veto(unsigned int call)
{
	if (!vmi_hv.kvm_base)
		return VMI_WHY("no-kvm", "no KVM underneath");
	if (x86_hyper_type == X86_HYPER_KVM)
		return VMI_WHY("kernel-pv", "kernel runs KVM's own guest code");
	if (call == VMI_CALL_VCPU_IS_PREEMPTED) {
		if (!s.preempted.fn)
			return vmi_rom_too_old(call) ?:
			       VMI_WHY("rom-no-backend", "ROM has no KVM backend for it");
		if (!vmi_retro_steal_registered())
			return vmi_retro_no_steal_why();
		return vmi_text_stop_unsafe();
	}
	/* As kvm_spinlock_init(): dedicated CPUs keep the native qspinlock. */
	if (vmi_retro_realtime())
		return VMI_RETRO_WHY_REALTIME;
	if (!(vmi_hv.kvm_features & BIT(KVM_FEATURE_PV_UNHALT)))
		return VMI_WHY("host-lacks", "host does not offer PV_UNHALT");
	/* kvm_wait halts after clearing CPU buffers; an old ROM cannot. */
	if (vmi_rom.idle_verw_missing)
		return VMI_WHY("cpu-buffer-clear", "kernel clears CPU buffers before HLT, the ROM cannot");
	if (num_possible_cpus() == 1)
		return VMI_WHY("one-cpu", "one possible CPU");
	if (!s.spin_wait.fn || !s.kick.fn)
		return vmi_rom_too_old(VMI_CALL_SPIN_WAIT) ?:
		       vmi_rom_too_old(VMI_CALL_KICK_CPU) ?:
		       VMI_WHY("rom-no-backend", "ROM has no KVM backend for SpinWait/KickCPU");
	if (!vmi_ks.native_queued_spin_lock_slowpath ||
	    !vmi_ks.__pv_queued_spin_lock_slowpath || !vmi_ks.pv_lock_hash ||
	    !vmi_ks.pv_lock_hash_bits || !vmi_ks.modules ||
	    !vmi_ks.__raw_callee_save___pv_queued_spin_unlock)
		return VMI_WHY("kernel-lacks", "kernel lacks the PV qspinlock code");
	return vmi_text_stop_unsafe();
}

/* The lock ops' veto (ops.h): the core's pvspin rules, then the ROM's. */
static const char *pvspin_op_veto(const struct vmi_op *op, enum vmi_mode mode)
{
	if (!vmi_op_is_native(op))
		return VMI_WHY("kernel-paravirt", "kernel already uses a paravirt implementation");
	if (op->target_sym && !vmi_ksym(op->target_sym))
		return VMI_WHY("kernel-lacks", "kernel lacks the PV implementation");
	return pvspin_veto(op->call);
}

/* Inline native code alternatives put at the lock ops' sites. */
static const u8 alt_unlock[] = { 0xc6, 0x07, 0x00 };	/* movb $0,(%rdi) */
static const u8 alt_xor_rax[] = { 0x48, 0x31, 0xc0 };	/* xor %rax,%rax */

/* The lock ops, routed as a group; the core lists them after its own. */
enum { OP_SLOWPATH, OP_UNLOCK, OP_WAIT, OP_KICK, OP_PREEMPTED, OP_NR };
static const struct vmi_op pvspin_ops[OP_NR] = {
	[OP_SLOWPATH] = { "lock.queued_spin_lock_slowpath",
	  VMI_PV_SLOT(lock.queued_spin_lock_slowpath),
	  VMI_CALL_SPIN_WAIT, .accelerates = true,
	  .native = "native_queued_spin_lock_slowpath",
	  .adapter = vmi_lock_slowpath, .veto = pvspin_op_veto },
	[OP_UNLOCK] = { "lock.queued_spin_unlock",
	  VMI_PV_SLOT(lock.queued_spin_unlock),
	  VMI_CALL_SPIN_WAIT, .accelerates = true,
	  .native = "__raw_callee_save___native_queued_spin_unlock",
	  .target_sym = "__raw_callee_save___pv_queued_spin_unlock",
	  VMI_OP_INLINE(alt_unlock), .is_unlock = true,
	  .veto = pvspin_op_veto },
	[OP_WAIT] = { "lock.wait", VMI_PV_SLOT(lock.wait), VMI_CALL_SPIN_WAIT,
	  .accelerates = true, .adapter = vmi_lock_wait, .nop_native = true,
	  .veto = pvspin_op_veto },
	[OP_KICK] = { "lock.kick", VMI_PV_SLOT(lock.kick), VMI_CALL_KICK_CPU,
	  .accelerates = true, .adapter = vmi_lock_kick, .nop_native = true,
	  .veto = pvspin_op_veto },
	[OP_PREEMPTED] = { "lock.vcpu_is_preempted",
	  VMI_PV_SLOT(lock.vcpu_is_preempted),
	  VMI_CALL_VCPU_IS_PREEMPTED, .accelerates = true,
	  .native = "__raw_callee_save___native_vcpu_is_preempted",
	  .adapter = __raw_callee_save_vmi_vcpu_is_preempted,
	  VMI_OP_INLINE(alt_xor_rax),
	  .inline_alt = VMI_PREEMPTED_XOR_EAX, .inline_alt_len = 2,
	  .veto = pvspin_op_veto },
};

/* Index of the unlock op in vmi_ops, or -1 before registration. */
static int unlock_op = -1;

int vmi_pvspin_register_ops(void)
{
	int first = vmi_ops_register(pvspin_ops, ARRAY_SIZE(pvspin_ops));

	unlock_op = first < 0 ? -1 : first + OP_UNLOCK;
	return first < 0 ? first : 0;
}

const struct vmi_op_state *vmi_pvspin_unlock_state(void)
{
	return unlock_op < 0 ? NULL : &vmi_op_states[unlock_op];
}

/*
 * Once per load, before pv_ops is routed: the ROM's entries the lock ops
 * call, and, if the slow path may be had in @mode, from now on
 * alternatives in a loading module leave its unlock and vcpu_is_preempted
 * calls to pv_ops (ALT_NOT). With mode=off nothing of the kernel changes.
 */
void vmi_pvspin_prepare(enum vmi_mode mode)
{
	unsigned long *caps = (unsigned long *)boot_cpu_data.x86_capability;

	s.preempted.fn = vmi_retro_rom_fn(VCPU_IS_PREEMPTED);
	s.spin_wait.fn = vmi_retro_rom_fn(SPIN_WAIT);
	s.kick.fn = vmi_retro_rom_fn(KICK_CPU);
	if (mode == VMI_MODE_OFF || pvspin_veto(VMI_CALL_SPIN_WAIT))
		return;
	if (VMI_CAP_PVUNLOCK >= 0)
		s.pvunlock_set |= !test_and_set_bit(VMI_CAP_PVUNLOCK, caps);
	if (VMI_CAP_VCPUPREEMPT >= 0)
		s.vcpupreempt_set |= !test_and_set_bit(VMI_CAP_VCPUPREEMPT, caps);
}

struct flip {
	bool on;
	const char *why;
	char culprit[MODULE_NAME_LEN];	/* the module that refused it */
	bool loading;		/* ... whose load or unload is in progress */
	unsigned int modules;	/* checked, when on */
};

/*
 * Why @mod (not the shim) keeps the slow path native, or NULL, by what
 * its unlock sites are known to be now (every CPU stopped): native if the
 * table or the tracker says so, else PV if either does.
 */
static const char *module_veto(struct module *mod, bool *loading)
{
	enum vmi_unlocks table = vmi_modsites_unlocks(mod);
	enum vmi_unlocks tracked = vmi_modtrack_unlocks(mod);

	if (table == VMI_UNLOCKS_NATIVE || tracked == VMI_UNLOCKS_NATIVE)
		return VMI_WHY("module-unlock-native", "a loaded module's unlock sites are not PV");
	if (table == VMI_UNLOCKS_PV || tracked == VMI_UNLOCKS_PV)
		return NULL;
	if (READ_ONCE(mod->state) == MODULE_STATE_LIVE)
		return VMI_WHY("module-unlock-unknown", "a loaded module's unlock sites are not known to be PV");
	*loading = true;
	return VMI_WHY("module-in-transit", "a module was loading or unloading");
}

static int flip_stopped(void *data)
{
	struct flip *f = data;
	struct module *mod;
	unsigned long i, n = 1UL << *vmi_ks.pv_lock_hash_bits;
	unsigned int total;

	if (f->on) {
		if (vmi_modtrack_own_native_unlocks(&total)) {
			f->why = VMI_WHY("own-unlock-native", "vmi_shim's own unlock sites are not PV");
			strscpy(f->culprit, THIS_MODULE->name,
				sizeof(f->culprit));
			return 0;
		}
		list_for_each_entry_rcu(mod, vmi_ks.modules, list) {
			if (mod == THIS_MODULE)
				continue;
			f->why = module_veto(mod, &f->loading);
			if (f->why) {
				strscpy(f->culprit, mod->name,
					sizeof(f->culprit));
				return 0;
			}
			f->modules++;
		}
	} else {
		for (i = 0; i < n; i++) {
			if (READ_ONCE((*vmi_ks.pv_lock_hash)[i].lock)) {
				f->why = VMI_WHY("lock-marked", "a lock is still marked in pv_lock_hash");
				return 0;
			}
		}
	}
	WRITE_ONCE(s.on, f->on);
	vmi_modtrack_refuse_native_unlocks(f->on);
	return 0;
}

/* After sites are patched: switch the slow path to PV, or say why not. */
const char *vmi_pvspin_switch_on(bool unlock_routed, unsigned int kept)
{
	struct flip f;
	unsigned int entries, tries, own;

	if (!unlock_routed)
		return VMI_WHY("not-routed", "lock ops not routed");
	if (kept)
		return VMI_WHY("module-unlock-inline", "inline unlock sites left in modules");
	if (!*vmi_ks.pv_lock_hash) {
		entries = roundup_pow_of_two(4 * num_possible_cpus());
		s.own_hash = kvcalloc(entries, sizeof(*s.own_hash), GFP_KERNEL);
		if (!s.own_hash)
			return VMI_WHY("no-memory", "out of memory");
		WRITE_ONCE(*vmi_ks.pv_lock_hash_bits, ilog2(entries));
		WRITE_ONCE(*vmi_ks.pv_lock_hash, s.own_hash);
	}
	/* A load or unload in progress has no verdict yet: wait for it. */
	for (tries = 0; ; tries++) {
		f = (struct flip){ .on = true };
		/*
		 * flip_stopped() reads the tracker's records and the module
		 * table's verdicts, which their writers change under the
		 * tracker's lock: a writer preempted halfway (preempt=full)
		 * would leave them half-written under the stopped CPUs. Not
		 * held across the retries: a loading module's notifier
		 * needs it to get past COMING.
		 */
		vmi_modtrack_lock();
		stop_machine(flip_stopped, &f, NULL);
		vmi_modtrack_unlock();
		if (!f.loading || tries == 20)
			break;
		msleep(50);
	}
	if (f.why) {
		pr_warn("PV spinlocks stay off: %s (module %s)\n", f.why,
			f.culprit);
		return f.why;
	}
	vmi_modtrack_own_native_unlocks(&own);
	pr_info("PV spinlocks on (pv_lock_hash %u entries; unlock sites checked in %u modules and %u of vmi_shim's own)\n",
		1U << *vmi_ks.pv_lock_hash_bits, f.modules, own);
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
	if (s.own_hash && *vmi_ks.pv_lock_hash == s.own_hash) {
		WRITE_ONCE(*vmi_ks.pv_lock_hash, NULL);
		WRITE_ONCE(*vmi_ks.pv_lock_hash_bits, 0);
		kvfree(s.own_hash);
		s.own_hash = NULL;
	}
	if (s.pvunlock_set)
		clear_bit(VMI_CAP_PVUNLOCK, caps);
	if (s.vcpupreempt_set)
		clear_bit(VMI_CAP_VCPUPREEMPT, caps);
	s.pvunlock_set = false;
	s.vcpupreempt_set = false;
}

/*
 * A swap to @next (retrofit.c): the lock ops' entries there. The slow
 * path stays PV whatever @next has (switching it needs every lock free);
 * without SpinWait and KickCPU it spins instead of halting.
 */
const char *vmi_pvspin_swap_prepare(const struct vmi_rom *next,
				    const char *preempted_why)
{
	const char *why;

	why = vmi_retro_unavailable_in(next, VMI_CALL_SPIN_WAIT,
				       KVM_FEATURE_PV_UNHALT) ?:
	      vmi_retro_unavailable_in(next, VMI_CALL_KICK_CPU, -1);
	if (!why && next->idle_verw_missing)
		why = VMI_WHY("cpu-buffer-clear", "kernel clears CPU buffers before HLT, the ROM cannot");
	s.next_wait.fn = why ? NULL :
			 vmi_retro_rom_call_in(next, VMI_CALL_SPIN_WAIT);
	s.next_kick.fn = why ? NULL :
			 vmi_retro_rom_call_in(next, VMI_CALL_KICK_CPU);
	s.next_preempted.fn = preempted_why ? NULL :
		vmi_retro_rom_call_in(next, VMI_CALL_VCPU_IS_PREEMPTED);
	return why;
}

/* Every CPU stopped: no CPU is inside a lock's slow path. */
void vmi_pvspin_swap_publish(void)
{
	WRITE_ONCE(s.spin_wait.fn, s.next_wait.fn);
	WRITE_ONCE(s.kick.fn, s.next_kick.fn);
	WRITE_ONCE(s.preempted.fn, s.next_preempted.fn);
}

#endif /* CONFIG_SMP && CONFIG_PARAVIRT_SPINLOCKS */
