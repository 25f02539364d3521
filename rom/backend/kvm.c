// SPDX-License-Identifier: GPL-2.0
/*
 * KVM backend: detection from CPUID and the paravirtual calls appended to
 * VMI 3.0 (docs/abi.md, "Appended calls").  Each call is only handed out
 * by GetRelocationInfo when KVM advertised what it needs, so the bodies
 * do not re-check features; they do check the caller's CPU/slot numbers.
 */
#include "../rom.h"

#define READ_ONCE8(x)	(*(const volatile uint8_t *)&(x))
#define READ_ONCE32(x)	(*(const volatile uint32_t *)&(x))
#define READ_ONCE64(x)	(*(const volatile uint64_t *)&(x))
#define READ_ONCE_PTR(x)	(*(typeof(x) const volatile *)&(x))
#define WRITE_ONCE_PTR(x, v)	(*(typeof(x) volatile *)&(x) = (v))
#define barrier()	asm volatile("" ::: "memory")

/* CPUID 0 vendor strings, as the EBX, EDX, ECX words. */
#define VENDOR_AMD	0x68747541, 0x69746e65, 0x444d4163 /* AuthenticAMD */
#define VENDOR_HYGON	0x6f677948, 0x6e65476e, 0x656e6975 /* HygonGenuine */

static int vendor_is(const uint32_t r[4], uint32_t b, uint32_t d, uint32_t c)
{
	return r[1] == b && r[3] == d && r[2] == c;
}

/*
 * KVM's leaves may sit at any 0x100 step in 0x40000000..0x40010000 (a
 * hypervisor exposing Hyper-V enlightenments moves them up).
 */
void vmi_kvm_detect(struct vmi_state *s)
{
	uint32_t r[4];

	s->kvm_base = vmi_kvm_base();
	if (!s->kvm_base)
		return;

	vmi_cpuid(s->kvm_base + 1, 0, r);
	s->kvm_features = r[0];
	s->kvm_hints = r[3];

	/* AMD and Hygon use VMMCALL; Intel and the VMX clones VMCALL. */
	vmi_cpuid(0, 0, r);
	if (vendor_is(r, VENDOR_AMD) || vendor_is(r, VENDOR_HYGON))
		s->hypercall = VMI_HC_VMMCALL;
	else
		s->hypercall = VMI_HC_VMCALL;
}

static int64_t kvm_hypercall(const struct vmi_state *s, uint64_t nr,
			     uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
	int64_t ret;

	if (s->hypercall == VMI_HC_VMMCALL)
		asm volatile("vmmcall"
			     : "=a"(ret)
			     : "a"(nr), "b"(a0), "c"(a1), "d"(a2), "S"(a3)
			     : "memory");
	else
		asm volatile("vmcall"
			     : "=a"(ret)
			     : "a"(nr), "b"(a0), "c"(a1), "d"(a2), "S"(a3)
			     : "memory");
	return ret;
}

/* Steal time needs the feature, the block's physical address and slots. */
int vmi_kvm_steal_usable(const struct vmi_state *s)
{
	return kvm_has(s, KVM_FEATURE_STEAL_TIME) && s->phys && s->nr_cpus;
}

/*
 * AdoptStealTime needs the feature and slots, not the block's physical
 * address: the caller registered the record itself.
 */
int vmi_kvm_adopt_usable(const struct vmi_state *s)
{
	return kvm_has(s, KVM_FEATURE_STEAL_TIME) && s->nr_cpus;
}

/*
 * Slot @cpu's steal-time record: the ROM's own if RegisterStealTime
 * enabled it, else the one AdoptStealTime was given, else none.
 */
static struct vmi_kvm_steal_time *steal_area(const struct vmi_state *s,
					     uint64_t cpu)
{
	struct vmi_percpu *pc;

	if (cpu >= s->nr_cpus)
		return 0;
	pc = vmi_percpu(s, cpu);
	if (READ_ONCE32(pc->registered))
		return &pc->st;
	return READ_ONCE_PTR(pc->adopted);
}

/* The host bumps version to odd, updates, bumps to even. */
uint64_t vmi_kvm_steal_ns(const struct vmi_state *s, uint64_t cpu)
{
	struct vmi_kvm_steal_time *st = steal_area(s, cpu);
	uint32_t version;
	uint64_t steal;

	if (!st)
		return 0;
	do {
		version = READ_ONCE32(st->version);
		barrier();
		steal = READ_ONCE64(st->steal);
		barrier();
	} while ((version & 1) || version != READ_ONCE32(st->version));
	return steal;
}

/*
 * FlushTLBOthers(state, cpumask, nbits) -> CPUs left in @cpumask.
 * A preempted vCPU gets KVM_VCPU_FLUSH_TLB (the host flushes before it
 * runs again) and its bit is cleared; the caller IPIs whatever is left.
 */
uint64_t vmi_kvm_flush_tlb_others(struct vmi_state *s, uint64_t *cpumask,
				  uint64_t nbits)
{
	struct vmi_kvm_steal_time *st;
	uint64_t cpu, left = 0;
	uint8_t old;

	for (cpu = 0; cpu < nbits; cpu++) {
		if (!((cpumask[cpu / 64] >> (cpu % 64)) & 1))
			continue;
		st = steal_area(s, cpu);
		if (st) {
			old = READ_ONCE8(st->preempted);
			if ((old & KVM_VCPU_PREEMPTED) &&
			    __atomic_compare_exchange_n(&st->preempted, &old,
							old | KVM_VCPU_FLUSH_TLB,
							0, __ATOMIC_SEQ_CST,
							__ATOMIC_SEQ_CST)) {
				cpumask[cpu / 64] &= ~(1ULL << (cpu % 64));
				continue;
			}
		}
		left++;
	}
	return left;
}

/*
 * SendIPIMask(state, apic_bitmap, nbits, icr) -> vCPUs reached, or the
 * first negative hypercall result.  KVM_HC_SEND_IPI takes a 128-bit
 * window of APIC IDs starting at min_apicid, so the bitmap is cut into
 * such windows.
 */
int64_t vmi_kvm_send_ipi_mask(struct vmi_state *s, const uint64_t *apic_bitmap,
			      uint64_t nbits, uint64_t icr)
{
	uint64_t id, min = 0, win[2] = { 0, 0 };
	int64_t ret, total = 0;
	int have = 0;

	for (id = 0; id < nbits; id++) {
		if (!apic_bitmap[id / 64]) {	/* skip empty words */
			id |= 63;
			continue;
		}
		if (!((apic_bitmap[id / 64] >> (id % 64)) & 1))
			continue;
		if (have && id - min >= 128) {
			ret = kvm_hypercall(s, KVM_HC_SEND_IPI, win[0], win[1],
					    min, icr);
			if (ret < 0)
				return ret;
			total += ret;
			have = 0;
		}
		if (!have) {
			min = id;
			win[0] = 0;
			win[1] = 0;
			have = 1;
		}
		win[(id - min) / 64] |= 1ULL << ((id - min) % 64);
	}
	if (have) {
		ret = kvm_hypercall(s, KVM_HC_SEND_IPI, win[0], win[1], min, icr);
		if (ret < 0)
			return ret;
		total += ret;
	}
	return total;
}

/* KickCPU(state, apicid): wake a vCPU halted in SpinWait. */
int64_t vmi_kvm_kick_cpu(struct vmi_state *s, uint64_t apicid)
{
	return kvm_hypercall(s, KVM_HC_KICK_CPU, 0, apicid, 0, 0);
}

/* YieldToCPU(state, apicid): donate our time slice to a preempted vCPU. */
int64_t vmi_kvm_yield_to_cpu(struct vmi_state *s, uint64_t apicid)
{
	return kvm_hypercall(s, KVM_HC_SCHED_YIELD, apicid, 0, 0, 0);
}

/* VCPUIsPreempted(state, cpu) -> 1 if that vCPU is not running now. */
uint64_t vmi_kvm_vcpu_is_preempted(struct vmi_state *s, uint64_t cpu)
{
	struct vmi_kvm_steal_time *st = steal_area(s, cpu);

	return st ? READ_ONCE8(st->preempted) & KVM_VCPU_PREEMPTED : 0;
}

/*
 * SpinWait(state, ptr, val): halt while *ptr == val, until KickCPU or an
 * interrupt.  As Linux's kvm_wait: the check and the halt happen with
 * interrupts off (STI's shadow covers HLT), so a kick cannot be lost; and
 * as its halt()/safe_halt(), CPU buffers are cleared right before HLT when
 * the kernel does that (VMI_INIT_IDLE_VERW).
 */
void vmi_kvm_spin_wait(struct vmi_state *s, const uint8_t *ptr,
		       uint64_t val)
{
	const volatile uint8_t *byte = ptr;	/* the lock holder writes it */
	uint64_t flags;

	asm volatile("pushfq; popq %0" : "=r"(flags));
	if (!(flags & VMI_INTERRUPT_MASK_IF)) {
		if (*byte == (uint8_t)val) {
			vmi_idle_clear_cpu_buffers(s);
			asm volatile("hlt" ::: "memory");
		}
		return;
	}
	asm volatile("cli" ::: "memory");
	if (*byte == (uint8_t)val) {
		vmi_idle_clear_cpu_buffers(s);
		asm volatile("sti; hlt" ::: "memory");
	} else {
		asm volatile("sti" ::: "memory");
	}
}

/* StealClock(state, cpu) -> ns that vCPU was runnable but not running. */
uint64_t vmi_kvm_steal_clock(struct vmi_state *s, uint64_t cpu)
{
	return vmi_kvm_steal_ns(s, cpu);
}

/*
 * Point per-vCPU KVM MSR @msr at @area inside the state block (its guest-
 * physical address, with the enable bit), or at nothing. Run on the vCPU
 * that owns the area: these MSRs are per vCPU.
 */
void vmi_kvm_msr_area(const struct vmi_state *s, uint32_t msr,
		      const void *area, uint64_t enable)
{
	uint64_t val = 0;

	if (enable)
		val = (s->phys + ((const char *)area - (const char *)s)) |
		      KVM_MSR_ENABLED;
	asm volatile("wrmsr"
		     : : "c"(msr), "a"((uint32_t)val),
		       "d"((uint32_t)(val >> 32))
		     : "memory");
}

/*
 * RegisterStealTime(state, cpu, enable) -> 0 or -1.  Must run on the CPU
 * that owns slot @cpu: the MSR is per vCPU.  Disable before freeing the
 * state block, or the host keeps writing into it.  A slot with an adopted
 * record is refused either way: the MSR is the adopter's (one owner).
 */
int64_t vmi_kvm_register_steal_time(struct vmi_state *s, uint64_t cpu,
				    uint64_t enable)
{
	struct vmi_percpu *pc;
	uint32_t i;

	if (cpu >= s->nr_cpus)
		return -1;
	pc = vmi_percpu(s, cpu);
	if (READ_ONCE_PTR(pc->adopted))
		return -1;
	if (enable)
		for (i = 0; i < sizeof(pc->st) / sizeof(uint64_t); i++)
			((volatile uint64_t *)&pc->st)[i] = 0;
	vmi_kvm_msr_area(s, MSR_KVM_STEAL_TIME, &pc->st, enable);
	pc->registered = !!enable;
	return 0;
}

/*
 * AdoptStealTime(state, cpu, record) -> 0 or -1.  @record is a 64-byte
 * aligned struct kvm_steal_time the caller registered with the host for
 * vCPU @cpu (a kernel running KVM's own guest code owns the MSR); slot
 * @cpu then reads it, and FlushTLBOthers sets KVM_VCPU_FLUSH_TLB in it.
 * NULL forgets it.  No MSR access, so any CPU may call it; the caller
 * serializes it against RegisterStealTime for the same slot.
 */
int64_t vmi_kvm_adopt_steal_time(struct vmi_state *s, uint64_t cpu,
				 void *record)
{
	struct vmi_percpu *pc;

	if (cpu >= s->nr_cpus || ((uintptr_t)record & 63))
		return -1;
	pc = vmi_percpu(s, cpu);
	if (READ_ONCE32(pc->registered))
		return -1;
	WRITE_ONCE_PTR(pc->adopted, (struct vmi_kvm_steal_time *)record);
	return 0;
}

/* PV EOI needs the feature, the block's physical address and slots. */
int vmi_kvm_pv_eoi_usable(const struct vmi_state *s)
{
	return kvm_has(s, KVM_FEATURE_PV_EOI) && s->phys && s->nr_cpus;
}

/*
 * RegisterPVEOI(state, cpu, enable) -> 0 or -1.  On the CPU that owns slot
 * @cpu, as RegisterStealTime.  While it is enabled the host may, instead
 * of waiting for an EOI exit, set bit 0 of the slot's word when it
 * injects an interrupt; PVEOI then completes the EOI without an exit.
 */
int64_t vmi_kvm_register_pv_eoi(struct vmi_state *s, uint64_t cpu,
				uint64_t enable)
{
	struct vmi_percpu *pc;

	if (cpu >= s->nr_cpus)
		return -1;
	pc = vmi_percpu(s, cpu);
	if (enable)
		*(volatile uint32_t *)&pc->pv_eoi = 0;
	vmi_kvm_msr_area(s, MSR_KVM_PV_EOI_EN, &pc->pv_eoi, enable);
	pc->eoi_registered = !!enable;
	return 0;
}

/*
 * PVEOI(state, cpu) -> 1 if the EOI is done, 0 if the caller must write
 * the APIC's EOI register itself.  Call it on CPU @cpu with interrupts
 * off, from the interrupt being acknowledged.  As Linux's
 * kvm_guest_apic_eoi_write: one BTR is atomic against this CPU, and the
 * host touches the word only while this vCPU is not running, so no lock.
 */
uint64_t vmi_kvm_pv_eoi(struct vmi_state *s, uint64_t cpu)
{
	uint8_t was;

	if (cpu >= s->nr_cpus)
		return 0;
	asm volatile("btrl $0, %0; setc %1"
		     : "+m"(vmi_percpu(s, cpu)->pv_eoi), "=q"(was)
		     : : "memory", "cc");
	return was;
}
