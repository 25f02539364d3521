/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VMI_SHIM_SYSFS_H
#define VMI_SHIM_SYSFS_H

struct vmi_swap_record;

/*
 * @release: what writing "off" to routing runs (main.c's unload); @swap:
 * what writing to rom/swap runs (main.c's live ROM swap), given the
 * source ("builtin", "option", "firmware NAME").
 */
int vmi_sysfs_init(int (*release)(void), int (*swap)(const char *spec));
/* A swap's record as one line: "WHEN FROM -> TO, ...". */
int vmi_swap_record_line(const struct vmi_swap_record *r, char *buf,
			 size_t size);
void vmi_sysfs_exit(void);

#endif /* VMI_SHIM_SYSFS_H */
