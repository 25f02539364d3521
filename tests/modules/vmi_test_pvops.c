// SPDX-License-Identifier: GPL-2.0
/*
 * Calls paravirt ops a known number of times at load. Loaded after
 * vmi_shim, its call sites are patched with the then-current pv_ops
 * values, so the ROM's per-op counters must move by exactly "rounds" for
 * every routed op exercised here (none of these sites is replaced by
 * inline code by alternatives). An i386 kernel (686-pae: no PARAVIRT_XXL)
 * calls only io_delay of these through pv_ops; there the module flushes
 * a TLB entry too (mmu.flush_tlb_one_user), an op such a kernel routes.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/io.h>
#include <linux/module.h>
#include <asm/debugreg.h>
#include <asm/msr.h>
#include <asm/processor.h>
#include <asm/special_insns.h>
#include <asm/tlbflush.h>

static unsigned int rounds = 1000;
module_param(rounds, uint, 0444);
MODULE_PARM_DESC(rounds, "how many times each op is called at load");

static void pvops_exercise(unsigned int n)
{
	unsigned long cr0 = 0, dr7 = 0;
	unsigned int i, eax = 0;
	u64 efer = 0;

	for (i = 0; i < n; i++) {
		cr0 |= read_cr0();
		eax |= cpuid_eax(0);
		rdmsrl(MSR_EFER, efer);
		get_debugreg(dr7, 7);
		slow_down_io();
#ifdef CONFIG_X86_32
		__flush_tlb_one_user((unsigned long)&rounds);
#endif
	}
	pr_info("%u rounds: cr0 %#lx cpuid.0 %#x efer %#llx dr7 %#lx\n",
		n, cr0, eax, efer, dr7);
}

/* Writing N to /sys/module/vmi_test_pvops/parameters/run calls the ops again. */
static int run_set(const char *val, const struct kernel_param *kp)
{
	unsigned int n;
	int err = kstrtouint(val, 0, &n);

	if (err)
		return err;
	pvops_exercise(n);
	return 0;
}

static const struct kernel_param_ops run_ops = {
	.set = run_set,
};
module_param_cb(run, &run_ops, NULL, 0200);
MODULE_PARM_DESC(run, "write N: call each op N more times");

static int __init pvops_init(void)
{
	pvops_exercise(rounds);
	return 0;
}

static void __exit pvops_exit(void)
{
}
module_init(pvops_init);
module_exit(pvops_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("vmi-shim test: calls paravirt ops from a module");
