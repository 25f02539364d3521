// SPDX-License-Identifier: GPL-2.0
/*
 * RFLAGS through the ROM: the interrupt-flag calls and the registers they
 * may clobber, IRET (a JUMP_REL entered with an IRETQ frame) and
 * SetIOPLMask.
 */
#include "guest.h"
#include "guest_tests.h"

void test_flags(void)
{
	uint64_t m0, m1, m2, m3, c;

	begin("interrupt-flag calls");
	CALL(DISABLE_INTERRUPTS);
	m0 = CALL(GET_INTERRUPT_MASK);
	CALL(ENABLE_INTERRUPTS);
	m1 = CALL(GET_INTERRUPT_MASK);
	CALL(SET_INTERRUPT_MASK, 0);
	m2 = CALL(GET_INTERRUPT_MASK);
	CALL(SET_INTERRUPT_MASK, VMI_INTERRUPT_MASK_IF);
	m3 = CALL(GET_INTERRUPT_MASK);
	CALL(DISABLE_INTERRUPTS);
	ok(!(m0 & 0x200) && (m1 & 0x200) && !(m2 & 0x200) && (m3 & 0x200),
	   "Disable/Enable/SetInterruptMask/GetInterruptMask control IF");

	begin("interrupt-flag call clobbers");
	c = clobber_probe((void *)rom(VMI_CALL_ENABLE_INTERRUPTS), 0);
	c |= clobber_probe((void *)rom(VMI_CALL_DISABLE_INTERRUPTS), 0);
	c |= clobber_probe((void *)rom(VMI_CALL_SET_INTERRUPT_MASK), 0x200);
	c |= clobber_probe((void *)rom(VMI_CALL_SET_INTERRUPT_MASK), 0);
	c |= clobber_probe((void *)rom(VMI_CALL_GET_INTERRUPT_MASK), 0) & ~1ULL;
	ok(!c, "Enable/Disable/SetInterruptMask clobber nothing, GetInterruptMask only rax (%x)",
	   c);

	begin("IRET (JUMP_REL)");
	ok(MB->reloc_type[VMI_CALL_IRET] == VMI_RELOCATION_JUMP_REL &&
	   iret_probe((void *)rom(VMI_CALL_IRET)) == 1,
	   "IRET is JUMP_REL and returns through an IRETQ frame");

	begin("SetIOPLMask");
	CALL(SET_IOPL_MASK, 0x3000);
	m0 = CALL(GET_INTERRUPT_MASK);
	CALL(SET_IOPL_MASK, 0);
	m1 = CALL(GET_INTERRUPT_MASK);
	ok((m0 & 0x3000) == 0x3000 && !(m1 & 0x3000),
	   "SetIOPLMask sets and clears RFLAGS.IOPL");
}
