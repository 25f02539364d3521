// SPDX-License-Identifier: GPL-2.0
/*
 * The CPU's own state through the ROM: CPUID against native CPUID, the
 * control and debug registers against what the VMM set, and MSRs.
 */
#include "guest.h"
#include "guest_tests.h"

static const uint32_t cpuid_leaves[][2] = {
	{ 0, 0 }, { 1, 0 }, { 7, 0 }, { 0xd, 0 }, { 0xd, 1 },
	{ 0x40000000, 0 }, { 0x40000001, 0 }, { 0x40000100, 0 },
	{ 0x80000000, 0 }, { 0x80000001, 0 }, { 0x80000008, 0 },
};

void test_cpuid(void)
{
	uint32_t n[4], r[4];
	unsigned int i, bad = 0, kvm;

	begin("CPUID through the ROM");
	for (i = 0; i < ARRAY_SIZE(cpuid_leaves); i++) {
		cpuid(cpuid_leaves[i][0], cpuid_leaves[i][1], n);
		rom_cpuid((void *)rom(VMI_CALL_CPUID), cpuid_leaves[i][0],
			  cpuid_leaves[i][1], r);
		if (n[0] != r[0] || n[1] != r[1] || n[2] != r[2] || n[3] != r[3]) {
			bad++;
			diag("leaf %x.%u: native %x %x %x %x, ROM %x %x %x %x",
			     (uint64_t)cpuid_leaves[i][0], (uint64_t)cpuid_leaves[i][1],
			     (uint64_t)n[0], (uint64_t)n[1], (uint64_t)n[2], (uint64_t)n[3],
			     (uint64_t)r[0], (uint64_t)r[1], (uint64_t)r[2], (uint64_t)r[3]);
		}
	}
	ok(!bad, "CPUID through the ROM equals native CPUID (%u leaves)",
	   (uint64_t)i);

	cpuid(0x40000000, 0, n);
	kvm = n[1] == 0x4b4d564b && n[2] == 0x564b4d56 && n[3] == 0x4d;
	cpuid(0x40000001, 0, r);
	if (MB->pv)
		ok(kvm && r[0] == MB->kvm_features,
		   "guest sees KVMKVMKVM at 0x40000000 and the features the VMM set (%x)",
		   (uint64_t)r[0]);
	else
		ok(!kvm, "guest sees no KVM signature at 0x40000000 (hidden)");
	cpuid(0, 0, n);
	if (!(n[1] == 0x68747541 && n[3] == 0x69746e65 && n[2] == 0x444d4163))
		diag("vendor is not AuthenticAMD: the ROM uses vmcall");

	begin("clobbers of CPUID");
	ok(!(clobber_probe((void *)rom(VMI_CALL_CPUID), 0) & ~0xfULL),
	   "CPUID through the ROM changes only eax, ebx, ecx, edx");
}

void test_cr_dr(void)
{
	uint64_t v, cr4 = MB->cr4;

	begin("GetCR0/3/4");
	v = CALL(GET_CR0);
	ok(v == MB->cr0, "GetCR0 = %x, the CR0 the VMM set (%x)", v, MB->cr0);
	v = CALL(GET_CR3);
	ok(v == MB->cr3, "GetCR3 = %x, the CR3 the VMM set (%x)", v, MB->cr3);
	v = CALL(GET_CR4);
	ok(v == MB->cr4, "GetCR4 = %x, the CR4 the VMM set (%x)", v, MB->cr4);

	begin("SetCR2/GetCR2");
	CALL(SET_CR2, 0x123456789abcULL);
	v = CALL(GET_CR2);
	ok(v == 0x123456789abcULL, "SetCR2 then GetCR2 round-trips (%x)", v);

	begin("GetDR7/SetDR");
	v = CALL(GET_DR, 7);
	ok((v & 0xffffffff0000dcffULL) == 0x400,
	   "GetDR(7) = %x: reserved bits sane, no breakpoint enabled", v);
	CALL(SET_DR, 0, 0x1000);
	CALL(SET_DR, 3, 0x3000);
	ok(CALL(GET_DR, 0) == 0x1000 && CALL(GET_DR, 3) == 0x3000,
	   "SetDR(0/3) then GetDR(0/3) round-trip");

	begin("SetCR0/SetCR3/SetCR4/CLTS");
	CALL(SET_CR0, CALL(GET_CR0));
	CALL(SET_CR3, CALL(GET_CR3));
	CALL(SET_CR4, cr4 & ~0x80ULL);	/* PGE off ... */
	v = CALL(GET_CR4);
	CALL(SET_CR4, cr4);		/* ... and on again */
	CALL(SET_CR0, MB->cr0 | 8);	/* TS */
	CALL(CLTS);
	ok(v == (cr4 & ~0x80ULL) && CALL(GET_CR4) == cr4 &&
	   CALL(GET_CR0) == MB->cr0 && CALL(GET_CR3) == MB->cr3,
	   "SetCR0/SetCR3/SetCR4 (PGE off/on) and CLTS take effect, no fault");
}

void test_msr(void)
{
	uint64_t v, pat, pat2;

	begin("RDMSR/WRMSR");
	v = CALL(RDMSR, 0x1b);
	/*
	 * Round-trip through PAT (0x277), which SVM switches on every VMRUN.
	 * KERNEL_GS_BASE, tried first, is VMSAVE/VMLOAD state that KVM swaps
	 * lazily, and once read back stale under nested SVM emulated by TCG.
	 * Only entry 7 changes (UC -> WC); no page table here selects it.
	 */
	pat = CALL(RDMSR, 0x277);
	CALL(WRMSR, 0x277, (pat & ~(0xffULL << 56)) | (1ULL << 56));
	pat2 = CALL(RDMSR, 0x277);
	CALL(WRMSR, 0x277, pat);
	ok((v & ~0xfffULL) == APIC_GPA && (v & 0x900) == 0x900 &&
	   pat2 == ((pat & ~(0xffULL << 56)) | (1ULL << 56)) &&
	   CALL(RDMSR, 0x277) == pat,
	   "RDMSR(APIC_BASE) = %x (enabled BSP), WRMSR/RDMSR round-trip", v);
}
