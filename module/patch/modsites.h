/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VMI_SHIM_MODSITES_H
#define VMI_SHIM_MODSITES_H

#include <linux/types.h>

#include "patch/modtrack.h"

/* What re-patching the sites of already loaded modules did (sysfs). */
struct vmi_modsites_state {
	bool loaded;			/* a table was given and applied */
	unsigned int total;		/* sites in the table */
	unsigned int modules;		/* modules with sites re-patched */
	unsigned int patched;		/* sites now calling the shim */
	unsigned int unrouted;		/* skipped: op not routed */
	unsigned int inline_kept;	/* skipped: inline native code */
	unsigned int modules_gone;	/* in the table, no longer loaded */
	unsigned int lock_inline_kept;	/* inline unlock sites kept */
};

extern struct vmi_modsites_state vmi_modsites;

int vmi_modsites_apply(const char *path);
enum vmi_unlocks vmi_modsites_unlocks(struct module *mod);
void vmi_modsites_gone(struct module *mod);
void vmi_modsites_forget(void);
const char *vmi_modsites_unproven(void);

#endif /* VMI_SHIM_MODSITES_H */
