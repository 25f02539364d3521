// SPDX-License-Identifier: GPL-2.0
/*
 * The retrofit at the APIC driver (the rest is in retrofit.c):
 *
 *   pv_eoi  the ROM registers a PV EOI word on every CPU (RegisterPVEOI),
 *           and the kernel's EOI first asks the ROM (PVEOI) whether the
 *           host already completed it; only if not does it write the APIC.
 *   pv_ipi  besides call-function IPIs (retrofit.c), the driver's
 *           send_IPI, send_IPI_mask and send_IPI_mask_allbutself go out
 *           as one hypercall: reschedule and single-CPU call-function
 *           IPIs, and TLB shootdowns that reach one CPU. NMIs stay native,
 *           as in KVM's own guest code.
 *
 * Why both matter more here than in a stock KVM guest: a kernel that did
 * not detect KVM runs its local APIC in xAPIC mode (x2APIC without
 * interrupt remapping is only allowed when a hypervisor vouches for it),
 * where every EOI is an MMIO write and every IPI a busy-read of the ICR
 * plus two writes, each a VM exit with the instruction decoded.
 *
 * The driver's callbacks are replaced as compat/apic.c can for this
 * kernel, each checked to still hold what it held before. The word and
 * the hook are independent for the host's protocol (an EOI written to the
 * APIC while the word's bit is set is still one EOI), so no order between
 * registering and hooking is needed.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/percpu.h>
#include <linux/smp.h>
#include <asm/kvm_para.h>
#include <vmi/abi.h>

#include "base/cpu_area.h"
#include "compat/apic.h"
#include "compat/compat.h"
#include "retrofit/retrofit.h"
#include "romload/rom.h"

typedef void (*send_ipi_t)(int cpu, int vector);
typedef void (*send_ipi_mask_t)(const struct cpumask *mask, int vector);

static struct {
	void *native[VMI_APIC_NR];	/* what the driver held */
	void *now[VMI_APIC_NR];		/* what the shim installed */
	bool hooked;
	const char *ipi_why;		/* NULL: the send_IPI* hooks are in */
	struct vmi_call_PV_EOI pv_eoi;
	struct vmi_call_REGISTER_PV_EOI reg;
	/* A swap's next entries (vmi_retro_apic_swap_prepare()). */
	struct vmi_call_PV_EOI next_eoi;
	struct vmi_call_REGISTER_PV_EOI next_reg;
	void *old_state, *new_state;
} a = { .ipi_why = VMI_WHY("not-hooked", "not hooked") };

/* The kernel's EOI: PV EOI if the host set the bit, else the APIC. */
static notrace void vmi_apic_eoi(VMI_APIC_EOI_PARAMS)
{
	vmi_fn(PV_EOI) fn = READ_ONCE(a.pv_eoi.fn);

	/* None: a ROM swapped in since lacks it, the APIC it is. */
	if (fn && fn(vmi_rom.state, raw_smp_processor_id())) {
		raw_cpu_inc(vmi_retro_cnt[VMI_CNT_EOI_COMPLETED]);
		return;
	}
	VMI_APIC_EOI_CALL(a.native[VMI_APIC_EOI]);
}

static void vmi_apic_send_IPI(int cpu, int vector)
{
	if (vector == NMI_VECTOR ||
	    !vmi_retro_pv_ipi(cpumask_of(cpu), vector, -1))
		((send_ipi_t)a.native[VMI_APIC_SEND_IPI])(cpu, vector);
}

static void vmi_apic_send_IPI_mask(const struct cpumask *mask, int vector)
{
	if (vector == NMI_VECTOR || !vmi_retro_pv_ipi(mask, vector, -1))
		((send_ipi_mask_t)a.native[VMI_APIC_SEND_IPI_MASK])(mask, vector);
}

static void vmi_apic_send_IPI_mask_allbutself(const struct cpumask *mask,
					      int vector)
{
	if (vector == NMI_VECTOR ||
	    !vmi_retro_pv_ipi(mask, vector, smp_processor_id()))
		((send_ipi_mask_t)a.native[VMI_APIC_SEND_IPI_MASK_ALLBUTSELF])
			(mask, vector);
}

/* ---- the PV EOI word of each CPU -------------------------------------- */

static int eoi_online(unsigned int cpu)
{
	if (cpu != raw_smp_processor_id())
		return -EINVAL;
	if (!a.reg.fn)
		return 0;
	return a.reg.fn(vmi_rom.state, cpu, 1) ? -EIO : 0;
}

static int eoi_offline(unsigned int cpu)
{
	if (a.reg.fn)
		a.reg.fn(vmi_rom.state, cpu, 0);
	return 0;
}

static void eoi_off_here(void *unused)
{
	if (a.reg.fn)
		a.reg.fn(vmi_rom.state, smp_processor_id(), 0);
}

static struct vmi_cpu_area eoi_area = {
	.name = KBUILD_MODNAME ":pv_eoi",
	.online = eoi_online,
	.offline = eoi_offline,
	.drop_here = eoi_off_here,
};

static const char *pv_eoi_start(void)
{
	const char *why;

	why = vmi_retro_unavailable(VMI_CALL_PV_EOI, KVM_FEATURE_PV_EOI) ?:
	      vmi_retro_unavailable(VMI_CALL_REGISTER_PV_EOI, -1);
	if (why)
		return why;
	a.pv_eoi.fn = vmi_retro_rom_fn(PV_EOI);
	a.reg.fn = vmi_retro_rom_fn(REGISTER_PV_EOI);
	return vmi_cpu_area_start(&eoi_area);
}

/* ---- hook, unhook ------------------------------------------------------ */

/* After retrofit.c decided about PV IPIs: @pv_ipi says they are on. */
void vmi_retro_apic_hook(bool pv_ipi)
{
	const char *why, *eoi_why = vmi_apic_cb_probe();
	const char *ipi_why = pv_ipi ? NULL : VMI_WHY("no-pv-ipi", "PV IPIs off");
	int i, err;

	if (eoi_why) {
		ipi_why = ipi_why ?: eoi_why;
	} else {
		for (i = 0; i < VMI_APIC_NR; i++)
			a.native[i] = a.now[i] = vmi_apic_cb_get(i);
		/* A kernel that runs KVM's guest code has its own PV EOI. */
		eoi_why = vmi_retro_kernel_pv() ? VMI_RETRO_WHY_KERNEL_PV :
			  pv_eoi_start();
	}
	if (!eoi_why)
		a.now[VMI_APIC_EOI] = vmi_apic_eoi;
	if (!ipi_why) {
		a.now[VMI_APIC_SEND_IPI] = vmi_apic_send_IPI;
		a.now[VMI_APIC_SEND_IPI_MASK] = vmi_apic_send_IPI_mask;
		a.now[VMI_APIC_SEND_IPI_MASK_ALLBUTSELF] =
			vmi_apic_send_IPI_mask_allbutself;
	}
	if (!eoi_why || !ipi_why) {
		err = vmi_apic_cb_set(a.native, a.now);
		a.hooked = !err;
		if (err) {
			pr_warn("APIC callbacks not replaced (%d)\n", err);
			why = err == -EBUSY ?
				VMI_WHY("apic-changed", "APIC callbacks changed under the shim") :
				VMI_WHY("apic-write-failed", "APIC callbacks could not be written");
			/*
			 * -EIO: read back wrong. Try to put it back; if that
			 * fails too, stay "hooked" so that the unload tries
			 * again and the module stays pinned until it proves
			 * the callbacks restored.
			 */
			a.hooked = err == -EIO &&
				   vmi_apic_cb_set(a.now, a.native);
			eoi_why = eoi_why ?: why;
			ipi_why = ipi_why ?: why;
			vmi_cpu_area_stop(&eoi_area);
		}
	}
	a.ipi_why = ipi_why;
	vmi_retro_set(VMI_RETRO_PV_EOI, !eoi_why, eoi_why);
}

/* Before the caller's quiesce. Returns what could not be restored. */
const char *vmi_retro_apic_unhook(void)
{
	if (!a.hooked)
		return NULL;
	a.hooked = false;
	a.ipi_why = a.ipi_why ?: VMI_RETRO_WHY_UNLOADED;
	vmi_retro_unloaded(VMI_RETRO_PV_EOI);
	if (vmi_apic_cb_set(a.now, a.native)) {
		pr_err("APIC callbacks not restored\n");
		return VMI_WHY("apic-not-restored", "APIC callbacks not restored");
	}
	return NULL;
}

/* After the quiesce: no EOI runs the hook, the host may stop writing. */
void vmi_retro_apic_stop(void)
{
	vmi_cpu_area_stop(&eoi_area);
}

bool vmi_retro_apic_active(void)
{
	return a.hooked || vmi_cpu_area_on(&eoi_area);
}

/* Whether the driver's send_IPI* callbacks use PV IPIs, or why not. */
const char *vmi_retro_apic_ipi_why(void)
{
	return a.ipi_why;
}

/* ---- a live ROM swap (retrofit.c) --------------------------------------- */

const char *vmi_retro_apic_swap_prepare(const struct vmi_rom *next)
{
	const char *why;

	why = vmi_retro_unavailable_in(next, VMI_CALL_PV_EOI, KVM_FEATURE_PV_EOI) ?:
	      vmi_retro_unavailable_in(next, VMI_CALL_REGISTER_PV_EOI, -1);
	a.next_eoi.fn = why ? NULL : vmi_retro_rom_call_in(next, VMI_CALL_PV_EOI);
	a.next_reg.fn = why ? NULL :
			vmi_retro_rom_call_in(next, VMI_CALL_REGISTER_PV_EOI);
	a.old_state = vmi_rom.state;
	a.new_state = next->state;
	return why;
}

/* Every CPU stopped, on each: its PV EOI word moves (@back: returns). */
int vmi_retro_apic_swap_cpu(bool back)
{
	vmi_fn(REGISTER_PV_EOI) from = back ? a.next_reg.fn : a.reg.fn;
	vmi_fn(REGISTER_PV_EOI) to = back ? a.reg.fn : a.next_reg.fn;
	void *from_state = back ? a.new_state : a.old_state;
	void *to_state = back ? a.old_state : a.new_state;
	unsigned int cpu = smp_processor_id();

	if (!vmi_cpu_area_on(&eoi_area))
		return 0;
	/* No interrupt is in service here: no EOI is pending in the word. */
	if (from)
		from(from_state, cpu, 0);
	return to && to(to_state, cpu, 1) ? -EIO : 0;
}

void vmi_retro_apic_swap_publish(void)
{
	if (!vmi_cpu_area_on(&eoi_area))
		return;
	a.reg = a.next_reg;
	WRITE_ONCE(a.pv_eoi.fn, a.next_eoi.fn);
}
