// SPDX-License-Identifier: GPL-2.0
/*
 * Steal time: RegisterStealTime, StealClock while the VMM runs host load
 * next to vCPU0 (vmm/steal_time.c), GetCycleCounter's STOLEN with it,
 * VCPUIsPreempted, and turning it off again.
 */
#include "guest.h"
#include "guest_tests.h"

/* Poll StealClock under host load until the VMM says stop, or time out. */
static uint64_t steal_under_load(uint64_t s0)
{
	uint64_t end, polls = 0;

	MB->steal_now = s0;
	MB->steal_stop = 0;
	ucall(EV_STEAL_START);
	end = rdtsc() + ms_to_tsc(MB->steal_budget_ms + 2000);
	while (!MB->steal_stop && rdtsc() < end) {
		delay_ms(2);
		MB->steal_now = CALL(STEAL_CLOCK, S(), 0);
		ucall(EV_STEAL_POLL);
		polls++;
	}
	ucall(EV_STEAL_END);
	return polls;
}

void test_steal(void)
{
	uint64_t s0, s1, st, r, a, polls;
	int64_t ret;

	begin("RegisterStealTime (81)");
	ret = (int64_t)CALL(REGISTER_STEAL_TIME, S(), 0, 1);
	ok(ret == 0 && (int64_t)CALL(REGISTER_STEAL_TIME, S(), 5, 1) == -1,
	   "RegisterStealTime(0) = 0, out-of-range CPU = -1");
	s0 = CALL(STEAL_CLOCK, S(), 0);

	begin("StealClock (80) under host load");
	polls = steal_under_load(s0);
	s1 = CALL(STEAL_CLOCK, S(), 0);
	st = CALL(GET_CYCLE_COUNTER, S(), VMI_CYCLES_STOLEN, 0);
	a = CALL(GET_CYCLE_COUNTER, S(), VMI_CYCLES_AVAILABLE, 0);
	r = CALL(GET_CYCLE_COUNTER, S(), VMI_CYCLES_REAL, 0);
	if (s1 > s0)
		ok(1, "StealClock advances under host load (%u -> %u ns, %u polls)",
		   s0, s1, polls);
	else
		skip("StealClock advances under host load",
		     "steal time did not move within the budget (%u ns after %u polls)",
		     s1, polls);

	begin("GetCycleCounter with steal time");
	ok(a <= r && (s1 == 0 || st > 0) && r > st,
	   "GetCycleCounter (kvm): STOLEN %u > 0 when steal > 0, AVAILABLE <= REAL",
	   st);

	begin("VCPUIsPreempted (78)");
	ok(CALL(VCPU_IS_PREEMPTED, S(), 0) == 0 &&
	   CALL(VCPU_IS_PREEMPTED, S(), 1) == 0,
	   "VCPUIsPreempted: running vCPU0 and unregistered vCPU1 answer 0");

	begin("RegisterStealTime disable");
	ret = (int64_t)CALL(REGISTER_STEAL_TIME, S(), 0, 0);
	ok(ret == 0 && CALL(STEAL_CLOCK, S(), 0) == 0,
	   "RegisterStealTime(0, disable) = 0, StealClock then answers 0");
}
