// SPDX-License-Identifier: GPL-2.0
/*
 * While loaded, the kernel reports MWAIT: X86_FEATURE_MWAIT is set in
 * boot_cpu_data, which is what KVM's guest code and the shim's retrofit
 * read (boot_cpu_has()) to tell dedicated CPUs. No CPU model of the rig
 * can give a guest MONITOR/MWAIT (docs/testing.md, "MWAIT in a nested
 * L2"), so tests/guest/pv_mwait.sh runs the retrofit's MWAIT rule with
 * this module loaded instead.
 *
 * Only boot_cpu_data changes, not the per-CPU cpu_data(), so nothing
 * that checks this CPU's own bits (mwait_play_dead(), the idle routine
 * chosen at boot) can execute MWAIT. What does read boot_cpu_data while
 * it is loaded: alternatives of a module loaded meanwhile (the shim's own
 * included), x86_match_cpu() users, and KVM's kvm_can_mwait_in_guest().
 * So the test loads nothing but the shim in that window, and no CPU may
 * come online (that ANDs the new CPU's bits into boot_cpu_data and
 * clears the fake bit). The module refuses a CPU that has MWAIT
 * already, so that unloading it restores what was there.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>
#include <asm/cpufeature.h>
#include <asm/processor.h>

static int __init fake_mwait_init(void)
{
	if (boot_cpu_has(X86_FEATURE_MWAIT)) {
		pr_err("the CPU has MWAIT already: nothing to fake\n");
		return -EBUSY;
	}
	set_cpu_cap(&boot_cpu_data, X86_FEATURE_MWAIT);
	pr_info("X86_FEATURE_MWAIT set in boot_cpu_data\n");
	return 0;
}
module_init(fake_mwait_init);

static void __exit fake_mwait_exit(void)
{
	/* clear_cpu_cap() is not exported */
	clear_bit(X86_FEATURE_MWAIT, (unsigned long *)boot_cpu_data.x86_capability);
	pr_info("X86_FEATURE_MWAIT cleared in boot_cpu_data\n");
}
module_exit(fake_mwait_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("vmi-shim test: the kernel reports MWAIT while this is loaded");
