// SPDX-License-Identifier: GPL-2.0
/*
 * Exceptions and interrupts.  Any exception is unexpected: it is reported
 * to the VMM, which fails the run (lib/guest/entry.S then halts).  The
 * test vectors (VEC_*) record what arrived for vCPU0 to check.
 */
#include "guest.h"

struct gate idt[256] __attribute__((aligned(16)));

/* From lib/guest/entry.S: frame holds the vector, error code, rip ... */
void guest_exception(uint64_t *frame)
{
	uint64_t cr2;

	asm volatile("mov %%cr2, %0" : "=r"(cr2));
	MB->exc_vector = (uint32_t)frame[0];
	MB->exc_error = frame[1];
	MB->exc_rip = frame[2];
	MB->exc_cr2 = cr2;
	MB->exc_cpu = APIC[APIC_ID / 4] >> 24;
	ucall(EV_EXCEPTION);
}

void guest_irq(uint64_t vector)
{
	MB->ap_irq_vector = (uint32_t)vector;
	MB->ap_irq_count++;
	APIC[APIC_EOI / 4] = 0;
}

void set_gate(struct gate *g, uint64_t handler)
{
	g->off0 = (uint16_t)handler;
	g->sel = GDT_CODE;
	g->ist = 0;
	g->type = 0x8e;			/* present, DPL0, 64-bit interrupt gate */
	g->off1 = (uint16_t)(handler >> 16);
	g->off2 = (uint32_t)(handler >> 32);
	g->zero = 0;
}

void setup_idt(void)
{
	struct dtr d = { sizeof(idt) - 1, (uint64_t)idt };
	int i;

	for (i = 0; i < 32; i++)
		set_gate(&idt[i], exc_table[i]);
	set_gate(&idt[0xf0], (uint64_t)irq_f0);
	set_gate(&idt[0xf1], (uint64_t)irq_f1);
	set_gate(&idt[0xf2], (uint64_t)irq_f2);
	asm volatile("lidt %0" : : "m"(d));
}

void apic_enable(void)
{
	APIC[APIC_SVR / 4] = 0x1ff;	/* software enable, spurious 0xff */
}
