// SPDX-License-Identifier: GPL-2.0
/*
 * The shim's code on a routed op's path kept off kprobes (docs/sysfs.md,
 * "Kprobes and other writers of kernel text"): the module's .kprobes.text
 * (the ROM area, the op entries, the ROM trampolines) and its
 * NOKPROBE_SYMBOL() functions (the C adapters, the INT3 handler).
 *
 * Since 5.5 the kernel does it: the module loader records both (struct
 * module's kprobes_text_start/size and kprobe_blacklist, which the probe
 * VMI_HAVE_MODULE_KPROBE_BLACKLIST looks for) and kprobes' module
 * notifier puts one struct kprobe_blacklist_entry per symbol on its list
 * kprobe_blacklist, under kprobe_mutex. Before, nothing takes a module's:
 * the shim does what that notifier does, with the list and the mutex
 * (both static) found through kallsyms (CONFIG_KALLSYMS_ALL), from the
 * start of the load until its end.
 *
 * Where the two sections lie: those kernels keep no section addresses a
 * module can read (the symbol table's section indices point into the ELF
 * file, gone after the load; /sys/module/NAME/sections is not an
 * interface for the module itself). So kprobe_bl_start.c, linked before
 * and kprobe_bl_end.c after every object that adds to them
 * (module/Kbuild), mark both sections' start and end: the linker
 * concatenates the objects' sections in link order, as for
 * own_sites_start.c's site list. That needs nothing from the kernel's
 * module linker script (which differs between versions, and an
 * out-of-tree module cannot add to), and no second link to learn
 * addresses, as a list made at build time would.
 *
 * Not covered, as a kernel that does it itself covers it from the
 * module's COMING notifier: a kprobe registered on the shim's code
 * between the loader making the module's text live and this init
 * adding the entries.
 *
 * Each entry spans one symbol: st_size from the module's own symbol table
 * (THIS_MODULE->kallsyms, which holds every symbol while init runs); a
 * symbol without a size reaches to the next symbol, as kallsyms sizes it
 * for the kernel's notifier.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kprobes.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/printk.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "base/fail_verify.h"
#include "base/ksyms.h"
#include "base/why.h"
#include "compat/kprobe_bl.h"

static const char *vmi_kbl_why;
static bool vmi_kbl_added;

#if defined(VMI_HAVE_MODULE_KPROBE_BLACKLIST) || !defined(CONFIG_KPROBES)

int vmi_kprobe_bl_add(void)
{
	if (!IS_ENABLED(CONFIG_KPROBES))
		vmi_kbl_why = VMI_WHY("no-kprobes", "the kernel has no kprobes (CONFIG_KPROBES): nothing to keep off");
	else
		vmi_kbl_added = true;
	return 0;
}

#if defined(VMI_HAVE_SYNCHRONIZE_SCHED) && defined(CONFIG_PREEMPT)
static void kbl_nothing(struct work_struct *work)
{
}
#endif

void vmi_kprobe_bl_remove(void)
{
	vmi_kbl_added = false;
}

#else

/* The markers of kprobe_bl_start.c and kprobe_bl_end.c: text, list. */
extern const unsigned long vmi_kprobe_bl_starts[2], vmi_kprobe_bl_ends[2];

static struct kprobe_blacklist_entry *vmi_kbl;
static unsigned int vmi_kbl_nr;
static struct mutex *vmi_kbl_mutex;

static bool sym_named(const struct mod_kallsyms *ks, unsigned int i)
{
	/* SHN_ABS and the other reserved indices: no address in the module */
	return ks->symtab[i].st_shndx != SHN_UNDEF &&
	       ks->symtab[i].st_shndx < SHN_LORESERVE &&
		ks->strtab[ks->symtab[i].st_name];
}

/*
 * The entry for the symbol that starts at @addr, in *@ent unless NULL:
 * its size, or up to the next symbol (at most @limit) if it has none; the
 * largest of aliases. 0 if no symbol starts there, else 1.
 */
static unsigned int sym_entry(const struct mod_kallsyms *ks,
			      unsigned long addr, unsigned long limit,
			      struct kprobe_blacklist_entry *ent)
{
	unsigned long end = addr, next = limit;
	bool found = false;
	unsigned int i;

	for (i = 0; i < ks->num_symtab; i++) {
		const Elf_Sym *s = &ks->symtab[i];

		if (!sym_named(ks, i))
			continue;
		if (s->st_value > addr && s->st_value < next)
			next = s->st_value;
		if (s->st_value == addr) {
			found = true;
			end = max_t(unsigned long, end, addr + s->st_size);
		}
	}
	if (!found)
		return 0;
	if (ent) {
		ent->start_addr = addr;
		ent->end_addr = end > addr ? end : next;
	}
	return 1;
}

/*
 * The entries, into @ents unless NULL (then only counted): each
 * NOKPROBE_SYMBOL() function, then each symbol address in .kprobes.text
 * once (aliases share one entry).
 */
static unsigned int kbl_fill(const struct mod_kallsyms *ks,
			     struct kprobe_blacklist_entry *ents)
{
	const unsigned long *fn = (const unsigned long *)vmi_kprobe_bl_starts[1];
	const unsigned long *fn_end = (const unsigned long *)vmi_kprobe_bl_ends[1];
	unsigned long t0 = vmi_kprobe_bl_starts[0], t1 = vmi_kprobe_bl_ends[0];
	unsigned long text_end = (unsigned long)THIS_MODULE->core_layout.base +
				 THIS_MODULE->core_layout.text_size;
	unsigned int i, j, n = 0;

	for (; fn < fn_end; fn++)
		if (*fn)
			n += sym_entry(ks, *fn, text_end, ents ? &ents[n] : NULL);
	for (i = 0; i < ks->num_symtab; i++) {
		unsigned long v = ks->symtab[i].st_value;

		if (!sym_named(ks, i) || v < t0 || v >= t1)
			continue;
		for (j = 0; j < i; j++)
			if (sym_named(ks, j) && ks->symtab[j].st_value == v)
				break;
		if (j == i)
			n += sym_entry(ks, v, t1, ents ? &ents[n] : NULL);
	}
	return n;
}

/* The module's symbols: stable while its own init runs. */
static unsigned int kbl_fill_own(struct kprobe_blacklist_entry *ents)
{
	unsigned int n;

#ifdef CONFIG_KALLSYMS
	preempt_disable();
	n = kbl_fill(rcu_dereference_sched(THIS_MODULE->kallsyms), ents);
	preempt_enable();
#else
	n = 0;
#endif
	return n;
}

int vmi_kprobe_bl_add(void)
{
	struct list_head *list;
	unsigned int i, n;
	int err;

	if (vmi_kbl)
		return 0;
	err = vmi_ksyms_init();
	if (err)
		return err;
	list = (struct list_head *)vmi_ksym("kprobe_blacklist");
	vmi_kbl_mutex = (struct mutex *)vmi_ksym("kprobe_mutex");
	if (!list || !vmi_kbl_mutex ||
	    vmi_fail_verify(VMI_FAIL_KPROBE_BL_SYMBOLS)) {
		vmi_kbl_why = VMI_WHY("no-symbols", "the kernel's kprobe_blacklist or kprobe_mutex is not in kallsyms (CONFIG_KALLSYMS_ALL?)");
		goto warn;
	}
	n = kbl_fill_own(NULL);
	if (!n) {
		vmi_kbl_why = VMI_WHY("no-entries", "no symbol of the module's .kprobes.text or NOKPROBE_SYMBOL() list found");
		goto warn;
	}
	vmi_kbl = kcalloc(n, sizeof(*vmi_kbl), GFP_KERNEL);
	if (!vmi_kbl)
		return -ENOMEM;
	vmi_kbl_nr = kbl_fill_own(vmi_kbl);
	mutex_lock(vmi_kbl_mutex);
	for (i = 0; i < vmi_kbl_nr; i++)
		list_add_tail_rcu(&vmi_kbl[i].list, list);
	mutex_unlock(vmi_kbl_mutex);
	vmi_kbl_added = true;
	pr_info("%u entries of the module's own added to the kernel's kprobe blacklist\n",
		vmi_kbl_nr);
	return 0;
warn:
	pr_warn("this kernel does not blacklist a module's kprobe-unsafe code, and the shim cannot (%s): its ROM area, op entries and adapters are not protected from kprobes; do not probe them\n",
		vmi_kbl_why);
	return 0;
}

/*
 * Off the list under kprobe_mutex, then freed after a grace period.
 * Kernels before 5.5 never take an entry off their list, so they read it
 * without the mutex: register_kprobe() with preemption disabled
 * (check_kprobe_address_safe()), x86's hw_breakpoint and the debugfs file
 * preemptible. list_del_rcu() leaves each entry's next pointer intact, so
 * a walk standing on one goes on into the list; synchronize_rcu(), and
 * on a CONFIG_PREEMPT 4.19 or 4.14 (whose synchronize_rcu() does not wait
 * for preemption-disabled sections) a round of work on every CPU too, let
 * every walk with preemption disabled end before the entries are freed.
 * A preemptible reader preempted on an entry for a whole grace period is
 * not covered, as it is not on 5.5+ when the kernel itself removes a
 * module's entries.
 */
void vmi_kprobe_bl_remove(void)
{
	unsigned int i;

	if (!vmi_kbl)
		return;
	mutex_lock(vmi_kbl_mutex);
	for (i = 0; i < vmi_kbl_nr; i++)
		list_del_rcu(&vmi_kbl[i].list);
	mutex_unlock(vmi_kbl_mutex);
	synchronize_rcu();
#if defined(VMI_HAVE_SYNCHRONIZE_SCHED) && defined(CONFIG_PREEMPT)
	/* synchronize_sched()'s guarantee: every CPU has scheduled since */
	schedule_on_each_cpu(kbl_nothing);
#endif
	kfree(vmi_kbl);
	vmi_kbl = NULL;
	vmi_kbl_added = false;
}

#endif

const char *vmi_kprobe_bl_state(const char **why)
{
	*why = vmi_kbl_why;
	if (!vmi_kbl_added)
		return "none";
#ifdef VMI_HAVE_MODULE_KPROBE_BLACKLIST
	return "kernel";
#else
	return "shim";
#endif
}
