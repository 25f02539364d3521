/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VMI_SHIM_MODTRACK_H
#define VMI_SHIM_MODTRACK_H

#include <linux/types.h>

int vmi_modtrack_start(void);
int vmi_modtrack_unbind(void);
void vmi_modtrack_stop(void);
unsigned int vmi_modtrack_bound(void);

struct module;
void vmi_modtrack_lock(void);
void vmi_modtrack_unlock(void);
bool vmi_modtrack_has(struct module *mod);
int vmi_modtrack_add(struct module *mod, u8 **addrs, void **orig,
		     void **thunk, unsigned int n);
int vmi_modtrack_check_restore(void);

#endif /* VMI_SHIM_MODTRACK_H */
