// SPDX-License-Identifier: GPL-2.0
/*
 * The retrofit's clock: KVM's per-vCPU clock, read through the ROM
 * (RegisterSystemTime, SystemTime), as a clocksource the kernel switches
 * to while the shim is loaded and away from when it unloads.
 *
 * Why: a kernel that booted without kvmclock (nopv, or no KVM_GUEST) on a
 * host whose TSC it could not calibrate or trust keeps time with the HPET,
 * and every timekeeping read (each tick, each hrtimer, each
 * clock_gettime) is then an MMIO exit to the VMM's userspace. Besides the
 * time it costs, a vCPU preempted there is not reported as preempted in
 * its steal-time area (KVM reports only preemption at an instruction
 * boundary inside the guest), so PV TLB flushes and PV spinlocks wait for
 * it instead of skipping it.
 *
 * Registering a clocksource is the kernel's own runtime interface: the
 * timekeeping core switches to the best rated one with every CPU stopped,
 * and back when it is unregistered. The rating is kvm-clock's: 400, above
 * the TSC (300) and the HPET (250), but 299 when the TSC is constant,
 * nonstop and trusted, which then stays the clocksource (it has a vDSO
 * mode; this clock does not). sched_clock() is left alone: switching
 * it while the scheduler runs would need the kernel's private offsets.
 *
 * A CPU reads its own slot; a CPU whose slot is not registered yet (early
 * in hotplug, before the CPUHP_AP_ONLINE_DYN callback) reads the first
 * registered slot, with the ROM's clamp keeping time monotonic.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/clocksource.h>
#include <linux/cpumask.h>
#include <linux/module.h>
#include <linux/smp.h>
#include <asm/cpufeature.h>
#include <asm/kvm_para.h>
#include <asm/tsc.h>
#include <vmi/abi.h>

#include "base/cpu_area.h"
#include "base/hv_detect.h"
#include "retrofit/retrofit.h"
#include "romload/rom.h"

/*
 * What a read calls, published as one pointer: an NMI that reads the
 * clock while a ROM swap publishes (every other context is stopped then)
 * sees the old ROM with its state or the new one with its own.
 */
struct clock_view {
	struct vmi_call_SYSTEM_TIME time;
	void *state;
};

static struct {
	bool registered;	/* the clocksource is known to the kernel */
	struct vmi_call_REGISTER_SYSTEM_TIME reg;
	struct vmi_call_SYSTEM_TIME time;
	struct cpumask on;	/* CPUs whose slot is registered */
	struct clock_view views[2];
	const struct clock_view *view;
	/*
	 * No read returns less: after a swap, the new ROM's own clamp
	 * starts afresh, and a CPU's first read through it may lag the last
	 * the old ROM returned on another CPU by their skew.
	 */
	u64 floor;
	/* A swap's: the next ROM's entries, each CPU's last old reading. */
	struct vmi_call_REGISTER_SYSTEM_TIME next_reg;
	struct vmi_call_SYSTEM_TIME next_time;
	void *old_state, *new_state;
	bool swapped_off;	/* unregistered for the swap under way */
} k;

static DEFINE_PER_CPU(u64, clock_last);

static notrace u64 vmi_clock_read(struct clocksource *cs)
{
	const struct clock_view *v;
	unsigned int cpu;
	u64 ns, floor;

	preempt_disable_notrace();
	cpu = raw_smp_processor_id();
	if (unlikely(!cpumask_test_cpu(cpu, &k.on)))
		cpu = cpumask_first(&k.on);
	v = READ_ONCE(k.view);
	floor = READ_ONCE(k.floor);
	ns = v->time.fn ? v->time.fn(v->state, cpu) : floor;
	preempt_enable_notrace();
	return ns < floor ? floor : ns;
}

static struct clocksource vmi_clocksource = {
	.name = "vmi-kvm-clock",
	.read = vmi_clock_read,
	.rating = 400,
	.mask = CLOCKSOURCE_MASK(64),
	.flags = CLOCK_SOURCE_IS_CONTINUOUS,
	.owner = THIS_MODULE,
};

static int clock_online(unsigned int cpu)
{
	if (cpu != raw_smp_processor_id())
		return -EINVAL;
	if (!k.reg.fn)
		return 0;
	if (k.reg.fn(vmi_rom.state, cpu, 1))
		return -EIO;
	cpumask_set_cpu(cpu, &k.on);
	return 0;
}

/* The last registered slot stays: the clocksource may still read it. */
static int clock_offline(unsigned int cpu)
{
	if (k.registered && cpumask_weight(&k.on) == 1)
		return 0;
	cpumask_clear_cpu(cpu, &k.on);
	if (k.reg.fn)
		k.reg.fn(vmi_rom.state, cpu, 0);
	return 0;
}

static void clock_off_here(void *unused)
{
	cpumask_clear_cpu(smp_processor_id(), &k.on);
	if (k.reg.fn)
		k.reg.fn(vmi_rom.state, smp_processor_id(), 0);
}

/*
 * kexec and reboot: the next kernel must not be written into, but this
 * one keeps reading time until the end (device shutdown sleeps). So the
 * kernel goes back to its own clocksource first; if it cannot, the areas
 * stay (a plain reboot resets them anyway).
 */
static bool clock_reboot_may_drop(void)
{
	if (k.registered && clocksource_unregister(&vmi_clocksource)) {
		pr_warn("reboot: the kernel kept the ROM's clock\n");
		return false;
	}
	k.registered = false;
	return true;
}

static struct vmi_cpu_area clock_area = {
	.name = KBUILD_MODNAME ":kvm_clock",
	.online = clock_online,
	.offline = clock_offline,
	.reboot_may_drop = clock_reboot_may_drop,
	.drop_here = clock_off_here,
};

/* After ops are routed. Nothing here is fatal: off, with the reason. */
void vmi_retro_clock_hook(void)
{
	const char *why;
	int ret = 0;

	why = vmi_retro_unavailable(VMI_CALL_SYSTEM_TIME, -1) ?:
	      vmi_retro_unavailable(VMI_CALL_REGISTER_SYSTEM_TIME, -1);
	if (why) {
		if (!(vmi_hv.kvm_features &
		      (BIT(KVM_FEATURE_CLOCKSOURCE) |
		       BIT(KVM_FEATURE_CLOCKSOURCE2))))
			why = VMI_WHY("host-lacks", "host does not offer it");
		vmi_retro_set(VMI_RETRO_KVM_CLOCK, false, why);
		return;
	}
	if (boot_cpu_has(X86_FEATURE_CONSTANT_TSC) &&
	    boot_cpu_has(X86_FEATURE_NONSTOP_TSC) && !check_tsc_unstable())
		vmi_clocksource.rating = 299;
	k.reg.fn = vmi_retro_rom_fn(REGISTER_SYSTEM_TIME);
	k.time.fn = vmi_retro_rom_fn(SYSTEM_TIME);
	k.views[0].time = k.time;
	k.views[0].state = vmi_rom.state;
	k.view = &k.views[0];
	why = vmi_cpu_area_start(&clock_area);
	if (!why)
		ret = clocksource_register_hz(&vmi_clocksource, NSEC_PER_SEC);
	if (ret) {
		pr_warn("clocksource not registered (%d)\n", ret);
		why = VMI_WHY("clocksource-refused", "the kernel refused the clocksource");
	}
	k.registered = !why;
	vmi_retro_set(VMI_RETRO_KVM_CLOCK, !why, why);
}

/* Before the caller's quiesce: the kernel back on its own clocksource. */
const char *vmi_retro_clock_unhook(void)
{
	if (!k.registered)
		return NULL;
	if (clocksource_unregister(&vmi_clocksource)) {
		pr_err("the kernel cannot switch away from the ROM's clock\n");
		return VMI_WHY("clocksource-busy", "clocksource still in use");
	}
	k.registered = false;
	vmi_retro_unloaded(VMI_RETRO_KVM_CLOCK);
	return NULL;
}

/* After the quiesce: nothing reads the areas; the host may stop. */
void vmi_retro_clock_stop(void)
{
	if (k.registered)	/* still the kernel's clock: keep it working */
		return;
	vmi_cpu_area_stop(&clock_area);
}

bool vmi_retro_clock_active(void)
{
	return k.registered || vmi_cpu_area_on(&clock_area);
}

/* ---- a live ROM swap (retrofit.c) --------------------------------------- */

const char *vmi_retro_clock_swap_prepare(const struct vmi_rom *next)
{
	const char *why;

	why = vmi_retro_unavailable_in(next, VMI_CALL_SYSTEM_TIME, -1) ?:
	      vmi_retro_unavailable_in(next, VMI_CALL_REGISTER_SYSTEM_TIME, -1);
	k.next_reg.fn = why ? NULL :
		vmi_retro_rom_call_in(next, VMI_CALL_REGISTER_SYSTEM_TIME);
	k.next_time.fn = why ? NULL :
		vmi_retro_rom_call_in(next, VMI_CALL_SYSTEM_TIME);
	k.old_state = vmi_rom.state;
	k.new_state = next->state;
	return why;
}

/*
 * Before the swap, @off: the new ROM has no clock, so the kernel goes
 * back to its own clocksource first (its runtime interface, as at
 * unload). Refused if the kernel keeps ours.
 */
int vmi_retro_clock_swap_begin(bool off)
{
	k.swapped_off = false;
	if (!off || !k.registered)
		return 0;
	if (clocksource_unregister(&vmi_clocksource))
		return -EBUSY;
	k.registered = false;
	k.swapped_off = true;
	return 0;
}

/*
 * After the swap (or its refusal), @on: the feature was on at the load and
 * the ROM now installed has the clock: registered again.
 */
int vmi_retro_clock_swap_end(bool on)
{
	int err;

	k.swapped_off = false;
	if (!on || k.registered || !k.time.fn || !vmi_cpu_area_on(&clock_area))
		return 0;
	err = clocksource_register_hz(&vmi_clocksource, NSEC_PER_SEC);
	if (err)
		pr_warn("swap: clocksource not registered again (%d)\n", err);
	k.registered = !err;
	return err;
}

/* Every CPU stopped, on each: its clock slot moves (@back: returns). */
int vmi_retro_clock_swap_cpu(bool back)
{
	vmi_fn(REGISTER_SYSTEM_TIME) from = back ? k.next_reg.fn : k.reg.fn;
	vmi_fn(REGISTER_SYSTEM_TIME) to = back ? k.reg.fn : k.next_reg.fn;
	void *from_state = back ? k.new_state : k.old_state;
	void *to_state = back ? k.old_state : k.new_state;
	unsigned int cpu = smp_processor_id();
	bool mine = cpumask_test_cpu(cpu, &k.on);

	if (!vmi_cpu_area_on(&clock_area))
		return 0;
	/* The last time the old ROM gave on this CPU: the floor's candidate. */
	if (!back && mine && k.time.fn)
		this_cpu_write(clock_last, k.time.fn(k.old_state, cpu));
	if (from && mine)
		from(from_state, cpu, 0);
	cpumask_clear_cpu(cpu, &k.on);
	if (!to)
		return 0;
	if (to(to_state, cpu, 1))
		return -EIO;
	cpumask_set_cpu(cpu, &k.on);
	return 0;
}

/* Every CPU stopped and moved, on one: reads go to the new ROM. */
void vmi_retro_clock_swap_publish(void)
{
	struct clock_view *v;
	u64 floor = k.floor;
	int cpu;

	if (!vmi_cpu_area_on(&clock_area))
		return;
	for_each_online_cpu(cpu)
		floor = max(floor, per_cpu(clock_last, cpu));
	v = &k.views[k.view == &k.views[0]];
	v->time = k.next_time;
	v->state = k.new_state;
	k.reg = k.next_reg;
	k.time = k.next_time;
	WRITE_ONCE(k.floor, floor);
	WRITE_ONCE(k.view, v);
}
