/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VMI_SHIM_FAIL_VERIFY_H
#define VMI_SHIM_FAIL_VERIFY_H

#include <linux/types.h>

/*
 * Test hook (fail_verify=, docs/sysfs.md): checks that can be made to
 * report a failure once, so that the paths taken when a proof fails can
 * be tested. It only ever turns a passed check into a failed one.
 */
enum vmi_fail_step {
	VMI_FAIL_SITES_APPLY,		/* read-back of the re-patched sites */
	VMI_FAIL_SITES_ROLLBACK,	/* proof of their undo after a failed load */
	VMI_FAIL_MODSITES_APPLY,	/* read-back of modules' re-pointed sites */
	VMI_FAIL_MODSITES_ROLLBACK,	/* proof of their undo after a failed load */
	VMI_FAIL_UNBIND_BUSY,		/* a bound module's sites changed (transient) */
	VMI_FAIL_UNBIND_WAIT,		/* a module load still in flight (transient) */
	VMI_FAIL_CC_GUEST,		/* the guest is a confidential one */
	VMI_FAIL_KPROBE_BL_SYMBOLS,	/* the kernel's kprobe blacklist is not found */
	VMI_FAIL_SWAP_CPU,		/* a CPU's areas refused by a swap's next ROM */
	VMI_FAIL_NR,
};

int vmi_fail_verify_arm(const char *list);
bool vmi_fail_verify(enum vmi_fail_step step);

#endif /* VMI_SHIM_FAIL_VERIFY_H */
