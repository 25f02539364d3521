// SPDX-License-Identifier: GPL-2.0
/*
 * Descriptor tables: the Get calls against what the VMM and the guest
 * loaded (the VMM's GDT and TR, lib/guest/traps.c's IDT), the Set calls
 * reloading them, and the Write calls storing one entry each.
 */
#include "guest.h"
#include "guest_tests.h"

void test_descriptors(void)
{
	struct dtr g = { 0 }, i = { 0 }, i2;
	uint64_t desc = 0x00cf93000000ffffULL, *gdt = (uint64_t *)MB->gdt_base;
	struct gate gt;

	begin("GetGDT/GetIDT/GetTR/GetLDT");
	CALL(GET_GDT, &g);
	CALL(GET_IDT, &i);
	ok(g.base == MB->gdt_base && g.limit == MB->gdt_limit &&
	   i.base == (uint64_t)idt && i.limit == sizeof(idt) - 1 &&
	   CALL(GET_TR) == MB->tr_sel && CALL(GET_LDT) == 0,
	   "GetGDT/GetIDT/GetTR/GetLDT return what was loaded");

	begin("SetGDT/SetIDT");
	CALL(SET_GDT, &g);
	i2 = i;
	CALL(SET_IDT, &i2);
	CALL(GET_IDT, &i2);
	ok(i2.base == i.base && i2.limit == i.limit,
	   "SetGDT/SetIDT reload the tables");

	begin("WriteGDTEntry/WriteIDTEntry");
	CALL(WRITE_GDT_ENTRY, gdt, GDT_SPARE, &desc, 8);
	set_gate(&gt, (uint64_t)irq_f0);
	CALL(WRITE_IDT_ENTRY, idt, 0xf3, &gt);
	ok(gdt[GDT_SPARE] == desc &&
	   ((uint64_t *)idt)[0xf3 * 2] == ((uint64_t *)&gt)[0] &&
	   ((uint64_t *)idt)[0xf3 * 2 + 1] == ((uint64_t *)&gt)[1],
	   "WriteGDTEntry/WriteIDTEntry store the descriptors");
}
