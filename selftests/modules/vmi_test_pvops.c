// SPDX-License-Identifier: GPL-2.0
/*
 * Calls paravirt ops a known number of times at load. Loaded after
 * vmi_shim, its call sites are patched with the then-current pv_ops
 * values, so the ROM's per-op counters must move by exactly "rounds" for
 * every routed op exercised here (none of these sites is replaced by
 * inline code by alternatives).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/io.h>
#include <linux/module.h>
#include <asm/debugreg.h>
#include <asm/msr.h>
#include <asm/processor.h>
#include <asm/special_insns.h>

static unsigned int rounds = 1000;
module_param(rounds, uint, 0444);
MODULE_PARM_DESC(rounds, "how many times each op is called at load");

static int __init pvops_init(void)
{
	unsigned long cr0 = 0, dr7 = 0;
	unsigned int i, eax = 0;
	u64 efer = 0;

	for (i = 0; i < rounds; i++) {
		cr0 |= read_cr0();
		eax |= cpuid_eax(0);
		rdmsrl(MSR_EFER, efer);
		get_debugreg(dr7, 7);
		slow_down_io();
	}
	pr_info("%u rounds: cr0 %#lx cpuid.0 %#x efer %#llx dr7 %#lx\n",
		rounds, cr0, eax, efer, dr7);
	return 0;
}

static void __exit pvops_exit(void)
{
}
module_init(pvops_init);
module_exit(pvops_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("vmi-shim test: calls paravirt ops from a module");
