// SPDX-License-Identifier: GPL-2.0
/*
 * The fail_verify= test hook (docs/sysfs.md): checks that report a
 * failure once, so that the paths taken when a proof fails can be tested
 * on a healthy kernel. It can only make the shim more careful.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitops.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "base/fail_verify.h"

static const char * const vmi_fail_names[VMI_FAIL_NR] = {
	[VMI_FAIL_SITES_APPLY] = "sites_apply",
	[VMI_FAIL_SITES_ROLLBACK] = "sites_rollback",
	[VMI_FAIL_MODSITES_APPLY] = "modsites_apply",
	[VMI_FAIL_MODSITES_ROLLBACK] = "modsites_rollback",
	[VMI_FAIL_UNBIND_BUSY] = "unbind_busy",
	[VMI_FAIL_UNBIND_WAIT] = "unbind_wait",
	[VMI_FAIL_CC_GUEST] = "cc_guest",
	[VMI_FAIL_KPROBE_BL_SYMBOLS] = "kprobe_bl_symbols",
	[VMI_FAIL_SWAP_CPU] = "swap_cpu",
};
static unsigned long vmi_fail_pending;

/* Arm the checks named in @list (comma-separated), from fail_verify=. */
int vmi_fail_verify_arm(const char *list)
{
	char *copy, *rest, *tok;
	int i;

	if (!list || !*list)
		return 0;
	copy = kstrdup(list, GFP_KERNEL);
	if (!copy)
		return -ENOMEM;
	rest = copy;
	while ((tok = strsep(&rest, ","))) {
		i = match_string(vmi_fail_names, VMI_FAIL_NR, tok);
		if (i < 0)
			break;
		set_bit(i, &vmi_fail_pending);
	}
	if (tok)
		pr_err("fail_verify=%s: no check called '%s'\n", list, tok);
	else
		pr_warn("fail_verify=%s: test hook armed, these checks will report a failure once\n",
			list);
	kfree(copy);
	return tok ? -EINVAL : 0;
}

bool vmi_fail_verify(enum vmi_fail_step step)
{
	if (!test_and_clear_bit(step, &vmi_fail_pending))
		return false;
	pr_warn("fail_verify=%s: reporting this check failed (test hook)\n",
		vmi_fail_names[step]);
	return true;
}
