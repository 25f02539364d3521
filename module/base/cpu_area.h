/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VMI_SHIM_CPU_AREA_H
#define VMI_SHIM_CPU_AREA_H

#include <linux/notifier.h>
#include <linux/types.h>

/*
 * Memory each online CPU registers with the host (steal time, the PV EOI
 * word, the KVM clock): registered on a CPU as it comes online and
 * unregistered as it goes, and on every CPU before kexec or reboot, so
 * that the host never writes into the next kernel's memory.
 */
struct vmi_cpu_area {
	const char *name;		/* KBUILD_MODNAME ":<feature>", for cpuhp */
	int (*online)(unsigned int cpu);	/* on @cpu: register */
	int (*offline)(unsigned int cpu);	/* on @cpu: unregister */
	/* Reboot: may keep the areas (returns false); NULL: always drop. */
	bool (*reboot_may_drop)(void);
	void (*drop_here)(void *unused);	/* unregister on this CPU */
	/* private */
	struct notifier_block reboot_nb;
	bool reboot_registered;
	int cpuhp_state;		/* > 0 while the callbacks are set up */
};

const char *vmi_cpu_area_start(struct vmi_cpu_area *a);
void vmi_cpu_area_stop(struct vmi_cpu_area *a);

static inline bool vmi_cpu_area_on(const struct vmi_cpu_area *a)
{
	return a->cpuhp_state > 0;
}

#endif /* VMI_SHIM_CPU_AREA_H */
