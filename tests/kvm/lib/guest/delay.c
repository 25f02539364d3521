// SPDX-License-Identifier: GPL-2.0
/* Waits measured with the TSC, at the frequency the VMM passed. */
#include "guest.h"

uint64_t ms_to_tsc(uint64_t ms)
{
	return ms * (MB->tsc_khz ? MB->tsc_khz : 1000000);
}

/* Spin until *p != old or @ms passed; returns whether it changed. */
int wait_change(volatile uint32_t *p, uint32_t old, uint64_t ms)
{
	uint64_t end = rdtsc() + ms_to_tsc(ms);

	while (*p == old) {
		if (rdtsc() > end)
			return 0;
		pause();
	}
	return 1;
}

void delay_ms(uint64_t ms)
{
	uint64_t end = rdtsc() + ms_to_tsc(ms);

	while (rdtsc() < end)
		pause();
}
