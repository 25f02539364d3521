// SPDX-License-Identifier: GPL-2.0
/*
 * Enables vmi_shim's trace events the moment its load creates them, before
 * its init runs (tests/guest/trace_events.sh). A module's events exist
 * from its COMING on, and its init follows at once: tracefs cannot be
 * written in between, so without this a test (or trace-cmd) would see
 * none of what the load does. It does what writing 1 to
 * events/vmi_shim/enable does, through the same call.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/notifier.h>
#include <linux/string.h>
#include <linux/trace_events.h>

static int shim_trace_notify(struct notifier_block *nb, unsigned long state,
			void *data)
{
	struct module *mod = data;
	int err;

	if (state != MODULE_STATE_COMING || strcmp(mod->name, "vmi_shim"))
		return NOTIFY_DONE;
	err = trace_set_clr_event("vmi_shim", NULL, 1);
	if (err)
		pr_err("vmi_shim's trace events not enabled at its load: %d\n",
		       err);
	else
		pr_info("vmi_shim's trace events enabled at its load\n");
	return NOTIFY_DONE;
}

/* After the tracing core's notifier, which creates the events. */
static struct notifier_block shim_trace_nb = {
	.notifier_call = shim_trace_notify,
	.priority = INT_MIN,
};

static int __init shim_trace_init(void)
{
	return register_module_notifier(&shim_trace_nb);
}
module_init(shim_trace_init);

static void __exit shim_trace_exit(void)
{
	unregister_module_notifier(&shim_trace_nb);
}
module_exit(shim_trace_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("vmi-shim test: enable vmi_shim's trace events at its load");
