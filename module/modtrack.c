// SPDX-License-Identifier: GPL-2.0
/*
 * Modules loaded while ops are routed: the kernel patches their paravirt
 * call sites with the then-current pv_ops values, i.e. the shim's entries.
 * Their sites must be put back before the shim goes.
 *
 * The kernel hands a loading module's site list to one function (6.1:
 * apply_paravirt(), .parainstructions; 6.8+: apply_alternatives(),
 * .altinstructions); a kprobe there records it for the loading task. When
 * the module comes (before its init runs) the sites that now call one of
 * the shim's entries are recorded, or, if the shim is already on its way
 * out, pointed back at the kernel's implementation at once.
 *
 * Unload: pv_ops first goes back (no new binding), every recorded module is
 * restored under bound_lock (which holds off their GOING, so their memory
 * stays), and loads still between the kprobe and COMING are waited for.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/kprobes.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/uaccess.h>
#include <asm/alternative.h>
#include <asm/paravirt_types.h>

#include "compat.h"
#include "ksyms.h"
#include "modtrack.h"
#include "ops.h"
#include "shim.h"
#include "sites.h"

#define CALL_LEN	5
#define MAX_PENDING	16

/* A module's site list as the kernel patched it, per loading task. */
struct pending {
	struct task_struct *task;
	void *start, *end;
};

struct bound_module {
	struct list_head node;
	struct module *mod;
	unsigned int nr;
	u8 **addrs;
	void **orig;
};

static DEFINE_SPINLOCK(pending_lock);
static struct pending pending[MAX_PENDING];
static LIST_HEAD(bound_modules);
static DEFINE_MUTEX(bound_lock);
static unsigned int nr_bound;
static bool unbinding;		/* shim on its way out: bind nothing new */

#ifdef VMI_HAVE_PARAINSTRUCTIONS
#define SITE_PATCHER "apply_paravirt"
#define site_entry paravirt_patch_site

static u8 *entry_addr(const struct site_entry *e)
{
	return e->instr;
}
#else
#define SITE_PATCHER "apply_alternatives"
#define site_entry alt_instr

static u8 *entry_addr(const struct site_entry *e)
{
	return (u8 *)&e->instr_offset + e->instr_offset;
}
#endif

/* Runs in the loading task, before the kernel patches the sites. */
static int patcher_pre(struct kprobe *kp, struct pt_regs *regs)
{
	unsigned long flags;
	int i;

	if (!READ_ONCE(vmi_shim_routing_active))
		return 0;
	spin_lock_irqsave(&pending_lock, flags);
	for (i = 0; i < MAX_PENDING; i++) {
		if (!pending[i].task || pending[i].task == current) {
			pending[i].task = current;
			pending[i].start = (void *)regs->di;
			pending[i].end = (void *)regs->si;
			break;
		}
	}
	spin_unlock_irqrestore(&pending_lock, flags);
	if (i == MAX_PENDING)
		pr_warn("too many modules loading at once: one may stay bound\n");
	return 0;
}

static struct kprobe patcher_kp = {
	.symbol_name = SITE_PATCHER,
	.pre_handler = patcher_pre,
};

static bool take_pending(void **start, void **end)
{
	unsigned long flags;
	bool found = false;
	int i;

	spin_lock_irqsave(&pending_lock, flags);
	for (i = 0; i < MAX_PENDING; i++) {
		if (pending[i].task != current)
			continue;
		*start = pending[i].start;
		*end = pending[i].end;
		pending[i].task = NULL;
		found = true;
		break;
	}
	spin_unlock_irqrestore(&pending_lock, flags);
	return found;
}

/* The op whose entry @target is, or -1. */
static int thunk_op(const void *target)
{
	unsigned int i;

	for (i = 0; i < vmi_nr_ops; i++)
		if (vmi_op_states[i].thunk && vmi_op_states[i].thunk == target)
			return i;
	return -1;
}

/* Collect the sites of a coming module that call the shim. */
static struct bound_module *scan_module(struct module *mod, void *start,
					void *end)
{
	const struct site_entry *e;
	struct bound_module *b;
	unsigned int n = 0, cap = 0;

	for (e = start; (void *)(e + 1) <= end; e++)
		cap++;
	b = kzalloc(sizeof(*b), GFP_KERNEL);
	if (!b)
		return NULL;
	b->addrs = kcalloc(cap ? cap : 1, sizeof(*b->addrs), GFP_KERNEL);
	b->orig = kcalloc(cap ? cap : 1, sizeof(*b->orig), GFP_KERNEL);
	if (!b->addrs || !b->orig)
		goto err;
	for (e = start; (void *)(e + 1) <= end; e++) {
		u8 *at = entry_addr(e), insn[CALL_LEN];
		s32 rel;
		int op;

		if (copy_from_kernel_nofault(insn, at, CALL_LEN) ||
		    insn[0] != 0xe8)
			continue;
		memcpy(&rel, insn + 1, 4);
		op = thunk_op(at + CALL_LEN + rel);
		if (op < 0)
			continue;
		b->addrs[n] = at;
		b->orig[n] = vmi_op_states[op].orig;
		n++;
	}
	b->mod = mod;
	b->nr = n;
	return b;
err:
	kfree(b->addrs);
	kfree(b->orig);
	kfree(b);
	return NULL;
}

static void free_bound(struct bound_module *b)
{
	kfree(b->addrs);
	kfree(b->orig);
	kfree(b);
}

static int vmi_module_notify(struct notifier_block *nb, unsigned long state,
			     void *data)
{
	struct module *mod = data;
	struct bound_module *b, *tmp;
	void *start, *end;

	mutex_lock(&bound_lock);
	if (state == MODULE_STATE_COMING && take_pending(&start, &end)) {
		b = scan_module(mod, start, end);
		if (!b) {
			pr_crit("%s: out of memory tracking its calls into vmi_shim\n",
				mod->name);
		} else if (!b->nr) {
			free_bound(b);
		} else if (unbinding) {
			/* Bound during our unload: put it back before it runs. */
			if (vmi_text_repoint(b->addrs, b->orig, b->nr))
				pr_crit("%s: call sites not restored\n",
					mod->name);
			free_bound(b);
		} else {
			list_add(&b->node, &bound_modules);
			nr_bound++;
			pr_info("%s: %u call sites bound to the ROM\n", mod->name,
				b->nr);
		}
	} else if (state == MODULE_STATE_GOING) {
		list_for_each_entry_safe(b, tmp, &bound_modules, node) {
			if (b->mod != mod)
				continue;
			list_del(&b->node);
			free_bound(b);
			nr_bound--;
		}
	}
	mutex_unlock(&bound_lock);
	return NOTIFY_OK;
}

static struct notifier_block vmi_module_nb = {
	.notifier_call = vmi_module_notify,
};

int vmi_modtrack_start(void)
{
	int err;

	err = vmi_text_init();
	if (err)
		return err;
	unbinding = false;
	err = register_module_notifier(&vmi_module_nb);
	if (err)
		return err;
	err = register_kprobe(&patcher_kp);
	if (err) {
		unregister_module_notifier(&vmi_module_nb);
		pr_err("cannot watch %s (kprobe: %d): modules loaded later could not be restored\n",
		       SITE_PATCHER, err);
		return err;
	}
	return 0;
}

/* Is a load that passed the kprobe still under way? */
static bool pending_loads(void)
{
	struct module *(*mod_addr)(unsigned long addr);
	unsigned long flags;
	bool any = false;
	int i;

	mod_addr = (void *)vmi_ksym("__module_address");
	spin_lock_irqsave(&pending_lock, flags);
	for (i = 0; i < MAX_PENDING; i++) {
		if (!pending[i].task)
			continue;
		/* A load that failed before COMING leaves no module behind. */
		if (mod_addr && !mod_addr((unsigned long)pending[i].start)) {
			pending[i].task = NULL;
			continue;
		}
		any = true;
	}
	spin_unlock_irqrestore(&pending_lock, flags);
	return any;
}

/*
 * Called after pv_ops went back: restore every bound module, then wait
 * for loads that may still bind on their way to COMING.
 */
void vmi_modtrack_unbind(void)
{
	struct bound_module *b, *tmp;
	int waited = 0;

	mutex_lock(&bound_lock);
	unbinding = true;
	list_for_each_entry_safe(b, tmp, &bound_modules, node) {
		if (vmi_text_repoint(b->addrs, b->orig, b->nr))
			pr_crit("%s: call sites not restored\n", b->mod->name);
		else
			pr_info("%s: %u call sites restored\n", b->mod->name,
				b->nr);
		list_del(&b->node);
		free_bound(b);
	}
	nr_bound = 0;
	mutex_unlock(&bound_lock);

	while (pending_loads() && waited < 10000) {
		msleep(20);
		waited += 20;
	}
	if (waited >= 10000)
		pr_crit("a module load did not finish in 10 s; it may call vmi_shim after unload\n");
}

void vmi_modtrack_stop(void)
{
	unregister_kprobe(&patcher_kp);
	unregister_module_notifier(&vmi_module_nb);
}

unsigned int vmi_modtrack_bound(void)
{
	return READ_ONCE(nr_bound);
}
