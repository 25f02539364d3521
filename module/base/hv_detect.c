// SPDX-License-Identifier: GPL-2.0
/*
 * Hypervisor and KVM detection from CPUID.
 *
 * kvm_para_has_feature() does not link from a module (kvm_arch_para_features
 * is not exported), and the shim must see the host's offer even when the
 * kernel booted with "nopv" or without CONFIG_KVM_GUEST, so CPUID is read
 * directly. KVM may sit above other signatures (e.g. Hyper-V emulation at
 * 0x40000000), hence the scan of 0x40000000..0x40010000 in 0x100 steps.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/string.h>
#include <asm/cpufeature.h>
#include <asm/processor.h>

#include "base/hv_detect.h"

/* What the shim found underneath it: read once at load (main.c). */
struct vmi_hv_info vmi_hv;

#define HV_LEAF_FIRST	0x40000000u
#define HV_LEAF_LAST	0x40010000u
#define HV_LEAF_STEP	0x100u

static void hv_signature(u32 leaf, char sig[13])
{
	u32 eax, sig_ebx, sig_ecx, sig_edx;

	cpuid(leaf, &eax, &sig_ebx, &sig_ecx, &sig_edx);
	memcpy(sig + 0, &sig_ebx, 4);
	memcpy(sig + 4, &sig_ecx, 4);
	memcpy(sig + 8, &sig_edx, 4);
	sig[12] = '\0';
}

void vmi_hv_detect(struct vmi_hv_info *hv)
{
	char sig[13];
	u32 leaf, eax, ebx, ecx, edx;
	int i;

	memset(hv, 0, sizeof(*hv));
	hv->hypervisor = boot_cpu_has(X86_FEATURE_HYPERVISOR);
	if (!hv->hypervisor)
		return;

	hv_signature(HV_LEAF_FIRST, sig);
	/* Keep only printable characters: this ends up in sysfs. */
	for (i = 0; i < 12 && sig[i]; i++)
		hv->signature[i] = (sig[i] >= 0x20 && sig[i] < 0x7f) ? sig[i] : '?';
	hv->signature[i] = '\0';

	for (leaf = HV_LEAF_FIRST; leaf < HV_LEAF_LAST; leaf += HV_LEAF_STEP) {
		hv_signature(leaf, sig);
		if (!memcmp(sig, "KVMKVMKVM\0\0\0", 12)) {
			hv->kvm_base = leaf;
			cpuid(leaf + 1, &eax, &ebx, &ecx, &edx);
			hv->kvm_features = eax;
			hv->kvm_hints = edx;
			return;
		}
	}
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
	size_t n = 0;
	int bit;

	buf[0] = '\0';
	for (bit = 0; bit < 32; bit++) {
		if (!(features & BIT(bit)))
			continue;
		if (kvm_feature_names[bit])
			n += scnprintf(buf + n, len - n, "%s%s", n ? " " : "",
				       kvm_feature_names[bit]);
		else
			n += scnprintf(buf + n, len - n, "%sbit%d", n ? " " : "",
				       bit);
	}
	return n;
}
