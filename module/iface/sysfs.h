/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VMI_SHIM_SYSFS_H
#define VMI_SHIM_SYSFS_H

int vmi_sysfs_init(void);
void vmi_sysfs_exit(void);

#endif /* VMI_SHIM_SYSFS_H */
