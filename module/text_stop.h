/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VMI_SHIM_TEXT_STOP_H
#define VMI_SHIM_TEXT_STOP_H

#include <linux/types.h>

/* One site to be written whole: @len bytes from @src at @addr. */
struct vmi_text_write {
	u8 *addr;
	const u8 *expect;	/* what it must hold when written */
	const u8 *src;
	unsigned int len;
};

const char *vmi_text_stop_unsafe(void);
int vmi_text_stop_write(const struct vmi_text_write *w, unsigned int n);
int vmi_text_stop_write_code(const struct vmi_text_write *w, unsigned int n);

#endif /* VMI_SHIM_TEXT_STOP_H */
