/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VMI_SHIM_DEBUGFS_H
#define VMI_SHIM_DEBUGFS_H

void vmi_debugfs_init(void);
void vmi_debugfs_exit(void);

#endif /* VMI_SHIM_DEBUGFS_H */
