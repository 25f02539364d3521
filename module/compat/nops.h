/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VMI_SHIM_NOPS_H
#define VMI_SHIM_NOPS_H

#include <linux/types.h>

/* The kernel's NOPs, as boot-time patching pads paravirt sites with them. */
bool vmi_is_nops(const u8 *p, unsigned int n);
void vmi_fill_nops(u8 *p, unsigned int n);

#endif /* VMI_SHIM_NOPS_H */
