// SPDX-License-Identifier: GPL-2.0
/*
 * Time: RDTSC, GetCycleCounter and GetCycleFrequency against the native
 * TSC and VMI_Init's tsc_khz; and, with KVM PV, the clock a retrofitted
 * clocksource reads (RegisterSystemTime/SystemTime).
 */
#include "guest.h"
#include "guest_tests.h"

void test_time(void)
{
	uint64_t t0, t, prev, r, a, s, bad = 0, i, hz;

	begin("RDTSC");
	t0 = rdtsc();
	prev = 0;
	for (i = 0; i < 64; i++) {
		t = CALL(RDTSC);
		if (t < prev)
			bad++;
		prev = t;
	}
	ok(!bad && t0 <= prev && prev <= rdtsc(),
	   "RDTSC through the ROM is monotonic and between native reads");

	begin("GetCycleCounter");
	prev = 0;
	for (i = 0; i < 32; i++) {
		r = CALL(GET_CYCLE_COUNTER, S(), VMI_CYCLES_REAL, 0);
		a = CALL(GET_CYCLE_COUNTER, S(), VMI_CYCLES_AVAILABLE, 0);
		if (r < prev || a > CALL(GET_CYCLE_COUNTER, S(),
				       VMI_CYCLES_REAL, 0))
			bad++;
		prev = r;
	}
	s = CALL(GET_CYCLE_COUNTER, S(), VMI_CYCLES_STOLEN, 0);
	ok(!bad && prev <= rdtsc() && prev > t0,
	   "GetCycleCounter: REAL monotonic, AVAILABLE <= REAL (stolen %u)", s);

	begin("GetCycleFrequency");
	if (!rom(VMI_CALL_GET_CYCLE_FREQUENCY)) {
		ok(0, "GetCycleFrequency answers NONE although tsc_khz was given");
	} else {
		hz = CALL(GET_CYCLE_FREQUENCY, S());
		ok(hz == (uint64_t)MB->tsc_khz * 1000,
		   "GetCycleFrequency = %u Hz = VMI_Init's tsc_khz * 1000", hz);
	}
}

/* The clock a retrofitted clocksource reads. */
void test_system_time(void)
{
	uint64_t t0, t1;
	int64_t ret;

	begin("RegisterSystemTime (85), SystemTime (86)");
	ret = (int64_t)CALL(REGISTER_SYSTEM_TIME, S(), 0, 1);
	ok(ret == 0 &&
	   (int64_t)CALL(REGISTER_SYSTEM_TIME, S(), 5, 1) == -1,
	   "RegisterSystemTime(0) = 0, out-of-range CPU = -1");
	t0 = CALL(SYSTEM_TIME, S(), 0);
	delay_ms(50);
	t1 = CALL(SYSTEM_TIME, S(), 0);
	ok(t0 > 0 && t1 >= t0 + 25000000 && t1 < t0 + 5000000000ULL,
	   "SystemTime runs: %u ns across a 50 ms TSC delay", t1 - t0);
	ok(CALL(SYSTEM_TIME, S(), 1) == 0,
	   "SystemTime of an unregistered slot answers 0");
	ret = (int64_t)CALL(REGISTER_SYSTEM_TIME, S(), 0, 0);
	ok(ret == 0 && CALL(SYSTEM_TIME, S(), 0) == 0,
	   "RegisterSystemTime(0, disable) = 0, SystemTime then answers 0");
}
