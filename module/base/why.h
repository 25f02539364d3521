/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Why something is off, refused or failed: "token: sentence". The token
 * is a stable word for scripts, what sysfs shows ("off host-lacks"); the
 * whole string, sentence and all, is for people: the kernel log and
 * debugfs. docs/ABI/sysfs-kernel-vmi_shim lists every token; a host test
 * checks that list against the VMI_WHY()s in module/.
 */
#ifndef VMI_SHIM_WHY_H
#define VMI_SHIM_WHY_H

#include <linux/string.h>

#define VMI_WHY(token, sentence)	token ": " sentence

/* Length of @why's token: sysfs prints it with "%.*s". */
static inline int vmi_why_token_len(const char *why)
{
	return strcspn(why, ":");
}

#endif /* VMI_SHIM_WHY_H */
