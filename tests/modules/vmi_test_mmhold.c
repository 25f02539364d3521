// SPDX-License-Identifier: GPL-2.0
/*
 * Hold one thread's mm's mmap_lock for reading, as a page-table free in
 * progress does, until a writer queues behind it (or hold_ms passes),
 * then let go and say whether one did. tests/guest/pv_retrofit.sh: before
 * the shim lets freed-table flushes skip preempted vCPUs, it must wait
 * out such a free in every mm, including one whose process's main
 * thread has exited (the mm is then only in the other threads).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/module.h>
#include <linux/pid.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>

static int tid;
module_param(tid, int, 0444);
MODULE_PARM_DESC(tid, "thread whose mm is held");

static unsigned int hold_ms = 60000;
module_param(hold_ms, uint, 0444);
MODULE_PARM_DESC(hold_ms, "longest hold without a writer waiting");

static struct mm_struct *held_mm;
static struct task_struct *holder;
static DECLARE_COMPLETION(locked);

static int hold_fn(void *unused)
{
	unsigned long end = jiffies + msecs_to_jiffies(hold_ms);
	bool waited = false;

	mmap_read_lock(held_mm);
	pr_info("holding the mm of thread %d for reading\n", tid);
	complete(&locked);
	while (!kthread_should_stop() && time_before(jiffies, end)) {
		if (mmap_lock_is_contended(held_mm)) {
			waited = true;
			/* Long enough for the waiter to be seen blocked. */
			msleep(200);
			break;
		}
		msleep(20);
	}
	pr_info("released the mm of thread %d: %s\n", tid,
		waited ? "a writer waited" : "no writer came");
	mmap_read_unlock(held_mm);
	mmput(held_mm);
	held_mm = NULL;
	while (!kthread_should_stop())
		msleep(20);
	return 0;
}

static int __init mmhold_init(void)
{
	struct task_struct *task;
	struct pid *pid;

	pid = find_get_pid(tid);
	task = pid ? get_pid_task(pid, PIDTYPE_PID) : NULL;
	put_pid(pid);
	if (!task)
		return -ESRCH;
	held_mm = get_task_mm(task);
	put_task_struct(task);
	if (!held_mm)
		return -EINVAL;
	holder = kthread_run(hold_fn, NULL, "vmi_mmhold");
	if (IS_ERR(holder)) {
		mmput(held_mm);
		return PTR_ERR(holder);
	}
	get_task_struct(holder);
	wait_for_completion(&locked);
	return 0;
}

static void __exit mmhold_exit(void)
{
	kthread_stop(holder);
	put_task_struct(holder);
}
module_init(mmhold_init);
module_exit(mmhold_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("vmi-shim selftest: hold a thread's mmap_lock for reading");
