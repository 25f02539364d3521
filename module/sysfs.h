/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VMI_SHIM_SYSFS_H
#define VMI_SHIM_SYSFS_H

struct vmi_hv_info;

int vmi_sysfs_init(const struct vmi_hv_info *hv);
void vmi_sysfs_exit(void);

#endif /* VMI_SHIM_SYSFS_H */
