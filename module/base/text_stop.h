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
	/*
	 * Code: one of @expect and @src is "call @call" + NOPs. A CPU that
	 * reaches the site while it is written (an NMI) is sent to @call
	 * through an INT3, returning after the site, as if it had run that
	 * form whole. NULL: data, copied as it is.
	 */
	const void *call;
};

const char *vmi_text_stop_unsafe(void);
const char *vmi_text_stop_busy(void);
const char *vmi_preempt_model(void);
void vmi_text_stop_begin(void);
const char *vmi_text_stop_load_model(void);
int vmi_text_stop_ready(void);
int vmi_text_stop_write(const struct vmi_text_write *w, unsigned int n);
int vmi_text_stop_write_code(const struct vmi_text_write *w, unsigned int n);

#endif /* VMI_SHIM_TEXT_STOP_H */
