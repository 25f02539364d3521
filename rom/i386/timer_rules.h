/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The i386 ROM's timer decisions that need no hardware: pure functions of
 * what the kernel passed and what the ROM read from the hardware.  One
 * source, compiled into the ROM (timer.c) and into tests/host/test_rom32
 * (-m32, at CPL 3), which checks them case by case.
 */
#ifndef VMI_ROM_I386_TIMER_RULES_H
#define VMI_ROM_I386_TIMER_RULES_H

#include "../../include/vmi/types.h"

#define APIC_LVT_VECTOR		0xffU
#define APIC_LVT_MASKED		(1U << 16)
#define APIC_LVTT_PERIODIC	(1U << 17)
#define APIC_LVTT_TSC_DEADLINE	(2U << 17)
#define APIC_LVTT_MODE		(3U << 17)
#define APIC_TDCR_DIV_1		0xb
/* The native local APIC timer's vector in every i386 kernel with VMI. */
#define LOCAL_TIMER_VECTOR	0xefU

/* vmi_time.h's alarm flags */
#define VMI_ALARM_IS_PERIODIC	0x100
#define VMI_ALARM_WIRED_LVTT	0x10000

/* Sane TSC rates: anything outside is a failed measurement. */
#define TSC_HZ_MIN		1000000ULL
#define TSC_HZ_MAX		100000000000ULL

/*
 * The value APICWrite stores for the kernel's LVTT write @value, given
 * LVTT (@lvtt) and TDCR (@tdcr) as they are now.
 *
 * The VMI client rewrites LVTT with its bare vector (mode bits 0) while
 * the ROM's periodic or TSC-deadline alarm runs (vmiclock_32.c's AP
 * setup and startup_timer_irq); taken literally, that would switch the
 * alarm to one-shot and leave the CPU one tick.  A native local APIC
 * timer (vmi=disable_timer, or a kernel that uses the VMI clock only as
 * a clocksource) writes LVTT through the same call and must get exactly
 * what it wrote.  With no memory, the ROM tells its own alarm from the
 * write and the hardware alone; it keeps the current mode only when all
 * of these hold:
 *   - the write's mode bits are 0 (any stated mode is the kernel's);
 *   - its vector is not LOCAL_TIMER_VECTOR (0xef, the native timer's);
 *   - the current mode is one only the ROM's alarm sets: TSC-deadline
 *     (no i386 kernel with VMI uses it natively) or periodic at
 *     divide-by-1 (Linux runs its APIC timer at divide-by-16).
 * Everything else, vector and mask included, passes through unchanged.
 * The write's vector need not match LVTT's: an AP's first periodic alarm
 * is armed before the client writes its vector (vmi_time_ap_init), so it
 * runs masked with the reset vector 0 until that write.
 */
static inline uint32_t vmi32_lvtt_write_value(uint32_t value, uint32_t lvtt,
					      uint32_t tdcr)
{
	uint32_t vec = value & APIC_LVT_VECTOR, mode = lvtt & APIC_LVTT_MODE;

	if (value & APIC_LVTT_MODE || vec == LOCAL_TIMER_VECTOR)
		return value;
	if (mode == APIC_LVTT_TSC_DEADLINE ||
	    (mode == APIC_LVTT_PERIODIC && (tdcr & 0xf) == APIC_TDCR_DIV_1))
		return value | mode;
	return value;
}

/*
 * The one-shot count to put back after the ROM borrowed the APIC timer
 * (GetCycleFrequency measures against it): @tmict and @left were TMICT
 * and TMCCT before, @passed the ticks (at the old divisor) the borrowing
 * took.  0 leaves the timer stopped.  An alarm that was armed fires, at
 * the latest at once: also when its count already read 0, because under
 * QEMU a count runs out before the interrupt is raised (from QEMU's main
 * loop), and reprogramming the timer cancelled that interrupt; a spurious
 * extra tick is harmless, a lost one leaves the CPU without an alarm.
 */
static inline uint32_t vmi32_oneshot_rearm(uint32_t tmict, uint32_t left,
					   uint32_t passed)
{
	if (!tmict && !left)
		return 0;
	return left > passed ? left - passed : 1;
}

/* @hz if it is a plausible TSC rate, else 0. */
static inline uint64_t vmi32_sane_hz(uint64_t hz)
{
	return hz >= TSC_HZ_MIN && hz <= TSC_HZ_MAX ? hz : 0;
}

/*
 * TSC Hz from a calibration window of @per_tick (TSC cycles per timer
 * tick << 20) on a timer of @timer_hz, or 0 when the product would
 * overflow (a window that ended after a few ticks) or the result is not
 * a plausible TSC rate.
 */
static inline uint64_t vmi32_window_hz(uint64_t per_tick, uint64_t timer_hz)
{
	if (!per_tick || !timer_hz || per_tick > ~0ULL / timer_hz)
		return 0;
	return vmi32_sane_hz((per_tick * timer_hz) >> 20);
}

/* @hz within [TSC_HZ_MIN, TSC_HZ_MAX]: the client divides by it. */
static inline uint64_t vmi32_clamp_hz(uint64_t hz)
{
	if (hz < TSC_HZ_MIN)
		return TSC_HZ_MIN;
	return hz > TSC_HZ_MAX ? TSC_HZ_MAX : hz;
}

/*
 * SetAlarm's cycles to wait from @now: the period of a periodic alarm,
 * else the time to @expiry (0 if past: it still fires).  A periodic alarm
 * of period 0 would program a count of 1, an interrupt storm; it is
 * taken as one-shot at @expiry (*@periodic = 0).
 */
static inline uint64_t vmi32_alarm_cycles(uint32_t flags, uint64_t expiry,
					  uint64_t period, uint64_t now,
					  int *periodic)
{
	*periodic = flags & VMI_ALARM_IS_PERIODIC && period;
	if (*periodic)
		return period;
	return expiry > now ? expiry - now : 0;
}

#endif /* VMI_ROM_I386_TIMER_RULES_H */
