/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Private interfaces of the ROM's backends.  Everything here is linked
 * into one position-independent image: all symbols are hidden so the
 * compiler reaches them RIP-relative, never through a GOT.
 */
#ifndef VMI_ROM_H
#define VMI_ROM_H

/*
 * KVM's guest ABI (features, hypercalls, MSRs, steal-time flags): the
 * kernel's uapi headers, as the kernel's own guest code uses them.
 */
#include <linux/kvm_para.h>

#include "../include/vmi/abi.h"
#include "state.h"
#include "tsc.h"

#pragma GCC visibility push(hidden)

/*
 * KVM's per-vCPU steal-time record (registered with MSR_KVM_STEAL_TIME):
 * uapi's struct kvm_steal_time, with <stdint.h> types so that the ROM's
 * 64-bit accesses are to uint64_t.
 */
struct vmi_kvm_steal_time {
	uint64_t steal;		/* ns this vCPU was runnable but not running */
	uint32_t version;	/* odd while the host updates */
	uint32_t flags;
	uint8_t preempted;	/* KVM_VCPU_PREEMPTED, KVM_VCPU_FLUSH_TLB */
	uint8_t pad8[3];
	uint32_t pad[11];
};

/* KVM's per-vCPU clock (MSR_KVM_SYSTEM_TIME_NEW): struct pvclock_vcpu_time_info. */
struct vmi_kvm_clock {
	uint32_t version;	/* odd while the host updates */
	uint32_t pad0;
	uint64_t tsc_timestamp;
	uint64_t system_time;	/* ns at tsc_timestamp */
	uint32_t tsc_to_system_mul;
	int8_t tsc_shift;
	uint8_t flags;		/* PVCLOCK_* */
	uint8_t pad[2];
};

/*
 * One per CPU after the fixed part.  KVM owns @st and @clock whole.
 * @adopted is a steal-time record the caller registered with the host
 * itself (AdoptStealTime); a slot uses @st or @adopted, never both.
 */
struct vmi_percpu {
	struct vmi_kvm_steal_time st;
	uint32_t registered;	/* steal time enabled for this slot */
	uint32_t pv_eoi;	/* bit 0: the host skipped an EOI exit */
	uint32_t eoi_registered;	/* PV EOI enabled for this slot */
	uint32_t clock_registered;	/* @clock enabled for this slot */
	struct vmi_kvm_steal_time *adopted;	/* read on other CPUs */
	uint8_t pad[8];
	struct vmi_kvm_clock clock;	/* 32-byte aligned: never crosses a page */
};

#define VMI_HC_VMCALL	1
#define VMI_HC_VMMCALL	2

struct vmi_state {
	uint32_t magic;		/* VMI_STATE_MAGIC */
	uint32_t nr_cpus;	/* per-CPU slots that fit in the block */
	uint32_t flags;		/* VMI_INIT_* */
	uint32_t kvm_base;	/* CPUID base of the KVM leaves, 0: no KVM */
	uint32_t kvm_features;	/* CPUID kvm_base + 1, EAX */
	uint32_t kvm_hints;	/* CPUID kvm_base + 1, EDX */
	uint32_t hypercall;	/* VMI_HC_* by CPU vendor */
	uint32_t tsc_source;	/* VMI_BACKEND_* that gave tsc_hz */
	uint64_t phys;		/* guest-physical address of this block */
	uint64_t tsc_hz;
	uint64_t ns_to_cycles;	/* cycles = ns * ns_to_cycles >> 32 */
	uint64_t force_native[2];
	uint64_t clock_last;	/* SystemTime never goes back across CPUs */
	uint8_t backend[VMI_CALL_COUNT]; /* VMI_BACKEND_* per call */
};

_Static_assert(sizeof(struct vmi_state) <= VMI_STATE_SIZE, "state fits");
_Static_assert(sizeof(struct vmi_kvm_steal_time) == sizeof(struct kvm_steal_time),
	       "KVM layout");
_Static_assert(sizeof(struct vmi_percpu) == VMI_STATE_PERCPU_SIZE, "slot");
_Static_assert(sizeof(struct vmi_kvm_clock) == 32, "KVM layout");
_Static_assert(__builtin_offsetof(struct vmi_percpu, clock) % 32 == 0,
	       "pvclock area aligned");

/* pvclock's flag (asm/pvclock-abi.h is the kernel's, not uapi). */
#define PVCLOCK_TSC_STABLE_BIT	(1 << 0)

/*
 * The calls this ROM defines: those of its minor (state.h), numbers 0 to
 * VMI_ROM_CALLS - 1 (include/vmi/calls.h's rule, which the compiler
 * folds to a constant). Any other number answers NONE, and the code of a
 * call past them is left out of the image (backend/select.c).
 */
_Static_assert(VMI_ROM_MINOR >= 0 && VMI_ROM_MINOR <= VMI_API_MINOR,
	       "VMI_ROM_MINOR is 0 to VMI_API_MINOR");
#if VMI_ROM_FUTURE_CALLS && (VMI_ROM_HEADER_MINOR <= VMI_API_MINOR || \
			     VMI_ROM_HEADER_MINOR > 255 || \
			     VMI_ROM_MINOR != VMI_API_MINOR)
#error "a future ROM announces a minor past VMI_API_MINOR, up to 255"
#endif
#define VMI_ROM_CALLS		vmi_calls_for_minor(VMI_ROM_MINOR)
#define VMI_ROM_HAS(id)		(VMI_CALL_##id < VMI_ROM_CALLS)

static inline int vmi_state_ok(const struct vmi_state *s)
{
	return s && s->magic == VMI_STATE_MAGIC;
}

static inline struct vmi_percpu *vmi_percpu(const struct vmi_state *s,
					    uint64_t cpu)
{
	return (struct vmi_percpu *)((char *)s + VMI_STATE_SIZE +
				     cpu * VMI_STATE_PERCPU_SIZE);
}

static inline int kvm_has(const struct vmi_state *s, int feature)
{
	return s->kvm_base && (s->kvm_features >> feature) & 1;
}

/* backend/select.c */
void vmi_select_backends(struct vmi_state *s);
void *vmi_call_address(const struct vmi_state *s, unsigned int call,
		       unsigned int backend);

/* backend/kvm.c */
void vmi_kvm_detect(struct vmi_state *s);
int vmi_kvm_steal_usable(const struct vmi_state *s);
void vmi_kvm_msr_area(const struct vmi_state *s, uint32_t msr,
		      const void *area, uint64_t enable);
uint64_t vmi_kvm_steal_ns(const struct vmi_state *s, uint64_t cpu);
uint64_t vmi_kvm_flush_tlb_others(struct vmi_state *s, uint64_t *cpumask,
				  uint64_t nbits);
int64_t vmi_kvm_send_ipi_mask(struct vmi_state *s, const uint64_t *apic_bitmap,
			      uint64_t nbits, uint64_t icr);
int64_t vmi_kvm_kick_cpu(struct vmi_state *s, uint64_t apicid);
int64_t vmi_kvm_yield_to_cpu(struct vmi_state *s, uint64_t apicid);
uint64_t vmi_kvm_vcpu_is_preempted(struct vmi_state *s, uint64_t cpu);
void vmi_kvm_spin_wait(struct vmi_state *s, const uint8_t *ptr,
		       uint64_t val);
uint64_t vmi_kvm_steal_clock(struct vmi_state *s, uint64_t cpu);
int64_t vmi_kvm_register_steal_time(struct vmi_state *s, uint64_t cpu,
				    uint64_t enable);
int vmi_kvm_adopt_usable(const struct vmi_state *s);
int64_t vmi_kvm_adopt_steal_time(struct vmi_state *s, uint64_t cpu,
				 void *record);
int vmi_kvm_pv_eoi_usable(const struct vmi_state *s);
int64_t vmi_kvm_register_pv_eoi(struct vmi_state *s, uint64_t cpu,
				uint64_t enable);
uint64_t vmi_kvm_pv_eoi(struct vmi_state *s, uint64_t cpu);

/* backend/clock.c */
void vmi_clock_init(struct vmi_state *s, uint32_t caller_khz);
uint64_t vmi_get_cycle_frequency(struct vmi_state *s);
uint64_t vmi_native_get_cycle_counter(struct vmi_state *s, uint64_t which,
				      uint64_t cpu);
int vmi_kvm_clock_usable(const struct vmi_state *s);
int64_t vmi_kvm_register_system_time(struct vmi_state *s, uint64_t cpu,
				     uint64_t enable);
uint64_t vmi_kvm_system_time(struct vmi_state *s, uint64_t cpu);
uint64_t vmi_kvm_get_cycle_counter(struct vmi_state *s, uint64_t which,
				   uint64_t cpu);

/* rom/init.c */
int64_t vmi_init(struct vmi_state *s, uint64_t size,
		 const struct vmi_init_args *args);
struct vmi_relocation vmi_get_relocation(const struct vmi_state *s,
					 uint64_t call);
uint64_t vmi_get_backend(struct vmi_state *s, uint64_t call);
/* What callers call them as (include/vmi/calls.h). */
_Static_assert(__builtin_types_compatible_p(typeof(&vmi_init), vmi_fn(INIT)),
	       "VMI_Init's prototype");
_Static_assert(__builtin_types_compatible_p(typeof(&vmi_get_relocation),
					    vmi_fn(GET_RELOCATION_INFO)),
	       "GetRelocationInfo's prototype");

/* backend/native.S: one symbol per native operation, see docs/abi.md. */
#define VMI_NATIVE(name) void vmi_native_##name(void)
VMI_NATIVE(cpuid);
VMI_NATIVE(wrmsr);
VMI_NATIVE(rdmsr);
VMI_NATIVE(set_gdt);
VMI_NATIVE(set_ldt);
VMI_NATIVE(set_idt);
VMI_NATIVE(set_tr);
VMI_NATIVE(get_gdt);
VMI_NATIVE(get_ldt);
VMI_NATIVE(get_idt);
VMI_NATIVE(get_tr);
VMI_NATIVE(write_gdt_entry);
VMI_NATIVE(write_idt_entry);
VMI_NATIVE(set_cr0);
VMI_NATIVE(set_cr2);
VMI_NATIVE(set_cr3);
VMI_NATIVE(set_cr4);
VMI_NATIVE(get_cr0);
VMI_NATIVE(get_cr2);
VMI_NATIVE(get_cr3);
VMI_NATIVE(get_cr4);
VMI_NATIVE(wbinvd);
VMI_NATIVE(set_dr);
VMI_NATIVE(get_dr);
VMI_NATIVE(rdpmc);
VMI_NATIVE(rdtsc);
VMI_NATIVE(clts);
VMI_NATIVE(enable_interrupts);
VMI_NATIVE(disable_interrupts);
VMI_NATIVE(get_interrupt_mask);
VMI_NATIVE(set_interrupt_mask);
VMI_NATIVE(iret);
VMI_NATIVE(halt);
VMI_NATIVE(halt_verw);
VMI_NATIVE(set_pxe);
VMI_NATIVE(inval_page);
VMI_NATIVE(flush_tlb);
VMI_NATIVE(inl);
VMI_NATIVE(inb);
VMI_NATIVE(inw);
VMI_NATIVE(insl);
VMI_NATIVE(insb);
VMI_NATIVE(insw);
VMI_NATIVE(outl);
VMI_NATIVE(outb);
VMI_NATIVE(outw);
VMI_NATIVE(outsl);
VMI_NATIVE(outsb);
VMI_NATIVE(outsw);
VMI_NATIVE(set_iopl_mask);
VMI_NATIVE(apic_write);
VMI_NATIVE(apic_read);
VMI_NATIVE(io_delay);
#undef VMI_NATIVE
void vmi_rom_ret(void);		/* target of NOP relocations */
extern const uint16_t vmi_verw_sel;	/* VERW's operand: __KERNEL_DS */

/*
 * What the kernel's x86_idle_clear_cpu_buffers() does before HLT, when
 * VMI_Init was told the kernel does it (VMI_INIT_IDLE_VERW).
 */
static inline void vmi_idle_clear_cpu_buffers(const struct vmi_state *s)
{
	if (s->flags & VMI_INIT_IDLE_VERW)
		asm volatile("verw %0" : : "m"(vmi_verw_sel) : "cc");
}

#pragma GCC visibility pop

#endif /* VMI_ROM_H */
