// SPDX-License-Identifier: GPL-2.0
/*
 * Addresses of unexported kernel symbols (text_poke_copy, text_mutex, ...).
 *
 * kallsyms_lookup_name() has not been exported since 5.7. A kprobe on it
 * tells its address without executing it, which is the usual way out; the
 * probe is removed at once.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kprobes.h>
#include <linux/printk.h>

#include "ksyms.h"

static unsigned long (*vmi_kallsyms_lookup_name)(const char *name);

int vmi_ksyms_init(void)
{
	struct kprobe kp = { .symbol_name = "kallsyms_lookup_name" };
	int err;

	if (vmi_kallsyms_lookup_name)
		return 0;
	err = register_kprobe(&kp);
	if (err) {
		pr_err("cannot locate kallsyms_lookup_name (kprobe: %d)\n", err);
		return err;
	}
	vmi_kallsyms_lookup_name = (void *)kp.addr;
	unregister_kprobe(&kp);
	return 0;
}

/* 0 when the symbol does not exist in this kernel. */
unsigned long vmi_ksym(const char *name)
{
	if (!vmi_kallsyms_lookup_name)
		return 0;
	return vmi_kallsyms_lookup_name(name);
}
