// SPDX-License-Identifier: GPL-2.0
/* A module that WARNs and loads fine: the runner must still fail the run. */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bug.h>
#include <linux/init.h>
#include <linux/module.h>

static int __init warn_init(void)
{
	WARN(1, "vmi_test_warn: warning on purpose\n");
	return 0;
}

static void __exit warn_exit(void)
{
}
module_init(warn_init);
module_exit(warn_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("vmi-shim runner test: WARN in init");
