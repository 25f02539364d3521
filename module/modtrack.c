// SPDX-License-Identifier: GPL-2.0
/*
 * Modules loaded while ops are routed bind their paravirt call sites to
 * the shim's entries when the kernel patches them at load. Until those
 * sites can be put back individually, each such module holds a reference
 * on the shim: rmmod vmi_shim then fails with "in use" instead of leaving
 * calls into freed memory, and the log says which module holds it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/slab.h>

#include "modtrack.h"

struct bound_module {
	struct list_head node;
	struct module *mod;
};

static LIST_HEAD(bound_modules);
static DEFINE_MUTEX(bound_lock);
static unsigned int nr_bound;

static int vmi_module_notify(struct notifier_block *nb, unsigned long state,
			     void *data)
{
	struct module *mod = data;
	struct bound_module *b, *tmp;

	mutex_lock(&bound_lock);
	if (state == MODULE_STATE_COMING) {
		b = kzalloc(sizeof(*b), GFP_KERNEL);
		if (b && try_module_get(THIS_MODULE)) {
			b->mod = mod;
			list_add(&b->node, &bound_modules);
			nr_bound++;
			pr_info("%s bound to the ROM; vmi_shim stays until it is unloaded\n",
				mod->name);
		} else {
			kfree(b);
			pr_warn("cannot track %s: its calls may outlive vmi_shim\n",
				mod->name);
		}
	} else if (state == MODULE_STATE_GOING) {
		list_for_each_entry_safe(b, tmp, &bound_modules, node) {
			if (b->mod != mod)
				continue;
			list_del(&b->node);
			kfree(b);
			nr_bound--;
			module_put(THIS_MODULE);
		}
	}
	mutex_unlock(&bound_lock);
	return NOTIFY_OK;
}

static struct notifier_block vmi_module_nb = {
	.notifier_call = vmi_module_notify,
};

int vmi_modtrack_start(void)
{
	return register_module_notifier(&vmi_module_nb);
}

void vmi_modtrack_stop(void)
{
	unregister_module_notifier(&vmi_module_nb);
}

unsigned int vmi_modtrack_bound(void)
{
	return READ_ONCE(nr_bound);
}
