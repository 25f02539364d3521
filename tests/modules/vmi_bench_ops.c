// SPDX-License-Identifier: GPL-2.0
/*
 * Cost of a paravirt op, three ways, measured at load with rdtsc_ordered()
 * around loops of "iters" calls (tools/vmi-bench --ops,
 * docs/performance.md):
 *
 *   native  the instruction itself, inline asm
 *   pvop    an indirect call through the pv_ops table, whatever it holds
 *           now (the kernel's native function, or the ROM's entry once
 *           vmi_shim routes the op)
 *   site    the kernel's own accessor (read_cr0(), raw_local_irq_disable()
 *           ...), i.e. this module's paravirt call site as patched when it
 *           was loaded: a direct call, or inline native code
 *
 * Each figure is TSC ticks per op, the empty loop subtracted, the lowest
 * of "rounds" runs. Under QEMU's -icount shift=0 one guest instruction is
 * one nanosecond of virtual time, so with tsc_khz near 1000000 a tick is
 * an instruction. One line per op:
 *
 *   op NAME native=X pvop=Y site=Z unit=tsc_per_op
 *
 * The module stays loaded (rmmod it); nothing is changed.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/irqflags.h>
#include <linux/module.h>
#include <linux/preempt.h>
#include <asm/msr.h>
#include <asm/paravirt.h>
#include <asm/processor.h>
#include <asm/special_insns.h>
#include <asm/tsc.h>

static unsigned int iters = 100000;
module_param(iters, uint, 0444);
MODULE_PARM_DESC(iters, "calls of each op per measurement");

static unsigned int rounds = 3;
module_param(rounds, uint, 0444);
MODULE_PARM_DESC(rounds, "measurements of each op; the lowest counts");

typedef void (*bench_void_fn)(void);

static unsigned long sink;

/*
 * One tight loop per op and way, so the loops differ only in the op: the
 * empty loop's cost (counter, compare, branch) is subtracted.
 */
#define BENCH_LOOP(name, body)						\
static noinline void bench_##name(unsigned int n)			\
{									\
	unsigned int __maybe_unused i, a, b, c, d, lo, hi;		\
	unsigned long __maybe_unused v = 0, cr;				\
									\
	for (i = 0; i < n; i++) {					\
		body;							\
	}								\
	sink += v;							\
}

BENCH_LOOP(empty, barrier())

BENCH_LOOP(cpuid_native,
	   asm volatile("cpuid" : "=a" (a), "=b" (b), "=c" (c), "=d" (d)
			: "0" (0), "2" (0));
	   v += a)
BENCH_LOOP(cpuid_pvop,
	   a = 0; c = 0; pv_ops.cpu.cpuid(&a, &b, &c, &d); v += a)
BENCH_LOOP(cpuid_site,
	   a = 0; c = 0; __cpuid(&a, &b, &c, &d); v += a)

BENCH_LOOP(rdmsr_native,
	   asm volatile("rdmsr" : "=a" (lo), "=d" (hi)
			: "c" (MSR_IA32_APICBASE));
	   v += lo)
BENCH_LOOP(rdmsr_pvop,
	   v += pv_ops.cpu.read_msr(MSR_IA32_APICBASE))
BENCH_LOOP(rdmsr_site,
	   rdmsr(MSR_IA32_APICBASE, lo, hi); v += lo)

/*
 * Callee-save ops clobber fewer registers than the C ABI allows, so a
 * plain C call through them is safe.
 */
BENCH_LOOP(cli_sti_native,
	   asm volatile("cli; sti" : : : "memory"))
BENCH_LOOP(cli_sti_pvop,
	   ((bench_void_fn)pv_ops.irq.irq_disable.func)();
	   ((bench_void_fn)pv_ops.irq.irq_enable.func)())
BENCH_LOOP(cli_sti_site,
	   raw_local_irq_disable(); raw_local_irq_enable())

BENCH_LOOP(read_cr0_native,
	   asm volatile("mov %%cr0, %0" : "=r" (cr)); v += cr)
BENCH_LOOP(read_cr0_pvop,
	   v += pv_ops.cpu.read_cr0())
BENCH_LOOP(read_cr0_site,
	   v += read_cr0())

BENCH_LOOP(read_cr3_native,
	   asm volatile("mov %%cr3, %0" : "=r" (cr)); v += cr)
BENCH_LOOP(read_cr3_pvop,
	   v += pv_ops.mmu.read_cr3())
BENCH_LOOP(read_cr3_site,
	   v += __read_cr3())

typedef void (*bench_loop_fn)(unsigned int n);

static const struct {
	const char *name;
	bench_loop_fn loop[3];	/* native, pvop, site */
} bench_ops[] = {
	{ "cpuid", { bench_cpuid_native, bench_cpuid_pvop, bench_cpuid_site } },
	{ "rdmsr_apicbase", { bench_rdmsr_native, bench_rdmsr_pvop, bench_rdmsr_site } },
	{ "cli_sti", { bench_cli_sti_native, bench_cli_sti_pvop, bench_cli_sti_site } },
	{ "read_cr0", { bench_read_cr0_native, bench_read_cr0_pvop, bench_read_cr0_site } },
	{ "read_cr3", { bench_read_cr3_native, bench_read_cr3_pvop, bench_read_cr3_site } },
};

/*
 * Lowest TSC ticks for "iters" calls over "rounds" runs, interrupts off
 * (cli_sti turns them on briefly).
 */
static u64 bench_min(bench_loop_fn loop)
{
	u64 best = U64_MAX, t0, t1;
	unsigned long flags;
	unsigned int r;

	for (r = 0; r < rounds; r++) {
		preempt_disable();
		local_irq_save(flags);
		t0 = rdtsc_ordered();
		loop(iters);
		t1 = rdtsc_ordered();
		local_irq_restore(flags);
		preempt_enable();
		if (t1 - t0 < best)
			best = t1 - t0;
	}
	return best;
}

/* Ticks per op, empty loop subtracted, two decimals (x100). */
static u64 per_op_x100(u64 ticks, u64 empty)
{
	return ticks > empty ? div_u64((ticks - empty) * 100, iters) : 0;
}

static int __init bench_ops_init(void)
{
	u64 empty, t[3];
	unsigned int op, how;

	if (!iters || !rounds)
		return -EINVAL;
	empty = bench_min(bench_empty);
	pr_info("iters=%u rounds=%u tsc_khz=%u empty_loop=%llu.%02llu tsc_per_iter pv_ops.cpu.read_cr0=%ps pv_ops.irq.irq_disable=%ps\n",
		iters, rounds, tsc_khz, div_u64(empty * 100, iters) / 100,
		div_u64(empty * 100, iters) % 100, pv_ops.cpu.read_cr0,
		pv_ops.irq.irq_disable.func);
	for (op = 0; op < ARRAY_SIZE(bench_ops); op++) {
		for (how = 0; how < 3; how++)
			t[how] = per_op_x100(bench_min(bench_ops[op].loop[how]), empty);
		pr_info("op %s native=%llu.%02llu pvop=%llu.%02llu site=%llu.%02llu unit=tsc_per_op\n",
			bench_ops[op].name, t[0] / 100, t[0] % 100, t[1] / 100,
			t[1] % 100, t[2] / 100, t[2] % 100);
	}
	return 0;
}

static void __exit bench_ops_exit(void)
{
}
module_init(bench_ops_init);
module_exit(bench_ops_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("vmi-shim benchmark: cost of paravirt ops, native vs pv_ops vs call site");
