// SPDX-License-Identifier: GPL-2.0
/*
 * A module that triple-faults the CPU on request, for the runner's test
 * that a guest death names where the vCPU died:
 *
 *   insmod vmi_test_triple.ko && echo 1 > /sys/module/vmi_test_triple/parameters/fire
 *
 * With interrupts off, an empty IDT and an INT3, the breakpoint cannot be
 * delivered (#GP), nor can that (#DF): the CPU shuts down. Loaded, it does
 * nothing; the fault comes from module text, after insmod has announced
 * where that text is.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/irqflags.h>
#include <linux/module.h>
#include <linux/moduleparam.h>

static noinline void vmi_test_triple_fault(void)
{
	static const struct {
		u16 limit;
		u64 base;
	} __packed empty = { 0, 0 };

	local_irq_disable();
	asm volatile("lidt %0\n\tint3" : : "m"(empty) : "memory");
}

static int fire_set(const char *val, const struct kernel_param *kp)
{
	bool on;

	if (kstrtobool(val, &on))
		return -EINVAL;
	if (on) {
		pr_emerg("triple fault on purpose\n");
		vmi_test_triple_fault();
	}
	return 0;
}

static const struct kernel_param_ops fire_ops = {
	.set = fire_set,
};
module_param_cb(fire, &fire_ops, NULL, 0200);
MODULE_PARM_DESC(fire, "write 1: triple-fault this CPU");

static int __init triple_init(void)
{
	return 0;
}

static void __exit triple_exit(void)
{
}
module_init(triple_init);
module_exit(triple_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("vmi-shim runner test: triple fault on request");
