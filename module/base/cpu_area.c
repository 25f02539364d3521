// SPDX-License-Identifier: GPL-2.0
/* Per-CPU areas registered with the host (cpu_area.h). */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpuhotplug.h>
#include <linux/reboot.h>
#include <linux/smp.h>
#include <linux/string.h>

#include "base/cpu_area.h"
#include "base/why.h"

/* kexec and reboot: the next kernel's memory must not be written into. */
static int cpu_area_reboot(struct notifier_block *nb, unsigned long code,
			   void *unused)
{
	struct vmi_cpu_area *a = container_of(nb, struct vmi_cpu_area,
					      reboot_nb);

	if (!a->reboot_may_drop || a->reboot_may_drop())
		on_each_cpu(a->drop_here, NULL, 1);
	return NOTIFY_DONE;
}

/*
 * Register on every online CPU, and on each that comes online. NULL, or
 * why not; what was set up stays for vmi_cpu_area_stop() either way.
 */
const char *vmi_cpu_area_start(struct vmi_cpu_area *a)
{
	int ret;

	a->reboot_nb.notifier_call = cpu_area_reboot;
	if (register_reboot_notifier(&a->reboot_nb))
		return VMI_WHY("no-reboot-notifier", "no reboot notifier");
	a->reboot_registered = true;
	ret = cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, a->name, a->online,
				a->offline);
	if (ret < 0) {
		pr_warn("%s not registered on every CPU (%d)\n",
			strchr(a->name, ':') ? strchr(a->name, ':') + 1 :
			a->name, ret);
		return VMI_WHY("rom-refused", "the ROM refused to register it");
	}
	a->cpuhp_state = ret;
	return NULL;
}

/* Unregister on every CPU (the offline callback) and forget the CPUs. */
void vmi_cpu_area_stop(struct vmi_cpu_area *a)
{
	if (a->cpuhp_state > 0) {
		cpuhp_remove_state(a->cpuhp_state);
		a->cpuhp_state = 0;
	}
	if (a->reboot_registered) {
		unregister_reboot_notifier(&a->reboot_nb);
		a->reboot_registered = false;
	}
}
