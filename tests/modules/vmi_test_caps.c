// SPDX-License-Identifier: GPL-2.0
/*
 * Reports, as read-only parameters, whether the kernel's boot CPU data
 * has X86_FEATURE_PVUNLOCK and X86_FEATURE_VCPUPREEMPT when it loads.
 * The two bits have no name in /proc/cpuinfo. The shim's PV spinlock
 * retrofit sets them before routing (so that alternatives in modules
 * loaded meanwhile leave their unlock and vcpu_is_preempted calls to
 * pv_ops) and clears them at unload; with mode=off it must not touch
 * them (tests/guest/pv_caps.sh).
 */
#include <linux/module.h>
#include <asm/cpufeature.h>

static bool pvunlock;
module_param(pvunlock, bool, 0444);
MODULE_PARM_DESC(pvunlock, "X86_FEATURE_PVUNLOCK was set at load (output)");

static bool vcpupreempt;
module_param(vcpupreempt, bool, 0444);
MODULE_PARM_DESC(vcpupreempt, "X86_FEATURE_VCPUPREEMPT was set at load (output)");

static int __init caps_init(void)
{
	pvunlock = boot_cpu_has(X86_FEATURE_PVUNLOCK);
	vcpupreempt = boot_cpu_has(X86_FEATURE_VCPUPREEMPT);
	return 0;
}
module_init(caps_init);

static void __exit caps_exit(void)
{
}
module_exit(caps_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("vmi-shim test: the PV lock feature bits the kernel has");
