// SPDX-License-Identifier: GPL-2.0
/*
 * Modules loaded while ops are routed: the kernel patches their paravirt
 * call sites with the then-current pv_ops values, i.e. the shim's entries.
 * Their sites must be put back before the shim goes.
 *
 * The kernel hands a loading module's site list to one function (6.1:
 * apply_paravirt(), .parainstructions; 6.8+: apply_alternatives(),
 * .altinstructions); a kprobe there records it in the record of the
 * load, which a kretprobe on load_module() keeps from its entry to its
 * return (in the instance's own data: one per load, never stale). When
 * the module comes (before its init runs) the sites that now call one of
 * the shim's entries are recorded, or, if the shim is already on its way
 * out, pointed back at the kernel's implementation at once. A load that
 * has no record (more than max_loads in flight) is refused at COMING:
 * exactly the one that could not be followed.
 *
 * Unload: pv_ops first goes back (no new binding), every recorded module is
 * restored under bound_lock (which holds off their GOING, so their memory
 * stays), and loads still between the kprobe and COMING are waited for.
 *
 * PV spinlocks (pvspin.c) need every unlock site of every module to be
 * the PV unlock. The site list the kernel hands over is the module's
 * whole list, so at COMING each of its unlock sites is looked at: one
 * that does not call the shim's unlock entry (a load that read pv_ops
 * while routing was half done, or a module whose alternatives put the
 * native unlock there) is counted in the module's record; while PV
 * spinlocks are on such a load is refused. A module none of whose sites
 * calls the shim keeps a record too (not counted as bound): it carries
 * the verdict, e.g. that the module has no unlock site at all, which the
 * switch would otherwise have to treat as unknown and refuse.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/iopoll.h>
#include <linux/kprobes.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/rculist.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "base/fail_verify.h"
#include "base/insn.h"
#include "base/ksyms.h"
#include "base/trace.h"
#include "compat/compat.h"
#include "patch/modsites.h"
#include "patch/modtrack.h"
#include "patch/ops.h"
#include "patch/sites.h"

#define MAX_LOADS	1024

/*
 * One module load in flight, in its kretprobe instance's data (see the
 * top of this file): the site list the kernel patched, once seen.
 */
struct load_rec {
	struct list_head node;		/* in loads, under loads_lock */
	struct task_struct *task;
	void *start, *end;		/* site list, or NULL: none seen */
	u64 seq;			/* order in which loads reached the kprobe */
	unsigned long missed;		/* the patcher kprobe's misses at entry */
	bool taken;			/* COMING has read it */
};

struct bound_module {
	struct list_head node;
	struct module *mod;
	struct vmi_repoints s;
	/* Unlock sites that are not the PV unlock, in core and init text. */
	unsigned int native_unlocks, native_unlocks_init;
	bool counted;		/* in nr_bound: it came with sites to put back */
};

static unsigned int max_loads = 64;
module_param(max_loads, uint, 0444);
MODULE_PARM_DESC(max_loads, "module loads followed at once while ops are routed (1-1024, default 64); a load beyond is refused");

/* Before COMING looks up its record, so loads pile up (modtrack_burst.sh). */
static unsigned int coming_delay_ms;
module_param(coming_delay_ms, uint, 0444);
MODULE_PARM_DESC(coming_delay_ms, "test hook: delay each module's COMING by this many ms (docs/sysfs.md)");

static DEFINE_SPINLOCK(loads_lock);
static LIST_HEAD(loads);
static bool loads_closed;	/* stopping: record no new load */
static LIST_HEAD(bound_modules);
static DEFINE_MUTEX(bound_lock);
static unsigned int nr_bound;
static bool unbinding;		/* shim on its way out: bind nothing new */
/*
 * Modules that loaded although refused (refuse_load()), under
 * bound_lock: the shim stays while one is there; for good if one could
 * not be recorded.
 */
struct untracked {
	struct list_head node;
	struct module *mod;
};
static LIST_HEAD(untracked_modules);
static bool untracked_lost;
static bool tracking_live;	/* armed: a load not recorded is refused */
static u64 load_seq;		/* loads seen by the kprobe (loads_lock) */
static u64 unbind_seq;		/* load_seq when pv_ops had gone back */

/* The record of the load the current task is in, or NULL. */
static struct load_rec *current_load(void)
{
	struct load_rec *r;

	lockdep_assert_held(&loads_lock);
	list_for_each_entry(r, &loads, node)
		if (r->task == current)
			return r;
	return NULL;
}

/*
 * Runs in the loading task, before the kernel patches the sites: the
 * load's record gets the site list. Whether pv_ops points at the shim is
 * decided later, by what the sites call at COMING. A task with no record
 * is in no load the kretprobe took, or in none: COMING refuses the first.
 */
static int patcher_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct load_rec *r;
	unsigned long flags;

	spin_lock_irqsave(&loads_lock, flags);
	r = current_load();
	if (r && !r->taken) {
		r->start = (void *)vmi_kprobe_arg0(regs);
		r->end = (void *)vmi_kprobe_arg1(regs);
		r->seq = ++load_seq;
	}
	spin_unlock_irqrestore(&loads_lock, flags);
	return 0;
}

static struct kprobe patcher_kp = {
	.symbol_name = VMI_SITE_PATCHER,
	.pre_handler = patcher_pre,
};

/* load_module() entered: a record for this load, unless stopping. */
static int load_enter(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct load_rec *r = (struct load_rec *)ri->data;
	unsigned long flags;
	int skip;

	memset(r, 0, sizeof(*r));
	r->task = current;
	r->missed = READ_ONCE(patcher_kp.nmissed);
	spin_lock_irqsave(&loads_lock, flags);
	skip = loads_closed;
	if (!skip)
		list_add(&r->node, &loads);
	spin_unlock_irqrestore(&loads_lock, flags);
	return skip;	/* non-zero: no instance, no return handler */
}

/* load_module() returned: its record goes with it. */
static int load_done(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct load_rec *r = (struct load_rec *)ri->data;
	unsigned long flags;

	spin_lock_irqsave(&loads_lock, flags);
	list_del_init(&r->node);
	spin_unlock_irqrestore(&loads_lock, flags);
	return 0;
}

static struct kretprobe load_krp = {
	.kp.symbol_name = "load_module",
	.entry_handler = load_enter,
	.handler = load_done,
	.data_size = sizeof(struct load_rec),
};

/*
 * At COMING, in the loading task: the site list of its load (NULL, NULL
 * if the kernel patched none, or if *@unsure: the kprobe missed a hit
 * or was disabled meanwhile, so "none" is not known). False if the load
 * has no record.
 */
static bool take_record(void **start, void **end, bool *unsure)
{
	struct load_rec *r;
	unsigned long flags;

	spin_lock_irqsave(&loads_lock, flags);
	r = current_load();
	if (r) {
		*start = r->start;
		*end = r->end;
		*unsure = READ_ONCE(patcher_kp.nmissed) != r->missed ||
			  kprobe_disabled(&patcher_kp);
		r->taken = true;
	}
	spin_unlock_irqrestore(&loads_lock, flags);
	return r;
}

/* The op whose entry @target is, or -1 (also for NULL: no call). */
static int thunk_op(const void *target)
{
	unsigned int i;

	for (i = 0; i < vmi_nr_ops; i++)
		if (vmi_op_states[i].thunk && vmi_op_states[i].thunk == target)
			return i;
	return -1;
}

static bool refuse_native_unlocks;	/* set while PV spinlocks are on */

void vmi_modtrack_refuse_native_unlocks(bool on)
{
	WRITE_ONCE(refuse_native_unlocks, on);
}

/* The unlock op's index in vmi_ops, or -1 (no PARAVIRT_SPINLOCKS). */
static int unlock_op(void)
{
	unsigned int i;

	for (i = 0; i < vmi_nr_ops; i++)
		if (vmi_ops[i]->is_unlock)
			return i;
	return -1;
}

enum { UNLOCK_NONE, UNLOCK_PV, UNLOCK_NATIVE };

/* The kernel's native unlock (pv_ops' value before routing), or NULL. */
static void *native_unlock;

/*
 * What the site of @e at @site, holding @insn (its first CALL_INSN_SIZE
 * bytes), is as an unlock: the PV unlock (a call to the shim's unlock
 * entry), the native one (a call to what pv_ops held before routing, the
 * inline "movb $0,(%rdi)" alternatives put there, or anything else at a
 * site the kernel recorded as an unlock), or no unlock site at all.
 */
static int unlock_kind(const struct vmi_site_entry *e, const u8 *site,
		       const u8 *insn)
{
	static const u8 movb0[] = { 0xc6, 0x07, 0x00 };
	int op = unlock_op();
	const void *target;

	if (op < 0)
		return UNLOCK_NONE;
	target = vmi_rel32_target(insn, site, CALL_INSN_OPCODE);
	if (target) {
		if (vmi_op_states[op].routed &&
		    target == vmi_op_states[op].thunk)
			return UNLOCK_PV;
		if (target == vmi_op_states[op].orig ||
		    target == native_unlock)
			return UNLOCK_NATIVE;
	}
	if (!memcmp(insn, movb0, sizeof(movb0)) ||
	    vmi_site_entry_is_slot(e, vmi_ops[op]->slot))
		return UNLOCK_NATIVE;
	return UNLOCK_NONE;
}

/* Off bound_modules (a node never added is empty) and nr_bound; freed. */
static void free_bound(struct bound_module *b)
{
	list_del(&b->node);
	nr_bound -= b->counted;
	kfree(b->s.addrs);
	kfree(b);
}

/*
 * Copy the entry at @at of a list ending at @end into @e: the last may be
 * shorter than the struct (VMI_SITE_ENTRY_USED), the rest is zeroed. 0,
 * or -EFAULT (unreadable, or cut short of the fields the kernel reads).
 */
static int read_entry(struct vmi_site_entry *e,
		      const struct vmi_site_entry *at, const void *end)
{
	size_t n = min_t(size_t, sizeof(*e), end - (const void *)at);

	memset(e, 0, sizeof(*e));
	if (n < VMI_SITE_ENTRY_USED || copy_from_kernel_nofault(e, at, n))
		return -EFAULT;
	return 0;
}

/*
 * Collect the sites of a coming module that call the shim. The list and
 * every site must lie in @mod's memory, and are read through the
 * nofault helpers. NULL (out of memory, or a list that is not @mod's).
 */
static struct bound_module *scan_module(struct module *mod, void *start,
					void *end)
{
	const struct vmi_site_entry *at;
	struct bound_module *b;
	u8 *last_unlock = NULL;

	if (end < start || (end > start &&
	    (!within_module((unsigned long)start, mod) ||
	     !within_module((unsigned long)end - 1, mod)))) {
		pr_err("%s: its site list [%p, %p) is not in the module\n",
		       mod->name, start, end);
		return NULL;
	}
	b = kzalloc(sizeof(*b), GFP_KERNEL);
	if (!b)
		return NULL;
	INIT_LIST_HEAD(&b->node);
	b->mod = mod;
	if (vmi_repoints_alloc(&b->s, DIV_ROUND_UP(end - start, sizeof(*at))))
		goto err;
	for (at = start; (void *)at < end; at++) {
		struct vmi_site_entry e;
		u8 *site, insn[CALL_INSN_SIZE];
		int op;

		if (read_entry(&e, at, end))
			goto err;
		site = vmi_site_entry_addr(at, &e);
		if (!within_module((unsigned long)site, mod) ||
		    !within_module((unsigned long)site + CALL_INSN_SIZE - 1, mod) ||
		    copy_from_kernel_nofault(insn, site, CALL_INSN_SIZE))
			continue;
		/* One site, several alternatives (6.12's ALT_CALL + ALT_NOT). */
		if (site != last_unlock &&
		    unlock_kind(&e, site, insn) == UNLOCK_NATIVE) {
			last_unlock = site;
			if (within_module_init((unsigned long)site, mod))
				b->native_unlocks_init++;
			else
				b->native_unlocks++;
		}
		op = thunk_op(vmi_rel32_target(insn, site, CALL_INSN_OPCODE));
		if (op < 0 || (b->s.nr && b->s.addrs[b->s.nr - 1] == site))
			continue;
		b->s.addrs[b->s.nr] = site;
		b->s.orig[b->s.nr] = vmi_op_states[op].orig;
		b->s.thunk[b->s.nr++] = vmi_op_states[op].thunk;
	}
	return b;
err:
	free_bound(b);
	return NULL;
}

/* Init text is freed after LIVE: forget the sites and unlocks there. */
static void drop_init_sites(struct bound_module *b)
{
	unsigned int i, n = 0;

	for (i = 0; i < b->s.nr; i++) {
		if (within_module_init((unsigned long)b->s.addrs[i], b->mod))
			continue;
		b->s.addrs[n] = b->s.addrs[i];
		b->s.orig[n] = b->s.orig[i];
		b->s.thunk[n] = b->s.thunk[i];
		n++;
	}
	b->s.nr = n;
	WRITE_ONCE(b->native_unlocks_init, 0);
}

/*
 * Refuse @mod's load with @err, bound_lock held. A kernel before 5.10
 * ignores what a module notifier answers at COMING: the module loads
 * anyway and may call the shim where nothing recorded it, so the shim
 * cannot unbind (vmi_modtrack_unbind()) until that module is gone.
 */
static int refuse_load(struct module *mod, int err)
{
	struct untracked *u;

	if (vmi_module_load_refusable())
		return notifier_from_errno(err);
	u = kmalloc(sizeof(*u), GFP_KERNEL);
	if (u) {
		u->mod = mod;
		list_add_tail(&u->node, &untracked_modules);
	} else {
		untracked_lost = true;
	}
	pr_crit("%s: this kernel cannot fail a module load from a notifier: it loads and may call vmi_shim untracked, so vmi_shim stays loaded until it is gone\n",
		mod->name);
	return NOTIFY_OK;
}

/* The first module that loaded although refused and is still there. */
static struct module *untracked_module(void)
{
	struct untracked *u = list_first_entry_or_null(&untracked_modules,
						       struct untracked, node);

	return u ? u->mod : NULL;
}

static int vmi_module_notify(struct notifier_block *nb, unsigned long state,
			     void *data)
{
	struct module *mod = data;
	struct bound_module *b, *tmp;
	struct untracked *u, *utmp;
	void *start, *end;
	bool unsure;
	int ret = NOTIFY_OK;

	if (state == MODULE_STATE_COMING && coming_delay_ms)
		msleep(min(coming_delay_ms, 1000U));
	mutex_lock(&bound_lock);
	if (state == MODULE_STATE_COMING && !take_record(&start, &end, &unsure)) {
		/*
		 * Not followed since load_module(): more loads in flight than
		 * max_loads, or one that began before the tracker was armed.
		 * Its sites may call the shim unrecorded: refuse exactly it.
		 */
		if (smp_load_acquire(&tracking_live)) {
			pr_err("%s: load not followed by vmi_shim (more than max_loads=%u at once?); refused, retry\n",
			       mod->name, max_loads);
			ret = refuse_load(mod, -EBUSY);
		}
	} else if (state == MODULE_STATE_COMING) {
		b = scan_module(mod, start, end);
		if (!b) {
			/* Refuse the load rather than let it bind untracked. */
			pr_err("%s: its calls into vmi_shim cannot be tracked; load refused\n",
			       mod->name);
			ret = refuse_load(mod, -ENOMEM);
		} else if ((b->native_unlocks || b->native_unlocks_init) &&
			   READ_ONCE(refuse_native_unlocks)) {
			/*
			 * A marked lock it unlocks natively would leave its
			 * waiter halted: refuse it (its code never runs).
			 */
			pr_err("%s: %u unlock sites do not call the PV unlock while PV spinlocks are on; load refused\n",
			       mod->name,
			       b->native_unlocks + b->native_unlocks_init);
			ret = refuse_load(mod, -EPERM);
			free_bound(b);
		} else if (!b->s.nr && (unsure || test_bit(TAINT_FORCED_MODULE,
							 &mod->taints))) {
			/*
			 * Nothing to put back, and no verdict: its site list
			 * may have gone unseen, or (forced past its vermagic)
			 * its unlocks may be inline with no entry in it.
			 */
			free_bound(b);
		} else if (unbinding) {
			/*
			 * Bound during our unload: put it back before it
			 * runs, or refuse it (its code never runs then).
			 */
			if (vmi_text_repoint(b->s.addrs, b->s.thunk, b->s.orig,
					     b->s.nr)) {
				pr_err("%s: call sites not restored; load refused\n",
				       mod->name);
				ret = refuse_load(mod, -EBUSY);
			}
			free_bound(b);
		} else {
			/* With no site bound, for its verdict (see above). */
			list_add(&b->node, &bound_modules);
			b->counted = b->s.nr;
			nr_bound += b->counted;
			if (b->counted)
				pr_info("%s: %u call sites bound to the ROM\n",
					mod->name, b->s.nr);
		}
	} else if (state == MODULE_STATE_LIVE) {
		list_for_each_entry(b, &bound_modules, node)
			if (b->mod == mod)
				drop_init_sites(b);
	} else if (state == MODULE_STATE_GOING) {
		list_for_each_entry_safe(u, utmp, &untracked_modules, node) {
			if (u->mod != mod)
				continue;
			list_del(&u->node);
			kfree(u);
			pr_info("%s, loaded although refused, is gone\n",
				mod->name);
		}
		vmi_modsites_gone(mod);
		list_for_each_entry_safe(b, tmp, &bound_modules, node)
			if (b->mod == mod)
				free_bound(b);
	}
	mutex_unlock(&bound_lock);
	return ret;
}

static struct notifier_block vmi_module_nb = {
	.notifier_call = vmi_module_notify,
};

/*
 * A module in @state, called @name unless that is NULL, or NULL. Beyond
 * the RCU read side it may go, unless the caller holds off its GOING
 * (vmi_modtrack_lock()).
 */
struct module *vmi_module_find(const char *name, enum module_state state)
{
	struct list_head *modules = vmi_ks.modules;
	struct module *mod, *found = NULL;

	if (!modules)
		return NULL;
	rcu_read_lock();
	list_for_each_entry_rcu(mod, modules, list) {
		if (READ_ONCE(mod->state) == state &&
		    (!name || !strcmp(mod->name, name))) {
			found = mod;
			break;
		}
	}
	rcu_read_unlock();
	return found;
}

/* Is any module between allocation and formation (UNFORMED)? */
static bool loads_unformed(void)
{
	return vmi_module_find(NULL, MODULE_STATE_UNFORMED);
}

/* Wait up to 10 s for busy() to turn false; true if it did. */
static bool wait_for(bool (*busy)(void))
{
	bool b;

	return !read_poll_timeout(busy, b, !b, 20 * USEC_PER_MSEC,
				  10 * USEC_PER_SEC, false);
}

/*
 * Arm the watch before pv_ops changes: every module that patches its sites
 * from now on is recorded. A loader that began patching before the kprobe
 * was armed is still UNFORMED; wait for it to pass.
 */
int vmi_modtrack_start(void)
{
	int err;

	err = vmi_text_init();
	if (err)
		return err;
	if (!max_loads || max_loads > MAX_LOADS) {
		pr_err("max_loads=%u: want 1 to %u\n", max_loads, MAX_LOADS);
		return -EINVAL;
	}
	load_krp.maxactive = max_loads;
	native_unlock = unlock_op() < 0 ? NULL :
			vmi_op_native(vmi_ops[unlock_op()]);
	unbinding = false;
	tracking_live = false;
	INIT_LIST_HEAD(&loads);
	loads_closed = false;
	err = register_module_notifier(&vmi_module_nb);
	if (err)
		return err;
	err = register_kprobe(&patcher_kp);
	if (err) {
		pr_err("cannot watch %s (kprobe: %d): modules loaded later could not be restored\n",
		       VMI_SITE_PATCHER, err);
		goto err_notifier;
	}
	err = register_kretprobe(&load_krp);
	if (err) {
		pr_err("cannot watch load_module (kretprobe: %d)\n", err);
		goto err_kprobe;
	}
	if (!wait_for(loads_unformed)) {
		pr_err("a module load has been in progress for 10 s; try again\n");
		err = -EBUSY;
		goto err_kretprobe;
	}
	/*
	 * From here on pv_ops may point at the shim: a load that reaches
	 * COMING without a record may have bound to it, and is refused. One
	 * that got there before patched its sites with the kernel's pv_ops.
	 */
	smp_store_release(&tracking_live, true);
	return 0;

err_kretprobe:
	unregister_kretprobe(&load_krp);
err_kprobe:
	unregister_kprobe(&patcher_kp);
err_notifier:
	unregister_module_notifier(&vmi_module_nb);
	return err;
}

/*
 * Is a load that reached the kprobe before pv_ops went back still on its
 * way to COMING? Later ones read the kernel's pv_ops and cannot bind.
 */
static bool pending_loads(void)
{
	struct load_rec *r;
	unsigned long flags;
	bool any = false;

	spin_lock_irqsave(&loads_lock, flags);
	list_for_each_entry(r, &loads, node)
		any |= r->start && !r->taken && r->seq <= unbind_seq;
	spin_unlock_irqrestore(&loads_lock, flags);
	return any;
}

/*
 * Called after pv_ops went back: restore every bound module, then wait
 * for loads that may still bind on their way to COMING. 0 when every
 * site read back restored and no load is left that could still bind.
 * Otherwise the modules not restored stay recorded (their sites still
 * call the shim) and the tracker must stay armed: -EIO if a restore did
 * not read back; -EBUSY if a module's sites no longer held what the shim
 * wrote (nothing written there: a kprobe armed since the check, say) or
 * a load did not finish within 10 s, which may pass, so the caller can
 * try again.
 */
int vmi_modtrack_unbind(void)
{
	struct bound_module *b, *tmp;
	unsigned long flags;
	int err = 0, ret;

	spin_lock_irqsave(&loads_lock, flags);
	unbind_seq = load_seq;
	spin_unlock_irqrestore(&loads_lock, flags);

	mutex_lock(&bound_lock);
	unbinding = true;
	if (untracked_lost) {
		pr_crit("a module loaded although refused and could not be recorded: vmi_shim stays loaded\n");
		err = -EIO;
	} else if (untracked_module()) {
		pr_err("%s loaded although refused (this kernel cannot refuse a load): it may call vmi_shim untracked; unload it, then try again\n",
		       untracked_module()->name);
		err = -EBUSY;
	}
	list_for_each_entry_safe(b, tmp, &bound_modules, node) {
		u64 t0 = ktime_get_ns();

		if (!b->counted) {	/* a verdict only: nothing to restore */
			free_bound(b);
			continue;
		}
		ret = vmi_fail_verify(VMI_FAIL_UNBIND_BUSY) ? -EBUSY :
		      vmi_text_repoint(b->s.addrs, b->s.thunk, b->s.orig,
				       b->s.nr);
		if (ret == -EBUSY) {
			pr_err("%s: call sites changed under the shim, nothing written there; try again once that is gone\n",
			       b->mod->name);
			err = err ?: -EBUSY;
			continue;
		}
		if (ret) {
			pr_crit("%s: call sites not restored\n", b->mod->name);
			err = -EIO;
			continue;
		}
		pr_info("%s: %u call sites restored\n", b->mod->name, b->s.nr);
		trace_vmi_sites_restore(b->mod->name, b->s.nr,
					ktime_get_ns() - t0);
		free_bound(b);
	}
	mutex_unlock(&bound_lock);

	/* Loads still on their way are put back at COMING (unbinding). */
	if (vmi_fail_verify(VMI_FAIL_UNBIND_WAIT) || !wait_for(pending_loads)) {
		pr_err("a module load did not finish in 10 s; it may still call vmi_shim\n");
		err = err ?: -EBUSY;
	}
	return err;
}

void vmi_modtrack_stop(void)
{
	struct bound_module *b, *tmp;
	unsigned long flags;

	WRITE_ONCE(tracking_live, false);
	unregister_module_notifier(&vmi_module_nb);
	unregister_kprobe(&patcher_kp);
	/*
	 * No new record from here on; those of loads in flight leave the
	 * list as the loads return, until the kretprobe goes. Nothing reads
	 * the list after this (start begins a new one).
	 */
	spin_lock_irqsave(&loads_lock, flags);
	loads_closed = true;
	spin_unlock_irqrestore(&loads_lock, flags);
	unregister_kretprobe(&load_krp);
	/*
	 * Records kept only for their verdict (a failed load has not been
	 * through vmi_modtrack_unbind()); those with sites stay listed.
	 */
	mutex_lock(&bound_lock);
	list_for_each_entry_safe(b, tmp, &bound_modules, node)
		if (!b->counted)
			free_bound(b);
	mutex_unlock(&bound_lock);
}

/*
 * bound_lock for callers outside this file. Modules loaded before the
 * shim (modsites.c): held across the check that the module is LIVE, the
 * patching and vmi_modtrack_add(), so its GOING (which frees its memory
 * afterwards) waits for all of it. The PV spinlock switch (pvspin.c):
 * held around its stop_machine(), so that no writer of a record or of a
 * module's verdict is stopped halfway.
 */
void vmi_modtrack_lock(void)
{
	mutex_lock(&bound_lock);
}

void vmi_modtrack_unlock(void)
{
	mutex_unlock(&bound_lock);
}

/* Room for @cap sites in @r, none yet, in one allocation: kfree(r->addrs). */
int vmi_repoints_alloc(struct vmi_repoints *r, unsigned int cap)
{
	void **p = kcalloc(cap, 3 * sizeof(*p), GFP_KERNEL);

	if (!p)
		return -ENOMEM;
	r->addrs = (u8 **)p;
	r->orig = p + cap;
	r->thunk = p + 2 * cap;
	r->nr = 0;
	return 0;
}

/* Track the re-pointed sites @r of @mod; takes over their arrays. */
int vmi_modtrack_add(struct module *mod, const struct vmi_repoints *r)
{
	struct bound_module *b;

	lockdep_assert_held(&bound_lock);
	b = kzalloc(sizeof(*b), GFP_KERNEL);
	if (!b)
		return -ENOMEM;
	b->mod = mod;
	b->s = *r;
	b->counted = true;
	list_add(&b->node, &bound_modules);
	nr_bound++;
	return 0;
}

/*
 * Could every bound module's sites be put back now? -EBUSY (each culprit
 * logged) if one no longer calls the shim: a kprobe armed there, say.
 */
int vmi_modtrack_check_restore(void)
{
	struct bound_module *b;
	int err = 0;

	mutex_lock(&bound_lock);
	list_for_each_entry(b, &bound_modules, node)
		if (vmi_text_calls_check(b->s.addrs, b->s.thunk, b->s.nr))
			err = -EBUSY;
	mutex_unlock(&bound_lock);
	return err;
}

unsigned int vmi_modtrack_bound(void)
{
	return READ_ONCE(nr_bound);
}

/*
 * What @mod's unlock sites are, for the PV spinlock switch (every CPU
 * stopped, bound_lock held: vmi_modtrack_lock()). Known only for a module
 * with a record (one that came while the tracker was live): PV if no
 * unlock site of its list was anything but the PV unlock when it came
 * (none at all counts), and each of those that call the shim's unlock
 * entry still does; native otherwise.
 */
enum vmi_unlocks vmi_modtrack_unlocks(struct module *mod)
{
	enum vmi_unlocks ret = VMI_UNLOCKS_UNKNOWN;
	struct bound_module *b;
	unsigned int i;
	u8 insn[CALL_INSN_SIZE];
	int op = unlock_op();

	/* Every record of it (its own, and modsites' if it had one too). */
	list_for_each_entry(b, &bound_modules, node) {
		if (READ_ONCE(b->mod) != mod)
			continue;
		if (op < 0 || !vmi_op_states[op].routed ||
		    READ_ONCE(b->native_unlocks) ||
		    READ_ONCE(b->native_unlocks_init))
			return VMI_UNLOCKS_NATIVE;
		for (i = 0; i < b->s.nr; i++) {
			if (b->s.thunk[i] != vmi_op_states[op].thunk)
				continue;
			if (copy_from_kernel_nofault(insn, b->s.addrs[i],
						     CALL_INSN_SIZE) ||
			    !vmi_is_call_to(insn, b->s.addrs[i], b->s.thunk[i]))
				return VMI_UNLOCKS_NATIVE;
		}
		ret = VMI_UNLOCKS_PV;
	}
	return ret;
}

/*
 * The shim's own unlock sites: it was loaded before X86_FEATURE_PVUNLOCK
 * was set, so any it has are the native unlock, and nothing re-patches
 * them. Its site list lies between the two markers that the first and
 * the last object of the module put in the section (own_sites_*.c).
 * Returns how many are not the PV unlock (UINT_MAX: unreadable), and in
 * *@total how many unlock sites there are.
 */
unsigned int vmi_modtrack_own_native_unlocks(unsigned int *total)
{
	const struct vmi_site_entry *at;
	unsigned int native = 0;
	u8 *last = NULL;

	*total = 0;
	for (at = (const void *)vmi_own_sites_start;
	     (const char *)at < vmi_own_sites_end; at++) {
		struct vmi_site_entry e;
		u8 *site, insn[CALL_INSN_SIZE];
		int kind;

		if (read_entry(&e, at, vmi_own_sites_end))
			goto unreadable;
		site = vmi_site_entry_addr(at, &e);
		if (copy_from_kernel_nofault(insn, site, CALL_INSN_SIZE))
			goto unreadable;
		/* One site, several alternatives (6.12's ALT_CALL + ALT_NOT). */
		kind = site == last ? UNLOCK_NONE : unlock_kind(&e, site, insn);
		if (kind == UNLOCK_NONE)
			continue;
		last = site;
		(*total)++;
		native += kind == UNLOCK_NATIVE;
	}
	return native;
unreadable:
	*total = 0;
	return UINT_MAX;
}
