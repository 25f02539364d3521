/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between kernel versions live in module/compat/ and nowhere
 * else: the macros here, and the code that differs (nops.c, apic.c).
 * Everything is decided by feature probes (compat-probe.sh) or Kconfig
 * symbols, never by LINUX_VERSION_CODE.
 */
#ifndef VMI_SHIM_COMPAT_H
#define VMI_SHIM_COMPAT_H

#include <linux/build_bug.h>
#include <linux/limits.h>
#include <linux/stringify.h>
#include <linux/crc32.h>
#include <linux/stddef.h>
#include <linux/types.h>
#include <asm/alternative.h>
#include <asm/cpufeature.h>
#include <asm/kvm_para.h>
#include <asm/paravirt_types.h>

/*
 * The first two arguments of a kernel function, in a kprobe at its entry:
 * the x86-64 C convention's RDI and RSI, i386's -mregparm=3 EAX and EDX.
 */
#ifdef CONFIG_X86_64
#define vmi_kprobe_arg0(regs)	((regs)->di)
#define vmi_kprobe_arg1(regs)	((regs)->si)
#else
#define vmi_kprobe_arg0(regs)	((regs)->ax)
#define vmi_kprobe_arg1(regs)	((regs)->dx)
#endif

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

/*
 * The bytes of a list's last entry. Before 6.x the assembler put no
 * padding after an entry, only alignment before the next one: the last
 * entry ends after the pointer, the type and length bytes and the
 * clobbers word it still emits (12 bytes, not 16, on x86-64; vmi-sites
 * takes the same), and the kernel reads its fields from there.
 */
#define VMI_SITE_ENTRY_USED	(sizeof(void *) + 4)	/* + type, len, clobbers */

/* Whether the kernel recorded the site of @e as one of @slot's. */
static inline bool vmi_site_entry_is_slot(const struct vmi_site_entry *e,
					  unsigned int slot)
{
#ifdef VMI_HAVE_PARAINSTR_INSTRTYPE
	return e->instrtype == slot;
#else
	return e->type == slot;
#endif
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

/* struct alt_instr is __packed: every entry is whole. */
#define VMI_SITE_ENTRY_USED	sizeof(struct vmi_site_entry)
#endif

/*
 * Return thunks (retbleed, SRSO: 5.19 and the stable kernels that took
 * them). A kernel that has no such feature bit has no return thunks.
 */
static inline bool vmi_kernel_rethunk(void)
{
#ifdef X86_FEATURE_RETHUNK
	return boot_cpu_has(X86_FEATURE_RETHUNK);
#else
	return false;
#endif
}

/*
 * The capability bits that make alternatives leave a loading module's
 * unlock and vcpu_is_preempted calls to pv_ops (ALT_NOT), or -1 where
 * the kernel has none: there, paravirt patching alone decides, keeping
 * the call whenever the op is not the native one, which is what the
 * bits are set for.
 */
#ifdef VMI_HAVE_PV_LOCK_CAPS
#define VMI_PREEMPTED_XOR_EAX	NULL
#define VMI_CAP_PVUNLOCK	X86_FEATURE_PVUNLOCK
#define VMI_CAP_VCPUPREEMPT	X86_FEATURE_VCPUPREEMPT
#else
/*
 * Paravirt patching (4.19 to 5.10) leaves vcpu_is_preempted's native
 * answer as "xor %eax,%eax"; only these kernels produce that form.
 */
#define VMI_PREEMPTED_XOR_EAX	((const u8[]){ 0x31, 0xc0 })
#define VMI_CAP_PVUNLOCK	(-1)
#define VMI_CAP_VCPUPREEMPT	(-1)
#endif

/*
 * The cpu and irq ops and most mmu ops (read_cr0, cpuid, irq_disable,
 * write_cr3, ...): from 4.20 only with PARAVIRT_XXL (distro kernels get
 * it with XEN_PV); before 4.20 there was no such split and every
 * paravirt kernel has them.
 */
#if defined(CONFIG_PARAVIRT_XXL) || !defined(VMI_HAVE_PV_OPS)
#define VMI_PV_XXL	1
#define VMI_PV_OPS_FLAVOUR	"xxl"
#else
#define VMI_PV_OPS_FLAVOUR	"minimal"
#endif
#define VMI_ARCH_NAME	(IS_ENABLED(CONFIG_X86_64) ? "x86_64" : "i386")

/*
 * The kernel's paravirt ops as one array of pointers, whose index is a
 * call site's "slot" (the type .parainstructions records): one global
 * pv_ops from 4.20; before it, struct paravirt_patch_template was only
 * the type that laid pv_init_ops, pv_time_ops, pv_cpu_ops, ... side by
 * side for the site types, each of them a global of its own. struct
 * vmi_pv_template names the members as pv_ops does (cpu.read_cr0), so
 * an op is named one way on every kernel; on the older layout it is
 * the template member for member, which the asserts in vmi_pv_slot()
 * hold it to.
 */
#ifdef VMI_HAVE_PV_OPS
#define vmi_pv_template paravirt_patch_template
#else
struct vmi_pv_template {
	struct pv_init_ops init;
	struct pv_time_ops time;
	struct pv_cpu_ops cpu;
	struct pv_irq_ops irq;
	struct pv_mmu_ops mmu;
	struct pv_lock_ops lock;
};
#endif

/*
 * How many globals a table's calls may read (struct vmi_sites_expect):
 * pv_ops alone, or before it the template's members (0: as many as the
 * validator allows, one per member).
 */
#ifdef VMI_HAVE_PV_OPS
#define VMI_PV_GLOBALS	1
#else
#define VMI_PV_GLOBALS	0
#endif

/* pv_ops slot count: the "type" of a patch site indexes these slots. */
#define VMI_PV_OPS_SLOTS (sizeof(struct vmi_pv_template) / sizeof(void *))

#ifndef VMI_HAVE_PV_OPS
/* The shadow is the template, member for member. */
#define VMI_PV_SAME(m, global)						\
	static_assert(offsetof(struct vmi_pv_template, m) ==		\
		      offsetof(struct paravirt_patch_template, global) &&	\
		      sizeof(((struct vmi_pv_template *)0)->m) == sizeof(global))
VMI_PV_SAME(time, pv_time_ops);
VMI_PV_SAME(cpu, pv_cpu_ops);
VMI_PV_SAME(irq, pv_irq_ops);
VMI_PV_SAME(mmu, pv_mmu_ops);
VMI_PV_SAME(lock, pv_lock_ops);
static_assert(sizeof(struct vmi_pv_template) ==
	      sizeof(struct paravirt_patch_template));
#undef VMI_PV_SAME

struct vmi_pv_group {
	size_t off, size;	/* where in the template, how long */
	void *global;		/* where the kernel keeps it */
};
#define VMI_PV_GROUP(m, global) \
	{ offsetof(struct vmi_pv_template, m), sizeof(global), &global }
#endif

/* Where the kernel keeps slot @slot (< VMI_PV_OPS_SLOTS). */
static inline void **vmi_pv_slot(unsigned int slot)
{
#ifdef VMI_HAVE_PV_OPS
	return (void **)&pv_ops + slot;
#else
	static const struct vmi_pv_group groups[] = {
		VMI_PV_GROUP(time, pv_time_ops),
		VMI_PV_GROUP(cpu, pv_cpu_ops),
		VMI_PV_GROUP(irq, pv_irq_ops),
		VMI_PV_GROUP(mmu, pv_mmu_ops),
#ifdef CONFIG_PARAVIRT_SPINLOCKS
		VMI_PV_GROUP(lock, pv_lock_ops),
#endif
	};
	size_t off = slot * sizeof(void *);
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(groups); i++)
		if (off - groups[i].off < groups[i].size)
			return (void **)((u8 *)groups[i].global + off -
					 groups[i].off);
	return NULL;	/* pv_init_ops: patching only, never routed */
#endif
}

/*
 * The steal clock: the pv_steal_clock static call after 5.10; before it
 * the slot time.steal_clock, whose call sites boot patching turned into
 * direct calls, so it is routed as an op, its sites re-patched. UINT_MAX
 * where it is the static call.
 */
#ifdef VMI_HAVE_STEAL_STATIC_CALL
#define VMI_STEAL_CLOCK_SLOT	UINT_MAX
#else
#define VMI_STEAL_CLOCK_SLOT \
	(offsetof(struct vmi_pv_template, time.steal_clock) / sizeof(void *))
#endif

/*
 * Static calls (5.10+) the shim updates the way the kernel does. A
 * kernel without them has no keys: vmi_ks finds none, and these are
 * never reached there.
 */
#ifdef VMI_HAVE_STATIC_CALL
#include <linux/static_call.h>
static inline void vmi_static_call_update(struct static_call_key *key,
					  void *tramp, void *fn)
{
	__static_call_update(key, tramp, fn);
}

static inline void *vmi_static_call_func(struct static_call_key *key)
{
	return READ_ONCE(key->func);
}
#else
struct static_call_key;
static inline void vmi_static_call_update(struct static_call_key *key,
					  void *tramp, void *fn)
{
}

static inline void *vmi_static_call_func(struct static_call_key *key)
{
	return NULL;
}
#endif

/*
 * The remote TLB flush op: mmu.flush_tlb_multi (after 5.10: the CPUs of the
 * mask, this one among them) or mmu.flush_tlb_others (the other CPUs
 * only). Both take (mask, info), and the PV flush is the same for
 * either: the preempted vCPUs of the mask are left out of the IPI.
 */
#ifdef VMI_HAVE_FLUSH_TLB_MULTI
#define VMI_FLUSH_TLB_OP	flush_tlb_multi
#else
#define VMI_FLUSH_TLB_OP	flush_tlb_others
#endif
#define VMI_FLUSH_TLB_NAME	"mmu." __stringify(VMI_FLUSH_TLB_OP)
#define VMI_FLUSH_TLB_NATIVE	"native_" __stringify(VMI_FLUSH_TLB_OP)

/*
 * Whether the kernel lets a module notifier fail a load at COMING
 * (5.10+); before, it ignores the answer and the module loads anyway.
 */
static inline bool vmi_module_load_refusable(void)
{
#ifdef VMI_HAVE_MODULE_NOTIFIER_REFUSAL
	return true;
#else
	return false;
#endif
}

/*
 * The op through which page tables are freed, which the PV TLB flush
 * routes to the RCU-delayed free (retrofit/tlb.c); UINT_MAX where the
 * kernel has none (4.14): there a flush that may free page tables always
 * reaches every CPU.
 */
#ifdef VMI_HAVE_PV_TLB_REMOVE_TABLE
#define VMI_TLB_TABLES_SLOT \
	(offsetof(struct vmi_pv_template, mmu.tlb_remove_table) / sizeof(void *))
#else
#define VMI_TLB_TABLES_SLOT	UINT_MAX
#endif

/*
 * Whether the kernel frees every page table through RCU whatever pv_ops
 * holds: RCU table freeing with no tlb_remove_table op to choose the
 * immediate free instead (4.14, which selects HAVE_RCU_TABLE_FREE on x86
 * unconditionally; kernels whose x86 frees through RCU unconditionally).
 * A GUP-fast walk on a preempted vCPU then holds off the free as it holds
 * off the grace period. All but khugepaged's: below.
 */
#if !defined(VMI_HAVE_PV_TLB_REMOVE_TABLE) && \
	(defined(CONFIG_HAVE_RCU_TABLE_FREE) || \
	 defined(CONFIG_MMU_GATHER_RCU_TABLE_FREE))
#define VMI_TABLES_ALWAYS_RCU	1
#else
#define VMI_TABLES_ALWAYS_RCU	0
#endif

/*
 * khugepaged clears a PMD, flushes, and then frees the page table under
 * it or collapses the pages it mapped, relying on the flush IPI to have
 * waited out any GUP-fast walker on another CPU; a PV flush that skips a
 * preempted vCPU waits for nothing there. Kernels since 2ba99c5e0881
 * send tlb_remove_table_sync_one()'s IPI themselves. Without it, and
 * with transparent hugepages, PV TLB flush is unsafe: the retrofit does
 * not switch it on (KVM's own guest code of those kernels did, and had
 * the race).
 */
#if defined(CONFIG_TRANSPARENT_HUGEPAGE) && !defined(VMI_HAVE_TLB_SYNC_ONE)
#define VMI_KHUGEPAGED_NEEDS_IPI	1
#else
#define VMI_KHUGEPAGED_NEEDS_IPI	0
#endif

/*
 * Whether the flush described by @info (struct flush_tlb_info, which only
 * a unit built without MODULE sees: retrofit/tlb_info.c) frees page
 * tables. Before 4.20 a flush does not say: every one is taken as if it
 * did, the side on which a flush reaches every CPU.
 */
#ifdef VMI_HAVE_TLB_FREED_TABLES
#define vmi_flush_info_frees_tables(info)	((info)->freed_tables)
#else
#define vmi_flush_info_frees_tables(info)	true
#endif

/*
 * KVM's CPUID feature and hint bits are the host's ABI and never change;
 * an old kernel's header lacks those added after it, which are exactly
 * the ones the retrofit brings.
 */
#ifndef KVM_FEATURE_PV_TLB_FLUSH
#define KVM_FEATURE_PV_TLB_FLUSH	9
#endif
#ifndef KVM_FEATURE_PV_SEND_IPI
#define KVM_FEATURE_PV_SEND_IPI		11
#endif
#ifndef KVM_FEATURE_PV_SCHED_YIELD
#define KVM_FEATURE_PV_SCHED_YIELD	13
#endif
#ifndef KVM_HINTS_REALTIME
#define KVM_HINTS_REALTIME		0
#endif

/* CRC of every slot the kernel keeps: equal before load and after unload. */
static inline u32 vmi_pv_ops_crc(void)
{
#ifdef VMI_HAVE_PV_OPS
	return crc32_le(~0, (const u8 *)&pv_ops, sizeof(pv_ops));
#else
	u32 crc = ~0;

	crc = crc32_le(crc, (const u8 *)&pv_time_ops, sizeof(pv_time_ops));
	crc = crc32_le(crc, (const u8 *)&pv_cpu_ops, sizeof(pv_cpu_ops));
	crc = crc32_le(crc, (const u8 *)&pv_irq_ops, sizeof(pv_irq_ops));
	crc = crc32_le(crc, (const u8 *)&pv_mmu_ops, sizeof(pv_mmu_ops));
#ifdef CONFIG_PARAVIRT_SPINLOCKS
	crc = crc32_le(crc, (const u8 *)&pv_lock_ops, sizeof(pv_lock_ops));
#endif
	return crc;
#endif
}

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
