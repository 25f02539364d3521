/* SPDX-License-Identifier: GPL-2.0 */
/* The module's one instance of state, shared by its parts. */
#ifndef VMI_SHIM_SHIM_H
#define VMI_SHIM_SHIM_H

#include "hv_detect.h"
#include "ops.h"
#include "rom.h"

struct vmi_shim {
	struct vmi_hv_info hv;
	struct vmi_rom rom;
	/* Why no ROM is installed (empty when one is). */
	const char *no_rom_reason;
	enum vmi_mode mode;
	bool routing;		/* pv_ops point at the shim's entries */
	bool tracking;		/* module tracker armed (ops routable) */
	/*
	 * Held while anything is routed: rmmod is refused until a release
	 * (sysfs "routing" <- off) has put every byte back and proved it.
	 */
	bool pinned;
	const char *restore_failed;	/* why the last release failed */
	bool restore_transient;	/* ... and it may pass: "off" tries again */
	u32 pv_ops_crc_before;	/* CRC of pv_ops before anything changed */
	/*
	 * The kernel's preemption model when the load began: inline sites
	 * are written whole, and put back, only under the same one.
	 */
	const char *preempt_model;
};

extern struct vmi_shim vmi_shim;

int vmi_shim_release(void);

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
	VMI_FAIL_NR,
};

bool vmi_fail_verify(enum vmi_fail_step step);

#endif /* VMI_SHIM_SHIM_H */
