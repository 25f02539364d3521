/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one place where differences between kernel versions live. Everything
 * here is decided by feature probes (compat-probe.sh) or Kconfig symbols,
 * never by LINUX_VERSION_CODE.
 */
#ifndef VMI_SHIM_COMPAT_H
#define VMI_SHIM_COMPAT_H

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

#ifdef CONFIG_PARAVIRT_XXL
#define VMI_PV_OPS_FLAVOUR "xxl"
#else
#define VMI_PV_OPS_FLAVOUR "minimal"
#endif

#ifdef CONFIG_X86_64
#define VMI_ARCH_NAME "x86_64"
#else
#define VMI_ARCH_NAME "i386"
#endif

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
static inline bool vmi_cc_guest(void)
{
	return cc_platform_has(CC_ATTR_GUEST_MEM_ENCRYPT);
}
#elif defined(VMI_HAVE_MEM_ENCRYPT_ACTIVE)
#include <linux/mem_encrypt.h>
static inline bool vmi_cc_guest(void)
{
	return mem_encrypt_active();
}
#else
static inline bool vmi_cc_guest(void)
{
	return false;	/* no memory encryption in this kernel */
}
#endif

/*
 * The kernel's NOPs, the one of len bytes at [len - 1], as its x86_nops[]
 * (not exported): x86-64 kernels that pad with up to 11-byte NOPs define
 * BYTES_NOP9 to BYTES_NOP11 and an ASM_NOP_MAX of 11; older ones stop
 * at 8.
 */
#include <asm/nops.h>
#if ASM_NOP_MAX == 11
#define VMI_KERNEL_NOPS							\
	[0] = { BYTES_NOP1 }, [1] = { BYTES_NOP2 }, [2] = { BYTES_NOP3 },	\
	[3] = { BYTES_NOP4 }, [4] = { BYTES_NOP5 }, [5] = { BYTES_NOP6 },	\
	[6] = { BYTES_NOP7 }, [7] = { BYTES_NOP8 }, [8] = { BYTES_NOP9 },	\
	[9] = { BYTES_NOP10 }, [10] = { BYTES_NOP11 }
#elif ASM_NOP_MAX == 8
#define VMI_KERNEL_NOPS							\
	[0] = { BYTES_NOP1 }, [1] = { BYTES_NOP2 }, [2] = { BYTES_NOP3 },	\
	[3] = { BYTES_NOP4 }, [4] = { BYTES_NOP5 }, [5] = { BYTES_NOP6 },	\
	[6] = { BYTES_NOP7 }, [7] = { BYTES_NOP8 }
#else
#error "asm/nops.h: an ASM_NOP_MAX other than 8 or 11"
#endif

#endif /* VMI_SHIM_COMPAT_H */
