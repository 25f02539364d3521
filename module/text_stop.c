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
 * off, entered through schedule() from task context, so no CPU is between
 * the instructions of a site. A task that is not running is parked either
 * at a call to schedule() or where an interrupt preempted it; the second
 * cannot be inside a site unless the kernel preempts on interrupt return
 * (preempt=full or RT), which is why vmi_text_stop_safe() refuses those.
 * So the sites are written whole: through a writable alias of their pages
 * by the first CPU to arrive, while the others wait; then every CPU
 * serializes before it leaves. Writers that hold text_mutex (kprobes,
 * jump labels) may be between the steps of their own INT3 protocol on
 * other sites; they never touch bytes of a site that reads as this one
 * expects, and the writing CPU checks every site again, all or nothing,
 * before it writes: a site holding anything else (a kprobe's INT3 armed
 * since the caller checked it) is never overwritten, and the caller is
 * told which. Code is written with the CPU hotplug lock and text_mutex
 * held by the caller, in the kernel's order, from its check to its
 * read-back (vmi_text_stop_write_code()): no such writer comes between.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpu.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/stop_machine.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <asm/sync_core.h>
#include <asm/text-patching.h>

#include "ksyms.h"
#include "text_stop.h"

struct stop_ctx {
	const struct vmi_text_write *w;
	unsigned int n;
	unsigned long *page_va;	/* sorted, unique */
	unsigned int npages;
	u8 *alias;		/* vmap of those pages, in that order */
	atomic_t writer;	/* claimed by the first CPU to arrive */
	atomic_t done;
	int err;
	unsigned int bad;	/* first site that did not hold @expect */
	u8 found[16];		/* what it held */
};

static int (*stop_cpuslocked)(cpu_stop_fn_t fn, void *data,
			      const struct cpumask *cpus);

/* Why inline sites cannot be rewritten on this kernel, or NULL. */
const char *vmi_text_stop_unsafe(void)
{
	if (preempt_model_preemptible())
		return "the kernel preempts on interrupt return: a task may be parked inside an inline site";
	return NULL;
}

static int cmp_ulong(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a;
	unsigned long y = *(const unsigned long *)b;

	return x < y ? -1 : x > y;
}

static u8 *alias_of(const struct stop_ctx *c, const u8 *addr)
{
	unsigned long va = (unsigned long)addr & PAGE_MASK;
	unsigned int lo = 0, hi = c->npages;

	while (lo < hi) {
		unsigned int mid = (lo + hi) / 2;

		if (c->page_va[mid] < va)
			lo = mid + 1;
		else
			hi = mid;
	}
	return c->alias + (unsigned long)lo * PAGE_SIZE + offset_in_page(addr);
}

static int stop_write(void *data)
{
	struct stop_ctx *c = data;
	unsigned int i;

	if (atomic_cmpxchg(&c->writer, 0, 1) == 0) {
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
		for (i = 0; !c->err && i < c->n; i++)
			memcpy(alias_of(c, c->w[i].addr), c->w[i].src,
			       c->w[i].len);
		atomic_set_release(&c->done, 1);
	} else {
		while (!atomic_read_acquire(&c->done))
			cpu_relax();
	}
	/* Cross-modified code: serialize before running any of it. */
	sync_core();
	return 0;
}

static struct page *text_page(unsigned long va)
{
	/* Kernel image or direct map; else module text (vmalloc space). */
	if (virt_addr_valid((void *)va))
		return virt_to_page((void *)va);
	return vmalloc_to_page((void *)va);
}

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
	c->npages = 0;
	for (i = 0; i < n; i++)
		if (!c->npages || c->page_va[c->npages - 1] != c->page_va[i])
			c->page_va[c->npages++] = c->page_va[i];

	pages = kvmalloc_array(c->npages, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return -ENOMEM;
	for (i = 0; i < c->npages; i++) {
		pages[i] = text_page(c->page_va[i]);
		if (!pages[i]) {
			kvfree(pages);
			return -EFAULT;
		}
	}
	c->alias = vmap(pages, c->npages, VM_MAP, PAGE_KERNEL);
	kvfree(pages);
	return c->alias ? 0 : -ENOMEM;
}

static int text_stop_run(const struct vmi_text_write *w, unsigned int n,
			 bool cpuslocked)
{
	struct stop_ctx c = { .w = w, .n = n };
	unsigned int i;
	int err;

	if (!n)
		return 0;
	err = alias_map(&c);
	if (err)
		goto out;
	atomic_set(&c.writer, 0);
	atomic_set(&c.done, 0);
	if (cpuslocked)
		err = stop_cpuslocked(stop_write, &c, cpu_online_mask);
	else
		err = stop_machine(stop_write, &c, cpu_online_mask);
	err = err ?: c.err;
	if (err == -EBUSY && c.err == -EBUSY) {
		const struct vmi_text_write *b = &w[c.bad];
		unsigned int len = min_t(unsigned int, b->len, sizeof(c.found));

		pr_err("%pS holds %*ph, not the expected %*ph (%s): nothing written\n",
		       b->addr, len, c.found, len, b->expect,
		       c.found[0] == INT3_INSN_OPCODE ? "a kprobe's or debugger's breakpoint" :
		       "changed by another writer of kernel text");
	}
	for (i = 0; !err && i < n; i++)
		if (memcmp(w[i].addr, w[i].src, w[i].len))
			err = -EIO;
out:
	if (c.alias)
		vunmap(c.alias);
	kvfree(c.page_va);
	return err;
}

/*
 * Write @n sites whole with every CPU stopped; read them back. 0, or an
 * error with nothing written (no mapping; -EBUSY: a site did not hold its
 * expected bytes), or -EIO if the read-back differs.
 */
int vmi_text_stop_write(const struct vmi_text_write *w, unsigned int n)
{
	return text_stop_run(w, n, false);
}

/*
 * The same for code, with the CPU hotplug lock and text_mutex held by the
 * caller (in that order, as the kernel's patchers take them) from its own
 * check of the sites to their read-back: no other writer of kernel text
 * can come between.
 */
int vmi_text_stop_write_code(const struct vmi_text_write *w, unsigned int n)
{
	if (!n)
		return 0;
	if (!stop_cpuslocked)
		stop_cpuslocked = (void *)vmi_ksym("stop_machine_cpuslocked");
	if (!stop_cpuslocked) {
		pr_err("stop_machine_cpuslocked not found\n");
		return -EOPNOTSUPP;
	}
	return text_stop_run(w, n, true);
}
