// SPDX-License-Identifier: GPL-2.0
/* A module whose init fails: the runner must report the failed insmod. */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>

static int __init fail_init(void)
{
	pr_info("failing init on purpose\n");
	return -ENODEV;
}
module_init(fail_init);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("vmi-shim runner test: init fails");
