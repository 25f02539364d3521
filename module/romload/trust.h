/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VMI_SHIM_TRUST_H
#define VMI_SHIM_TRUST_H

#include <linux/types.h>

int vmi_trust_platform(void);
bool vmi_trust_locked_down(void);
int vmi_trust_blob(const char *what, const void *data, size_t *len);

#endif /* VMI_SHIM_TRUST_H */
