// SPDX-License-Identifier: GPL-2.0
/*
 * vmi-shim: route a running kernel's paravirt ops through a VMI-style ROM.
 *
 * This is the skeleton: it detects the platform and reports it in sysfs.
 * It changes nothing in the running kernel.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>
#include <linux/utsname.h>

#include "compat.h"
#include "hv_detect.h"
#include "sysfs.h"
#include "version.h"

static struct vmi_hv_info vmi_hv;

static int __init vmi_shim_init(void)
{
	int err;

	vmi_hv_detect(&vmi_hv);
	err = vmi_sysfs_init(&vmi_hv);
	if (err) {
		pr_err("cannot create /sys/kernel/vmi_shim: %d\n", err);
		return err;
	}

	if (vmi_hv.kvm_base)
		pr_info("v%s on %s: KVM at 0x%08x, features 0x%08x\n",
			VMI_SHIM_VERSION, init_utsname()->release,
			vmi_hv.kvm_base, vmi_hv.kvm_features);
	else
		pr_info("v%s on %s: no KVM (hypervisor: %s)\n",
			VMI_SHIM_VERSION, init_utsname()->release,
			vmi_hv.hypervisor ? vmi_hv.signature : "none");
	return 0;
}

static void __exit vmi_shim_exit(void)
{
	vmi_sysfs_exit();
	pr_info("unloaded\n");
}

module_init(vmi_shim_init);
module_exit(vmi_shim_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Route paravirt ops through a VMI-compatible ROM");
MODULE_VERSION(VMI_SHIM_VERSION);
