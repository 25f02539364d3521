// SPDX-License-Identifier: GPL-2.0
/*
 * A module with no paravirt call site at all, hence no unlock site: the
 * PV spinlock switch must count it as PV when it loads in the middle of
 * the shim's own load (tests/guest/pvspin_cover.sh).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>

static int __init nosites_init(void)
{
	pr_info("loaded\n");
	return 0;
}
module_init(nosites_init);

static void __exit nosites_exit(void)
{
}
module_exit(nosites_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("vmi-shim test: a module without paravirt call sites");
