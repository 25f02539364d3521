// SPDX-License-Identifier: GPL-2.0
/*
 * The i386 ROM's timer, wall clock and local APIC calls, without memory:
 * every call finds what it needs again (CPUID, MSRs, the live page
 * tables, the PIT and the RTC).  docs/abi.md, "i386", explains each
 * choice; vmiclock_32.c in Linux 2.6.32 is the client.
 *
 * Units: the client's cycles are TSC cycles at GetCycleFrequency Hz.
 */
#include "rom32.h"
#include "timer_rules.h"

#define NSEC_PER_SEC		1000000000ULL
#define PIT_HZ			1193182U
/* Calibration windows: 3 x 20 ms of the APIC timer, 50 ms of the PIT. */
#define APIC_TSC_CAL_NS		20000000U
#define PIT_CAL_LATCH		(PIT_HZ / 20)
/* An IRQ0 alarm's quick estimate, when nothing states the rate: 1 ms. */
#define PIT_ALARM_LATCH		(PIT_HZ / 1000)
/* The longest a PIT window may spin with interrupts off, in TSC cycles. */
#define PIT_CAL_MAX_CYCLES	(1ULL << 31)

#define MSR_APIC_BASE		0x1b
#define APIC_BASE_X2APIC	(1U << 10)
#define APIC_BASE_ENABLE	(1U << 11)
#define MSR_TSC_DEADLINE	0x6e0
#define APIC_DEFAULT_PHYS	0xfee00000ULL

#define APIC_LVTT		0x320
#define APIC_TMICT		0x380
#define APIC_TMCCT		0x390
#define APIC_TDCR		0x3e0
/*
 * The local APIC timer's input at divide-by-1: 1 GHz under QEMU (TCG's
 * hw/intc/apic.c counts QEMU_CLOCK_VIRTUAL ns >> count_shift, and TDCR
 * 0xb gives count_shift 0) and under KVM (APIC_BUS_CYCLE_NS = 1), unless
 * KVM's timing leaf says otherwise.
 */
#define APIC_TIMER_HZ		NSEC_PER_SEC
/* APIC ticks to measure the TSC against when no TSC rate is stated. */
#define APIC_CAL_TICKS		20000U

/* How far below 4 GiB the local APIC's mapping is looked for. */
#define FIXMAP_TOP_MB		64U
#define PTE_PRESENT		1U
#define PDE_LARGE		0x80U
#define PAE_PHYS_MASK		0x000ffffffffff000ULL
#define CR4_PAE			0x20U
/* Lowmem ends at least 128 MiB (VMALLOC_RESERVE) below 4 GiB. */
#define VMALLOC_RESERVE		0x08000000U

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (uint64_t)hi << 32 | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
	asm volatile("wrmsr"
		     : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32))
		     : "memory");
}

static inline void outb(uint8_t v, uint16_t port)
{
	asm volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}


static inline uint32_t irq_save(void)
{
	uint32_t flags;

	asm volatile("pushfl; popl %0; cli" : "=r"(flags) : : "memory");
	return flags;
}

static inline void irq_restore(uint32_t flags)
{
	asm volatile("pushl %0; popfl" : : "r"(flags) : "memory", "cc");
}

static inline uint32_t read_cr3(void)
{
	uint32_t v;

	asm volatile("movl %%cr3, %0" : "=r"(v));
	return v;
}

static inline uint32_t read_cr4(void)
{
	uint32_t v;

	asm volatile("movl %%cr4, %0" : "=r"(v));
	return v;
}

/* ---- TSC frequency ---------------------------------------------------- */

/*
 * What KVM or the CPU states: the TSC's Hz (0 if nothing) and the APIC
 * timer's at divide-by-1 (KVM's leaf EBX, else 1 GHz).  One look per
 * call: each CPUID is an exit under a hypervisor.
 */
static uint64_t stated_rates(uint64_t *apic_hz)
{
	uint32_t r[4];
	int leaf = vmi_kvm_timing_leaf(vmi_kvm_base(), r);

	if (apic_hz)
		*apic_hz = leaf && r[1] ? (uint64_t)r[1] * 1000 : APIC_TIMER_HZ;
	if (leaf && r[0])
		return (uint64_t)r[0] * 1000;
	return vmi_cpuid_tsc_hz();
}

static uint64_t stated_tsc_hz(void)
{
	return stated_rates(NULL);
}

/*
 * TSC Hz over @latch ticks of PIT channel 2 (50 ms, PIT_CAL_LATCH, as
 * pit_calibrate_tsc does; 1 ms for an IRQ0 alarm); 0 if the
 * result is implausible (port 0x61 not emulated: bit 5 set at once, or
 * never, when the loop gives up after 2^31 TSC cycles, 0.7 s at 3 GHz,
 * rather than spin with interrupts off).
 */
static uint64_t pit_tsc_hz(uint32_t latch)
{
	uint32_t flags = irq_save();
	uint8_t gate = inb(0x61);
	uint64_t t0, t1;

	outb((gate & ~0x02) | 0x01, 0x61);
	outb(0xb0, 0x43);
	outb(latch & 0xff, 0x42);
	outb(latch >> 8, 0x42);
	t0 = vmi_rdtsc();
	do {
		t1 = vmi_rdtsc();
	} while (!(inb(0x61) & 0x20) && t1 - t0 < PIT_CAL_MAX_CYCLES);
	outb(gate, 0x61);
	irq_restore(flags);
	return vmi32_sane_hz(vmi_div64((t1 - t0) * PIT_HZ, latch, 0));
}

static uint64_t apic_tsc_hz(void);

/*
 * A measured TSC rate, rounded to kHz: the client works in kHz, and two
 * calls then agree unless they straddle a rounding boundary.  This CPU's
 * local APIC timer first (its own, so CPUs calibrating at once do not
 * disturb each other; and under QEMU's TCG it runs from the same clock as
 * the TSC, where PIT channel 2's edge was seen up to 30% off), else PIT
 * channel 2.
 */
static uint64_t calibrate_tsc_hz(void)
{
	uint64_t hz = apic_tsc_hz();

	if (!hz)
		hz = pit_tsc_hz(PIT_CAL_LATCH);
	/* Both failed: the nearest sane rate, never 0 (the client divides). */
	hz = vmi32_clamp_hz(hz);
	return vmi_div64(hz + 500, 1000, 0) * 1000;
}

/* GetCycleFrequency() -> EDX:EAX = TSC Hz. */
uint64_t vmi32_get_cycle_frequency(void)
{
	uint64_t hz = stated_tsc_hz();

	return hz ? hz : calibrate_tsc_hz();
}

/* @cycles at @tsc_hz as ticks of a @hz clock, 1..0xffffffff. */
static uint32_t to_ticks(uint64_t cycles, uint64_t hz, uint64_t tsc_hz)
{
	uint64_t t;

	/* cycles < 2^33 and hz < 2^30: the product fits in 64 bits. */
	if (cycles > 1ULL << 33)
		cycles = 1ULL << 33;
	if (hz > 1ULL << 30)
		hz = 1ULL << 30;
	t = vmi_div64(cycles * hz, tsc_hz, 0);
	if (!t)
		return 1;
	return t > 0xffffffffULL ? 0xffffffffU : (uint32_t)t;
}

/* ---- Local APIC ------------------------------------------------------- */

/* PAGE_OFFSET: the ROM runs at PAGE_OFFSET + phys, phys < 1 MiB. */
static uint32_t page_offset(void)
{
	uint32_t eip;

	asm volatile("call 1f\n1:\tpopl %0" : "=r"(eip));
	return eip & ~0xfffffU;
}

/* Lowmem's virtual address for [phys, phys + len), or 0 if not lowmem. */
static uint32_t lowmem_range(uint32_t po, uint64_t phys, uint32_t len)
{
	uint64_t end = (uint64_t)(0U - po - VMALLOC_RESERVE);

	if (phys >= end || len > end - phys)
		return 0;
	return po + (uint32_t)phys;
}

static uint32_t lowmem(uint32_t po, uint64_t phys)
{
	return lowmem_range(po, phys, 4096);
}

struct lapic {
	uint32_t va;		/* xAPIC page's virtual address */
};

/* Entry @i of the page table at @va: 64-bit with PAE, else 32-bit. */
static uint64_t pt_entry(uint32_t va, int pae, uint32_t i)
{
	if (pae)
		return ((const volatile uint64_t *)va)[i];
	return ((const volatile uint32_t *)va)[i];
}

/*
 * The virtual address at which the live page tables map the local APIC's
 * page @phys, looking down from the top of the address space, or 0.  Page
 * tables are lowmem, at PAGE_OFFSET + their physical address.
 *
 * The kernel maps the APIC in its fixmap (FIX_APIC_BASE), a few pages
 * below FIXADDR_TOP: 0xfffff000, where the search finds it within a few
 * entries.  reservetop= moves FIXADDR_TOP down by its size, and the ROM
 * cannot know it, so the search goes on through the page directory
 * entries of the top FIXMAP_TOP_MB (64 MiB), skipping those not present:
 * more reads on every call then (up to 16K entries, EOIs included, the
 * more the larger reservetop= is), but the APIC is still found.
 */
static uint32_t fixmap_va(uint64_t phys)
{
	uint32_t po = page_offset(), cr3 = read_cr3(), dir, pt, n, i, j;
	int pae = !!(read_cr4() & CR4_PAE);
	uint64_t e, mask = pae ? PAE_PHYS_MASK : 0xfffff000ULL;

	if (pae) {
		dir = lowmem(po, cr3 & ~0x1fU);		/* the PDPT */
		if (!dir)
			return 0;
		e = pt_entry(dir, 1, 3);
		dir = e & PTE_PRESENT ? lowmem(po, e & mask) : 0;
		n = 512;
	} else {
		dir = lowmem(po, cr3 & ~0xfffU);
		n = 1024;
	}
	if (!dir)
		return 0;
	for (i = 0; i < FIXMAP_TOP_MB / (n == 512 ? 2 : 4); i++) {
		e = pt_entry(dir, pae, n - 1 - i);
		if (!(e & PTE_PRESENT) || e & PDE_LARGE)
			continue;
		pt = lowmem(po, e & mask);
		if (!pt)
			continue;
		for (j = 0; j < n; j++) {
			e = pt_entry(pt, pae, n - 1 - j);
			if (e & PTE_PRESENT && (e & mask) == phys)
				return 0xfffff000U - (i * n + j) * 4096;
		}
	}
	return 0;
}

/*
 * How to reach this CPU's local APIC now; 0 if it cannot be reached.  In
 * xAPIC mode only: the i386 VMI clients (2.6.21-2.6.36) never enable
 * x2APIC, whose MSR numbering (no ICR_HIGH) the calls do not follow.
 *
 * Every EOI comes through here, so the default base is looked for first
 * in the kernel's mapping: finding it there needs no RDMSR (an exit
 * under a hypervisor), and the kernel only maps an APIC it uses.
 */
static int lapic_find(struct lapic *a)
{
	uint64_t base;

	a->va = fixmap_va(APIC_DEFAULT_PHYS);
	if (a->va)
		return 1;
	base = rdmsr(MSR_APIC_BASE);
	if (!(base & APIC_BASE_ENABLE) || base & APIC_BASE_X2APIC ||
	    (base & PAE_PHYS_MASK) == APIC_DEFAULT_PHYS)
		return 0;
	a->va = fixmap_va(base & PAE_PHYS_MASK);
	return a->va != 0;
}

static uint32_t lapic_read(const struct lapic *a, uint32_t reg)
{
	reg &= 0xff0;
	return *(const volatile uint32_t *)(a->va + reg);
}

static void lapic_write(const struct lapic *a, uint32_t reg, uint32_t v)
{
	reg &= 0xff0;
	*(volatile uint32_t *)(a->va + reg) = v;
}

/*
 * APICRead(EAX = register) -> EAX; APICWrite(EAX = register, EDX =
 * value).  Before the kernel maps its APIC (init_apic_mappings), or with
 * the APIC off, reads give 0 and writes are dropped, where the native
 * access would fault.
 */
uint32_t vmi32_apic_read(uint32_t reg)
{
	struct lapic a;

	return lapic_find(&a) ? lapic_read(&a, reg) : 0;
}

void vmi32_apic_write(uint32_t reg, uint32_t value)
{
	struct lapic a;

	if (!lapic_find(&a))
		return;
	/* The ROM's own alarm keeps its mode; see vmi32_lvtt_write_value. */
	if ((reg & 0xff0) == APIC_LVTT)
		value = vmi32_lvtt_write_value(value, lapic_read(&a, APIC_LVTT),
					       lapic_read(&a, APIC_TDCR));
	lapic_write(&a, reg, value);
}

/*
 * One reading of the APIC timer's count with the TSC at that moment: the
 * best bracketed of four (the TSC halfway through the shortest read), so
 * that a read delayed by an interrupt of the host does not skew it.
 */
static void apic_sample(const struct lapic *a, uint32_t *count, uint64_t *tsc)
{
	uint64_t t0, t1, best = ~0ULL;
	uint32_t c;
	int i;

	for (i = 0; i < 4; i++) {
		t0 = vmi_rdtsc();
		c = lapic_read(a, APIC_TMCCT);
		t1 = vmi_rdtsc();
		if (t1 - t0 < best) {
			best = t1 - t0;
			*count = c;
			*tsc = t0 + (best >> 1);
		}
	}
}

/* The APIC timer's divisor for a TDCR value. */
static uint32_t tdcr_shift(uint32_t tdcr)
{
	return (((tdcr & 3) | ((tdcr >> 1) & 4)) + 1) & 7;
}

/* TSC cycles per APIC timer tick << 20, over @ticks, on a running timer. */
static uint64_t apic_window(const struct lapic *a, uint32_t ticks)
{
	uint32_t c0, c1;
	uint64_t t0, t1;

	apic_sample(a, &c0, &t0);
	do {
		apic_sample(a, &c1, &t1);
	} while (c0 - c1 < ticks && t1 - t0 < (1ULL << 33));
	if (t1 <= t0 || c0 == c1)
		return 0;
	return vmi_div64((t1 - t0) << 20, c0 - c1, 0);
}

/*
 * TSC Hz measured against this CPU's APIC timer (at divide-by-1), the
 * median of three 20 ms windows, interrupts off; 0 if the APIC cannot be
 * reached or the rate is implausible (outside 1 MHz..100 GHz).  Each end
 * of a window is a bracketed sample (apic_sample), and
 * the median drops a window a host preemption still skewed.
 *
 * The client calls GetCycleFrequency once with an alarm armed
 * (registering its clock source), so the timer's state is put back:
 * mode, vector, mask and divisor, a TSC deadline as it was, a one-shot
 * count less the ticks that passed (at least 1: it fires, also when it
 * had run out but its interrupt was not raised yet), a periodic count
 * from the start.
 */
static uint64_t apic_tsc_hz(void)
{
	uint32_t flags, lvtt, tdcr, tmict, left, c0, c1, ns, mode;
	uint64_t deadline = 0, r[3], t, m, apic_hz;
	struct lapic a;
	int i;

	if (!lapic_find(&a))
		return 0;
	flags = irq_save();
	lvtt = lapic_read(&a, APIC_LVTT);
	tdcr = lapic_read(&a, APIC_TDCR);
	tmict = lapic_read(&a, APIC_TMICT);
	left = lapic_read(&a, APIC_TMCCT);
	mode = lvtt & APIC_LVTT_MODE;
	if (mode == APIC_LVTT_TSC_DEADLINE)
		deadline = rdmsr(MSR_TSC_DEADLINE);

	lapic_write(&a, APIC_LVTT, (lvtt & ~APIC_LVTT_MODE) | APIC_LVT_MASKED);
	lapic_write(&a, APIC_TDCR, APIC_TDCR_DIV_1);
	lapic_write(&a, APIC_TMICT, 0xffffffffU);
	c0 = lapic_read(&a, APIC_TMCCT);
	for (i = 0; i < 3; i++)
		r[i] = apic_window(&a, APIC_TSC_CAL_NS);
	c1 = lapic_read(&a, APIC_TMCCT);
	ns = c0 - c1;

	lapic_write(&a, APIC_TMICT, 0);
	lapic_write(&a, APIC_TDCR, tdcr);
	lapic_write(&a, APIC_LVTT, lvtt);
	if (mode == APIC_LVTT_TSC_DEADLINE) {
		if (deadline)
			wrmsr(MSR_TSC_DEADLINE, deadline);
	} else if (mode == APIC_LVTT_PERIODIC) {
		lapic_write(&a, APIC_TMICT, tmict);
	} else if (vmi32_oneshot_rearm(tmict, left, ns >> tdcr_shift(tdcr))) {
		/* timer_rules.h: an armed alarm fires, even one that read 0 */
		lapic_write(&a, APIC_TMICT,
			    vmi32_oneshot_rearm(tmict, left,
						ns >> tdcr_shift(tdcr)));
	}
	irq_restore(flags);

	/* median of three */
	if (r[0] > r[1]) {
		t = r[0];
		r[0] = r[1];
		r[1] = t;
	}
	m = r[2] < r[0] ? r[0] : r[2] > r[1] ? r[1] : r[2];
	/* cycles per tick << 20, times ticks per second; 0 if implausible */
	stated_rates(&apic_hz);
	return vmi32_window_hz(m, apic_hz);
}

/*
 * @cycles as APIC timer ticks when no TSC rate is stated (TCG): run the
 * timer masked from ~0 and count its ticks against the TSC for
 * APIC_CAL_TICKS (20 us at 1 GHz).  Leaves the timer running masked; the
 * caller rewrites LVTT and TMICT.
 */
static uint32_t measured_ticks(const struct lapic *a, uint32_t lvtt,
			       uint64_t cycles)
{
	uint64_t per_tick, t;

	lapic_write(a, APIC_LVTT, lvtt | APIC_LVT_MASKED);
	lapic_write(a, APIC_TMICT, 0xffffffffU);
	per_tick = apic_window(a, APIC_CAL_TICKS);
	if (!per_tick)
		return 1;
	/* cycles / (cycles per tick); cycles < 2^33 keeps << 20 in range */
	if (cycles > 1ULL << 33)
		cycles = 1ULL << 33;
	t = vmi_div64(cycles << 20, per_tick, 0);
	if (!t)
		return 1;
	return t > 0xffffffffULL ? 0xffffffffU : (uint32_t)t;
}

static void lvtt_alarm(int periodic, uint64_t expiry, uint64_t cycles)
{
	struct lapic a;
	uint32_t lvtt, ticks, r[4];
	uint64_t tsc_hz, apic_hz;

	if (!lapic_find(&a))
		return;
	/* The vector and mask are the kernel's; the mode is ours. */
	lvtt = lapic_read(&a, APIC_LVTT) & (APIC_LVT_VECTOR | APIC_LVT_MASKED);
	vmi_cpuid(1, 0, r);
	if (!periodic && r[2] & CPUID1_ECX_TSC_DEADLINE) {
		lapic_write(&a, APIC_LVTT, lvtt | APIC_LVTT_TSC_DEADLINE);
		/* LVTT's mode before the MSR (Linux's lapic_next_deadline) */
		asm volatile("mfence" : : : "memory");
		/* A deadline already past fires at once; 0 would disarm. */
		wrmsr(MSR_TSC_DEADLINE, expiry ? expiry : 1);
		return;
	}
	tsc_hz = stated_rates(&apic_hz);
	lapic_write(&a, APIC_TDCR, APIC_TDCR_DIV_1);
	if (tsc_hz)
		ticks = to_ticks(cycles, apic_hz, tsc_hz);
	else
		ticks = measured_ticks(&a, lvtt, cycles);
	lapic_write(&a, APIC_LVTT, lvtt | (periodic ? APIC_LVTT_PERIODIC : 0));
	lapic_write(&a, APIC_TMICT, ticks);
}

/*
 * IRQ0: PIT channel 0, mode 2 (rate generator) for periodic alarms, mode
 * 0 for one-shot ones; counts above 16 bits fire early, which the
 * client's clockevents code tolerates (it re-arms).
 */
static void pit_alarm(int periodic, uint64_t cycles)
{
	uint64_t tsc_hz = stated_tsc_hz();
	uint32_t ticks;

	/*
	 * Without a stated rate, a 1 ms PIT window rather than the full
	 * calibration (60 ms of the APIC timer, or 50 ms of the PIT, with
	 * interrupts off), on every alarm: a count a little off only moves
	 * when the tick comes, while time itself is read from the TSC.
	 */
	if (!tsc_hz)
		tsc_hz = pit_tsc_hz(PIT_ALARM_LATCH);
	ticks = tsc_hz ? to_ticks(cycles, PIT_HZ, tsc_hz) : 0xffff;

	if (ticks > 0xffff)
		ticks = 0xffff;
	if (periodic && ticks < 2)
		ticks = 2;
	outb(periodic ? 0x34 : 0x30, 0x43);
	outb(ticks & 0xff, 0x40);
	outb(ticks >> 8, 0x40);
}

/*
 * SetAlarm(EAX = flags, EDX:ECX = expiry, [esp+4] = period), on this
 * CPU's timer.  A one-shot expiry that is past, or only a cycle ahead,
 * still fires: the client never checks and would lose its tick.  A
 * periodic alarm of period 0 (the client never asks for one) is one-shot.
 */
void vmi32_set_alarm(uint32_t flags, uint64_t expiry, uint64_t period)
{
	int periodic;
	uint64_t cycles = vmi32_alarm_cycles(flags, expiry, period,
					     vmi_rdtsc(), &periodic);

	if (flags & VMI_ALARM_WIRED_LVTT)
		lvtt_alarm(periodic, expiry, cycles);
	else
		pit_alarm(periodic, cycles);
}

/* CancelAlarm(EAX = flags) -> EAX = 0 (ignored by the client). */
uint32_t vmi32_cancel_alarm(uint32_t flags)
{
	struct lapic a;

	if (!(flags & VMI_ALARM_WIRED_LVTT)) {
		/*
		 * Channel 0 to mode 5 with no count, as vmi_time_init stops
		 * it.  QEMU's PIT keeps an armed count's timer across a
		 * control word, so one late IRQ0 may still come: harmless,
		 * the client takes a spurious tick.
		 */
		outb(0x3a, 0x43);
		return 0;
	}
	if (!lapic_find(&a))
		return 0;
	if ((lapic_read(&a, APIC_LVTT) & APIC_LVTT_MODE) == APIC_LVTT_TSC_DEADLINE)
		wrmsr(MSR_TSC_DEADLINE, 0);
	else
		lapic_write(&a, APIC_TMICT, 0);
	return 0;
}

/* ---- Wall clock ------------------------------------------------------- */

static uint32_t cmos(uint8_t reg)
{
	outb(reg, 0x70);
	return inb(0x71);
}

static uint32_t bcd(uint32_t v)
{
	return (v & 15) + (v >> 4) * 10;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian, y >= 1970). */
static uint32_t days_from_civil(uint32_t y, uint32_t m, uint32_t d)
{
	uint32_t era, yoe, doy, doe;

	if (m <= 2)
		y--;
	era = y / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/*
 * The RTC's time and date registers, outside an update cycle; *@polls
 * bounds the wait over all calls (an RTC stuck updating).
 */
static void cmos_time(uint8_t t[6], uint32_t *polls)
{
	int i;

	while ((cmos(0x0a) & 0x80) && ++*polls < 1000000)
		;
	/* seconds, minutes, hours (0, 2, 4); day, month, year (7, 8, 9) */
	for (i = 0; i < 6; i++)
		t[i] = (uint8_t)cmos(i < 3 ? 2 * i : i + 4);
}

/*
 * GetWallclockTime() -> EDX:EAX = ns since the epoch, from the CMOS RTC
 * (UTC, as the kernel's own mach_get_cmos_time reads it: years below 70
 * are 20xx).  All six registers are read until two reads in a row
 * agree, each outside an update cycle.
 */
uint64_t vmi32_get_wallclock(void)
{
	uint32_t flags, sec, min, hour, day, mon, year, b, polls = 0, tries = 0;
	uint8_t t[6], u[6];
	uint64_t secs;
	int i, same;

	flags = irq_save();
	cmos_time(t, &polls);
	do {
		cmos_time(u, &polls);
		same = 1;
		for (i = 0; i < 6; i++) {
			same &= t[i] == u[i];
			t[i] = u[i];
		}
	} while (!same && ++tries < 100);
	sec = t[0];
	min = t[1];
	hour = t[2];
	day = t[3];
	mon = t[4];
	year = t[5];
	b = cmos(0x0b);
	irq_restore(flags);

	if (!(b & 0x04)) {
		sec = bcd(sec);
		min = bcd(min);
		hour = bcd(hour & 0x7f) | (hour & 0x80);
		day = bcd(day);
		mon = bcd(mon);
		year = bcd(year);
	}
	if (!(b & 0x02)) {	/* 12-hour clock: bit 7 is PM */
		uint32_t pm = hour & 0x80;

		hour &= 0x7f;
		if (hour == 12)
			hour = 0;
		if (pm)
			hour += 12;
	}
	year += year < 70 ? 2000 : 1900;
	if (mon < 1 || mon > 12 || day < 1 || day > 31)
		return 0;
	secs = (uint64_t)days_from_civil(year, mon, day) * 86400 +
	       hour * 3600 + min * 60 + sec;
	return secs * NSEC_PER_SEC;
}
