/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VMI_SHIM_MODTRACK_H
#define VMI_SHIM_MODTRACK_H

#include <linux/module.h>
#include <linux/types.h>

int vmi_modtrack_start(void);
int vmi_modtrack_unbind(void);
void vmi_modtrack_stop(void);
unsigned int vmi_modtrack_bound(void);

void vmi_modtrack_lock(void);
void vmi_modtrack_unlock(void);
/* What a module's unlock sites are known to be (PV spinlock switch). */
enum vmi_unlocks {
	VMI_UNLOCKS_UNKNOWN,	/* no record of its sites */
	VMI_UNLOCKS_PV,		/* every one is the PV unlock */
	VMI_UNLOCKS_NATIVE,	/* at least one is not */
};

enum vmi_unlocks vmi_modtrack_unlocks(struct module *mod);
/*
 * While PV spinlocks are on, a module with an unlock site that is not
 * the PV unlock is refused at its load (set by pvspin.c at its switch).
 */
void vmi_modtrack_refuse_native_unlocks(bool on);
unsigned int vmi_modtrack_own_native_unlocks(unsigned int *total);
/* The shim's own pv call-site list (own_sites_start.c, own_sites_end.c). */
extern const char vmi_own_sites_start[], vmi_own_sites_end[];

/* Sites re-pointed at the shim, as vmi_text_repoint() takes them. */
struct vmi_repoints {
	u8 **addrs;
	void **orig;		/* what each site called before */
	void **thunk;		/* the shim's entry it calls now */
	unsigned int nr;
};

int vmi_repoints_alloc(struct vmi_repoints *r, unsigned int cap);
int vmi_modtrack_add(struct module *mod, const struct vmi_repoints *r);
int vmi_modtrack_check_restore(void);
struct module *vmi_module_find(const char *name, enum module_state state);

#endif /* VMI_SHIM_MODTRACK_H */
