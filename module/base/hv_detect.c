// SPDX-License-Identifier: GPL-2.0
/*
 * Hypervisor and KVM detection from CPUID.
 *
 * kvm_para_has_feature() does not link from a module (kvm_arch_para_features
 * is not exported), and the shim must see the host's offer even when the
 * kernel booted with "nopv" or without CONFIG_KVM_GUEST, so CPUID is read
 * directly. KVM may sit above other signatures (e.g. Hyper-V emulation at
 * 0x40000000), hence the kernel's scan of 0x40000000..0x40010000 in 0x100
 * steps, hypervisor_cpuid_base().
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/string.h>
#include <asm/cpufeature.h>
#include <asm/processor.h>

#include "base/hv_detect.h"

/* What the shim found underneath it: read once at load (main.c). */
struct vmi_hv_info vmi_hv;

void vmi_hv_detect(struct vmi_hv_info *hv)
{
	u32 eax, ebx, ecx, sig[3];
	const char *s = (const char *)sig;
	int i;

	memset(hv, 0, sizeof(*hv));
	hv->hypervisor = boot_cpu_has(X86_FEATURE_HYPERVISOR);
	if (!hv->hypervisor)
		return;

	cpuid(0x40000000, &eax, &sig[0], &sig[1], &sig[2]);
	/* Keep only printable characters: this ends up in sysfs. */
	for (i = 0; i < 12 && s[i]; i++)
		hv->signature[i] = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';

	hv->kvm_base = hypervisor_cpuid_base("KVMKVMKVM\0\0\0", 0);
	if (hv->kvm_base)
		cpuid(hv->kvm_base + 1, &hv->kvm_features, &ebx, &ecx,
		      &hv->kvm_hints);
}

/* Names of KVM_FEATURE_* bits (arch/x86/include/uapi/asm/kvm_para.h). */
static const char * const kvm_feature_names[32] = {
	[0] = "clocksource",
	[1] = "nop_io_delay",
	[2] = "mmu_op",
	[3] = "clocksource2",
	[4] = "async_pf",
	[5] = "steal_time",
	[6] = "pv_eoi",
	[7] = "pv_unhalt",
	[9] = "pv_tlb_flush",
	[10] = "async_pf_vmexit",
	[11] = "pv_send_ipi",
	[12] = "poll_control",
	[13] = "pv_sched_yield",
	[14] = "async_pf_int",
	[15] = "msi_ext_dest_id",
	[16] = "hc_map_gpa_range",
	[17] = "migration_control",
	[24] = "clocksource_stable",
};

int vmi_hv_features_string(u32 features, char *buf, size_t len)
{
	unsigned long f = features;
	size_t n = 0;
	int bit;

	buf[0] = '\0';
	for_each_set_bit(bit, &f, 32) {
		if (kvm_feature_names[bit])
			n += scnprintf(buf + n, len - n, "%s%s", n ? " " : "",
				       kvm_feature_names[bit]);
		else
			n += scnprintf(buf + n, len - n, "%sbit%d", n ? " " : "",
				       bit);
	}
	return n;
}
