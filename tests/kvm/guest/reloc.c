// SPDX-License-Identifier: GPL-2.0
/*
 * VMI_Init and the relocation table: GetRelocationInfo before and after
 * VMI_Init, VMI_Init's error returns, and GetRelocationInfo and
 * GetBackend for every call number, which the VMM checks after the runs
 * (vmm/reloc.c) and every other test calls through (rom()).
 */
#include "guest.h"
#include "guest_tests.h"

_Static_assert(VMI_CALL_COUNT + 3 == NRELOC, "layout.h's NRELOC follows calls.h");

void test_init(void)
{
	struct vmi_init_args a = { 0 }, bad = { 0 };
	vmi_fn(INIT) init = (vmi_fn(INIT))(MB->rom_base + VMI_OFF_INIT);
	void *state = (void *)MB->state_gpa;
	struct vmi_relocation r;
	int64_t ret;

	begin("GetRelocationInfo before VMI_Init");
	r = reloc(VMI_CALL_CPUID);
	ok(r.type == VMI_RELOCATION_NONE && r.address == 0,
	   "GetRelocationInfo before VMI_Init answers NONE (type %u addr %x)",
	   r.type, r.address);

	begin("VMI_Init error returns");
	a.size = sizeof(a);
	bad.size = 8;
	ret = init((void *)((char *)state + 8), MB->state_size, &a);
	ok(init((void *)((char *)state + 8), MB->state_size, &a) == VMI_INIT_EINVAL &&
	   init(state, 16, &a) == VMI_INIT_EINVAL &&
	   init(state, MB->state_size, &bad) == VMI_INIT_EARGS,
	   "VMI_Init rejects a misaligned/small state (-1) and short args (-2) (%d)",
	   ret);

	begin("VMI_Init");
	a.state_phys = MB->state_gpa;
	a.tsc_khz = MB->tsc_khz;
	ret = init(state, MB->state_size, &a);
	MB->init_ret = ret;
	ok(ret == VMI_INIT_OK, "VMI_Init returns 0 (%d)", ret);
}

void test_tables(void)
{
	uint64_t n, bad = 0;
	vmi_fn(GET_BACKEND) backend;

	begin("GetRelocationInfo for every number");
	for (n = 0; n < NRELOC; n++) {
		struct vmi_relocation r = reloc(n);

		MB->reloc_addr[n] = r.address;
		MB->reloc_type[n] = r.type;
	}
	begin("GetBackend for every number");
	backend = vmi_call(GET_BACKEND, rom(VMI_CALL_GET_BACKEND));
	for (n = 0; n < NRELOC; n++)
		MB->backend[n] = backend ? backend(S(), n) : ~0ULL;
	ucall(EV_TABLES);

	for (n = VMI_CALL_COUNT; n < NRELOC; n++)
		if (MB->reloc_type[n] != VMI_RELOCATION_NONE || MB->reloc_addr[n])
			bad |= 1ULL << (n - VMI_CALL_COUNT);
	ok(!bad, "unknown call numbers %u..%u answer NONE with address 0",
	   (uint64_t)VMI_CALL_COUNT, (uint64_t)NRELOC - 1);
}
