// SPDX-License-Identifier: GPL-2.0
/*
 * Runs the real ROM in-process (read-only, executable copies) to test the
 * ABI from the caller's side: VMI_Init's argument checks, relocations
 * identical at two load addresses (position independence) and starting
 * with ENDBR64 (IBT), every return site retargeted to another thunk as
 * the module does it, Halt's VERW under VMI_INIT_IDLE_VERW, the
 * no-hypervisor backend table, the force-native bitmap, the calls
 * that are legal at CPL3, and, where this host shows KVM's steal time,
 * the KVM backend's use of an adopted steal-time record (AdoptStealTime
 * and its readers touch no MSR).  Built with -mno-red-zone: the inline
 * "call" below pushes a return address where a red zone would be.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <cpuid.h>
#include <x86intrin.h>

#include "../../include/vmi/abi.h"
#include "../../include/vmi/romcheck.h"
#include "../../include/vmi/names.h"
#include "../../tools/vmirom/probe.h"
#include "../lib/tap.h"
/* The state block's private layout: a slot RegisterStealTime enabled. */
#include "../../rom/rom.h"

#define LAST	(VMI_CALL_COUNT - 1 + 2)	/* past the last call */
#define HINT_A	((void *)0x10000000UL)
#define HINT_B	((void *)0x23457000UL)

static uint8_t *img;
static size_t img_len;

static void load(const char *path)
{
	FILE *f = fopen(path, "rb");

	if (!f) {
		perror(path);
		exit(2);
	}
	img = malloc(256 * VMI_ROM_BLOCK);
	img_len = fread(img, 1, 256 * VMI_ROM_BLOCK, f);
	fclose(f);
}

static void *fn(struct vmi_probe *p, unsigned long call)
{
	struct vmi_relocation r = vmi_probe_reloc(p, call);

	return r.type == VMI_RELOCATION_CALL_REL ? (void *)(uintptr_t)r.address : NULL;
}

static int map_init(struct vmi_probe *p, void *hint, uint32_t flags)
{
	struct vmi_init_args a = { .size = sizeof(a), .flags = flags };

	return vmi_probe_map(p, img, img_len, hint) ||
	       vmi_probe_init(p, &a, 4) || p->init_ret;
}

static void test_init_arguments(void)
{
	struct vmi_init_args bad_flags = { .size = sizeof(bad_flags), .flags = 0x80 };
	struct vmi_init_args next_flag = { .size = sizeof(next_flag), .flags = 0x4 };
	struct vmi_init_args old_size = { .size = 8 };
	struct vmi_probe p;
	vmi_fn(INIT) init;
	void *st;

	if (vmi_probe_map(&p, img, img_len, NULL)) {
		tap_ok(0, "map ROM");
		return;
	}
	init = (vmi_fn(INIT))(void *)(p.base + VMI_OFF_INIT);
	st = aligned_alloc(64, 4096);
	tap_ok(init(NULL, 4096, NULL) == VMI_INIT_EINVAL, "VMI_Init rejects NULL state");
	tap_ok(init((void *)((uint8_t *)st + 8), 1024, NULL) == VMI_INIT_EINVAL,
	       "VMI_Init rejects a state block not aligned to 64");
	tap_ok(init(st, 64, NULL) == VMI_INIT_EINVAL, "VMI_Init rejects a too small state");
	tap_ok(init(st, 4096, &bad_flags) == VMI_INIT_EARGS &&
	       init(st, 4096, &next_flag) == VMI_INIT_EARGS, "VMI_Init rejects unknown flags");
	tap_ok(init(st, 4096, &old_size) == VMI_INIT_EARGS, "VMI_Init rejects short args");
	tap_ok(init(st, 4096, NULL) == VMI_INIT_OK, "VMI_Init accepts NULL args");
	free(st);

	/* Before VMI_Init the state is garbage: everything must be NONE. */
	p.state = aligned_alloc(64, 4096);
	memset(p.state, 0x5a, 4096);
	{
		unsigned long c, none = 0;

		for (c = 0; c <= LAST; c++)
			none += vmi_probe_reloc(&p, c).type == VMI_RELOCATION_NONE;
		tap_ok(none == LAST + 1, "uninitialised state: every call NONE");
	}
	vmi_probe_unmap(&p);
}

static void test_two_addresses(void)
{
	static const uint8_t endbr64[] = { 0xf3, 0x0f, 0x1e, 0xfa };
	struct vmi_probe a, b;
	unsigned long c, diff = 0, outside = 0, no_endbr = 0;

	if (map_init(&a, HINT_A, VMI_INIT_NO_HYPERVISOR) ||
	    map_init(&b, HINT_B, VMI_INIT_NO_HYPERVISOR)) {
		tap_ok(0, "ROM maps and initialises at %p and %p", HINT_A, HINT_B);
		return;
	}
	tap_ok(a.base == HINT_A && b.base == HINT_B,
	       "ROM maps and initialises at %p and %p", HINT_A, HINT_B);
	for (c = 0; c <= LAST; c++) {
		struct vmi_relocation ra = vmi_probe_reloc(&a, c);
		struct vmi_relocation rb = vmi_probe_reloc(&b, c);

		if (ra.type != rb.type ||
		    (ra.address && ra.address - (uintptr_t)a.base !=
		     rb.address - (uintptr_t)b.base))
			diff++;
		if (ra.type == VMI_RELOCATION_NONE)
			continue;
		if (ra.address < (uintptr_t)a.base ||
		    ra.address + sizeof(endbr64) > (uintptr_t)a.base + a.len)
			outside++;
		else if (memcmp((void *)(uintptr_t)ra.address, endbr64,
				sizeof(endbr64)))
			no_endbr++;
	}
	tap_ok(!diff, "relocations 0..%d identical relative to both copies", LAST);
	tap_ok(!outside, "every relocation points into the ROM copy");
	tap_ok(!no_endbr, "every relocation target starts with ENDBR64 (%lu do not)",
	       no_endbr);
	vmi_probe_unmap(&a);
	vmi_probe_unmap(&b);
}

static int expect(struct vmi_probe *p, unsigned long call,
		  unsigned long type, unsigned long backend)
{
	struct vmi_relocation r = vmi_probe_reloc(p, call);
	unsigned long got = vmi_probe_backend(p, call);

	if (r.type == type && got == backend)
		return 1;
	tap_diag("%s (%lu): %s/%s, want %s/%s", vmi_call_name(call), call,
		 vmi_relocation_name(r.type), vmi_backend_name(got),
		 vmi_relocation_name(type), vmi_backend_name(backend));
	return 0;
}

static void test_native_table(void)
{
	static const unsigned long nops[] = {
		VMI_CALL_UPDATE_KERNEL_STACK, VMI_CALL_UPDATE_PXE,
		VMI_CALL_UPDATE_PXE_LONG, VMI_CALL_MACHINE_TO_PHYSICAL,
		VMI_CALL_PHYSICAL_TO_MACHINE, VMI_CALL_ALLOCATE_PAGE,
		VMI_CALL_RELEASE_PAGE, VMI_CALL_SET_LINEAR_MAPPING,
		VMI_CALL_SET_LAZY_MODE,
	};
	static const unsigned long nones[] = {
		VMI_CALL_SYSEXIT, VMI_CALL_REBOOT, VMI_CALL_SHUTDOWN,
		VMI_CALL_SET_INITIAL_AP_STATE, VMI_CALL_SET_ALARM,
		VMI_CALL_CANCEL_ALARM, VMI_CALL_GET_WALLCLOCK_TIME,
		VMI_CALL_WALLCLOCK_UPDATED, VMI_CALL_SET_CALLBACKS,
	};
	struct vmi_probe p;
	unsigned long c;
	int ok = 1;
	size_t i;

	if (map_init(&p, NULL, VMI_INIT_NO_HYPERVISOR)) {
		tap_ok(0, "ROM initialises without hypervisor");
		return;
	}
	for (c = 0; c <= LAST; c++)
		if (vmi_probe_backend(&p, c) == VMI_BACKEND_KVM) {
			tap_diag("%s uses the KVM backend", vmi_call_name(c));
			ok = 0;
		}
	tap_ok(ok, "no-hypervisor probe: no call uses the KVM backend");

	ok = expect(&p, VMI_CALL_CPUID, VMI_RELOCATION_CALL_REL, VMI_BACKEND_NATIVE) &
	     expect(&p, VMI_CALL_RDTSC, VMI_RELOCATION_CALL_REL, VMI_BACKEND_NATIVE) &
	     expect(&p, VMI_CALL_HALT, VMI_RELOCATION_CALL_REL, VMI_BACKEND_NATIVE) &
	     expect(&p, VMI_CALL_FLUSH_TLB, VMI_RELOCATION_CALL_REL, VMI_BACKEND_NATIVE) &
	     expect(&p, VMI_CALL_IO_DELAY, VMI_RELOCATION_CALL_REL, VMI_BACKEND_NATIVE) &
	     expect(&p, VMI_CALL_GET_CYCLE_COUNTER, VMI_RELOCATION_CALL_REL, VMI_BACKEND_NATIVE);
	tap_ok(ok, "privileged operations map to native code");
	tap_ok(expect(&p, VMI_CALL_IRET, VMI_RELOCATION_JUMP_REL, VMI_BACKEND_NATIVE),
	       "IRET is a JUMP_REL target");
	for (i = 0, ok = 1; i < sizeof(nops) / sizeof(nops[0]); i++)
		ok &= expect(&p, nops[i], VMI_RELOCATION_NOP, VMI_BACKEND_NOP);
	tap_ok(ok, "identity/notification calls answer NOP");
	for (i = 0, ok = 1; i < sizeof(nones) / sizeof(nones[0]); i++)
		ok &= expect(&p, nones[i], VMI_RELOCATION_NONE, VMI_BACKEND_NONE);
	tap_ok(ok, "calls left to the kernel answer NONE");
	for (c = VMI_CALL_FLUSH_TLB_OTHERS, ok = 1; c < VMI_CALL_GET_BACKEND; c++)
		ok &= expect(&p, c, VMI_RELOCATION_NONE, VMI_BACKEND_NONE);
	tap_ok(ok, "appended PV calls answer NONE without KVM");
	tap_ok(expect(&p, VMI_CALL_GET_BACKEND, VMI_RELOCATION_CALL_REL, VMI_BACKEND_ROM),
	       "GetBackend is available");
	for (c = VMI_CALL_COUNT, ok = 1; c <= LAST + 1000; c++)
		ok &= vmi_probe_reloc(&p, c).type == VMI_RELOCATION_NONE &&
		      vmi_probe_reloc(&p, c).address == 0;
	ok &= vmi_probe_reloc(&p, ~0UL).type == VMI_RELOCATION_NONE;
	tap_ok(ok, "unknown call numbers answer NONE");
	vmi_probe_unmap(&p);
}

/* CPUID through the ROM: native register semantics, not SysV. */
static void rom_cpuid(void *f, uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	asm volatile("call *%4"
		     : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
		     : "r"(f), "a"(leaf), "c"(sub)
		     : "memory");
}

static void test_unprivileged_calls(void)
{
	uint64_t (*rdtsc)(void), (*mask)(void), (*freq)(void *);
	uint64_t (*cycles)(void *, uint64_t, uint64_t);
	void (*set_pxe)(uint64_t, uint64_t *, uint64_t);
	void (*gdt_entry)(void *, uint64_t, const void *, uint64_t);
	void (*idt_entry)(void *, uint64_t, const void *);
	uint64_t t0, t1, t2, real, avail, pte = 0, table[8] = { 0 };
	const uint64_t desc[2] = { 0x1122334455667788ULL, 0x99aabbccddeeff00ULL };
	uint32_t want[4], got[4];
	struct vmi_probe p;
	int ok;

	if (map_init(&p, NULL, VMI_INIT_NO_HYPERVISOR)) {
		tap_ok(0, "ROM initialises without hypervisor");
		return;
	}
	__cpuid_count(0, 0, want[0], want[1], want[2], want[3]);
	rom_cpuid(fn(&p, VMI_CALL_CPUID), 0, 0, got);
	ok = !memcmp(want, got, sizeof(want));
	__cpuid_count(7, 0, want[0], want[1], want[2], want[3]);
	rom_cpuid(fn(&p, VMI_CALL_CPUID), 7, 0, got);
	tap_ok(ok && !memcmp(want, got, sizeof(want)), "CPUID leaves 0 and 7.0 match");

	rdtsc = fn(&p, VMI_CALL_RDTSC);
	t0 = __rdtsc();
	t1 = rdtsc();
	t2 = __rdtsc();
	tap_ok(t0 <= t1 && t1 <= t2, "RDTSC is monotonic with the TSC");

	cycles = fn(&p, VMI_CALL_GET_CYCLE_COUNTER);
	t0 = cycles(p.state, VMI_CYCLES_REAL, 0);
	avail = cycles(p.state, VMI_CYCLES_AVAILABLE, 0);
	real = cycles(p.state, VMI_CYCLES_REAL, 0);
	tap_ok(t0 <= real && avail <= real && avail >= t0 &&
	       cycles(p.state, VMI_CYCLES_STOLEN, 0) == 0 &&
	       cycles(p.state, 7, 0) == 0,
	       "GetCycleCounter: REAL monotonic, AVAILABLE <= REAL, nothing stolen");

	freq = fn(&p, VMI_CALL_GET_CYCLE_FREQUENCY);
	if (freq)
		tap_ok(freq(p.state) > 1000000, "GetCycleFrequency > 1 MHz");
	else
		tap_skip("CPUID has no TSC frequency here", "GetCycleFrequency");

	mask = fn(&p, VMI_CALL_GET_INTERRUPT_MASK);
	tap_ok(mask() & VMI_INTERRUPT_MASK_IF, "GetInterruptMask sees IF set at CPL3");

	set_pxe = fn(&p, VMI_CALL_SET_PXE);
	set_pxe(0x80000000deadb063ULL, &pte, 0x01);
	tap_ok(pte == 0x80000000deadb063ULL, "SetPxE stores the 64-bit entry");

	gdt_entry = fn(&p, VMI_CALL_WRITE_GDT_ENTRY);
	gdt_entry(table, 2, desc, 8);
	gdt_entry(table, 4, desc, 16);
	idt_entry = fn(&p, VMI_CALL_WRITE_IDT_ENTRY);
	idt_entry(table, 3, desc);
	tap_ok(table[2] == desc[0] && table[3] == 0 && table[4] == desc[0] &&
	       table[5] == desc[1] && table[6] == desc[0] && table[7] == desc[1],
	       "WriteGDTEntry/WriteIDTEntry write 8/16-byte descriptors");
	vmi_probe_unmap(&p);
}

/*
 * A stand-in for the kernel's return thunk: counts the returns that come
 * through it.  It keeps RFLAGS, as the ROM's interrupt-flag calls promise
 * their callers, and is what module/romload/rom.c points the ROM's return sites at.
 */
extern const char test_ret_thunk[];
volatile uint64_t test_ret_count;
asm(".pushsection .text\n"
    ".globl test_ret_thunk\n"
    "test_ret_thunk:\n"
    "	pushfq\n"
    "	lock incq test_ret_count(%rip)\n"
    "	popfq\n"
    "	ret\n"
    ".popsection\n");

/*
 * Retarget every return site of the image, for a copy at @base, to
 * test_ret_thunk, with the helpers the module uses.  0 if out of reach.
 */
static uint8_t *retarget(const struct vmi_rom_info *info, const uint8_t *base)
{
	uint8_t *copy = malloc(img_len);
	uint32_t i;

	memcpy(copy, img, img_len);
	for (i = 0; i < info->ret_sites; i++) {
		uint32_t site = vmi_rom_ret_site(copy, info, i);
		unsigned int len = vmi_rom_ret_site_len(copy, site);
		int64_t rel = (int64_t)(uintptr_t)test_ret_thunk -
			      (int64_t)(uintptr_t)(base + site + len);

		if (rel != (int32_t)rel) {
			free(copy);
			return NULL;
		}
		memcpy(copy + site + len - 4, &(int32_t){ (int32_t)rel }, 4);
	}
	return copy;
}

static void test_retargeted_returns(void)
{
	struct vmi_init_args a = { .size = sizeof(a), .flags = VMI_INIT_NO_HYPERVISOR };
	struct vmi_rom_info info;
	struct vmi_probe p, ref;
	uint64_t (*rdtsc)(void), (*mask)(void), before, n;
	uint8_t *copy = NULL, *hint;
	unsigned long c, diff = 0;
	int tries;

	if (vmi_rom_check(img, img_len, &info) || !info.ret_sites) {
		tap_ok(0, "the ROM has a return-site table");
		return;
	}
	/* A copy within rel32 reach of test_ret_thunk, as module text is of the kernel's. */
	for (tries = 1; tries < 64 && !copy; tries++) {
		hint = (uint8_t *)(((uintptr_t)test_ret_thunk + tries * 0x1000000UL) &
				   ~0xfffUL);
		copy = retarget(&info, hint);
		if (copy && vmi_probe_map(&p, copy, img_len, hint)) {
			free(copy);
			copy = NULL;
		}
	}
	if (!copy) {
		tap_ok(0, "map a retargeted ROM near the test's text");
		return;
	}
	before = test_ret_count;
	if (vmi_probe_init(&p, &a, 4) || p.init_ret) {
		tap_ok(0, "retargeted ROM: VMI_Init works");
		vmi_probe_unmap(&p);
		free(copy);
		return;
	}
	n = test_ret_count - before;
	tap_ok(n > 0, "retargeted ROM: VMI_Init returns through the kernel-side thunk (%llu returns)",
	       (unsigned long long)n);

	if (!map_init(&ref, NULL, VMI_INIT_NO_HYPERVISOR)) {
		for (c = 0; c <= LAST; c++) {
			struct vmi_relocation ra = vmi_probe_reloc(&ref, c);
			struct vmi_relocation rb = vmi_probe_reloc(&p, c);

			if (ra.type != rb.type ||
			    (ra.address && ra.address - (uintptr_t)ref.base !=
			     rb.address - (uintptr_t)p.base))
				diff++;
		}
		vmi_probe_unmap(&ref);
	} else {
		diff = 1;
	}
	tap_ok(!diff, "retargeted ROM: relocations as the original's (%lu differ)", diff);

	rdtsc = fn(&p, VMI_CALL_RDTSC);
	mask = fn(&p, VMI_CALL_GET_INTERRUPT_MASK);
	before = test_ret_count;
	(void)rdtsc();
	n = mask() & VMI_INTERRUPT_MASK_IF;
	tap_ok(test_ret_count - before == 2 && n,
	       "retargeted ROM: RDTSC and GetInterruptMask return once each through it (%llu)",
	       (unsigned long long)(test_ret_count - before));
	vmi_probe_unmap(&p);
	free(copy);
}

/* The target of the rel32 jmp at @p if it is one, else NULL. */
static const uint8_t *jmp_target(const uint8_t *p)
{
	int32_t rel;

	if (p[0] != 0xe9)
		return NULL;
	memcpy(&rel, p + 1, 4);
	return p + 5 + rel;
}

/*
 * VMI_INIT_IDLE_VERW: Halt becomes "verw <__KERNEL_DS>; sti; hlt" and
 * returns through the return thunk; nothing else changes.
 */
static void test_idle_verw(void)
{
	static const uint8_t endbr64[] = { 0xf3, 0x0f, 0x1e, 0xfa };
	struct vmi_probe p, q;
	const uint8_t *h, *v, *t;
	unsigned long c, diff = 0;
	int32_t disp;
	uint16_t sel;

	if (map_init(&p, NULL, VMI_INIT_NO_HYPERVISOR) ||
	    map_init(&q, NULL, VMI_INIT_NO_HYPERVISOR | VMI_INIT_IDLE_VERW)) {
		tap_ok(0, "VMI_Init accepts VMI_INIT_IDLE_VERW");
		return;
	}
	tap_ok(1, "VMI_Init accepts VMI_INIT_IDLE_VERW");
	h = (const uint8_t *)(uintptr_t)vmi_probe_reloc(&p, VMI_CALL_HALT).address;
	v = (const uint8_t *)(uintptr_t)vmi_probe_reloc(&q, VMI_CALL_HALT).address;
	if (!h || !v) {
		tap_ok(0, "Halt is implemented");
		return;
	}
	t = jmp_target(h + 6);
	tap_ok(!memcmp(h, endbr64, 4) && h[4] == 0xfb && h[5] == 0xf4 && t &&
	       t[0] == 0xc3 && t[1] == 0xcc,
	       "Halt without the flag: endbr64; sti; hlt; jmp to the ROM's ret; int3");

	/* verw m16 RIP-relative: 0f 00 /5, ModRM 0x2d, disp32 */
	memcpy(&disp, v + 7, 4);
	t = jmp_target(v + 13);
	tap_ok(!memcmp(v, endbr64, 4) && v[4] == 0x0f && v[5] == 0x00 &&
	       v[6] == 0x2d && v[11] == 0xfb && v[12] == 0xf4 && t &&
	       t[0] == 0xc3 && t[1] == 0xcc,
	       "Halt with VMI_INIT_IDLE_VERW: endbr64; verw mem; sti; hlt; jmp to ret; int3");
	if (v + 11 + disp >= q.base && v + 11 + disp + 2 <= q.base + q.len) {
		memcpy(&sel, v + 11 + disp, 2);
		tap_ok(sel == 0x18, "its VERW operand is __KERNEL_DS 0x18 (got %#x)", sel);
	} else {
		tap_ok(0, "its VERW operand lies inside the ROM");
	}

	for (c = 0; c <= LAST; c++) {
		struct vmi_relocation ra = vmi_probe_reloc(&p, c);
		struct vmi_relocation rb = vmi_probe_reloc(&q, c);

		if (c != VMI_CALL_HALT && (ra.type != rb.type ||
		    (ra.address && ra.address - (uintptr_t)p.base !=
		     rb.address - (uintptr_t)q.base)))
			diff++;
	}
	tap_ok(!diff, "VMI_INIT_IDLE_VERW changes no relocation but Halt's (%lu do)", diff);
	vmi_probe_unmap(&p);
	vmi_probe_unmap(&q);
}

static void test_force_native(void)
{
	struct vmi_init_args a = { .size = sizeof(a) };
	struct vmi_probe p;
	unsigned long c, kvm = 0, still = 0;

	if (vmi_probe_map(&p, img, img_len, NULL) || vmi_probe_init(&p, &a, 4) ||
	    p.init_ret) {
		tap_ok(0, "ROM initialises with this CPU's hypervisor leaves");
		return;
	}
	for (c = 0; c < VMI_CALL_COUNT; c++)
		if (vmi_probe_backend(&p, c) == VMI_BACKEND_KVM) {
			a.force_native[c / 64] |= 1ULL << (c % 64);
			kvm++;
		}
	if (!kvm) {
		tap_skip("no KVM paravirt leaves visible on this host",
			 "force-native bitmap overrides KVM backends");
		vmi_probe_unmap(&p);
		return;
	}
	vmi_probe_init(&p, &a, 4);
	for (c = 0; c < VMI_CALL_COUNT; c++)
		still += vmi_probe_backend(&p, c) == VMI_BACKEND_KVM;
	tap_ok(!still && !p.init_ret,
	       "force-native bitmap overrides all %lu KVM backends", kvm);
	vmi_probe_unmap(&p);
}

static sigjmp_buf msr_fault;

static void on_segv(int sig)
{
	(void)sig;
	siglongjmp(msr_fault, 1);
}

/*
 * RegisterStealTime on an adopted slot must refuse before its WRMSR,
 * which at CPL3 would fault: -2 if it faulted.
 */
static int64_t register_steal(vmi_fn(REGISTER_STEAL_TIME) reg, void *state,
			      uint64_t cpu, uint64_t enable)
{
	struct sigaction sa = { .sa_handler = on_segv }, old;
	int64_t ret;

	sigaction(SIGSEGV, &sa, &old);
	if (sigsetjmp(msr_fault, 1)) {
		sigaction(SIGSEGV, &old, NULL);
		return -2;
	}
	ret = reg(state, cpu, enable);
	sigaction(SIGSEGV, &old, NULL);
	return ret;
}

static void test_adopt_steal_time(void)
{
	vmi_fn(ADOPT_STEAL_TIME) adopt;
	vmi_fn(VCPU_IS_PREEMPTED) preempted;
	vmi_fn(STEAL_CLOCK) steal;
	vmi_fn(FLUSH_TLB_OTHERS) flush;
	vmi_fn(REGISTER_STEAL_TIME) reg;
	/* Never used for an MSR: only RegisterStealTime writes one. */
	struct vmi_init_args a = { .size = sizeof(a), .state_phys = 0x7f000000 };
	struct vmi_kvm_steal_time *rec;
	struct vmi_probe p;
	uint64_t mask[1], left;
	int64_t r1, r2, r3;

	if (vmi_probe_map(&p, img, img_len, NULL) || vmi_probe_init(&p, &a, 2) ||
	    p.init_ret) {
		tap_ok(0, "ROM initialises with this CPU's hypervisor leaves");
		return;
	}
	adopt = fn(&p, VMI_CALL_ADOPT_STEAL_TIME);
	preempted = fn(&p, VMI_CALL_VCPU_IS_PREEMPTED);
	steal = fn(&p, VMI_CALL_STEAL_CLOCK);
	flush = fn(&p, VMI_CALL_FLUSH_TLB_OTHERS);
	reg = fn(&p, VMI_CALL_REGISTER_STEAL_TIME);
	if (!adopt || !preempted || !steal || !reg) {
		tap_skip("no KVM steal time visible on this host",
			 "AdoptStealTime and the calls that read its record");
		vmi_probe_unmap(&p);
		return;
	}
	rec = aligned_alloc(64, 2 * sizeof(*rec));	/* as a kernel's per-CPU records */
	memset(rec, 0, 2 * sizeof(*rec));

	r1 = adopt(p.state, 2, &rec[1]);
	r2 = adopt(p.state, 1, (char *)&rec[1] + 8);
	vmi_percpu(p.state, 0)->registered = 1;	/* as RegisterStealTime(0, 1) */
	r3 = adopt(p.state, 0, &rec[0]);
	vmi_percpu(p.state, 0)->registered = 0;
	tap_ok(r1 == -1 && r2 == -1 && r3 == -1 && !preempted(p.state, 0) &&
	       !preempted(p.state, 1),
	       "AdoptStealTime refuses CPU >= nr_cpus, a misaligned record, a ROM-registered slot (%ld %ld %ld)",
	       (long)r1, (long)r2, (long)r3);

	rec[1].steal = 987654321;
	rec[1].version = 4;
	rec[1].preempted = KVM_VCPU_PREEMPTED;
	r1 = adopt(p.state, 1, &rec[1]);
	tap_ok(r1 == 0 && preempted(p.state, 1) == 1 &&
	       steal(p.state, 1) == 987654321 && !preempted(p.state, 0),
	       "VCPUIsPreempted and StealClock read the adopted record of slot 1 only");

	r1 = register_steal(reg, p.state, 1, 1);
	r2 = register_steal(reg, p.state, 1, 0);
	tap_ok(r1 == -1 && r2 == -1 && !vmi_percpu(p.state, 1)->registered &&
	       preempted(p.state, 1) == 1,
	       "RegisterStealTime on an adopted slot: -1 without touching the MSR (%ld %ld)",
	       (long)r1, (long)r2);

	if (flush) {
		mask[0] = 3;
		left = flush(p.state, (unsigned long *)mask, 2);
		tap_ok(left == 1 && mask[0] == 1 &&
		       rec[1].preempted == (KVM_VCPU_PREEMPTED | KVM_VCPU_FLUSH_TLB),
		       "FlushTLBOthers clears a preempted adopted CPU and sets FLUSH_TLB in its record (left %lu, mask %#lx, flags %#x)",
		       (unsigned long)left, (unsigned long)mask[0], rec[1].preempted);
	} else {
		tap_skip("no PV_TLB_FLUSH on this host",
			 "FlushTLBOthers with an adopted record");
	}

	rec[1].preempted = KVM_VCPU_PREEMPTED;
	r1 = adopt(p.state, 1, NULL);
	mask[0] = 2;
	left = flush ? flush(p.state, (unsigned long *)mask, 2) : 1;
	tap_ok(r1 == 0 && !preempted(p.state, 1) && !steal(p.state, 1) &&
	       left == 1 && mask[0] == 2,
	       "AdoptStealTime(cpu, NULL) forgets the record: the slot reads not registered");

	/* Without state_phys the ROM cannot register, but may adopt. */
	a.state_phys = 0;
	vmi_probe_init(&p, &a, 2);
	tap_ok(!p.init_ret &&
	       vmi_probe_backend(&p, VMI_CALL_ADOPT_STEAL_TIME) == VMI_BACKEND_KVM &&
	       vmi_probe_backend(&p, VMI_CALL_REGISTER_STEAL_TIME) == VMI_BACKEND_NONE,
	       "AdoptStealTime needs no state_phys, RegisterStealTime does");
	vmi_probe_unmap(&p);
	free(rec);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s ROM\n", argv[0]);
		return 2;
	}
	load(argv[1]);
	if (vmi_rom_check(img, img_len, NULL)) {
		tap_ok(0, "ROM validates before running it");
		return 1;
	}
	test_init_arguments();
	test_two_addresses();
	test_native_table();
	test_unprivileged_calls();
	test_retargeted_returns();
	test_idle_verw();
	test_force_native();
	test_adopt_steal_time();
	free(img);
	return tap_failed;
}
