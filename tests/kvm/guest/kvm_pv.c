// SPDX-License-Identifier: GPL-2.0
/*
 * The KVM PV calls between vCPUs, with vCPU1 at the far end
 * (lib/guest/ap.c): SendIPIMask, KickCPU waking SpinWait, YieldToCPU,
 * and FlushTLBOthers when steal time (its preempted flags) is there.
 */
#include "guest.h"
#include "guest_tests.h"

void test_kvm_pv(void)
{
	uint64_t bitmap[2] = { 2, 0 }, mask[1];
	uint32_t seq;
	int64_t ret;
	int acked, done, early;

	begin("SendIPIMask (75)");
	MB->ap_irq_vector = 0;
	acked = ap_command(AP_CMD_IPI, &seq);
	delay_ms(5);
	ret = (int64_t)CALL(SEND_IPI_MASK, S(), bitmap, 128,
			  0x4000 | VEC_PV_IPI);
	done = ap_wait_done(seq, 2000);
	ok(acked && done && ret == 1 && MB->ap_irq_vector == VEC_PV_IPI,
	   "SendIPIMask reaches %d vCPU and vCPU1 takes vector %x (got %x)",
	   ret, (uint64_t)VEC_PV_IPI, (uint64_t)MB->ap_irq_vector);

	begin("KickCPU (76) / SpinWait (79)");
	MB->spin_byte = 0;
	acked = ap_command(AP_CMD_SPIN, &seq);
	delay_ms(20);
	early = MB->ap_woken;
	ret = (int64_t)CALL(KICK_CPU, S(), 1);
	done = ap_wait_done(seq, 2000);
	ok(acked && !early && done && MB->ap_woken && ret == 0,
	   "KickCPU (ret %d) wakes vCPU1 halted in SpinWait (still halted before: %d)",
	   ret, (int64_t)!early);

	begin("YieldToCPU (77)");
	ret = (int64_t)CALL(YIELD_TO_CPU, S(), 1);
	ok(ret == 0, "YieldToCPU(1) returns 0 (%d)", ret);

	if (!rom(VMI_CALL_REGISTER_STEAL_TIME))
		return;

	begin("FlushTLBOthers (74)");
	mask[0] = 3;
	ret = (int64_t)CALL(FLUSH_TLB_OTHERS, S(), mask, 2);
	ok(ret == 2 && mask[0] == 3,
	   "FlushTLBOthers leaves running/unregistered CPUs for the caller (%d)", ret);
}
