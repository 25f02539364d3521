// SPDX-License-Identifier: GPL-2.0
/*
 * How the running kernel reaches its APIC driver: the one difference
 * between kernels in what the APIC retrofit (retrofit/apic.c) replaces.
 *
 * Before 6.6 every EOI and IPI is an indirect call through a field of
 * *apic, a driver struct that is __ro_after_init: the fields are written
 * through a writable alias with every CPU stopped (text_stop.c), each an
 * aligned pointer, checked against what it must hold first. From 6.6 the
 * kernel calls static calls apic_call_<name>, which the fields only seed
 * at boot; those are updated the way the kernel updates them.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/kallsyms.h>
#include <asm/apic.h>

#include "base/ksyms.h"
#include "base/text_stop.h"
#include "base/why.h"
#include "compat/apic.h"
#include "compat/compat.h"

#ifdef VMI_HAVE_APIC_STATIC_CALLS
#include <linux/static_call.h>

static const char *const names[VMI_APIC_NR] = {
	[VMI_APIC_EOI] = "eoi",
	[VMI_APIC_SEND_IPI] = "send_IPI",
	[VMI_APIC_SEND_IPI_MASK] = "send_IPI_mask",
	[VMI_APIC_SEND_IPI_MASK_ALLBUTSELF] = "send_IPI_mask_allbutself",
};

static struct static_call_key *keys[VMI_APIC_NR];
static void *tramps[VMI_APIC_NR];

const char *vmi_apic_cb_probe(void)
{
	char sym[KSYM_NAME_LEN];
	int i;

	for (i = 0; i < VMI_APIC_NR; i++) {
		snprintf(sym, sizeof(sym), "__SCK__apic_call_%s", names[i]);
		keys[i] = (void *)vmi_ksym(sym);
		snprintf(sym, sizeof(sym), "__SCT__apic_call_%s", names[i]);
		tramps[i] = (void *)vmi_ksym(sym);
		if (!keys[i] || !tramps[i])
			return VMI_WHY("kernel-lacks", "kernel lacks the apic_call static calls");
	}
	return NULL;
}

void *vmi_apic_cb_get(enum vmi_apic_cb cb)
{
	return READ_ONCE(keys[cb]->func);
}

int vmi_apic_cb_set(void *const expect[VMI_APIC_NR],
		    void *const fn[VMI_APIC_NR])
{
	int i;

	for (i = 0; i < VMI_APIC_NR; i++)
		if (keys[i]->func != expect[i])
			return -EBUSY;
	for (i = 0; i < VMI_APIC_NR; i++)
		if (fn[i] != expect[i])
			__static_call_update(keys[i], tramps[i], fn[i]);
	for (i = 0; i < VMI_APIC_NR; i++)
		if (keys[i]->func != fn[i])
			return -EIO;
	return 0;
}

#else /* the fields of *apic */

static const size_t offsets[VMI_APIC_NR] = {
	[VMI_APIC_EOI] = offsetof(struct apic, eoi_write),
	[VMI_APIC_SEND_IPI] = offsetof(struct apic, send_IPI),
	[VMI_APIC_SEND_IPI_MASK] = offsetof(struct apic, send_IPI_mask),
	[VMI_APIC_SEND_IPI_MASK_ALLBUTSELF] =
		offsetof(struct apic, send_IPI_mask_allbutself),
};

static void **field(enum vmi_apic_cb cb)
{
	return (void **)((u8 *)apic + offsets[cb]);
}

const char *vmi_apic_cb_probe(void)
{
	return apic ? NULL : VMI_WHY("no-apic", "no APIC driver");
}

void *vmi_apic_cb_get(enum vmi_apic_cb cb)
{
	return READ_ONCE(*field(cb));
}

int vmi_apic_cb_set(void *const expect[VMI_APIC_NR],
		    void *const fn[VMI_APIC_NR])
{
	struct vmi_text_write w[VMI_APIC_NR];
	int i;

	for (i = 0; i < VMI_APIC_NR; i++)
		w[i] = (struct vmi_text_write) {
			.addr = (u8 *)field(i),
			.expect = (const u8 *)&expect[i],
			.src = (const u8 *)&fn[i],
			.len = sizeof(void *),
		};
	return vmi_text_stop_write(w, VMI_APIC_NR);
}

#endif
