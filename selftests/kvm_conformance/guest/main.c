// SPDX-License-Identifier: GPL-2.0
/*
 * The guest suite: vCPU0 runs every test in turn (their order is the
 * order of the TAP results), vCPU1 serves the cross-CPU tests
 * (lib/guest/ap.c).  lib/guest/entry.S calls guest_main on each vCPU.
 */
#include "guest.h"

static const uint32_t cpuid_leaves[][2] = {
	{ 0, 0 }, { 1, 0 }, { 7, 0 }, { 0xd, 0 }, { 0xd, 1 },
	{ 0x40000000, 0 }, { 0x40000001, 0 }, { 0x40000100, 0 },
	{ 0x80000000, 0 }, { 0x80000001, 0 }, { 0x80000008, 0 },
};

static void test_init(void)
{
	struct vmi_init_args a = { 0 }, bad = { 0 };
	vmi_fn(INIT) init = (vmi_fn(INIT))(MB->rom_base + VMI_OFF_INIT);
	void *state = (void *)MB->state_gpa;
	struct vmi_relocation r;
	int64_t ret;

	begin("GetRelocationInfo before VMI_Init");
	r = reloc(VMI_CALL_CPUID);
	ok(r.type == VMI_RELOCATION_NONE && r.address == 0,
	   "GetRelocationInfo before VMI_Init answers NONE (type %u addr %x)",
	   r.type, r.address);

	begin("VMI_Init error returns");
	a.size = sizeof(a);
	bad.size = 8;
	ret = init((void *)((char *)state + 8), MB->state_size, &a);
	ok(init((void *)((char *)state + 8), MB->state_size, &a) == VMI_INIT_EINVAL &&
	   init(state, 16, &a) == VMI_INIT_EINVAL &&
	   init(state, MB->state_size, &bad) == VMI_INIT_EARGS,
	   "VMI_Init rejects a misaligned/small state (-1) and short args (-2) (%d)",
	   ret);

	begin("VMI_Init");
	a.state_phys = MB->state_gpa;
	a.tsc_khz = MB->tsc_khz;
	ret = init(state, MB->state_size, &a);
	MB->init_ret = ret;
	ok(ret == VMI_INIT_OK, "VMI_Init returns 0 (%d)", ret);
}

static void test_tables(void)
{
	uint64_t n, bad = 0;
	vmi_fn(GET_BACKEND) backend;

	begin("GetRelocationInfo 0..85");
	for (n = 0; n < NRELOC; n++) {
		struct vmi_relocation r = reloc(n);

		MB->reloc_addr[n] = r.address;
		MB->reloc_type[n] = r.type;
	}
	begin("GetBackend 0..85");
	backend = vmi_call(GET_BACKEND, rom(VMI_CALL_GET_BACKEND));
	for (n = 0; n < NRELOC; n++)
		MB->backend[n] = backend ? backend(S(), n) : ~0ULL;
	ucall(EV_TABLES);

	for (n = VMI_CALL_COUNT; n < NRELOC; n++)
		if (MB->reloc_type[n] != VMI_RELOCATION_NONE || MB->reloc_addr[n])
			bad |= 1ULL << (n - VMI_CALL_COUNT);
	ok(!bad, "unknown call numbers %u..%u answer NONE with address 0",
	   (uint64_t)VMI_CALL_COUNT, (uint64_t)NRELOC - 1);
}

static void test_cpuid(void)
{
	uint32_t n[4], r[4];
	unsigned int i, bad = 0, kvm;

	begin("CPUID through the ROM");
	for (i = 0; i < ARRAY_SIZE(cpuid_leaves); i++) {
		cpuid(cpuid_leaves[i][0], cpuid_leaves[i][1], n);
		rom_cpuid((void *)rom(VMI_CALL_CPUID), cpuid_leaves[i][0],
			  cpuid_leaves[i][1], r);
		if (n[0] != r[0] || n[1] != r[1] || n[2] != r[2] || n[3] != r[3]) {
			bad++;
			diag("leaf %x.%u: native %x %x %x %x, ROM %x %x %x %x",
			     (uint64_t)cpuid_leaves[i][0], (uint64_t)cpuid_leaves[i][1],
			     (uint64_t)n[0], (uint64_t)n[1], (uint64_t)n[2], (uint64_t)n[3],
			     (uint64_t)r[0], (uint64_t)r[1], (uint64_t)r[2], (uint64_t)r[3]);
		}
	}
	ok(!bad, "CPUID through the ROM equals native CPUID (%u leaves)",
	   (uint64_t)i);

	cpuid(0x40000000, 0, n);
	kvm = n[1] == 0x4b4d564b && n[2] == 0x564b4d56 && n[3] == 0x4d;
	cpuid(0x40000001, 0, r);
	if (MB->pv)
		ok(kvm && r[0] == MB->kvm_features,
		   "guest sees KVMKVMKVM at 0x40000000 and the features the VMM set (%x)",
		   (uint64_t)r[0]);
	else
		ok(!kvm, "guest sees no KVM signature at 0x40000000 (hidden)");
	cpuid(0, 0, n);
	if (!(n[1] == 0x68747541 && n[3] == 0x69746e65 && n[2] == 0x444d4163))
		diag("vendor is not AuthenticAMD: the ROM uses vmcall");

	begin("clobbers of CPUID");
	ok(!(clobber_probe((void *)rom(VMI_CALL_CPUID), 0) & ~0xfULL),
	   "CPUID through the ROM changes only eax, ebx, ecx, edx");
}

static void test_cr_dr(void)
{
	uint64_t v, cr4 = MB->cr4;

	begin("GetCR0/3/4");
	v = CALL(GET_CR0);
	ok(v == MB->cr0, "GetCR0 = %x, the CR0 the VMM set (%x)", v, MB->cr0);
	v = CALL(GET_CR3);
	ok(v == MB->cr3, "GetCR3 = %x, the CR3 the VMM set (%x)", v, MB->cr3);
	v = CALL(GET_CR4);
	ok(v == MB->cr4, "GetCR4 = %x, the CR4 the VMM set (%x)", v, MB->cr4);

	begin("SetCR2/GetCR2");
	CALL(SET_CR2, 0x123456789abcULL);
	v = CALL(GET_CR2);
	ok(v == 0x123456789abcULL, "SetCR2 then GetCR2 round-trips (%x)", v);

	begin("GetDR7/SetDR");
	v = CALL(GET_DR, 7);
	ok((v & 0xffffffff0000dcffULL) == 0x400,
	   "GetDR(7) = %x: reserved bits sane, no breakpoint enabled", v);
	CALL(SET_DR, 0, 0x1000);
	CALL(SET_DR, 3, 0x3000);
	ok(CALL(GET_DR, 0) == 0x1000 && CALL(GET_DR, 3) == 0x3000,
	   "SetDR(0/3) then GetDR(0/3) round-trip");

	begin("SetCR0/SetCR3/SetCR4/CLTS");
	CALL(SET_CR0, CALL(GET_CR0));
	CALL(SET_CR3, CALL(GET_CR3));
	CALL(SET_CR4, cr4 & ~0x80ULL);	/* PGE off ... */
	v = CALL(GET_CR4);
	CALL(SET_CR4, cr4);		/* ... and on again */
	CALL(SET_CR0, MB->cr0 | 8);	/* TS */
	CALL(CLTS);
	ok(v == (cr4 & ~0x80ULL) && CALL(GET_CR4) == cr4 &&
	   CALL(GET_CR0) == MB->cr0 && CALL(GET_CR3) == MB->cr3,
	   "SetCR0/SetCR3/SetCR4 (PGE off/on) and CLTS take effect, no fault");
}

static void test_tlb(void)
{
	volatile uint64_t *pt = (volatile uint64_t *)MB->pt_gpa;
	volatile uint32_t *va = (volatile uint32_t *)TLB_VA;
	uint32_t a, b, c, d;

	*(volatile uint32_t *)GPA_TLB_P1 = 0x11111111;
	*(volatile uint32_t *)GPA_TLB_P2 = 0x22222222;

	begin("SetPxE + InvalPage");
	a = *va;				/* P1, now cached in the TLB */
	CALL(SET_PXE, GPA_TLB_P2 | 3, (uint64_t *)&pt[0], 0);
	CALL(INVAL_PAGE, TLB_VA);
	b = *va;
	ok(a == 0x11111111 && b == 0x22222222,
	   "SetPxE + InvalPage remaps a page (%x -> %x)", (uint64_t)a, (uint64_t)b);

	begin("FlushTLB");
	CALL(SET_PXE_LONG, GPA_TLB_P1 | 3, (uint64_t *)&pt[0], 0);
	CALL(FLUSH_TLB, VMI_FLUSH_TLB);
	c = *va;
	CALL(SET_PXE, GPA_TLB_P2 | 0x103, (uint64_t *)&pt[0], 0);	/* global */
	CALL(FLUSH_TLB, VMI_FLUSH_TLB | VMI_FLUSH_GLOBAL);
	d = *va;
	ok(c == 0x11111111 && d == 0x22222222 &&
	   CALL(GET_CR4) == MB->cr4,
	   "FlushTLB(TLB) and FlushTLB(TLB|GLOBAL) drop stale entries, CR4 restored");
}

static void test_time(void)
{
	uint64_t t0, t, prev, r, a, s, bad = 0, i, hz;

	begin("RDTSC");
	t0 = rdtsc();
	prev = 0;
	for (i = 0; i < 64; i++) {
		t = CALL(RDTSC);
		if (t < prev)
			bad++;
		prev = t;
	}
	ok(!bad && t0 <= prev && prev <= rdtsc(),
	   "RDTSC through the ROM is monotonic and between native reads");

	begin("GetCycleCounter");
	prev = 0;
	for (i = 0; i < 32; i++) {
		r = CALL(GET_CYCLE_COUNTER, S(), VMI_CYCLES_REAL, 0);
		a = CALL(GET_CYCLE_COUNTER, S(), VMI_CYCLES_AVAILABLE, 0);
		if (r < prev || a > CALL(GET_CYCLE_COUNTER, S(),
				       VMI_CYCLES_REAL, 0))
			bad++;
		prev = r;
	}
	s = CALL(GET_CYCLE_COUNTER, S(), VMI_CYCLES_STOLEN, 0);
	ok(!bad && prev <= rdtsc() && prev > t0,
	   "GetCycleCounter: REAL monotonic, AVAILABLE <= REAL (stolen %u)", s);

	begin("GetCycleFrequency");
	if (!rom(VMI_CALL_GET_CYCLE_FREQUENCY)) {
		ok(0, "GetCycleFrequency answers NONE although tsc_khz was given");
	} else {
		hz = CALL(GET_CYCLE_FREQUENCY, S());
		ok(hz == (uint64_t)MB->tsc_khz * 1000,
		   "GetCycleFrequency = %u Hz = VMI_Init's tsc_khz * 1000", hz);
	}
}

static void test_flags(void)
{
	uint64_t m0, m1, m2, m3, c;

	begin("interrupt-flag calls");
	CALL(DISABLE_INTERRUPTS);
	m0 = CALL(GET_INTERRUPT_MASK);
	CALL(ENABLE_INTERRUPTS);
	m1 = CALL(GET_INTERRUPT_MASK);
	CALL(SET_INTERRUPT_MASK, 0);
	m2 = CALL(GET_INTERRUPT_MASK);
	CALL(SET_INTERRUPT_MASK, VMI_INTERRUPT_MASK_IF);
	m3 = CALL(GET_INTERRUPT_MASK);
	CALL(DISABLE_INTERRUPTS);
	ok(!(m0 & 0x200) && (m1 & 0x200) && !(m2 & 0x200) && (m3 & 0x200),
	   "Disable/Enable/SetInterruptMask/GetInterruptMask control IF");

	begin("interrupt-flag call clobbers");
	c = clobber_probe((void *)rom(VMI_CALL_ENABLE_INTERRUPTS), 0);
	c |= clobber_probe((void *)rom(VMI_CALL_DISABLE_INTERRUPTS), 0);
	c |= clobber_probe((void *)rom(VMI_CALL_SET_INTERRUPT_MASK), 0x200);
	c |= clobber_probe((void *)rom(VMI_CALL_SET_INTERRUPT_MASK), 0);
	c |= clobber_probe((void *)rom(VMI_CALL_GET_INTERRUPT_MASK), 0) & ~1ULL;
	ok(!c, "Enable/Disable/SetInterruptMask clobber nothing, GetInterruptMask only rax (%x)",
	   c);

	begin("IRET (JUMP_REL)");
	ok(MB->reloc_type[VMI_CALL_IRET] == VMI_RELOCATION_JUMP_REL &&
	   iret_probe((void *)rom(VMI_CALL_IRET)) == 1,
	   "IRET is JUMP_REL and returns through an IRETQ frame");

	begin("SetIOPLMask");
	CALL(SET_IOPL_MASK, 0x3000);
	m0 = CALL(GET_INTERRUPT_MASK);
	CALL(SET_IOPL_MASK, 0);
	m1 = CALL(GET_INTERRUPT_MASK);
	ok((m0 & 0x3000) == 0x3000 && !(m1 & 0x3000),
	   "SetIOPLMask sets and clears RFLAGS.IOPL");
}

static void test_descriptors(void)
{
	struct dtr g = { 0 }, i = { 0 }, i2;
	uint64_t desc = 0x00cf93000000ffffULL, *gdt = (uint64_t *)MB->gdt_base;
	struct gate gt;

	begin("GetGDT/GetIDT/GetTR/GetLDT");
	CALL(GET_GDT, &g);
	CALL(GET_IDT, &i);
	ok(g.base == MB->gdt_base && g.limit == MB->gdt_limit &&
	   i.base == (uint64_t)idt && i.limit == sizeof(idt) - 1 &&
	   CALL(GET_TR) == MB->tr_sel && CALL(GET_LDT) == 0,
	   "GetGDT/GetIDT/GetTR/GetLDT return what was loaded");

	begin("SetGDT/SetIDT");
	CALL(SET_GDT, &g);
	i2 = i;
	CALL(SET_IDT, &i2);
	CALL(GET_IDT, &i2);
	ok(i2.base == i.base && i2.limit == i.limit, "SetGDT/SetIDT reload the tables");

	begin("WriteGDTEntry/WriteIDTEntry");
	CALL(WRITE_GDT_ENTRY, gdt, GDT_SPARE, &desc, 8);
	set_gate(&gt, (uint64_t)irq_f0);
	CALL(WRITE_IDT_ENTRY, idt, 0xf3, &gt);
	ok(gdt[GDT_SPARE] == desc &&
	   ((uint64_t *)idt)[0xf3 * 2] == ((uint64_t *)&gt)[0] &&
	   ((uint64_t *)idt)[0xf3 * 2 + 1] == ((uint64_t *)&gt)[1],
	   "WriteGDTEntry/WriteIDTEntry store the descriptors");
}

static void test_msr_io_apic(void)
{
	uint8_t ob[4] = { 1, 2, 3, 4 }, ib[4] = { 0 };
	uint32_t n0;
	uint64_t v, pat, pat2;

	begin("RDMSR/WRMSR");
	v = CALL(RDMSR, 0x1b);
	/*
	 * Round-trip through PAT (0x277), which SVM switches on every VMRUN.
	 * KERNEL_GS_BASE, tried first, is VMSAVE/VMLOAD state that KVM swaps
	 * lazily, and once read back stale under nested SVM emulated by TCG.
	 * Only entry 7 changes (UC -> WC); no page table here selects it.
	 */
	pat = CALL(RDMSR, 0x277);
	CALL(WRMSR, 0x277, (pat & ~(0xffULL << 56)) | (1ULL << 56));
	pat2 = CALL(RDMSR, 0x277);
	CALL(WRMSR, 0x277, pat);
	ok((v & ~0xfffULL) == APIC_GPA && (v & 0x900) == 0x900 &&
	   pat2 == ((pat & ~(0xffULL << 56)) | (1ULL << 56)) &&
	   CALL(RDMSR, 0x277) == pat,
	   "RDMSR(APIC_BASE) = %x (enabled BSP), WRMSR/RDMSR round-trip", v);

	begin("I/O calls");
	n0 = MB->io_count;
	CALL(OUTB, 0xab, PORT_TEST);
	CALL(OUTW, 0xabcd, PORT_TEST);
	CALL(OUTL, 0xabcdef01, PORT_TEST);
	CALL(OUTSB, PORT_TEST, ob, 4);
	ok(MB->io_count == n0 + 7 &&
	   MB->io_size[n0] == 1 && MB->io_val[n0] == 0xab &&
	   MB->io_size[n0 + 1] == 2 && MB->io_val[n0 + 1] == 0xabcd &&
	   MB->io_size[n0 + 2] == 4 && MB->io_val[n0 + 2] == 0xabcdef01 &&
	   MB->io_val[n0 + 3] == 1 && MB->io_val[n0 + 6] == 4,
	   "OUTB/OUTW/OUTL/OUTSB reach the VMM with the right size and value");
	CALL(INSB, PORT_TEST, ib, 4);
	ok(CALL(INB, PORT_TEST) == (MB->io_in & 0xff) &&
	   CALL(INW, PORT_TEST) == (MB->io_in & 0xffff) &&
	   CALL(INL, PORT_TEST) == MB->io_in &&
	   ib[0] == (MB->io_in & 0xff) && ib[3] == (MB->io_in & 0xff),
	   "INB/INW/INL/INSB return what the VMM answered");

	begin("IODelay/WBINVD/NOP calls");
	CALL(IO_DELAY);
	CALL(WBINVD);
	{
		static const uint8_t nops[] = {
			VMI_CALL_UPDATE_KERNEL_STACK, VMI_CALL_UPDATE_PXE,
			VMI_CALL_UPDATE_PXE_LONG, VMI_CALL_MACHINE_TO_PHYSICAL,
			VMI_CALL_PHYSICAL_TO_MACHINE, VMI_CALL_ALLOCATE_PAGE,
			VMI_CALL_RELEASE_PAGE, VMI_CALL_SET_LINEAR_MAPPING,
			VMI_CALL_SET_LAZY_MODE,
		};
		unsigned int k, bad = 0;

		for (k = 0; k < sizeof(nops); k++) {
			if (MB->reloc_type[nops[k]] != VMI_RELOCATION_NOP)
				bad++;
			else
				/* no arguments (include/vmi/calls.h) */
				((void (*)(void))rom(nops[k]))();
		}
		ok(!bad, "IODelay, WBINVD and the %u NOP relocations return",
		   (uint64_t)k);
	}

	begin("APICRead");
	v = CALL(APIC_READ, APIC_VERSION, APIC_MAP);
	ok(CALL(APIC_READ, APIC_ID, APIC_MAP) >> 24 == 0 &&
	   (v & 0xff) >= 0x10 && ((v >> 16) & 0xff) >= 3,
	   "APICRead(ID) = 0 on vCPU0, APICRead(VERSION) = %x", v);
}

static void test_ipi_native(void)
{
	uint32_t seq;
	int acked, done;

	begin("APICWrite(ICR) IPI to vCPU1");
	MB->ap_irq_vector = 0;
	acked = ap_command(AP_CMD_IPI, &seq);
	delay_ms(5);		/* let it reach hlt */
	CALL(APIC_WRITE, APIC_ICR_HI, 1u << 24, APIC_MAP);
	CALL(APIC_WRITE, APIC_ICR_LO, 0x4000 | VEC_NATIVE_IPI, APIC_MAP);
	done = ap_wait_done(seq, 2000);
	ok(acked && done && MB->ap_irq_vector == VEC_NATIVE_IPI,
	   "APICWrite(ICR) IPI wakes vCPU1 from VMI Halt with vector %x (got %x)",
	   (uint64_t)VEC_NATIVE_IPI, (uint64_t)MB->ap_irq_vector);
}

static void test_pv(void)
{
	uint64_t bitmap[2] = { 2, 0 }, mask[1];
	uint32_t seq;
	int64_t ret;
	int acked, done, early;

	begin("SendIPIMask (75)");
	MB->ap_irq_vector = 0;
	acked = ap_command(AP_CMD_IPI, &seq);
	delay_ms(5);
	ret = (int64_t)CALL(SEND_IPI_MASK, S(), bitmap, 128,
			  0x4000 | VEC_PV_IPI);
	done = ap_wait_done(seq, 2000);
	ok(acked && done && ret == 1 && MB->ap_irq_vector == VEC_PV_IPI,
	   "SendIPIMask reaches %d vCPU and vCPU1 takes vector %x (got %x)",
	   ret, (uint64_t)VEC_PV_IPI, (uint64_t)MB->ap_irq_vector);

	begin("KickCPU (76) / SpinWait (79)");
	MB->spin_byte = 0;
	acked = ap_command(AP_CMD_SPIN, &seq);
	delay_ms(20);
	early = MB->ap_woken;
	ret = (int64_t)CALL(KICK_CPU, S(), 1);
	done = ap_wait_done(seq, 2000);
	ok(acked && !early && done && MB->ap_woken && ret == 0,
	   "KickCPU (ret %d) wakes vCPU1 halted in SpinWait (still halted before: %d)",
	   ret, (int64_t)!early);

	begin("YieldToCPU (77)");
	ret = (int64_t)CALL(YIELD_TO_CPU, S(), 1);
	ok(ret == 0, "YieldToCPU(1) returns 0 (%d)", ret);

	if (!rom(VMI_CALL_REGISTER_STEAL_TIME))
		return;

	begin("FlushTLBOthers (74)");
	mask[0] = 3;
	ret = (int64_t)CALL(FLUSH_TLB_OTHERS, S(), mask, 2);
	ok(ret == 2 && mask[0] == 3,
	   "FlushTLBOthers leaves running/unregistered CPUs for the caller (%d)", ret);
}

static void test_steal(void)
{
	uint64_t s0, s1, st, r, a, end, polls = 0;
	int64_t ret;

	begin("RegisterStealTime (81)");
	ret = (int64_t)CALL(REGISTER_STEAL_TIME, S(), 0, 1);
	ok(ret == 0 && (int64_t)CALL(REGISTER_STEAL_TIME, S(), 5, 1) == -1,
	   "RegisterStealTime(0) = 0, out-of-range CPU = -1");
	s0 = CALL(STEAL_CLOCK, S(), 0);

	begin("StealClock (80) under host load");
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

/* The clock a retrofitted clocksource reads, and the PV EOI word. */
static void test_clock_eoi(void)
{
	uint64_t t0, t1;
	int64_t ret;

	begin("RegisterSystemTime (85), SystemTime (86)");
	ret = (int64_t)CALL(REGISTER_SYSTEM_TIME, S(), 0, 1);
	ok(ret == 0 &&
	   (int64_t)CALL(REGISTER_SYSTEM_TIME, S(), 5, 1) == -1,
	   "RegisterSystemTime(0) = 0, out-of-range CPU = -1");
	t0 = CALL(SYSTEM_TIME, S(), 0);
	delay_ms(50);
	t1 = CALL(SYSTEM_TIME, S(), 0);
	ok(t0 > 0 && t1 >= t0 + 25000000 && t1 < t0 + 5000000000ULL,
	   "SystemTime runs: %u ns across a 50 ms TSC delay", t1 - t0);
	ok(CALL(SYSTEM_TIME, S(), 1) == 0,
	   "SystemTime of an unregistered slot answers 0");
	ret = (int64_t)CALL(REGISTER_SYSTEM_TIME, S(), 0, 0);
	ok(ret == 0 && CALL(SYSTEM_TIME, S(), 0) == 0,
	   "RegisterSystemTime(0, disable) = 0, SystemTime then answers 0");

	if (!rom(VMI_CALL_REGISTER_PV_EOI))
		return;
	begin("RegisterPVEOI (83)");
	ok((int64_t)CALL(REGISTER_PV_EOI, S(), 0, 1) == 0 &&
	   (int64_t)CALL(REGISTER_PV_EOI, S(), 5, 1) == -1 &&
	   (int64_t)CALL(REGISTER_PV_EOI, S(), 0, 0) == 0,
	   "RegisterPVEOI(0) on and off = 0, out-of-range CPU = -1");
}

static void bsp_main(void)
{
	setup_idt();
	apic_enable();
	diag("ROM at %x (%u bytes), KVM PV leaves %s", MB->rom_base,
	     MB->rom_len, MB->pv ? "exposed" : "hidden");
	test_init();
	if (MB->init_ret)
		goto out;
	test_tables();
	test_cpuid();
	test_cr_dr();
	test_tlb();
	test_time();
	test_flags();
	test_descriptors();
	test_msr_io_apic();

	begin("vCPU1 online");
	ok(wait_change(&MB->ap_online, 0, 5000), "vCPU1 came up in long mode");
	if (!MB->ap_online)
		goto out;
	test_ipi_native();
	if (MB->pv) {
		test_pv();
		if (rom(VMI_CALL_REGISTER_STEAL_TIME))
			test_steal();
		if (rom(VMI_CALL_REGISTER_SYSTEM_TIME))
			test_clock_eoi();
	}
out:
	begin("done");
	ucall(EV_DONE);
}

void guest_main(uint64_t cpu)
{
	if (cpu == 0)
		bsp_main();
	else
		ap_main();
}
