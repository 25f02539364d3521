/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VMI_SHIM_MODTRACK_H
#define VMI_SHIM_MODTRACK_H

int vmi_modtrack_start(void);
void vmi_modtrack_unbind(void);
void vmi_modtrack_stop(void);
unsigned int vmi_modtrack_bound(void);

#endif /* VMI_SHIM_MODTRACK_H */
