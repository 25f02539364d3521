/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VMI_SHIM_COMPAT_APIC_H
#define VMI_SHIM_COMPAT_APIC_H

/* The APIC driver callbacks the retrofit replaces (compat/apic.c). */
enum vmi_apic_cb {
	VMI_APIC_EOI,
	VMI_APIC_SEND_IPI,
	VMI_APIC_SEND_IPI_MASK,
	VMI_APIC_SEND_IPI_MASK_ALLBUTSELF,
	VMI_APIC_NR
};

const char *vmi_apic_cb_probe(void);
void *vmi_apic_cb_get(enum vmi_apic_cb cb);
int vmi_apic_cb_set(void *const expect[VMI_APIC_NR],
		    void *const fn[VMI_APIC_NR]);

#endif /* VMI_SHIM_COMPAT_APIC_H */
