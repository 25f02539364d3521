// SPDX-License-Identifier: GPL-2.0
/*
 * The local APIC through the ROM: APICRead, an IPI to vCPU1 written with
 * APICWrite, and, with KVM PV, RegisterPVEOI.
 */
#include "guest.h"
#include "guest_tests.h"

void test_apic_read(void)
{
	uint64_t v;

	begin("APICRead");
	v = CALL(APIC_READ, APIC_VERSION, APIC_MAP);
	ok(CALL(APIC_READ, APIC_ID, APIC_MAP) >> 24 == 0 &&
	   (v & 0xff) >= 0x10 && ((v >> 16) & 0xff) >= 3,
	   "APICRead(ID) = 0 on vCPU0, APICRead(VERSION) = %x", v);
}

void test_ipi_native(void)
{
	uint32_t seq;
	int acked, done;

	begin("APICWrite(ICR) IPI to vCPU1");
	MB->ap_irq_vector = 0;
	acked = ap_command(AP_CMD_IPI, &seq);
	delay_ms(5);		/* let it reach hlt */
	CALL(APIC_WRITE, APIC_ICR_HI, 1u << 24, APIC_MAP);
	CALL(APIC_WRITE, APIC_ICR_LO, 0x4000 | VEC_NATIVE_IPI, APIC_MAP);
	done = ap_wait_done(seq, 2000);
	ok(acked && done && MB->ap_irq_vector == VEC_NATIVE_IPI,
	   "APICWrite(ICR) IPI wakes vCPU1 from VMI Halt with vector %x (got %x)",
	   (uint64_t)VEC_NATIVE_IPI, (uint64_t)MB->ap_irq_vector);
}

/* The PV EOI word: registered, refused for a CPU out of range, off. */
void test_pv_eoi(void)
{
	if (!rom(VMI_CALL_REGISTER_PV_EOI))
		return;
	begin("RegisterPVEOI (83)");
	ok((int64_t)CALL(REGISTER_PV_EOI, S(), 0, 1) == 0 &&
	   (int64_t)CALL(REGISTER_PV_EOI, S(), 5, 1) == -1 &&
	   (int64_t)CALL(REGISTER_PV_EOI, S(), 0, 0) == 0,
	   "RegisterPVEOI(0) on and off = 0, out-of-range CPU = -1");
}
