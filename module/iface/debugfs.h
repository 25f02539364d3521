/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VMI_SHIM_DEBUGFS_H
#define VMI_SHIM_DEBUGFS_H

#ifdef CONFIG_X86_64
void vmi_debugfs_init(void);
void vmi_debugfs_exit(void);
#else
static inline void vmi_debugfs_init(void) { }
static inline void vmi_debugfs_exit(void) { }
#endif

#endif /* VMI_SHIM_DEBUGFS_H */
