/* SPDX-License-Identifier: GPL-2.0 */
/* Printable names for VMI call numbers, relocation types and backends. */
#ifndef VMI_NAMES_H
#define VMI_NAMES_H

const char *vmi_call_name(unsigned long call);		/* "(unknown)" past the end */
const char *vmi_relocation_name(unsigned long type);	/* "NONE", "CALL_REL", ... */
const char *vmi_backend_name(unsigned long backend);	/* "native", "kvm", ... */

#endif /* VMI_NAMES_H */
