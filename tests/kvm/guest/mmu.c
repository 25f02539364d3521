// SPDX-License-Identifier: GPL-2.0
/*
 * Page tables and the TLB: the VMM maps TLB_VA through one 4 KiB page
 * table (mbox.pt_gpa) to GPA_TLB_P1; SetPxE/SetPxELong point it at the
 * other page, and after InvalPage/FlushTLB the next read must see it.
 */
#include "guest.h"
#include "guest_tests.h"

void test_tlb(void)
{
	volatile uint64_t *pt = (volatile uint64_t *)MB->pt_gpa;
	volatile uint32_t *va = (volatile uint32_t *)TLB_VA;
	uint32_t a, b, c, d;

	*(volatile uint32_t *)GPA_TLB_P1 = 0x11111111;
	*(volatile uint32_t *)GPA_TLB_P2 = 0x22222222;

	begin("SetPxE + InvalPage");
	a = *va;				/* P1, now cached in the TLB */
	CALL(SET_PXE, GPA_TLB_P2 | 3, (uint64_t *)&pt[0], 0);
	CALL(INVAL_PAGE, TLB_VA);
	b = *va;
	ok(a == 0x11111111 && b == 0x22222222,
	   "SetPxE + InvalPage remaps a page (%x -> %x)", (uint64_t)a, (uint64_t)b);

	begin("FlushTLB");
	CALL(SET_PXE_LONG, GPA_TLB_P1 | 3, (uint64_t *)&pt[0], 0);
	CALL(FLUSH_TLB, VMI_FLUSH_TLB);
	c = *va;
	CALL(SET_PXE, GPA_TLB_P2 | 0x103, (uint64_t *)&pt[0], 0);	/* global */
	CALL(FLUSH_TLB, VMI_FLUSH_TLB | VMI_FLUSH_GLOBAL);
	d = *va;
	ok(c == 0x11111111 && d == 0x22222222 &&
	   CALL(GET_CR4) == MB->cr4,
	   "FlushTLB(TLB) and FlushTLB(TLB|GLOBAL) drop stale entries, CR4 restored");
}
