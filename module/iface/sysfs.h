/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VMI_SHIM_SYSFS_H
#define VMI_SHIM_SYSFS_H

/* @release: what writing "off" to routing runs (main.c's unload). */
int vmi_sysfs_init(int (*release)(void));
void vmi_sysfs_exit(void);

#endif /* VMI_SHIM_SYSFS_H */
