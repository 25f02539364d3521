// SPDX-License-Identifier: GPL-2.0
/*
 * PV TLB flush, retrofitted (the rest of the retrofit is in retrofit.c).
 *
 * The mmu.flush_tlb_multi op (routed by ops.c, its call sites re-patched)
 * leaves preempted vCPUs out of the flush IPI: the ROM marks them and the
 * host flushes their TLB before they run again, as kvm_flush_tlb_multi.
 *
 * One thing the IPI also does is not a TLB flush: a CPU in GUP-fast walks
 * page tables with interrupts off, and a page table freed by an mmu_gather
 * is freed only after the flush IPI reached every CPU, so not while the
 * walk is on. A skipped vCPU may be preempted in the middle of such a
 * walk. KVM's guest code therefore frees page tables through RCU
 * (pv_ops.mmu.tlb_remove_table = tlb_remove_table), which waits for every
 * CPU to pass an interrupts-on point; the retrofit routes that op too. A
 * flush that frees page tables (or that the kernel marks so: concurrent
 * gathers on one mm force freed_tables) may skip vCPUs only once every
 * gather that could have queued page tables the native way is over. Each
 * such gather runs under its mm's mmap_lock (the exit teardown aside, and
 * no thread is left to walk that mm then), so taking every mm's lock once
 * for writing, after the switch, waits them out. Until then, and from the
 * start of the unload, such flushes interrupt every CPU.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/percpu.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include <asm/hypervisor.h>
#include <asm/kvm_para.h>
#include <vmi/abi.h>

#include "ksyms.h"
#include "ops.h"
#include "percpu_sum.h"
#include "retrofit.h"
#include "rom.h"

static struct {
	struct vmi_call_FLUSH_TLB_OTHERS flush_others;
	void (*native_flush_multi)(const struct cpumask *mask,
				   const struct flush_tlb_info *info);
	struct cpumask __percpu *flush_mask;
	bool tables_rcu;	/* freed-table flushes may skip vCPUs */
	const char *tables_why;	/* why not, for pv_features */
} t;

static DEFINE_PER_CPU(u64, cnt_flush_skipped);
static DEFINE_PER_CPU(u64, cnt_flush_all);

void vmi_retro_flush_tlb_multi(const struct cpumask *cpumask,
			       const struct flush_tlb_info *info)
{
	struct cpumask *mask;
	unsigned int before;

	if (vmi_flush_frees_tables(info) && !READ_ONCE(t.tables_rcu)) {
		this_cpu_inc(cnt_flush_all);
		t.native_flush_multi(cpumask, info);
		return;
	}
	mask = this_cpu_ptr(t.flush_mask);
	cpumask_copy(mask, cpumask);
	before = cpumask_weight(mask);
	this_cpu_add(cnt_flush_skipped,
		     before - t.flush_others.fn(vmi_rom.state,
					     cpumask_bits(mask), nr_cpu_ids));
	t.native_flush_multi(mask, info);
}

/* Whether the flush_tlb_multi and tlb_remove_table ops may be routed. */
const char *vmi_retro_flush_veto(void)
{
	const char *why;

	why = vmi_retro_unavailable(VMI_CALL_FLUSH_TLB_OTHERS,
				    KVM_FEATURE_PV_TLB_FLUSH);
	if (why)
		return why;
	why = vmi_retro_dedicated_why();
	if (why)
		return why;
	if (!vmi_retro_steal_registered())
		return "steal time not registered";
	if (x86_hyper_type == X86_HYPER_KVM)
		return "kernel runs KVM's own guest code";
	t.native_flush_multi = vmi_ks.native_flush_tlb_multi;
	if (!t.native_flush_multi)
		return "kernel lacks native_flush_tlb_multi";
	if (!t.flush_mask) {
		t.flush_mask = __alloc_percpu(cpumask_size(),
					      sizeof(unsigned long));
		if (!t.flush_mask)
			return "out of memory";
	}
	t.flush_others.fn = vmi_retro_rom_fn(FLUSH_TLB_OTHERS);
	return NULL;
}

/* Take every user mm's mmap_lock once for writing (see the top). */
static int wait_native_table_frees(void)
{
	struct task_struct *g, *p;
	struct mm_struct **mms;
	unsigned int max = 0, n = 0, i;
	int err = 0;

	/*
	 * Every thread, not every process: a process whose main thread has
	 * exited has no mm there while its other threads run.
	 */
	rcu_read_lock();
	for_each_process_thread(g, p)
		max++;
	rcu_read_unlock();
	mms = kvmalloc_array(max, sizeof(*mms), GFP_KERNEL);
	if (!mms)
		return -ENOMEM;
	/* Tasks created since the count come last and started after the switch. */
	rcu_read_lock();
	for_each_process_thread(g, p) {
		struct mm_struct *mm;

		if (n == max)
			break;
		mm = get_task_mm(p);
		if (mm)
			mms[n++] = mm;
	}
	rcu_read_unlock();
	for (i = 0; i < n; i++) {
		if (!err && mmap_write_lock_killable(mms[i]))
			err = -EINTR;
		else if (!err)
			mmap_write_unlock(mms[i]);
		mmput(mms[i]);
	}
	kvfree(mms);
	return err;
}

/* After ops are routed and sites patched. */
void vmi_retro_tlb_hook(void)
{
	const struct vmi_op_state *flush = NULL, *tables = NULL;
	unsigned int i;

	for (i = 0; i < vmi_nr_ops; i++) {
		if (vmi_ops[i].adapter == vmi_retro_flush_tlb_multi)
			flush = &vmi_op_states[i];
		if (vmi_ops[i].rcu_tables)
			tables = &vmi_op_states[i];
	}
	if (flush)
		vmi_retro_set(VMI_RETRO_PV_TLB_FLUSH, flush->routed,
			      flush->why_not);
	if (!flush || !flush->routed)
		t.tables_why = "no PV flush";
	else if (!tables || !tables->routed)
		t.tables_why = tables ? tables->why_not : "kernel lacks the op";
	/* The kernel's own calls go where its sites point, not pv_ops. */
	else if (flush->sites && !tables->sites)
		t.tables_why = "tlb_remove_table call sites not re-patched";
	else if (wait_native_table_frees())
		t.tables_why = "interrupted waiting for page-table frees";
	else
		t.tables_why = NULL;
	WRITE_ONCE(t.tables_rcu, !t.tables_why);
}

/* Before anything is unrouted: freed-table flushes back to every CPU. */
void vmi_retro_tlb_unhook(void)
{
	WRITE_ONCE(t.tables_rcu, false);
	t.tables_why = "unloaded";
}

/* After the quiesce. */
void vmi_retro_tlb_stop(void)
{
	free_percpu(t.flush_mask);
	t.flush_mask = NULL;
}

/* The counters of the pv_tlb_flush line in pv_features. */
int vmi_retro_tlb_show(char *buf, int at)
{
	int len = sysfs_emit_at(buf, at, " skipped=%llu all_cpus=%llu",
				vmi_percpu_sum(&cnt_flush_skipped),
				vmi_percpu_sum(&cnt_flush_all));

	if (t.tables_why)
		len += sysfs_emit_at(buf, at + len, " rcu_tables=off (%s)",
				     t.tables_why);
	else
		len += sysfs_emit_at(buf, at + len, " rcu_tables=on");
	return len;
}
