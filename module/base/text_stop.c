// SPDX-License-Identifier: GPL-2.0
/*
 * Rewriting whole inline sites while every CPU is held in stop_machine.
 *
 * The kernel's INT3-based text patching replaces one instruction by one
 * instruction. An inline site ("cli; nop5", "movb $0,(%rdi); nop3") holds
 * two, and a CALL spanning them moves the boundary between them: a CPU that
 * had executed the first instruction and was interrupted (or, under a
 * hypervisor, descheduled) right there would resume in the middle of the
 * CALL. No window of the INT3 protocol excludes that.
 *
 * Inside stop_machine every online CPU runs the stopper with interrupts
 * off, entered through schedule() from task context, so no task or
 * interrupt context is between the instructions of a site. A task that is
 * not running is parked either at a call to schedule() or where an
 * interrupt preempted it; the second cannot be inside a site unless the
 * kernel preempts on interrupt return (preempt=full or RT), which is why
 * vmi_text_stop_unsafe() refuses those, and vmi_text_stop_ready() checks
 * again, with text_mutex held, right before a write (docs/sites.md).
 *
 * NMIs still run, on the stopped CPUs and on the writer, and NMI code runs
 * inline sites (printk's local_irq_save, backtraces). So code is written
 * in three steps, as the kernel's own INT3 protocol does, each followed by
 * every CPU serializing and saying so from the stopper loop: an INT3 on
 * the first byte of every site; the other bytes; the first byte. A CPU
 * that meets one of those INT3s (an NMI, or the writer's own code between
 * the steps: every other context is held in the stopper) is sent by
 * vmi_int3_notify() to the site's CALL target with the return address
 * after the whole site: it runs the site's CALL form whole and never
 * reads a byte of it. An NMI that was inside a site before the INT3s
 * landed has finished by the time its CPU acknowledges the first step
 * (the stopper loop runs only when no NMI does), so no CPU is between a
 * site's instructions when they change.
 *
 * Writers that hold text_mutex (kprobes, jump labels, static calls) are
 * kept out: the caller of vmi_text_stop_write_code() holds the CPU
 * hotplug lock and text_mutex, in the kernel's order, across the check,
 * the write and the read-back; the writing CPU checks every site again,
 * all or nothing, before it writes.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bsearch.h>
#include <linux/cpu.h>
#include <linux/delay.h>
#include <linux/hardirq.h>
#include <linux/kdebug.h>
#include <linux/kprobes.h>
#include <linux/ktime.h>
#include <linux/moduleparam.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/rcupdate.h>
#include <linux/rcupdate_wait.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/sort.h>
#ifdef CONFIG_PREEMPT_DYNAMIC	/* the switch is made of static calls */
#include <linux/static_call_types.h>
#endif
#include <linux/stop_machine.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <asm/apic.h>
#include <asm/irq_vectors.h>
#include <asm/nmi.h>
#include <asm/sync_core.h>
#include <asm/text-patching.h>

#include "base/insn.h"
#include "base/ksyms.h"
#include "base/text_stop.h"
#include "base/why.h"

/* One per write: zeroed by its initializer, but for @w, @n and @code. */
struct stop_ctx {
	const struct vmi_text_write *w;
	unsigned int n;
	bool code;		/* INT3 protocol; else a plain copy (data) */
	unsigned long *page_va;	/* sorted, unique */
	unsigned int npages;
	u8 *alias;		/* vmap of those pages, in that order */
	unsigned int cpus;	/* online CPUs, all running stop_write() */
	atomic_t writer;	/* claimed by the first CPU to arrive */
	atomic_t step;		/* last step written; STEP_DONE at the end */
	atomic_t acks;		/* CPUs that serialized after that step */
	int err;
	unsigned int bad;	/* first site that did not hold @expect */
	u8 found[16];		/* what it held */
	const char *why;	/* why nothing was written, if not @bad */
	int nmi_writer, nmi_waited;	/* nmi_test: the writer, udelay(10)s */
};

#define STEP_DONE	100

/*
 * Test hook (tests/guest/nmi_sites.sh): while the INT3s are in place, NMI
 * every other CPU, whose handler prints (printk runs inline sites), so
 * that NMIs do enter sites being written.
 */
static bool nmi_test;
module_param(nmi_test, bool, 0444);
MODULE_PARM_DESC(nmi_test, "test hook: NMI every other CPU while inline sites are being written (docs/sysfs.md)");

static atomic_t nmi_test_armed, nmi_test_seen;
static DEFINE_PER_CPU(bool, nmi_test_pending);

/* The write in progress, for the INT3 handler; NULL when none. */
static struct stop_ctx *active;
static atomic_long_t emulated, emulated_nmi;

/* The preemption model in force now, by name. */
const char *vmi_preempt_model(void)
{
	if (preempt_model_rt())
		return "rt";
	if (preempt_model_full())
		return "full";
	if (preempt_model_voluntary())
		return "voluntary";
	if (preempt_model_none())
		return "none";
	return "unknown";
}

/*
 * Why a task may be preempted where an interrupt finds it right now, or
 * NULL. On a PREEMPT_DYNAMIC kernel the model's name is set after the
 * static calls that make it, and a switch to any model first turns full
 * preemption on for a while, so the static calls themselves are read.
 */
static const char *preempt_now(void)
{
#ifdef CONFIG_PREEMPT_DYNAMIC
	struct static_call_key *irq = vmi_ks.__SCK__irqentry_exit_cond_resched;
	struct static_call_key *sched = vmi_ks.__SCK__preempt_schedule;
#endif

	if (preempt_model_preemptible())
		return VMI_WHY("preemptible", "the kernel preempts on interrupt return");
#ifdef CONFIG_PREEMPT_DYNAMIC
	/* Unseen (kallsyms lists no data), a switch could not be seen. */
	if (vmi_ksyms_data_hidden && (!irq || !sched))
		return VMI_WHY("preempt-unknown", "the preemption model's static calls are not in kallsyms: a switch under way could not be seen");
	if (irq && READ_ONCE(irq->func))
		return VMI_WHY("preempt-switching", "interrupt return preempts (a preemption model switch is under way)");
	if (sched && READ_ONCE(sched->func))
		return VMI_WHY("preempt-switching", "preempt_enable() preempts (a preemption model switch is under way)");
#endif
	return NULL;
}

/*
 * Why inline sites cannot be written at this moment (a preemption model
 * switch under way), or NULL; does not sleep. vmi_text_stop_ready() asks
 * again with text_mutex held.
 */
const char *vmi_text_stop_busy(void)
{
	const char *why = preempt_now();

	if (!why && IS_ENABLED(CONFIG_PREEMPT_DYNAMIC) &&
	    vmi_ks.static_call_mutex && mutex_is_locked(vmi_ks.static_call_mutex))
		why = VMI_WHY("preempt-switching", "a static call update (a preemption model switch?) is under way");
	return why;
}

/* Why inline sites cannot be rewritten on this kernel, or NULL. */
const char *vmi_text_stop_unsafe(void)
{
	if (preempt_model_preemptible())
		return VMI_WHY("preemptible", "the kernel preempts on interrupt return: a task may be parked inside an inline site");
	/*
	 * With lockdep or irq-flags tracing, the INT3 entry path calls
	 * lock_acquire() (the die chain's rcu_read_lock()) before it reaches
	 * vmi_int3_notify(), and that saves and disables interrupts through
	 * the very inline sites being written: an NMI meeting one would take
	 * INT3 after INT3 until its stack overflows. The kernel's own
	 * poke_int3_handler() runs first and is noinstr; a die notifier
	 * cannot be.
	 */
	if (IS_ENABLED(CONFIG_LOCKDEP) || IS_ENABLED(CONFIG_TRACE_IRQFLAGS))
		return VMI_WHY("irq-tracing", "lockdep or irq-flags tracing runs inline sites on the way to the INT3 handler");
	return NULL;
}

static int text_stop_init(void)
{
	if (!vmi_ks.stop_machine_cpuslocked) {
		pr_err("stop_machine_cpuslocked not found\n");
		return -EOPNOTSUPP;
	}
	return 0;
}

/*
 * The kernel's preemption model when the load began: inline sites are
 * written whole, and put back, only under the same one.
 */
static const char *model_at_load;

void vmi_text_stop_begin(void)
{
	model_at_load = vmi_preempt_model();
}

const char *vmi_text_stop_load_model(void)
{
	return model_at_load;
}

/*
 * Called with the CPU hotplug lock and text_mutex held, before any byte
 * of a write of code changes. 0 when no task can be parked inside a site
 * now or until text_mutex is dropped; -EBUSY, logged, if one may be: the
 * kernel's preemption model is not the one at load (vmi_text_stop_begin())
 * or preempts now, or a switch of it is under way.
 *
 * Every change of the model is made by static calls, written under
 * text_mutex: while it is held none can turn preemption on. A task
 * preempted while it was on (earlier, or while a switch went through
 * full) may still be parked inside a site or an entry: RCU-tasks waits
 * until every such task has left it through a voluntary switch.
 */
int vmi_text_stop_ready(void)
{
	const char *now = vmi_preempt_model(), *why;
	int err = text_stop_init();

	if (err)
		return err;
	if (model_at_load && strcmp(now, model_at_load)) {
		pr_err("the kernel's preemption model changed since the load (%s, now %s): a task preempted inside an entry may return into the middle of an inline site; nothing written. Switch it back to %s and try again\n",
		       model_at_load, now, model_at_load);
		return -EBUSY;
	}
	why = vmi_text_stop_busy();
	if (why) {
		pr_err("inline sites not written: %s; nothing written, try again\n",
		       why);
		return -EBUSY;
	}
#if defined(CONFIG_PREEMPT_DYNAMIC) && defined(CONFIG_TASKS_RCU)
	synchronize_rcu_tasks();
#endif
	return 0;
}

/*
 * Comparisons for sort() and __inline_bsearch(), which the kernel's own
 * INT3 handler uses: always inlined there, not traced, not probed.
 */
static __always_inline int cmp_ulong(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a;
	unsigned long y = *(const unsigned long *)b;

	return x < y ? -1 : x > y;
}

/* The site whose first byte is at @ip (the key itself). */
static __always_inline int cmp_site(const void *ip, const void *site)
{
	const u8 *a = ((const struct vmi_text_write *)site)->addr;

	return (const u8 *)ip < a ? -1 : (const u8 *)ip > a;
}
NOKPROBE_SYMBOL(cmp_ulong);
NOKPROBE_SYMBOL(cmp_site);

/*
 * A CPU met the INT3 on the first byte of a site being written (an NMI
 * or the writer: top of this file). Run the site's CALL form whole,
 * returning after the site (its other bytes are NOPs). Runs in the INT3
 * exception, like the kernel's poke_int3_handler: it calls nothing, and
 * is neither traced nor probed.
 */
static int notrace vmi_int3_notify(struct notifier_block *nb,
				   unsigned long val, void *data)
{
	struct die_args *args = data;
	struct pt_regs *regs = args->regs;
	const struct vmi_text_write *s;
	struct stop_ctx *c;

	if (val != DIE_INT3 || !regs || user_mode(regs))
		return NOTIFY_DONE;
	c = READ_ONCE(active);
	if (!c)
		return NOTIFY_DONE;
	s = __inline_bsearch((void *)(regs->ip - INT3_INSN_SIZE), c->w, c->n,
			     sizeof(*s), cmp_site);
	if (!s)
		return NOTIFY_DONE;
	int3_emulate_push(regs, (unsigned long)s->addr + s->len);
	int3_emulate_jmp(regs, (unsigned long)s->call);
	/* The INT3 handler itself counts as one NMI level. */
	atomic_long_inc((preempt_count() & NMI_MASK) > NMI_OFFSET ?
			&emulated_nmi : &emulated);
	return NOTIFY_STOP;
}
NOKPROBE_SYMBOL(vmi_int3_notify);

static struct notifier_block vmi_int3_nb = {
	.notifier_call = vmi_int3_notify,
	.priority = INT_MAX,	/* before anyone who might run a site */
};

/* Where @addr is in the alias; its page is one of alias_map()'s. */
static notrace u8 *alias_of(const struct stop_ctx *c, const u8 *addr)
{
	unsigned long va = (unsigned long)addr & PAGE_MASK;
	unsigned long *p = __inline_bsearch(&va, c->page_va, c->npages,
					    sizeof(va), cmp_ulong);

	return c->alias + (p - c->page_va) * PAGE_SIZE + offset_in_page(addr);
}

static int notrace nmi_test_handler(unsigned int type, struct pt_regs *regs)
{
	if (!atomic_read(&nmi_test_armed))
		return NMI_DONE;
	pr_info("nmi_test: NMI on CPU %d while inline sites are written%s\n",
		smp_processor_id(),
		this_cpu_read(nmi_test_pending) ? "" : " (not one it sent)");
	if (this_cpu_read(nmi_test_pending)) {
		this_cpu_write(nmi_test_pending, false);
		atomic_inc(&nmi_test_seen);
	}
	return NMI_HANDLED;
}
NOKPROBE_SYMBOL(nmi_test_handler);

/* Writer, INT3s in place: NMI every other CPU, wait up to 2 s for them. */
static notrace void nmi_test_fire(struct stop_ctx *c)
{
	u64 end = ktime_get_mono_fast_ns() + 2 * NSEC_PER_SEC;
	int cpu, i;

	if (!nmi_test || c->cpus < 2)
		return;
	atomic_set(&nmi_test_seen, 0);
	for_each_online_cpu(cpu)
		per_cpu(nmi_test_pending, cpu) = cpu != smp_processor_id();
	atomic_set(&nmi_test_armed, 1);
	/* 4.19 and older have no apic_send_IPI_allbutself(). */
	if (vmi_ks.apic_send_IPI_allbutself)
		vmi_ks.apic_send_IPI_allbutself(NMI_VECTOR);
	else
		apic->send_IPI_mask_allbutself(cpu_online_mask, NMI_VECTOR);
	for (i = 0; i < 200000 && atomic_read(&nmi_test_seen) < c->cpus - 1 &&
		    ktime_get_mono_fast_ns() < end; i++)
		udelay(10);
	atomic_set(&nmi_test_armed, 0);
	c->nmi_writer = smp_processor_id();
	c->nmi_waited = i;
}

/* Writer: step @step is written; every CPU serializes and says so. */
static notrace void step_sync(struct stop_ctx *c, int step)
{
	atomic_set(&c->acks, 0);
	atomic_set_release(&c->step, step);
	sync_core();
	while (atomic_read_acquire(&c->acks) < c->cpus - 1)
		cpu_relax();
}

static notrace void write_code(struct stop_ctx *c)
{
	unsigned int i;

	for (i = 0; i < c->n; i++)
		*alias_of(c, c->w[i].addr) = INT3_INSN_OPCODE;
	step_sync(c, 1);
	nmi_test_fire(c);
	for (i = 0; i < c->n; i++)
		memcpy(alias_of(c, c->w[i].addr + 1), c->w[i].src + 1,
		       c->w[i].len - 1);
	step_sync(c, 2);
	for (i = 0; i < c->n; i++)
		*alias_of(c, c->w[i].addr) = c->w[i].src[0];
	step_sync(c, 3);
}

static notrace int stop_write(void *data)
{
	struct stop_ctx *c = data;
	unsigned int i;
	int seen = 0, step;

	if (atomic_cmpxchg(&c->writer, 0, 1) == 0) {
		c->cpus = num_online_cpus();
		for (i = 0; i < c->n; i++) {
			if (!memcmp(c->w[i].addr, c->w[i].expect, c->w[i].len))
				continue;
			if (!c->err) {
				c->bad = i;
				memcpy(c->found, c->w[i].addr,
				       min_t(unsigned int, c->w[i].len,
					     sizeof(c->found)));
			}
			c->err = -EBUSY;
		}
		if (!c->err && c->code) {
			c->why = preempt_now();
			if (c->why)
				c->err = -EBUSY;
			else
				write_code(c);
		}
		for (i = 0; !c->err && !c->code && i < c->n; i++)
			memcpy(alias_of(c, c->w[i].addr), c->w[i].src,
			       c->w[i].len);
		atomic_set_release(&c->step, STEP_DONE);
	} else {
		/* Serialize after each step, from here: no NMI is running. */
		while ((step = atomic_read_acquire(&c->step)) != STEP_DONE) {
			if (step != seen) {
				sync_core();
				seen = step;
				atomic_inc(&c->acks);
			}
			cpu_relax();
		}
	}
	/* Cross-modified code: serialize before running any of it. */
	sync_core();
	return 0;
}
NOKPROBE_SYMBOL(alias_of);
NOKPROBE_SYMBOL(nmi_test_fire);
NOKPROBE_SYMBOL(step_sync);
NOKPROBE_SYMBOL(write_code);
NOKPROBE_SYMBOL(stop_write);

/* Map the pages of every write, adjacent pages adjacent in the alias. */
static int alias_map(struct stop_ctx *c)
{
	struct page **pages;
	unsigned int i, n = 0;

	c->page_va = kvmalloc_array(2 * c->n, sizeof(*c->page_va), GFP_KERNEL);
	if (!c->page_va)
		return -ENOMEM;
	for (i = 0; i < c->n; i++) {
		unsigned long a = (unsigned long)c->w[i].addr;

		c->page_va[n++] = a & PAGE_MASK;
		c->page_va[n++] = (a + c->w[i].len - 1) & PAGE_MASK;
	}
	sort(c->page_va, n, sizeof(*c->page_va), cmp_ulong, NULL);
	for (i = 0; i < n; i++)
		if (!c->npages || c->page_va[c->npages - 1] != c->page_va[i])
			c->page_va[c->npages++] = c->page_va[i];

	pages = kvmalloc_array(c->npages, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return -ENOMEM;
	for (i = 0; i < c->npages; i++) {
		void *va = (void *)c->page_va[i];

		/* Kernel image or direct map; else module text (vmalloc). */
		pages[i] = virt_addr_valid(va) ? virt_to_page(va) :
			   vmalloc_to_page(va);
		if (!pages[i]) {
			kvfree(pages);
			return -EFAULT;
		}
	}
	c->alias = vmap(pages, c->npages, VM_MAP, PAGE_KERNEL);
	kvfree(pages);
	return c->alias ? 0 : -ENOMEM;
}

/*
 * Code writes: sorted by address, apart, each with a CALL form to send
 * a CPU through (the INT3 handler relies on all three).
 */
static int code_plan_ok(const struct vmi_text_write *w, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (w[i].len < CALL_INSN_SIZE || w[i].len > 16 || !w[i].call ||
		    (i && w[i].addr < w[i - 1].addr + w[i - 1].len) ||
		    !(vmi_is_call_to(w[i].expect, w[i].addr, w[i].call) ||
		      vmi_is_call_to(w[i].src, w[i].addr, w[i].call))) {
			pr_err("inline site %u (%pS) cannot be written: not sorted, overlapping or without a CALL form\n",
			       i, w[i].addr);
			return -EINVAL;
		}
	}
	return 0;
}

static int text_stop_run(struct stop_ctx *c)
{
	unsigned int i;
	int err = alias_map(c);

	if (err)
		goto out;
	if (c->code) {
		long before = atomic_long_read(&emulated);
		long before_nmi = atomic_long_read(&emulated_nmi);

		err = register_die_notifier(&vmi_int3_nb);
		if (err)
			goto out;
		if (nmi_test && register_nmi_handler(NMI_LOCAL, nmi_test_handler,
						     0, "vmi_shim_nmi_test"))
			pr_warn("nmi_test: cannot register the NMI handler\n");
		WRITE_ONCE(active, c);
		err = vmi_ks.stop_machine_cpuslocked(stop_write, c, cpu_online_mask) ?:
		      c->err;
		WRITE_ONCE(active, NULL);
		/* Waits for every handler that may still see @c (RCU). */
		unregister_die_notifier(&vmi_int3_nb);
		if (nmi_test) {
			unregister_nmi_handler(NMI_LOCAL, "vmi_shim_nmi_test");
			pr_info("nmi_test: %d of %u other CPUs took an NMI while the sites held their INT3s (writer CPU %d, %d udelay(10)s)\n",
				atomic_read(&nmi_test_seen), c->cpus - 1,
				c->nmi_writer, c->nmi_waited);
		}
		before = atomic_long_read(&emulated) - before;
		before_nmi = atomic_long_read(&emulated_nmi) - before_nmi;
		if (before || before_nmi)
			pr_info("inline sites entered while they were written: %ld times in an NMI, %ld times elsewhere (the writer's own code); each sent through the site's CALL form\n",
				before_nmi, before);
	} else {
		err = stop_machine(stop_write, c, cpu_online_mask) ?: c->err;
	}
	if (err == -EBUSY && c->why) {
		pr_err("inline sites not written: %s\n", c->why);
	} else if (err == -EBUSY && c->err == -EBUSY) {
		const struct vmi_text_write *b = &c->w[c->bad];
		unsigned int len = min_t(unsigned int, b->len, sizeof(c->found));

		pr_err("%pS holds %*ph, not the expected %*ph (%s): nothing written\n",
		       b->addr, len, c->found, len, b->expect,
		       c->found[0] == INT3_INSN_OPCODE ? "a kprobe's or debugger's breakpoint" :
		       VMI_WHY("text-changed", "changed by another writer of kernel text"));
	}
	for (i = 0; !err && i < c->n; i++)
		if (memcmp(c->w[i].addr, c->w[i].src, c->w[i].len))
			err = -EIO;
out:
	if (c->alias)
		vunmap(c->alias);
	kvfree(c->page_va);
	return err;
}

/*
 * Write @n data words whole with every CPU stopped; read them back. 0,
 * or an error with nothing written (no mapping; -EBUSY: one did not hold
 * its expected bytes), or -EIO if the read-back differs.
 */
int vmi_text_stop_write(const struct vmi_text_write *w, unsigned int n)
{
	struct stop_ctx c = { .w = w, .n = n };

	return n ? text_stop_run(&c) : 0;
}

/*
 * The same for @n inline code sites (sorted, apart, each with a CALL
 * form), NMIs included (see the top of this file); -EBUSY also if a task
 * may be preempted now. The caller holds the CPU hotplug lock and
 * text_mutex and has had vmi_text_stop_ready() say yes since it took them.
 */
int vmi_text_stop_write_code(const struct vmi_text_write *w, unsigned int n)
{
	struct stop_ctx c = { .w = w, .n = n, .code = true };

	if (!n)
		return 0;
	return text_stop_init() ?: code_plan_ok(w, n) ?: text_stop_run(&c);
}
