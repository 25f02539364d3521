/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between kernel versions live in module/compat/ and nowhere
 * else: the macros here, and the code that differs (nops.c, apic.c).
 * Everything is decided by feature probes (compat-probe.sh) or Kconfig
 * symbols, never by LINUX_VERSION_CODE.
 */
#ifndef VMI_SHIM_COMPAT_H
#define VMI_SHIM_COMPAT_H

#include <linux/types.h>
#include <asm/alternative.h>
#include <asm/paravirt_types.h>

/* How the running kernel's paravirt call sites were recorded at build. */
#if defined(VMI_HAVE_PARAINSTRUCTIONS)
#define VMI_PV_SITE_TABLE ".parainstructions"
#define VMI_SITES_KIND_RUNNING VMI_SITES_KIND_PARAINSTR
#elif defined(VMI_HAVE_ALT_CALL)
#define VMI_PV_SITE_TABLE ".altinstructions"
#define VMI_SITES_KIND_RUNNING VMI_SITES_KIND_ALTCALL
#else
#define VMI_PV_SITE_TABLE "unknown"
#define VMI_SITES_KIND_RUNNING 0	/* every table is refused */
#endif

/*
 * One entry of a module's site list as the kernel records it, and the
 * function that patches them at load (the module tracker probes it):
 * struct paravirt_patch_site in .parainstructions before 6.8, struct
 * alt_instr in .altinstructions from 6.8.
 */
#ifdef VMI_HAVE_PARAINSTRUCTIONS
#define VMI_SITE_PATCHER "apply_paravirt"
#define vmi_site_entry paravirt_patch_site

/* The site of the entry at @at, whose copy is @e. */
static inline u8 *vmi_site_entry_addr(const struct vmi_site_entry *at,
				      const struct vmi_site_entry *e)
{
	return e->instr;
}

/* Whether the kernel recorded the site of @e as one of @slot's. */
static inline bool vmi_site_entry_is_slot(const struct vmi_site_entry *e,
					  unsigned int slot)
{
	return e->type == slot;
}
#else
#define VMI_SITE_PATCHER "apply_alternatives"
#define vmi_site_entry alt_instr

static inline u8 *vmi_site_entry_addr(const struct vmi_site_entry *at,
				      const struct vmi_site_entry *e)
{
	return (u8 *)&at->instr_offset + e->instr_offset;
}

static inline bool vmi_site_entry_is_slot(const struct vmi_site_entry *e,
					  unsigned int slot)
{
	return false;	/* .altinstructions: only the bytes tell */
}
#endif

#define VMI_PV_OPS_FLAVOUR \
	(IS_ENABLED(CONFIG_PARAVIRT_XXL) ? "xxl" : "minimal")
#define VMI_ARCH_NAME	(IS_ENABLED(CONFIG_X86_64) ? "x86_64" : "i386")

/* pv_ops slot count: the "type" of a patch site indexes these slots. */
#define VMI_PV_OPS_SLOTS (sizeof(struct paravirt_patch_template) / sizeof(void *))

/*
 * The APIC's EOI callback: apic->eoi_write(reg, value) before 6.6, the
 * apic_call_eoi() static call after. A hook is declared with
 * VMI_APIC_EOI_PARAMS and calls what it replaced with VMI_APIC_EOI_CALL.
 */
#ifdef VMI_HAVE_APIC_STATIC_CALLS
#define VMI_APIC_EOI_PARAMS	void
#define VMI_APIC_EOI_CALL(fn)	(((void (*)(void))(fn))())
#else
#define VMI_APIC_EOI_PARAMS	u32 reg, u32 value
#define VMI_APIC_EOI_CALL(fn)	(((void (*)(u32, u32))(fn))(reg, value))
#endif

/*
 * A confidential-computing guest (SEV, TDX): cc_platform_has() where the
 * kernel has it; before it, mem_encrypt_active(), which also counts an SME
 * host (refusing there is only more careful).
 */
#if defined(VMI_HAVE_CC_PLATFORM)
#include <linux/cc_platform.h>
#elif defined(VMI_HAVE_MEM_ENCRYPT_ACTIVE)
#include <linux/mem_encrypt.h>
#endif
static inline bool vmi_cc_guest(void)
{
#if defined(VMI_HAVE_CC_PLATFORM)
	return cc_platform_has(CC_ATTR_GUEST_MEM_ENCRYPT);
#elif defined(VMI_HAVE_MEM_ENCRYPT_ACTIVE)
	return mem_encrypt_active();
#else
	return false;	/* no memory encryption in this kernel */
#endif
}

#endif /* VMI_SHIM_COMPAT_H */
