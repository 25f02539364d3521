/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VMI_SHIM_HV_DETECT_H
#define VMI_SHIM_HV_DETECT_H

#include <linux/types.h>

/* What CPUID tells about the hypervisor underneath, read once at load. */
struct vmi_hv_info {
	bool hypervisor;	/* CPUID.1:ECX.HYPERVISOR */
	char signature[13];	/* leaf 0x40000000 vendor, "" if none */
	u32 kvm_base;		/* leaf base of the KVM signature, 0 if none */
	u32 kvm_features;	/* base+1 EAX */
	u32 kvm_hints;		/* base+1 EDX */
};

extern struct vmi_hv_info vmi_hv;

void vmi_hv_detect(struct vmi_hv_info *hv);
int vmi_hv_features_string(u32 features, char *buf, size_t len);

#endif /* VMI_SHIM_HV_DETECT_H */
