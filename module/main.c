// SPDX-License-Identifier: GPL-2.0
/*
 * vmi-shim: route a running kernel's paravirt ops through a VMI-style ROM.
 *
 * Load order: check the parameters, detect the platform, find a ROM and
 * install it (validated first; any defect refuses the load and changes
 * nothing), route the paravirt ops the mode selects through it, re-patch
 * the call sites of the kernel (sites=) and of modules loaded before
 * (modsites=), then publish what was done in sysfs and debugfs.
 *
 * Unload: while anything is routed the module holds a reference to
 * itself, so a plain rmmod is refused. Writing "off" to the sysfs file
 * "routing" restores everything, proves it (read-back, CRCs), and only
 * then drops the reference; module_exit cannot fail, so the proof has to
 * come before it. vmictl unload does both steps.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/delay.h>
#include <linux/init.h>
#include <linux/math64.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/platform_device.h>
#include <linux/suspend.h>
#include <linux/rcupdate.h>
#include <linux/stop_machine.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/utsname.h>

#include "base/fail_verify.h"
#include "base/hv_detect.h"
#include "base/ksyms.h"
#include "base/text_stop.h"
#include "base/trace.h"
#include "base/version.h"
#include "base/why.h"
#include "compat/kprobe_bl.h"
#include "compat/text_poke.h"
#include "iface/debugfs.h"
#include "iface/shim.h"
#include "iface/sysfs.h"
#include "patch/modsites.h"
#include "patch/modtrack.h"
#include "patch/ops.h"
#include "patch/sites.h"
#include "retrofit/pvspin.h"
#include "retrofit/retrofit.h"
#include "romload/rom.h"
#include "romload/trust.h"

static char *rom = "auto";
module_param(rom, charp, 0444);
MODULE_PARM_DESC(rom, "ROM source: auto (option ROM, then firmware, then built-in), option, firmware, builtin, none");

/*
 * An i386 kernel's ROM is the i386 image (docs/abi.md section 9). Under
 * /lib/firmware/vmi-shim/, where the vmi-shim package installs it.
 */
#ifdef CONFIG_X86_64
#define VMI_ROM_FIRMWARE "vmi-shim/vmi-rom.bin"
#else
#define VMI_ROM_FIRMWARE "vmi-shim/vmi-rom-i386.bin"
#endif
static char *rom_file = VMI_ROM_FIRMWARE;
module_param(rom_file, charp, 0444);
MODULE_PARM_DESC(rom_file, "firmware file name of the ROM (default " VMI_ROM_FIRMWARE ")");
/* So that initramfs builders and packagers know to carry it. */
MODULE_FIRMWARE(VMI_ROM_FIRMWARE);

static bool rom_native;
module_param(rom_native, bool, 0444);
MODULE_PARM_DESC(rom_native, "tell the ROM to ignore the hypervisor: native backends only");

static char *mode = "accelerate";
module_param(mode, charp, 0444);
MODULE_PARM_DESC(mode, "accelerate (route ops the ROM does better than native), full (every op the ROM implements, as VMI did), off");

static char *sites;
module_param(sites, charp, 0444);
MODULE_PARM_DESC(sites, "firmware name (under /lib/firmware) of the running kernel's site table (tools/vmi-sites extract): re-patch its paravirt call sites");

static char *modsites;
module_param(modsites, charp, 0444);
MODULE_PARM_DESC(modsites, "firmware name of the table of the modules loaded before the shim (tools/vmi-sites modules): re-patch theirs too");

/*
 * A test hook, not a feature: checks named here report a failure once
 * (the read-back, CRC or wait itself still runs), so that what the shim
 * does when a proof fails can be tested on a healthy kernel. It can only
 * make the shim more careful (refuse, or stay loaded), never skip a check.
 */
static char *fail_verify;
module_param(fail_verify, charp, 0444);
MODULE_PARM_DESC(fail_verify, "test hook: comma-separated checks that report a failure once (docs/sysfs.md)");

/*
 * Test hook: hold the load this long once pv_ops are routed, before any
 * call site is re-patched and before PV spinlocks are switched on, so
 * that a module can be loaded in between (tests/guest/pvspin_cover.sh).
 */
static unsigned int route_hold_ms;
module_param(route_hold_ms, uint, 0444);
MODULE_PARM_DESC(route_hold_ms, "test hook: hold the load this long (at most 10000 ms) once pv_ops are routed (docs/sysfs.md)");

static struct platform_device *vmi_pdev;

/* The values mode= takes (rom='s: vmi_rom_sources[]). */
static const char * const modes[] = {
	[VMI_MODE_OFF] = "off",
	[VMI_MODE_ACCELERATE] = "accelerate",
	[VMI_MODE_FULL] = "full",
};

static int vmi_shim_rom_setup(enum vmi_rom_source src)
{
	struct vmi_rom_image img;
	int err;

	if (src == VMI_ROM_SRC_NONE) {
		vmi_shim.no_rom_reason = VMI_WHY("rom-none", "rom=none");
		return 0;
	}
	err = vmi_ksyms_init();
	if (err)
		return err;
	err = vmi_rom_find(src, rom_file, &vmi_pdev->dev, &img);
	if (err == -ENOENT)
		pr_err("no ROM found (rom=%s%s%s)\n", rom,
		       src != VMI_ROM_SRC_FIRMWARE ? "" : ", rom_file=",
		       src != VMI_ROM_SRC_FIRMWARE ? "" : rom_file);
	else if (err)
		pr_err("finding the ROM (rom=%s) failed: %d\n", rom, err);
	if (err)
		return err;
	err = vmi_rom_install(&img, rom_native ? VMI_INIT_NO_HYPERVISOR : 0,
			      &vmi_rom, 0);
	if (!err)
		pr_info("ROM %s: VMI %u.%u, %zu bytes, from %s\n",
			vmi_rom.info.product ? vmi_rom.info.product : "",
			vmi_rom.info.api_major, vmi_rom.info.api_minor,
			vmi_rom.size, img.where);
	vmi_rom_image_free(&img);
	return err;
}

/*
 * No suspend or hibernation while ops are routed or the KVM retrofit has
 * anything registered with the host or hooked in the kernel. The entries
 * count in per-CPU memory through %gs (%fs on i386), which resume code
 * runs without (its base is restored late). And what the retrofit registered per vCPU
 * (steal time, PV EOI and KVM clock areas, MSRs the host writes through)
 * does not survive the vCPU reset of a suspend: KVM's guest code
 * registers them again at resume (kvm_resume), the shim has no resume
 * path, so the kernel would keep time with a clock the host no longer
 * updates. Armed before the first area is registered, for as long as
 * anything stays; unregistering it when it is not registered does nothing.
 */
static int vmi_pm_notify(struct notifier_block *nb, unsigned long action,
			 void *data)
{
	if (action != PM_SUSPEND_PREPARE && action != PM_HIBERNATION_PREPARE)
		return NOTIFY_DONE;
	pr_warn("suspend refused while ops are routed through the ROM or KVM PV is retrofitted; unload vmi_shim first\n");
	return notifier_from_errno(-EBUSY);
}

static struct notifier_block vmi_pm_nb = {
	.notifier_call = vmi_pm_notify,
};

static int vmi_shim_unroute(void);

static int vmi_shim_route(void)
{
	int err;

	/* The core's ops, then the features' (retrofit.c: their order). */
	vmi_ops_init();
	err = vmi_retro_register_ops();
	if (err)
		return err;
	vmi_shim.pv_ops_crc_before = vmi_pv_ops_hash();
	vmi_text_stop_begin();
	if (!vmi_rom.installed) {
		vmi_retro_none(vmi_shim.no_rom_reason);
		if (sites && *sites)
			pr_warn("sites=%s ignored: no ROM installed\n", sites);
		if (modsites && *modsites)
			pr_warn("modsites=%s ignored: no ROM installed\n",
				modsites);
		return 0;
	}
	/* Before steal time is registered: no suspend from here on. */
	err = register_pm_notifier(&vmi_pm_nb);
	if (err)
		return err;
	/* Steal time first: the PV TLB flush op is routable only with it. */
	vmi_retro_start(vmi_shim.mode);
	/*
	 * With nothing to route no module can bind to the shim: leave kernel
	 * text alone (the tracker's probes patch it).
	 */
	vmi_shim.tracking = vmi_ops_routable(vmi_shim.mode) > 0;
	/*
	 * Without INT3 batches a bound module's CALLs go back only with
	 * every CPU stopped, which a preemptible kernel never allows: the
	 * shim could not unload once a module bound to it. Refuse now.
	 */
	if (vmi_shim.tracking && !vmi_text_poke_batched() &&
	    vmi_text_stop_unsafe()) {
		pr_err("this kernel has no text_poke_queue() and %s: modules that bind to the shim could never be put back; refused\n",
		       vmi_text_stop_unsafe());
		err = -EOPNOTSUPP;
		goto err_retro;
	}
	if (vmi_shim.tracking) {
		err = vmi_modtrack_start();
		if (err)
			goto err_retro;
	}
	err = vmi_ops_route(vmi_shim.mode);
	if (err) {
		if (vmi_shim.tracking)
			vmi_modtrack_stop();
		goto err_retro;
	}
	vmi_shim.routing = true;
	if (route_hold_ms) {
		pr_warn("route_hold_ms=%u: holding the load with pv_ops routed (test hook)\n",
			min(route_hold_ms, 10000U));
		msleep(min(route_hold_ms, 10000U));
	}
	if (sites && *sites) {
		err = vmi_sites_apply(sites);
		if (err)
			goto err_unroute;
	}
	/* Nothing routed: no module site can have anything to call. */
	if (modsites && *modsites && vmi_shim.tracking) {
		err = vmi_modsites_apply(modsites);
		if (err)
			goto err_unroute;
	}
	vmi_retro_hook();
	/* Nothing routed, nothing retrofitted: suspend is allowed. */
	if (!vmi_shim.tracking && !vmi_retro_active())
		unregister_pm_notifier(&vmi_pm_nb);
	return 0;

err_retro:
	vmi_retro_stop();
	unregister_pm_notifier(&vmi_pm_nb);
	return err;

err_unroute:
	if (vmi_shim_unroute()) {
		/* Its text may still be called: going away is not safe. */
		pr_crit("load failed (%d) and the undo was not proven (%s): staying loaded\n",
			err, vmi_shim.restore_failed);
		return 0;
	}
	return err;
}

/* Runs on every CPU once each has left whatever it was doing. */
static int vmi_quiesce_cpu(void *unused)
{
	return 0;
}

/*
 * Put everything back and prove it. Returns 0; or, with
 * vmi_shim.restore_failed saying what could not be proven, -EAGAIN when
 * the failure may pass and a later try can succeed (restore_transient),
 * -EIO when it cannot. Transient: the PV spinlock slow path cannot
 * switch back while a lock is marked in pv_lock_hash; a call site no
 * longer holds what the shim wrote (a kprobe armed since the check), the
 * kernel's preemption model is not the one the inline sites were written
 * under, or there is no memory to write them (nothing is written in all
 * three); a module load did not finish within 10 s.
 * Anything else (a write that does not read back, a CRC that differs, a
 * failed load's undo not proven, hooks changed by someone else) is for
 * good.
 *
 * On any failure nothing is freed or unregistered that a call site still
 * calling the shim may reach: routing stays on, the module tracker stays
 * armed (it keeps the modules not restored, and puts back a late load at
 * COMING), steal time and the ROM's per-CPU state stay. A later try
 * starts from there; every step is a no-op once done.
 */
static int vmi_shim_unroute(void)
{
	const char *failed = NULL, *transient = NULL;
	int err;
	u32 crc;

	if (!vmi_shim.routing)
		return 0;
	/* For good means for good: a later try must not undo the verdict. */
	if (vmi_shim.restore_failed && !vmi_shim.restore_transient)
		return -EIO;
	vmi_shim.restore_failed = NULL;
	vmi_shim.restore_transient = false;
	/*
	 * The lock slow path back to native first (with every CPU stopped,
	 * no lock marked); until then unlock sites must stay PV, so if that
	 * cannot be done nothing else is touched.
	 */
	transient = vmi_pvspin_switch_off();
	if (transient) {
		pr_err("PV spinlocks cannot be switched off: %s\n", transient);
		goto out;
	}
	/* Hooks outside pv_ops first: they may call routed ops. */
	failed = vmi_retro_unhook();
	err = vmi_sites_restore();
	if (err && err != -EIO) {
		transient = VMI_WHY("sites-busy", "a kernel call site changed under the shim (kprobe?), the preemption model changed, or no memory to write them; nothing written");
	} else if (err) {
		pr_crit("call sites could not all be restored: kernel text may still call vmi_shim\n");
		failed = failed ?: vmi_sites_unproven() ?:
			 VMI_WHY("sites-unproven", "kernel call sites did not read back restored");
	}
	/* A failed load's module sites whose rollback was not proven. */
	failed = failed ?: vmi_modsites_unproven();
	/* No module binds to the shim from here on; then put back those that did. */
	vmi_ops_unroute();
	if (vmi_shim.tracking) {
		err = vmi_modtrack_unbind();
		if (err == -EBUSY)
			transient = transient ?: VMI_WHY("module-sites-busy", "module call sites changed under the shim, or a module load still in progress");
		else if (err)
			failed = failed ?: VMI_WHY("module-sites-unproven", "module call sites did not read back restored");
	}
	if (failed || transient)
		goto out;
	if (vmi_shim.tracking)
		vmi_modtrack_stop();
	/*
	 * Wait until no CPU can still be inside an entry or the ROM: RCU
	 * readers and interrupt-disabled regions, then preempted tasks, then
	 * every CPU once through the scheduler (stop_machine: an idle CPU may
	 * be halted inside the ROM's safe_halt).
	 */
	synchronize_rcu();
#ifdef CONFIG_TASKS_RCU
	synchronize_rcu_tasks();
#endif
	stop_machine(vmi_quiesce_cpu, NULL, NULL);
	/* Nothing reads the steal-time areas now: the host may stop writing. */
	vmi_retro_stop();
	unregister_pm_notifier(&vmi_pm_nb);
	vmi_shim.tracking = false;
	vmi_shim.routing = false;
	crc = vmi_pv_ops_hash();
	if (crc != vmi_shim.pv_ops_crc_before) {
		pr_err("pv_ops differ after restore (crc %08x, was %08x)\n", crc,
		       vmi_shim.pv_ops_crc_before);
		failed = VMI_WHY("pv-ops-differ", "pv_ops differ from before the load");
	} else {
		pr_info("pv_ops restored (crc %08x)\n", crc);
	}
out:
	vmi_shim.restore_failed = failed ?: transient;
	vmi_shim.restore_transient = !failed && transient;
	if (!vmi_shim.restore_failed)
		return 0;
	return vmi_shim.restore_transient ? -EAGAIN : -EIO;
}

/* Anything routed (or not proven undone): pin until a proven release. */
static void vmi_shim_pin(void)
{
	if (!vmi_shim.tracking && !vmi_retro_active() &&
	    !vmi_shim.restore_failed)
		return;
	__module_get(THIS_MODULE);
	vmi_shim.pinned = true;
	if (!vmi_shim.restore_failed)
		pr_info("ops routed; unload with 'vmictl unload' (or: echo off > /sys/kernel/vmi_shim/routing; rmmod vmi_shim)\n");
}

static void vmi_shim_unpin(void)
{
	if (vmi_shim.pinned) {
		vmi_shim.pinned = false;
		module_put(THIS_MODULE);
	}
}

static DEFINE_MUTEX(vmi_release_lock);

/*
 * sysfs "routing" <- off: restore everything, and only when that is
 * proven drop the pin that holds off rmmod. Unproven, the module stays
 * (refusing rmmod) and says why: kernel text may still call into it. A
 * restore that failed for a transient reason is tried again.
 */
static int vmi_shim_release(void)
{
	int err = -EIO;

	mutex_lock(&vmi_release_lock);
	if (vmi_shim.restore_failed && !vmi_shim.restore_transient)
		goto out;
	err = -EBUSY;	/* refused below: nothing changed yet */
	/*
	 * Inline sites were written whole on the promise of the preemption
	 * model in force at the load that no task is parked inside one
	 * (text_stop.c). Switched since (PREEMPT_DYNAMIC kernels:
	 * /sys/kernel/debug/sched/preempt), a task preempted inside an entry
	 * may hold a return address in the middle of what the restore would
	 * write back: nothing is changed until the model is back.
	 */
	if (vmi_shim.routing && !vmi_shim.restore_failed && vmi_sites.whole &&
	    strcmp(vmi_preempt_model(), vmi_text_stop_load_model())) {
		pr_err("routing stays on: the kernel's preemption model changed since the load (%s, now %s): a task preempted inside an entry may return into the middle of an inline site the restore would write; nothing restored. Switch it back (echo %s > /sys/kernel/debug/sched/preempt) and write off again\n",
		       vmi_text_stop_load_model(), vmi_preempt_model(),
		       vmi_text_stop_load_model());
		goto out;
	}
	/*
	 * A switch under way shows in the static calls before the model's
	 * name: refused here too, before anything changes. (The restore's
	 * own write checks again, with text_mutex held.)
	 */
	if (vmi_shim.routing && !vmi_shim.restore_failed && vmi_sites.whole &&
	    vmi_text_stop_busy()) {
		pr_err("routing stays on: %s; nothing restored, write off again\n",
		       vmi_text_stop_busy() ?:
		       VMI_WHY("preempt-switching", "a preemption model switch is under way"));
		goto out;
	}
	/*
	 * A site that no longer holds what the shim wrote (a kprobe armed
	 * there since) is never overwritten. Found before anything changed,
	 * routing stays on and the release can be tried again once it is
	 * gone. (A retry has changed things already: it goes straight on.)
	 */
	if (vmi_shim.routing && !vmi_shim.restore_failed &&
	    (vmi_sites_check_restore() || vmi_modtrack_check_restore())) {
		pr_err("routing stays on: call sites changed under the shim (see above); nothing restored. Remove the breakpoints and write off again\n");
		goto out;
	}
	if (vmi_shim.restore_failed)
		pr_info("trying the restore again (it failed: %s)\n",
			vmi_shim.restore_failed);
	err = vmi_shim_unroute();
	if (err == -EAGAIN) {
		pr_err("restore not complete (%s): vmi_shim stays loaded for now; write off again to retry\n",
		       vmi_shim.restore_failed);
		goto out;
	}
	if (err) {
		pr_crit("restore not proven (%s): vmi_shim stays loaded, rmmod will be refused\n",
			vmi_shim.restore_failed);
		goto out;
	}
	if (vmi_shim.pinned) {
		vmi_shim_unpin();
		pr_info("released: every routed op and call site restored; rmmod can go ahead\n");
	}
out:
	mutex_unlock(&vmi_release_lock);
	return err;
}

/* ---- a live ROM swap (rom/swap) ---------------------------------------- */

/* The next ROM while a swap is under way, then the one it replaced. */
static struct vmi_rom swap_next, swap_old;

struct swap_step {
	atomic_t moved, failed;
};

/*
 * On every online CPU at once, interrupts off (stop_machine): each moves
 * what it registered with the host to the next ROM's state; once all
 * have, one publishes the next ROM to every hook and reader. No context
 * but NMIs runs in between, and what NMIs read is published as one
 * pointer (retrofit/clock.c). If any CPU could not move, all move back.
 */
static int vmi_swap_stopped(void *data)
{
	struct swap_step *step = data;

	/* CPU hotplug is held off: the online CPUs are those running this. */
	if (vmi_retro_swap_cpu(false) ||
	    vmi_fail_verify(VMI_FAIL_SWAP_CPU))
		atomic_inc(&step->failed);
	/* Fully ordered: a failure counted is seen by whoever sees this. */
	atomic_inc_return(&step->moved);
	while ((unsigned int)atomic_read(&step->moved) < num_online_cpus())
		cpu_relax();
	if (atomic_read(&step->failed)) {
		vmi_retro_swap_cpu(true);
		return -EIO;
	}
	if (smp_processor_id() == cpumask_first(cpu_online_mask)) {
		vmi_rom = swap_next;
		vmi_retro_swap_publish();
	}
	return 0;
}

/*
 * As at unload: wait until no CPU can be executing in a ROM the entries
 * and hooks no longer reach, or return into it: RCU readers and
 * interrupt-disabled regions, tasks preempted inside a ROM call, and
 * every CPU once through the scheduler (one halted in the ROM's Halt).
 */
static void swap_quiesce(void)
{
	synchronize_rcu();
#ifdef CONFIG_TASKS_RCU
	synchronize_rcu_tasks();
#endif
	stop_machine(vmi_quiesce_cpu, NULL, NULL);
}

/* "3.13 builtin vmi_shim.ko" */
static void swap_describe(const struct vmi_rom *r, char *buf, size_t size)
{
	snprintf(buf, size, "%u.%u %s %s", r->info.api_major,
		 r->info.api_minor, vmi_rom_sources[r->source], r->location);
}

/* @spec: "builtin", "option", "image", "firmware" or "firmware NAME". */
static int swap_source(const char *spec, enum vmi_rom_source *src,
		       const char **name)
{
	*name = rom_file;
	if (!strncmp(spec, "firmware ", 9)) {
		*src = VMI_ROM_SRC_FIRMWARE;
		*name = skip_spaces(spec + 9);
		/* A name under the firmware directories, as rom_file is. */
		if (!**name || **name == '/' || strstr(*name, "..") ||
		    strpbrk(*name, " \t\n")) {
			pr_err("swap: firmware name '%s' refused: want a relative name under /lib/firmware\n",
			       *name);
			return -EINVAL;
		}
		return 0;
	}
	if (!strcmp(spec, "builtin"))
		*src = VMI_ROM_SRC_BUILTIN;
	else if (!strcmp(spec, "option"))
		*src = VMI_ROM_SRC_OPTION;
	else if (!strcmp(spec, "image"))
		*src = VMI_ROM_SRC_IMAGE;
	else if (!strcmp(spec, "firmware"))
		*src = VMI_ROM_SRC_FIRMWARE;
	else {
		pr_err("swap: '%s': want builtin, option, image or firmware [NAME]\n",
		       spec);
		return -EINVAL;
	}
	return 0;
}

/*
 * Replace the installed ROM while the kernel runs on it (docs/abi.md,
 * "Swapping the ROM live"). Validate and initialise the next ROM in the
 * other area (nothing else changes; a defect refuses it), decide what
 * each op and feature will do with it, move the per-CPU areas the host
 * writes and publish the new ROM with every CPU stopped, re-point the op
 * entries that call the ROM directly, then retire the old ROM once no
 * CPU can be in it or return into it. Until the publish any failure
 * leaves the old ROM in force and nothing changed.
 */
static int vmi_shim_swap(const char *spec)
{
	struct swap_step step = { .moved = ATOMIC_INIT(0),
				  .failed = ATOMIC_INIT(0) };
	bool before[VMI_RETRO_NR];
	struct vmi_swap_record *rec;
	struct vmi_rom_image img;
	enum vmi_rom_source src;
	unsigned int ops_native = 0, ops_rom = 0, off, on, old_minor;
	u64 t0 = ktime_get_ns();
	const char *name;
	int err;

	err = swap_source(spec, &src, &name);
	if (err)
		return err;
	mutex_lock(&vmi_release_lock);
	err = -ENODEV;
	if (!vmi_rom.installed) {
		pr_err("swap: no ROM installed (%s)\n",
		       vmi_shim.no_rom_reason ?: "rom=none");
		goto out;
	}
	err = -EBUSY;
	if (vmi_shim.restore_failed) {
		pr_err("swap: refused while a restore failed (%s)\n",
		       vmi_shim.restore_failed);
		goto out;
	}
	err = vmi_rom_find(src, name, &vmi_pdev->dev, &img);
	if (err) {
		pr_err("swap: no ROM from %s%s%s (%d): the installed ROM stays\n",
		       src == VMI_ROM_SRC_FIRMWARE ? "firmware " : spec,
		       src == VMI_ROM_SRC_FIRMWARE ? name : "",
		       src == VMI_ROM_SRC_FIRMWARE && name == rom_file ?
		       " (rom_file)" : "", err);
		goto out;
	}
	err = vmi_rom_install(&img, rom_native ? VMI_INIT_NO_HYPERVISOR : 0,
			      &swap_next, !vmi_rom.slot);
	if (err) {
		pr_err("swap: the ROM from %s was refused (%d): the installed ROM stays\n",
		       img.where, err);
		vmi_rom_image_free(&img);
		goto out;
	}
	vmi_rom_image_free(&img);
	if (vmi_shim.routing) {
		err = vmi_ops_swap_plan(&swap_next, vmi_shim.mode);
		if (err)
			goto err_next;
		vmi_ops_swap_counts(&ops_native, &ops_rom);
	}
	vmi_retro_snapshot(before);
	err = vmi_retro_swap_prepare(&swap_next);
	if (err)
		goto err_abort;

	/*
	 * The op entries that go to the kernel or to the next ROM's
	 * stateless calls first, while the adapters still call the ROM in
	 * force (patch/ops.c). Undone if the publish is refused.
	 */
	if (vmi_shim.routing) {
		err = vmi_ops_swap_commit(VMI_SWAP_PRE);
		if (err)
			goto err_entries;
	}
	swap_old = vmi_rom;
	mutex_lock(&vmi_rom_lock);
	err = stop_machine(vmi_swap_stopped, &step, cpu_online_mask);
	mutex_unlock(&vmi_rom_lock);
	if (err) {
		pr_err("swap: the new ROM refused a CPU's per-CPU areas (%d): every CPU moved back, the installed ROM stays\n",
		       err);
		goto err_entries;
	}
	/* ... and those that go back to an adapter, now calling the next ROM. */
	if (vmi_shim.routing && vmi_ops_swap_commit(VMI_SWAP_POST)) {
		/* The old ROM may still be called: it stays. */
		vmi_shim.restore_failed = VMI_WHY("swap-unproven", "op entries did not read back re-pointed after a ROM swap");
		pr_crit("swap: op entries not proven re-pointed: both ROMs stay, vmi_shim stays loaded\n");
		goto out;
	}
	vmi_retro_swap_finish();
	swap_quiesce();

	vmi_retro_swap_counts(before, &off, &on);
	mutex_lock(&vmi_rom_lock);
	rec = &vmi_shim.swap_log[vmi_shim.swaps % VMI_SWAP_LOG];
	memset(rec, 0, sizeof(*rec));
	rec->when = ktime_get_real_seconds();
	swap_describe(&swap_old, rec->from, sizeof(rec->from));
	swap_describe(&vmi_rom, rec->to, sizeof(rec->to));
	rec->ops_native = ops_native;
	rec->ops_rom = ops_rom;
	rec->features_off = off;
	rec->features_on = on;
	old_minor = swap_old.info.api_minor;
	vmi_rom_remove(&swap_old);
	rec->ns = ktime_get_ns() - t0;
	vmi_shim.swaps++;
	trace_vmi_rom_swap(old_minor, vmi_rom.info.api_minor, vmi_rom.location,
			   off, on, rec->ns);
	mutex_unlock(&vmi_rom_lock);
	pr_info("ROM swapped: %s -> %s; op entries: %u to native, %u back to the ROM; features: %u off, %u on; %llu us\n",
		rec->from, rec->to, ops_native, ops_rom, off, on,
		div_u64(rec->ns, 1000));
	err = 0;
	goto out;

err_entries:
	if (vmi_shim.routing && vmi_ops_swap_commit(VMI_SWAP_BACK)) {
		/* Both ROMs may be called now: neither goes. */
		vmi_shim.restore_failed = VMI_WHY("swap-unproven", "op entries not proven back after a refused ROM swap");
		pr_crit("swap: op entries not proven back: both ROMs stay, vmi_shim stays loaded\n");
		vmi_retro_swap_abort();
		goto out;
	}
	/* A CPU may have entered the next ROM through an entry meanwhile. */
	swap_quiesce();
err_abort:
	vmi_retro_swap_abort();
err_next:
	vmi_rom_remove(&swap_next);
out:
	mutex_unlock(&vmi_release_lock);
	return err;
}

/*
 * module_exit while still routed: with nothing routed (no pin) a plain
 * unload, otherwise only a forced unload (rmmod -f, with
 * CONFIG_MODULE_FORCE_UNLOAD) gets past the pin, and the kernel offers no
 * veto there (a missing exit, or a reference held, does not stop it). So
 * the full restore is done here, tried again if it failed for a reason
 * that may pass. True if proven: the caller frees everything as usual.
 *
 * Unproven, kernel text may still call into the module, whose text (the
 * ROM and the op entries live in it) the kernel frees as soon as this
 * returns: nothing can make that safe. What can be done is done: the
 * callbacks the kernel would call into that text for other reasons
 * (notifiers, kprobes, CPU hotplug) are unregistered, the memory the ROM
 * and the host may still use (the ROM's per-CPU state, with the steal
 * time and PV EOI areas the host writes) is leaked rather than freed,
 * the kernel is tainted and the log says so.
 */
static bool vmi_shim_exit_restore(void)
{
	int err, tries;
	bool forced = vmi_shim.pinned;

	if (forced)
		pr_crit("forced unload (rmmod -f) while ops are routed: restoring everything now\n");
	for (tries = 0; ; tries++) {
		err = vmi_shim_unroute();
		if (err != -EAGAIN || tries == 2)
			break;
		pr_err("forced unload: restore not complete (%s); trying again\n",
		       vmi_shim.restore_failed);
		msleep(1000);
	}
	if (!err) {
		if (forced)
			pr_info("forced unload: every routed op and call site restored and proven\n");
		return true;
	}
	if (vmi_shim.tracking)
		vmi_modtrack_stop();
	unregister_pm_notifier(&vmi_pm_nb);
	vmi_retro_stop();
	add_taint(TAINT_FORCED_RMMOD, LOCKDEP_STILL_OK);
	pr_crit("forced unload without a proven restore (%s): the ROM's state is leaked, but the module's text (ROM, op entries) is freed by the kernel now; any call site still calling it will crash the kernel\n",
		vmi_shim.restore_failed);
	return false;
}

static int __init vmi_shim_init(void)
{
	u64 t0 = ktime_get_ns();
	int err, m, src;

	/* The load's sources end at none: an image comes after the load. */
	src = match_string(vmi_rom_sources, VMI_ROM_SRC_NONE + 1, rom);
	if (src < 0) {
		pr_err("rom=%s: want auto, option, firmware, builtin or none\n",
		       rom);
		return -EINVAL;
	}
	m = match_string(modes, ARRAY_SIZE(modes), mode);
	if (m < 0) {
		pr_err("mode=%s: want accelerate, full or off\n", mode);
		return -EINVAL;
	}
	vmi_shim.mode = m;
	err = vmi_fail_verify_arm(fail_verify);
	if (err)
		return err;
	err = vmi_trust_platform();
	if (err)
		return err;
	vmi_hv_detect(&vmi_hv);

	vmi_pdev = platform_device_register_simple(KBUILD_MODNAME,
						   PLATFORM_DEVID_NONE, NULL, 0);
	if (IS_ERR(vmi_pdev))
		return PTR_ERR(vmi_pdev);

	/*
	 * The ROM area, the op entries and the adapters off kprobes before
	 * anything is installed there or routed through them.
	 */
	err = vmi_kprobe_bl_add();
	if (err)
		goto err_pdev;
	err = vmi_shim_rom_setup(src);
	if (err)
		goto err_kbl;

	err = vmi_shim_route();
	if (err)
		goto err_rom;

	/*
	 * Pinned before "routing" exists: a write of "off" that comes the
	 * instant the file appears must find the pin to drop.
	 */
	vmi_shim_pin();
	err = vmi_sysfs_init(vmi_shim_release, vmi_shim_swap);
	if (err) {
		pr_err("cannot create /sys/kernel/vmi_shim: %d\n", err);
		vmi_rom_stage_free();	/* a write may have come meanwhile */
		goto err_route;
	}
	vmi_debugfs_init();

	if (vmi_hv.kvm_base)
		pr_info("v%s on %s: KVM at 0x%08x, features 0x%08x; loaded in %llu us\n",
			VMI_SHIM_VERSION, init_utsname()->release,
			vmi_hv.kvm_base, vmi_hv.kvm_features,
			div_u64(ktime_get_ns() - t0, 1000));
	else
		pr_info("v%s on %s: no KVM (hypervisor: %s); loaded in %llu us\n",
			VMI_SHIM_VERSION, init_utsname()->release,
			vmi_hv.hypervisor ? vmi_hv.signature : "none",
			div_u64(ktime_get_ns() - t0, 1000));
	return 0;

err_route:
	if (vmi_shim_unroute()) {
		pr_crit("load failed (%d) and the undo was not proven (%s): staying loaded\n",
			err, vmi_shim.restore_failed);
		return 0;
	}
	vmi_shim_unpin();
err_rom:
	vmi_rom_remove(&vmi_rom);
err_kbl:
	vmi_kprobe_bl_remove();
err_pdev:
	platform_device_unregister(vmi_pdev);
	return err;
}

static void __exit vmi_shim_exit(void)
{
	u64 t0 = ktime_get_ns();

	vmi_debugfs_exit();
	/* No release can run from here on. */
	vmi_sysfs_exit();
	vmi_rom_stage_free();
	/* Routed: nothing was (no pin), or unloaded by force (rmmod -f). */
	if (vmi_shim.routing && !vmi_shim_exit_restore()) {
		/* The module's text goes, whatever was leaked. */
		vmi_kprobe_bl_remove();
		platform_device_unregister(vmi_pdev);
		return;
	}
	vmi_rom_remove(&vmi_rom);
	vmi_kprobe_bl_remove();
	platform_device_unregister(vmi_pdev);
	pr_info("unloaded in %llu us\n", div_u64(ktime_get_ns() - t0, 1000));
}

module_init(vmi_shim_init);
module_exit(vmi_shim_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Route paravirt ops through a VMI-compatible ROM");
MODULE_VERSION(VMI_SHIM_VERSION);
