// SPDX-License-Identifier: GPL-2.0
/*
 * Steal time: RegisterStealTime, StealClock while the VMM runs host load
 * next to vCPU0 (vmm/steal_time.c), GetCycleCounter's STOLEN with it,
 * VCPUIsPreempted, and turning it off again; then AdoptStealTime with a
 * record the guest registered itself, as an old kernel running KVM's own
 * guest code does, and with one whose preempted byte the test sets.
 */
#include <linux/kvm_para.h>

#include "guest.h"
#include "guest_tests.h"

/* Poll StealClock under host load until the VMM says stop, or time out. */
static uint64_t steal_under_load(uint64_t s0)
{
	uint64_t end, polls = 0;

	MB->steal_now = s0;
	MB->steal_stop = 0;
	ucall(EV_STEAL_START);
	end = rdtsc() + ms_to_tsc(MB->steal_budget_ms + 2000);
	while (!MB->steal_stop && rdtsc() < end) {
		delay_ms(2);
		MB->steal_now = CALL(STEAL_CLOCK, S(), 0);
		ucall(EV_STEAL_POLL);
		polls++;
	}
	ucall(EV_STEAL_END);
	return polls;
}

void test_steal(void)
{
	uint64_t s0, s1, st, r, a, polls;
	int64_t ret;

	begin("RegisterStealTime (81)");
	ret = (int64_t)CALL(REGISTER_STEAL_TIME, S(), 0, 1);
	ok(ret == 0 && (int64_t)CALL(REGISTER_STEAL_TIME, S(), 5, 1) == -1,
	   "RegisterStealTime(0) = 0, out-of-range CPU = -1");
	s0 = CALL(STEAL_CLOCK, S(), 0);

	begin("StealClock (80) under host load");
	polls = steal_under_load(s0);
	s1 = CALL(STEAL_CLOCK, S(), 0);
	st = CALL(GET_CYCLE_COUNTER, S(), VMI_CYCLES_STOLEN, 0);
	a = CALL(GET_CYCLE_COUNTER, S(), VMI_CYCLES_AVAILABLE, 0);
	r = CALL(GET_CYCLE_COUNTER, S(), VMI_CYCLES_REAL, 0);
	if (s1 > s0)
		ok(1, "StealClock advances under host load (%u -> %u ns, %u polls)",
		   s0, s1, polls);
	else
		skip("StealClock advances under host load",
		     "steal time did not move within the budget (%u ns after %u polls)",
		     s1, polls);

	begin("GetCycleCounter with steal time");
	ok(a <= r && (s1 == 0 || st > 0) && r > st,
	   "GetCycleCounter (kvm): STOLEN %u > 0 when steal > 0, AVAILABLE <= REAL",
	   st);

	begin("VCPUIsPreempted (78)");
	ok(CALL(VCPU_IS_PREEMPTED, S(), 0) == 0 &&
	   CALL(VCPU_IS_PREEMPTED, S(), 1) == 0,
	   "VCPUIsPreempted: running vCPU0 and unregistered vCPU1 answer 0");

	begin("RegisterStealTime disable");
	ret = (int64_t)CALL(REGISTER_STEAL_TIME, S(), 0, 0);
	ok(ret == 0 && CALL(STEAL_CLOCK, S(), 0) == 0,
	   "RegisterStealTime(0, disable) = 0, StealClock then answers 0");
}

/* The guest's own records, as a kernel's per-CPU struct kvm_steal_time. */
static struct kvm_steal_time rec[NR_VCPUS] __attribute__((aligned(64)));

static int64_t adopt(uint64_t cpu, void *record)
{
	return CALL(ADOPT_STEAL_TIME, S(), cpu, record);
}

static uint64_t preempted(uint64_t cpu)
{
	return CALL(VCPU_IS_PREEMPTED, S(), cpu);
}

static uint64_t steal(uint64_t cpu)
{
	return CALL(STEAL_CLOCK, S(), cpu);
}

/* Slot 0: the record vCPU0 registered itself (MSR_KVM_STEAL_TIME). */
static void adopt_registered(void)
{
	struct kvm_steal_time *r0 = &rec[0];
	const uint64_t val = (uint64_t)r0 | KVM_MSR_ENABLED;
	uint64_t msr, s, after, v;
	int64_t a, reg;

	begin("AdoptStealTime (87) with a record the guest registered");
	memset(r0, 0, sizeof(*r0));
	CALL(WRMSR, MSR_KVM_STEAL_TIME, val);
	a = adopt(0, r0);
	reg = CALL(REGISTER_STEAL_TIME, S(), 0, 1);
	msr = CALL(RDMSR, MSR_KVM_STEAL_TIME);
	s = steal(0);
	after = *(volatile __u64 *)&r0->steal;
	/* The WRMSR's exit had the host write the record before re-entry. */
	v = *(volatile __u32 *)&r0->version;
	ok(a == 0 && reg == -1 && msr == val && preempted(0) == 0 &&
	   v && !(v & 1) && s <= after,
	   "adopted: RegisterStealTime refused (%d), the MSR still the guest's (%x), the host wrote the record (version %u), StealClock %u <= record %u",
	   reg, msr, v, s, after);
	a = adopt(0, NULL);
	CALL(WRMSR, MSR_KVM_STEAL_TIME, 0);
	ok(a == 0 && steal(0) == 0, "AdoptStealTime(0, NULL) = 0, StealClock(0) then answers 0");
}

void test_adopt(void)
{
	struct kvm_steal_time *r1 = &rec[1];
	uint64_t mask[1], msr, pre, st;
	int64_t a, b, c, ret;

	begin("AdoptStealTime (87) refusals");
	a = adopt(MB->ncpus, r1);
	b = adopt(1, (char *)r1 + 8);
	ok(a == -1 && b == -1 && preempted(1) == 0,
	   "AdoptStealTime: out-of-range CPU = %d, misaligned record = %d, nothing adopted",
	   a, b);

	begin("AdoptStealTime on a slot the ROM registered");
	ret = CALL(REGISTER_STEAL_TIME, S(), 0, 1);
	a = adopt(0, &rec[0]);
	b = CALL(REGISTER_STEAL_TIME, S(), 0, 0);
	c = adopt(0, &rec[0]);
	adopt(0, NULL);
	ok(ret == 0 && a == -1 && b == 0 && c == 0,
	   "AdoptStealTime refused (%d) while RegisterStealTime has the slot, accepted (%d) after disable",
	   a, c);

	begin("AdoptStealTime: VCPUIsPreempted and StealClock read the record");
	memset(r1, 0, sizeof(*r1));
	r1->steal = 123456789;
	r1->version = 2;
	r1->preempted = KVM_VCPU_PREEMPTED;
	a = adopt(1, r1);
	pre = preempted(1);
	st = steal(1);
	ok(a == 0 && pre == 1 && st == 123456789,
	   "AdoptStealTime(1) = %d: VCPUIsPreempted(1) = %u, StealClock(1) = %u",
	   a, pre, st);

	/* On vCPU0: a RegisterStealTime that went ahead would write its MSR. */
	begin("RegisterStealTime on an adopted slot");
	msr = CALL(RDMSR, MSR_KVM_STEAL_TIME);
	a = CALL(REGISTER_STEAL_TIME, S(), 1, 1);
	b = CALL(REGISTER_STEAL_TIME, S(), 1, 0);
	ok(a == -1 && b == -1 && CALL(RDMSR, MSR_KVM_STEAL_TIME) == msr &&
	   preempted(1) == 1 && steal(1) == 123456789,
	   "RegisterStealTime(1, 1) = %d, (1, 0) = %d: no MSR written, the record still read",
	   a, b);

	begin("FlushTLBOthers (74) with an adopted record");
	if (rom(VMI_CALL_FLUSH_TLB_OTHERS)) {
		mask[0] = 3;
		ret = (int64_t)CALL(FLUSH_TLB_OTHERS, S(), mask, 2);
		ok(ret == 1 && mask[0] == 1 &&
		   r1->preempted == (KVM_VCPU_PREEMPTED | KVM_VCPU_FLUSH_TLB),
		   "FlushTLBOthers leaves %d CPU (mask %x), sets FLUSH_TLB in the adopted record (%x)",
		   ret, mask[0], (uint64_t)r1->preempted);
	} else {
		skip("FlushTLBOthers with an adopted record",
		     "no PV_TLB_FLUSH: FlushTLBOthers answers NONE");
	}

	begin("AdoptStealTime(cpu, NULL) forgets the record");
	a = adopt(1, NULL);
	mask[0] = 2;
	r1->preempted = KVM_VCPU_PREEMPTED;
	ret = rom(VMI_CALL_FLUSH_TLB_OTHERS) ?
		(int64_t)CALL(FLUSH_TLB_OTHERS, S(), mask, 2) : 1;
	ok(a == 0 && preempted(1) == 0 && steal(1) == 0 && ret == 1 &&
	   mask[0] == 2,
	   "AdoptStealTime(1, NULL) = %d: slot 1 reads not registered again", a);

	adopt_registered();
}
