// SPDX-License-Identifier: GPL-2.0
/*
 * vCPU1: sets up its IDT and APIC, says it is online, then carries out
 * vCPU0's commands (mbox.ap_cmd), the far end of the cross-CPU tests:
 * halting until an IPI (guest/apic.c, guest/kvm_pv.c) or until KickCPU
 * (guest/kvm_pv.c).
 */
#include "guest.h"

void ap_main(void)
{
	uint32_t done = 0;

	setup_idt();
	apic_enable();
	MB->ap_online = 1;
	for (;;) {
		uint32_t cmd = MB->ap_cmd;

		if (cmd == MB->ap_ack) {
			pause();
			continue;
		}
		switch (cmd & 0xff) {
		case AP_CMD_IPI: {
			uint32_t seen = MB->ap_irq_count;

			asm volatile("cli");
			MB->ap_ack = cmd;
			/* VMI Halt is "sti; hlt": no wakeup can be lost. */
			while (MB->ap_irq_count == seen) {
				CALL(HALT);
				asm volatile("cli");
			}
			break;
		}
		case AP_CMD_SPIN:
			MB->ap_woken = 0;
			asm volatile("sti");
			MB->ap_ack = cmd;
			/* Nothing but KickCPU can end this halt. */
			CALL(SPIN_WAIT, S(), (const uint8_t *)&MB->spin_byte, 0);
			asm volatile("cli");
			MB->ap_woken = 1;
			break;
		default:
			MB->ap_ack = cmd;
		}
		MB->ap_done = ++done;
	}
}

/* Give vCPU1 a command; returns once it acknowledged it (or timed out). */
int ap_command(uint32_t cmd, uint32_t *seq)
{
	uint32_t ack = MB->ap_ack;

	*seq = MB->ap_done;
	MB->ap_cmd = cmd | ((ack + 0x100) & ~0xffu);
	return wait_change(&MB->ap_ack, ack, 2000);
}

/* Wait until vCPU1 finished command @seq; returns 0 on timeout. */
int ap_wait_done(uint32_t seq, uint64_t ms)
{
	return wait_change(&MB->ap_done, seq, ms);
}
