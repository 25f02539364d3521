// SPDX-License-Identifier: GPL-2.0
/*
 * Port I/O through the ROM, checked against what the VMM logged and
 * answered on PORT_TEST (vmm/io.c); and the calls that only have to
 * return: IODelay, WBINVD and those the ROM relocates as NOP.
 */
#include "guest.h"
#include "guest_tests.h"

void test_io(void)
{
	uint8_t ob[4] = { 1, 2, 3, 4 }, ib[4] = { 0 };
	uint32_t n0;

	begin("I/O calls");
	n0 = MB->io_count;
	CALL(OUTB, 0xab, PORT_TEST);
	CALL(OUTW, 0xabcd, PORT_TEST);
	CALL(OUTL, 0xabcdef01, PORT_TEST);
	CALL(OUTSB, PORT_TEST, ob, 4);
	ok(MB->io_count == n0 + 7 &&
	   MB->io_size[n0] == 1 && MB->io_val[n0] == 0xab &&
	   MB->io_size[n0 + 1] == 2 && MB->io_val[n0 + 1] == 0xabcd &&
	   MB->io_size[n0 + 2] == 4 && MB->io_val[n0 + 2] == 0xabcdef01 &&
	   MB->io_val[n0 + 3] == 1 && MB->io_val[n0 + 6] == 4,
	   "OUTB/OUTW/OUTL/OUTSB reach the VMM with the right size and value");
	CALL(INSB, PORT_TEST, ib, 4);
	ok(CALL(INB, PORT_TEST) == (MB->io_in & 0xff) &&
	   CALL(INW, PORT_TEST) == (MB->io_in & 0xffff) &&
	   CALL(INL, PORT_TEST) == MB->io_in &&
	   ib[0] == (MB->io_in & 0xff) && ib[3] == (MB->io_in & 0xff),
	   "INB/INW/INL/INSB return what the VMM answered");
}

void test_nops(void)
{
	static const uint8_t nops[] = {
		VMI_CALL_UPDATE_KERNEL_STACK, VMI_CALL_UPDATE_PXE,
		VMI_CALL_UPDATE_PXE_LONG, VMI_CALL_MACHINE_TO_PHYSICAL,
		VMI_CALL_PHYSICAL_TO_MACHINE, VMI_CALL_ALLOCATE_PAGE,
		VMI_CALL_RELEASE_PAGE, VMI_CALL_SET_LINEAR_MAPPING,
		VMI_CALL_SET_LAZY_MODE,
	};
	unsigned int k, bad = 0;

	begin("IODelay/WBINVD/NOP calls");
	CALL(IO_DELAY);
	CALL(WBINVD);
	for (k = 0; k < sizeof(nops); k++) {
		if (MB->reloc_type[nops[k]] != VMI_RELOCATION_NOP)
			bad++;
		else
			/* no arguments (include/vmi/calls.h) */
			((void (*)(void))rom(nops[k]))();
	}
	ok(!bad, "IODelay, WBINVD and the %u NOP relocations return",
	   (uint64_t)k);
}
