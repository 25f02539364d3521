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
#include <asm/kvm_para.h>
#include <vmi/abi.h>

#include "base/ksyms.h"
#include "compat/compat.h"
#include "patch/ops.h"
#include "retrofit/retrofit.h"
#include "romload/rom.h"

static struct {
	struct vmi_call_FLUSH_TLB_OTHERS flush_others;
	struct vmi_call_FLUSH_TLB_OTHERS next;	/* a swap's */
	void (*native_flush_multi)(const struct cpumask *mask,
				   const struct flush_tlb_info *info);
	struct cpumask __percpu *flush_mask;
	const char *why;	/* why the ops may not be routed; NULL: they may */
	int first_op;		/* index of flush_tlb_multi in vmi_ops */
	bool tables_rcu;	/* freed-table flushes may skip vCPUs */
	const char *tables_why;	/* why not, for sysfs */
} t;

static void vmi_retro_flush_tlb_multi(const struct cpumask *cpumask,
				      const struct flush_tlb_info *info)
{
	vmi_fn(FLUSH_TLB_OTHERS) fn = READ_ONCE(t.flush_others.fn);
	struct cpumask *mask;
	unsigned int before;

	/* A ROM swapped in since without the call: every CPU, natively. */
	if (!fn) {
		t.native_flush_multi(cpumask, info);
		return;
	}
	if (vmi_flush_frees_tables(info) && !READ_ONCE(t.tables_rcu)) {
		this_cpu_inc(vmi_retro_cnt[VMI_CNT_TLB_ALL_CPUS]);
		t.native_flush_multi(cpumask, info);
		return;
	}
	mask = this_cpu_ptr(t.flush_mask);
	cpumask_copy(mask, cpumask);
	before = cpumask_weight(mask);
	this_cpu_add(vmi_retro_cnt[VMI_CNT_TLB_SKIPPED],
		     before - fn(vmi_rom.state, cpumask_bits(mask), nr_cpu_ids));
	t.native_flush_multi(mask, info);
}

/* The ops' veto (ops.h): what vmi_retro_tlb_prepare() found. */
static const char *tlb_op_veto(const struct vmi_op *op, enum vmi_mode mode)
{
	if (op->target_sym && !vmi_ksym(op->target_sym))
		return VMI_WHY("kernel-lacks", "kernel lacks the PV implementation");
	/* A kernel with KVM's guest code from 4.16 on flushes this way itself. */
	if (!t.why && vmi_retro_kernel_pv() && !vmi_op_is_native(op))
		return VMI_RETRO_WHY_KERNEL_PV;
	return t.why;
}

/* The core lists them after the lock ops (retrofit.c). */
enum { OP_FLUSH, OP_TABLES, OP_NR };
static const struct vmi_op tlb_ops[OP_NR] = {
	/* Skip preempted vCPUs: the host flushes them on their next entry. */
	[OP_FLUSH] = { VMI_FLUSH_TLB_NAME, VMI_PV_SLOT(mmu.VMI_FLUSH_TLB_OP),
	  VMI_CALL_FLUSH_TLB_OTHERS, .accelerates = true,
	  .native = VMI_FLUSH_TLB_NATIVE,
	  .adapter = vmi_retro_flush_tlb_multi, .veto = tlb_op_veto },
	/* ... and page tables freed through RCU, as KVM's guest code does. */
	[OP_TABLES] = { "mmu.tlb_remove_table", VMI_TLB_TABLES_SLOT,
	  VMI_CALL_FLUSH_TLB_OTHERS, .accelerates = true,
	  .native = "native_tlb_remove_table", .native_old = "tlb_remove_page",
	  .target_sym = "tlb_remove_table", .rcu_tables = true,
	  .veto = tlb_op_veto },
};

/* Where the kernel has no tlb_remove_table op, only the flush. */
static unsigned int tlb_nr_ops(void)
{
	unsigned int tables = VMI_TLB_TABLES_SLOT;

	return tables == UINT_MAX ? OP_TABLES : OP_NR;
}

/*
 * Once per load, after steal time (vmi_retro_start()), before pv_ops is
 * routed: whether the flush_tlb_multi and tlb_remove_table ops may be
 * routed, and what they need if so.
 */
void vmi_retro_tlb_prepare(void)
{
	t.why = vmi_retro_unavailable(VMI_CALL_FLUSH_TLB_OTHERS,
				      KVM_FEATURE_PV_TLB_FLUSH);
	/* A kernel with its own PV flush keeps it, dedicated CPUs or not. */
	if (!t.why && vmi_retro_kernel_pv() &&
	    !vmi_op_is_native(&tlb_ops[OP_FLUSH]))
		t.why = VMI_RETRO_WHY_KERNEL_PV;
	t.why = t.why ?: vmi_retro_dedicated_why();
	if (!t.why && VMI_KHUGEPAGED_NEEDS_IPI)
		t.why = VMI_WHY("khugepaged-ipi", "khugepaged relies on the flush IPI (kernel without tlb_remove_table_sync_one)");
	if (t.why)
		return;
	if (!vmi_retro_preempted_readable())
		t.why = vmi_retro_no_steal_why();
	else if (!vmi_ksym(VMI_FLUSH_TLB_NATIVE))
		t.why = VMI_WHY("kernel-lacks", "kernel lacks " VMI_FLUSH_TLB_NATIVE);
	if (t.why)
		return;
	t.native_flush_multi = (void *)vmi_ksym(VMI_FLUSH_TLB_NATIVE);
	t.flush_mask = __alloc_percpu(cpumask_size(), sizeof(unsigned long));
	if (!t.flush_mask) {
		t.why = VMI_WHY("no-memory", "out of memory");
		return;
	}
	t.flush_others.fn = vmi_retro_rom_fn(FLUSH_TLB_OTHERS);
}

int vmi_retro_tlb_register_ops(void)
{
	t.first_op = vmi_ops_register(tlb_ops, tlb_nr_ops());
	return t.first_op < 0 ? t.first_op : 0;
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
	const struct vmi_op_state *flush =
		&vmi_op_states[t.first_op + OP_FLUSH];
	const struct vmi_op_state *tables = tlb_nr_ops() == OP_NR ?
		&vmi_op_states[t.first_op + OP_TABLES] : NULL;
	const char *why = flush->why_not;

	/*
	 * Accelerate mode leaves a paravirt op alone before any veto asks:
	 * for a kernel with KVM's guest code that is its own PV flush.
	 */
	if (!flush->routed && vmi_retro_kernel_pv() &&
	    !vmi_op_is_native(&tlb_ops[OP_FLUSH]))
		why = VMI_RETRO_WHY_KERNEL_PV;
	vmi_retro_set(VMI_RETRO_PV_TLB_FLUSH, flush->routed, why);
	if (!flush->routed)
		t.tables_why = VMI_WHY("no-pv-flush", "no PV flush");
	else if (!tables && !VMI_TABLES_ALWAYS_RCU)
		t.tables_why = VMI_WHY("kernel-lacks", "kernel frees page tables without a tlb_remove_table op");
	else if (!tables)	/* and every page table freed through RCU */
		t.tables_why = NULL;
	else if (!tables->routed)
		t.tables_why = tables->why_not;
	/* The kernel's own calls go where its sites point, not pv_ops. */
	else if (flush->sites && !tables->sites)
		t.tables_why = VMI_WHY("sites-not-patched", "tlb_remove_table call sites not re-patched");
	else if (wait_native_table_frees())
		t.tables_why = VMI_WHY("interrupted", "interrupted waiting for page-table frees");
	else
		t.tables_why = NULL;
	WRITE_ONCE(t.tables_rcu, !t.tables_why);
}

/* Before anything is unrouted: freed-table flushes back to every CPU. */
void vmi_retro_tlb_unhook(void)
{
	WRITE_ONCE(t.tables_rcu, false);
	t.tables_why = t.tables_why ?: VMI_RETRO_WHY_UNLOADED;
}

/* After the quiesce. */
void vmi_retro_tlb_stop(void)
{
	free_percpu(t.flush_mask);
	t.flush_mask = NULL;
}

const char *vmi_retro_tlb_tables_why(void)
{
	return t.tables_why;
}

/* A swap to @next (retrofit.c): the flush's entry there, or why none. */
const char *vmi_retro_tlb_swap_prepare(const struct vmi_rom *next,
				       const char *preempted_why)
{
	const char *why = vmi_retro_unavailable_in(next, VMI_CALL_FLUSH_TLB_OTHERS,
						   KVM_FEATURE_PV_TLB_FLUSH) ?:
			  preempted_why;

	t.next.fn = why ? NULL :
		    vmi_retro_rom_call_in(next, VMI_CALL_FLUSH_TLB_OTHERS);
	return why;
}

/* Every CPU stopped: the flush op's adapter calls the new ROM, or native. */
void vmi_retro_tlb_swap_publish(void)
{
	if (t.flush_mask)	/* prepared at the load: the op may be routed */
		WRITE_ONCE(t.flush_others.fn, t.next.fn);
}
