/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VMI_SHIM_KSYMS_H
#define VMI_SHIM_KSYMS_H

int vmi_ksyms_init(void);
unsigned long vmi_ksym(const char *name);

#endif /* VMI_SHIM_KSYMS_H */
