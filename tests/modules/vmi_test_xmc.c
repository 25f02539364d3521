// SPDX-License-Identifier: GPL-2.0
/*
 * Cross-modifying code without vmi-shim: is the platform (CPU, or an
 * emulator such as QEMU's TCG) coherent for the kernel's own live text
 * patching? Two kthreads call through one CALL in a tight loop while
 * init re-points that CALL between two functions, @repoints times, with
 * the kernel's INT3 protocol (text_poke_queue + text_poke_finish) and a
 * stop_machine() every 100. A coherent platform finishes cleanly; QEMU
 * 7.2's multi-threaded TCG was seen to execute the INT3 after the
 * protocol was done with it ("int3: 0000 [#1]"). docs/testing.md.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/kprobes.h>
#include <linux/kthread.h>
#include <linux/memory.h>
#include <linux/module.h>
#include <linux/stop_machine.h>
#include <asm/asm.h>
#include <asm/text-patching.h>

static unsigned int repoints = 2000;
module_param(repoints, uint, 0444);
MODULE_PARM_DESC(repoints, "how many times the hot CALL is re-pointed");

static atomic_long_t calls;

static noinline void hot_a(void)
{
	atomic_long_inc(&calls);
}

static noinline void hot_b(void)
{
	atomic_long_inc(&calls);
}

/* The CALL being re-pointed; caller-saved registers are clobbered. */
static noinline void hot_site(void)
{
	asm volatile(".globl vmi_xmc_call\nvmi_xmc_call: call hot_a"
		     : ASM_CALL_CONSTRAINT : : "memory", "cc", "ax", "cx",
		       "dx", "si", "di"
#ifdef CONFIG_X86_64
		       , "r8", "r9", "r10", "r11"
#endif
		     );
}

extern u8 vmi_xmc_call[];

static int caller(void *unused)
{
	while (!kthread_should_stop()) {
		hot_site();
		cond_resched();
	}
	return 0;
}

static int quiesce(void *unused)
{
	return 0;
}

static int __init xmc_init(void)
{
	struct kprobe kp = { .symbol_name = "kallsyms_lookup_name" };
	unsigned long (*lookup)(const char *name);
	void (*queue)(void *addr, const void *op, size_t len, const void *em);
	void (*finish)(void);
	struct mutex *text_mutex;
	struct task_struct *t[2];
	unsigned int i;
	u8 insn[5];
	s32 rel;

	if (register_kprobe(&kp))
		return -ENOENT;
	lookup = (void *)kp.addr;
	unregister_kprobe(&kp);
	queue = (void *)lookup("text_poke_queue");
	finish = (void *)lookup("text_poke_finish");
	text_mutex = (void *)lookup("text_mutex");
	if (!queue || !finish || !text_mutex)
		return -ENOENT;

	t[0] = kthread_run(caller, NULL, "xmc-a");
	t[1] = kthread_run(caller, NULL, "xmc-b");
	for (i = 0; i < repoints; i++) {
		void *to = i & 1 ? (void *)hot_a : (void *)hot_b;

		rel = (long)to - (long)(vmi_xmc_call + 5);
		insn[0] = 0xe8;
		memcpy(insn + 1, &rel, 4);
		mutex_lock(text_mutex);
		queue(vmi_xmc_call, insn, 5, NULL);
		finish();
		mutex_unlock(text_mutex);
		if (i % 100 == 99)
			stop_machine(quiesce, NULL, NULL);
	}
	kthread_stop(t[0]);
	kthread_stop(t[1]);
	pr_info("%u re-points done, %ld calls\n", repoints,
		atomic_long_read(&calls));
	return 0;
}

static void __exit xmc_exit(void)
{
}
module_init(xmc_init);
module_exit(xmc_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("vmi-shim test: is cross-modifying code coherent here?");
