// SPDX-License-Identifier: GPL-2.0
/*
 * The guest suite: vCPU0 runs every test group in turn (their order is
 * the order of the TAP results), vCPU1 serves the cross-CPU tests
 * (lib/guest/ap.c).  lib/guest/entry.S calls guest_main on each vCPU.
 */
#include "guest.h"
#include "guest_tests.h"

static void bsp_main(void)
{
	setup_idt();
	apic_enable();
	diag("ROM at %x (%u bytes), KVM PV leaves %s", MB->rom_base,
	     MB->rom_len, MB->pv ? "exposed" : "hidden");
	test_init();
	if (MB->init_ret)
		goto out;
	test_tables();
	test_cpuid();
	test_cr_dr();
	test_tlb();
	test_time();
	test_flags();
	test_descriptors();
	test_msr();
	test_io();
	test_nops();
	test_apic_read();

	begin("vCPU1 online");
	ok(wait_change(&MB->ap_online, 0, 5000), "vCPU1 came up in long mode");
	if (!MB->ap_online)
		goto out;
	test_ipi_native();
	if (MB->pv) {
		test_kvm_pv();
		if (rom(VMI_CALL_REGISTER_STEAL_TIME))
			test_steal();
		if (rom(VMI_CALL_REGISTER_STEAL_TIME) &&
		    rom(VMI_CALL_ADOPT_STEAL_TIME))
			test_adopt();
		if (rom(VMI_CALL_REGISTER_SYSTEM_TIME)) {
			test_system_time();
			test_pv_eoi();
		}
	}
out:
	begin("done");
	ucall(EV_DONE);
}

void guest_main(uint64_t cpu)
{
	if (cpu == 0)
		bsp_main();
	else
		ap_main();
}
