// SPDX-License-Identifier: GPL-2.0
/*
 * kvm_cpuid [none|kvm]: read the hypervisor CPUID leaves from userspace
 * (CPUID is unprivileged) and check that /sys/kernel/vmi_shim reports the
 * same signature base, feature and hint bits. With "kvm", also require the
 * PV features the shim is built around. Prints TAP.
 */
#include <asm/kvm_para.h>
#include <cpuid.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "lib/tap.h"

#define SYS "/sys/kernel/vmi_shim/"

static int read_hex(const char *name, uint32_t *val)
{
	char path[128];
	unsigned int v;
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), SYS "%s", name);
	f = fopen(path, "r");
	if (!f)
		return -1;
	ok = fscanf(f, "%x", &v) == 1;
	fclose(f);
	*val = v;
	return ok ? 0 : -1;
}

int main(int argc, char **argv)
{
	int expect_kvm = argc > 1 && !strcmp(argv[1], "kvm");
	uint32_t a, b, c, d, leaf, base = 0, feat = 0, hints = 0;
	uint32_t s_base, s_feat, s_hints;
	int hv;

	tap_header();
	__cpuid(1, a, b, c, d);
	hv = !!(c & (1u << 31));
	tap_ok(hv == expect_kvm, "CPUID.1:ECX.hypervisor is %d", hv);

	for (leaf = 0x40000000; hv && leaf < 0x40010000; leaf += 0x100) {
		__cpuid(leaf, a, b, c, d);
		if (b == 0x4b4d564b && c == 0x564b4d56 && d == 0x4d) {
			base = leaf;
			__cpuid(leaf + 1, feat, b, c, hints);
			break;
		}
	}
	tap_diag("userspace: KVM base 0x%08x features 0x%08x hints 0x%08x",
		 base, feat, hints);

	if (read_hex("kvm_base", &s_base) || read_hex("kvm_features", &s_feat) ||
	    read_hex("kvm_hints", &s_hints)) {
		tap_ok(0, "read " SYS "kvm_{base,features,hints}");
		return tap_finish();
	}
	tap_ok(s_base == base, "kvm_base matches CPUID (0x%08x)", s_base);
	tap_ok(s_feat == feat, "kvm_features matches CPUID (0x%08x)", s_feat);
	tap_ok(s_hints == hints, "kvm_hints matches CPUID (0x%08x)", s_hints);

	if (expect_kvm) {
		static const struct { int bit; const char *name; } need[] = {
			{ KVM_FEATURE_STEAL_TIME, "steal_time" },
			{ KVM_FEATURE_PV_UNHALT, "pv_unhalt" },
			{ KVM_FEATURE_PV_TLB_FLUSH, "pv_tlb_flush" },
			{ KVM_FEATURE_PV_SEND_IPI, "pv_send_ipi" },
			{ KVM_FEATURE_PV_SCHED_YIELD, "pv_sched_yield" },
		};
		unsigned int i;

		tap_ok(base != 0, "KVM signature found");
		for (i = 0; i < sizeof(need) / sizeof(need[0]); i++)
			tap_ok(!!(feat & (1u << need[i].bit)),
				   "host offers %s", need[i].name);
	} else {
		tap_ok(base == 0, "no KVM signature");
	}
	return tap_finish();
}
