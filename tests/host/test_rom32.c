// SPDX-License-Identifier: GPL-2.0
/*
 * The i386 ROM (vmi-rom-i386.bin) executed in-process as a VMI 3.0 client
 * calls it (docs/abi.md, "i386"): a -m32 program maps the image
 * executable at two addresses of the kernel's choosing, calls VMI_Init
 * (header + 0x80, no arguments) and GetRelocationInfo (header + 0x88,
 * EAX = call, result in EDX:EAX) for every call number and beyond, and
 * checks the answers the client depends on.  Calls that are plain memory
 * or flag operations run here too; the privileged ones cannot at CPL 3.
 *
 * The timer's pure rules (rom/i386/timer_rules.h, compiled in here from
 * the same source) are checked case by case.
 *
 *   test_rom32 vmi-rom-i386.bin
 */
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#include "../../include/vmi/abi.h"
#include "../../include/vmi/romcheck.h"
#include "../../rom/i386/timer_rules.h"
#include "../lib/tap.h"

#ifndef __i386__
#error "test_rom32 is built with -m32"
#endif

#define LAST_CALL	(VMI_CALL_COUNT + 16)	/* and beyond the table */

typedef uint32_t __attribute__((regparm(1))) (*vrom_init_fn)(void);
typedef uint64_t __attribute__((regparm(2))) (*vrom_reloc_fn)(int call);

struct reloc {
	uint32_t addr;
	uint8_t type;
};

static uint8_t *load(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	static uint8_t buf[VMI_ROM_BLOCK * VMI_ROM_MAX_BLOCKS + 1];

	if (!f)
		return NULL;
	*len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	return buf;
}

static uint8_t *map_copy(const uint8_t *img, size_t len)
{
	uint8_t *m = mmap(NULL, len, PROT_READ | PROT_WRITE | PROT_EXEC,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (m == MAP_FAILED)
		return NULL;
	memcpy(m, img, len);
	/* In place and read-only, as in the option ROM shadow. */
	if (mprotect(m, len, PROT_READ | PROT_EXEC))
		return NULL;
	return m;
}

static int type_ok(uint8_t t)
{
	return t <= VMI_RELOCATION_NOP;
}

/*
 * run_irq_call(fn, in, out): load EAX, EBX, ECX, EDX, ESI, EDI and EFLAGS
 * from in[0..6], set EBP to 0xb0b0b0b0, call fn, and store the six
 * registers, EBP, the flags after and the flags before the call in
 * out[0..8].
 */
void __attribute__((regparm(0))) run_irq_call(uint32_t fn, const uint32_t *in,
					      uint32_t *out);
asm(".text\n"
    "run_irq_call:\n\t"
    "pushl %ebp\n\tpushl %ebx\n\tpushl %esi\n\tpushl %edi\n\t"
    "movl 24(%esp), %ebp\n\t"
    "pushl 28(%esp)\n\t"		/* out */
    "pushl 24(%esp)\n\t"		/* fn */
    "pushl 24(%ebp)\n\t"
    "popfl\n\t"
    "movl 0(%ebp), %eax\n\tmovl 4(%ebp), %ebx\n\tmovl 8(%ebp), %ecx\n\t"
    "movl 12(%ebp), %edx\n\tmovl 16(%ebp), %esi\n\tmovl 20(%ebp), %edi\n\t"
    "pushfl\n\t"
    "movl $0xb0b0b0b0, %ebp\n\t"
    "call *4(%esp)\n\t"
    "pushfl\n\t"
    "pushl %ebp\n\t"
    "movl 16(%esp), %ebp\n\t"
    "movl %eax, 0(%ebp)\n\tmovl %ebx, 4(%ebp)\n\tmovl %ecx, 8(%ebp)\n\t"
    "movl %edx, 12(%ebp)\n\tmovl %esi, 16(%ebp)\n\tmovl %edi, 20(%ebp)\n\t"
    "popl 24(%ebp)\n\tpopl 28(%ebp)\n\tpopl 32(%ebp)\n\t"
    "addl $8, %esp\n\t"
    "popl %edi\n\tpopl %esi\n\tpopl %ebx\n\tpopl %ebp\n\t"
    "ret\n");

/*
 * SetInterruptMask (32) and GetInterruptMask (31) are patched into sites
 * that save nothing: every register and flag but IF (and EAX for 31)
 * must come back unchanged.  At CPL 3 popfl leaves IF alone, so these
 * run here; cli/sti (29/30) would fault.
 */
static int irq_call_keeps(uint32_t addr, uint32_t eax_in, int changes_eax,
			  uint32_t flags_in)
{
	const uint32_t in[7] = { eax_in, 0x1b1b1b1b, 0xc1c1c1c1, 0xd2d2d2d2,
				 0x51515151, 0xd1d1d1d1, flags_in };
	uint32_t out[9];

	run_irq_call(addr, in, out);
	return (changes_eax || out[0] == in[0]) && out[1] == in[1] &&
	       out[2] == in[2] && out[3] == in[3] && out[4] == in[4] &&
	       out[5] == in[5] && out[6] == 0xb0b0b0b0 &&
	       (out[7] & ~0x200U) == (out[8] & ~0x200U) &&
	       (out[8] & 0x8d5) == (flags_in & 0x8d5);
}

/*
 * GetRelocationInfo as the client's compiler calls it, and a check that
 * it kept the callee-saved registers (EBX, ESI, EDI, EBP) and DF = 0.
 */
static struct reloc get_reloc(uint8_t *base, uint32_t call, int *kept)
{
	const uint32_t in[7] = { call, 0x1b1b1b1b, 0xc1c1c1c1, 0xd2d2d2d2,
				 0x51515151, 0xd1d1d1d1, 0x202 };
	uint32_t out[9];
	struct reloc r;

	run_irq_call((uint32_t)(base + VMI_OFF_GET_RELOC), in, out);
	*kept = out[1] == in[1] && out[4] == in[4] && out[5] == in[5] &&
		out[6] == 0xb0b0b0b0 && !(out[7] & 0x400);
	r.addr = out[0];
	r.type = (uint8_t)out[3];
	return r;
}

/* APICWrite to LVTT: the ROM's own alarm keeps its mode, nothing else. */
static void lvtt_rules(void)
{
	static const struct {
		uint32_t value, lvtt, tdcr, want;
		const char *what;
	} c[] = {
		{ 0x41, 0x30000, 0xb, 0x20041,
		  "VMI AP's vector after its first periodic alarm (masked, vector 0)" },
		{ 0x41, 0x20041, 0xb, 0x20041,
		  "VMI bare vector on the ROM's periodic alarm" },
		{ 0x41, 0x40041, 0x3, 0x40041,
		  "VMI bare vector on the ROM's TSC-deadline alarm" },
		{ 0x10041, 0x20041, 0xb, 0x30041,
		  "VMI mask on the periodic alarm keeps the mode" },
		{ 0x41, 0x10000, 0x0, 0x41, "VMI BSP's first write at reset" },
		{ 0x41, 0x00041, 0xb, 0x41, "VMI vector on a one-shot alarm" },
		{ 0xef, 0x200ef, 0x3, 0xef,
		  "native periodic -> one-shot (divide-by-16)" },
		{ 0xef, 0x200ef, 0xb, 0xef,
		  "native one-shot at LOCAL_TIMER_VECTOR, even at divide-by-1" },
		{ 0x200ef, 0x000ef, 0x3, 0x200ef, "native periodic write" },
		{ 0x300ef, 0x200ef, 0x3, 0x300ef,
		  "native masked periodic (calibration)" },
		{ 0x100ef, 0x200ef, 0x3, 0x100ef, "native shutdown mask" },
		{ 0x41, 0x20041, 0x3, 0x41,
		  "periodic at divide-by-16 is not the ROM's" },
		{ 0x20, 0x20000, 0xb, 0x20020,
		  "VMI vector 0x20 (no IO-APIC) on a vector-0 periodic alarm" },
		{ 0x20041, 0x40041, 0xb, 0x20041, "a stated mode passes" },
	};
	unsigned int i;
	int ok = 1;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		uint32_t got = vmi32_lvtt_write_value(c[i].value, c[i].lvtt,
						      c[i].tdcr);

		if (got != c[i].want)
			ok = tap_ok(0, "LVTT %#x over %#x (TDCR %#x), %s: got %#x, want %#x",
				    c[i].value, c[i].lvtt, c[i].tdcr,
				    c[i].what, got, c[i].want);
	}
	tap_ok(ok, "APICWrite LVTT: %u cases, the ROM's alarm keeps its mode, "
	       "native writes pass unchanged", i);
}

/* What GetCycleFrequency's measurement puts back on a one-shot alarm. */
static void rearm_rules(void)
{
	tap_ok(vmi32_oneshot_rearm(0, 0, 100) == 0,
	       "re-arm: a stopped timer stays stopped");
	tap_ok(vmi32_oneshot_rearm(5000, 3000, 100) == 2900,
	       "re-arm: an armed alarm gets what was left, less the ticks taken");
	tap_ok(vmi32_oneshot_rearm(5000, 50, 100) == 1,
	       "re-arm: an alarm due during the measurement fires at once");
	tap_ok(vmi32_oneshot_rearm(5000, 0, 100) == 1,
	       "re-arm: an armed count that read 0 fires at once");
}

/* The calibration's sanity checks: the client divides by the rate. */
static void rate_rules(void)
{
	tap_ok(vmi32_window_hz(3ULL << 20, 1000000000ULL) == 3000000000ULL &&
	       vmi32_window_hz(1ULL << 53, 1000000000ULL) == 0 &&
	       vmi32_window_hz(0, 1000000000ULL) == 0 &&
	       vmi32_window_hz(1ULL << 10, 1000000000ULL) == 0 &&
	       vmi32_window_hz(3ULL << 20, 0) == 0,
	       "calibration window: 3 GHz kept; overflow, 0 and < 1 MHz give 0");
	tap_ok(vmi32_sane_hz(TSC_HZ_MIN) == TSC_HZ_MIN &&
	       vmi32_sane_hz(TSC_HZ_MAX + 1) == 0 && !vmi32_sane_hz(999999) &&
	       vmi32_clamp_hz(0) == TSC_HZ_MIN &&
	       vmi32_clamp_hz(~0ULL) == TSC_HZ_MAX &&
	       vmi32_clamp_hz(2596000000ULL) == 2596000000ULL,
	       "TSC rate sane in [1 MHz, 100 GHz]; the fallback clamps, never 0");
}

/* SetAlarm's count: period, time to expiry, never a period of 0. */
static void alarm_rules(void)
{
	int p1, p2, p3, p4;
	uint64_t c1 = vmi32_alarm_cycles(VMI_ALARM_IS_PERIODIC, 5000, 1000,
					 100, &p1);
	uint64_t c2 = vmi32_alarm_cycles(VMI_ALARM_IS_PERIODIC |
					 VMI_ALARM_WIRED_LVTT, 5000, 0, 100, &p2);
	uint64_t c3 = vmi32_alarm_cycles(0, 5000, 0, 100, &p3);
	uint64_t c4 = vmi32_alarm_cycles(VMI_ALARM_WIRED_LVTT, 50, 7, 100, &p4);

	tap_ok(p1 && c1 == 1000 && !p2 && c2 == 4900 && !p3 && c3 == 4900 &&
	       !p4 && c4 == 0,
	       "SetAlarm: periodic uses the period, period 0 is one-shot at "
	       "the expiry, a past expiry fires at once");
}

int main(int argc, char **argv)
{
	static struct reloc r[2][LAST_CALL + 1];
	struct vmi_rom_info info;
	uint8_t *img, *m[2], bad[VMI_ROM_BLOCK * 2];
	size_t len;
	uint32_t call, i;
	int kept, all_kept = 1, ok;

	tap_header();
	lvtt_rules();
	rearm_rules();
	rate_rules();
	alarm_rules();
	img = argc == 2 ? load(argv[1], &len) : NULL;
	if (!img) {
		tap_ok(0, "read the i386 ROM image");
		return tap_finish();
	}

	ok = vmi_rom_check(img, len, &info) == VMI_ROM_OK;
	tap_ok(ok, "validator accepts the i386 image");
	tap_ok(ok && info.api_major == 3 && info.api_minor == 0 &&
	       !info.state_size && !info.state_align && !info.state_percpu &&
	       !info.ret_sites_offs && !info.virtual_top,
	       "VMI 3.0 header: no state block, no return-site table, "
	       "virtual_top 0");
	tap_ok(info.product && strstr(info.product, "(i386)"),
	       "product string names i386: %s",
	       info.product ? info.product : "(none)");

	/* Bad images: truncated, corrupt checksum, a state-less minor 15. */
	memcpy(bad, img, sizeof(bad) < len ? sizeof(bad) : len);
	tap_ok(vmi_rom_check(img, len - VMI_ROM_BLOCK, NULL) ==
	       VMI_ROM_ETRUNC_LENGTH, "truncated image refused: %s",
	       vmi_rom_strerror(VMI_ROM_ETRUNC_LENGTH));
	{
		static uint8_t copy[VMI_ROM_BLOCK * VMI_ROM_MAX_BLOCKS];

		memcpy(copy, img, len);
		copy[0x200] ^= 0x40;
		tap_ok(vmi_rom_check(copy, len, NULL) == VMI_ROM_ECHECKSUM,
		       "corrupt checksum refused: %s",
		       vmi_rom_strerror(VMI_ROM_ECHECKSUM));
		memcpy(copy, img, len);
		copy[VMI_OFF_API_MINOR] = VMI_API_MINOR;
		copy[len - 1] -= VMI_API_MINOR;	/* keep the sum 0 */
		tap_ok(vmi_rom_check(copy, len, NULL) == VMI_ROM_ESTATE,
		       "no state block is refused for a minor-%d image",
		       VMI_API_MINOR);
	}

	for (i = 0; i < 2; i++) {
		m[i] = map_copy(img, len);
		if (!m[i]) {
			tap_ok(0, "map the image executable");
			return tap_finish();
		}
	}
	tap_diag("mapped at %p and %p", (void *)m[0], (void *)m[1]);
	tap_ok(((vrom_init_fn)(void *)(m[0] + VMI_OFF_INIT))() == 0 &&
	       ((vrom_init_fn)(void *)(m[1] + VMI_OFF_INIT))() == 0,
	       "VMI_Init() returns 0");

	for (i = 0; i < 2; i++)
		for (call = 0; call <= LAST_CALL; call++) {
			r[i][call] = get_reloc(m[i], call, &kept);
			all_kept &= kept;
		}
	tap_ok(all_kept, "GetRelocationInfo keeps EBX, ESI, EDI, EBP, DF = 0");

	/* Same offsets at both addresses, and a second pass agrees. */
	ok = 1;
	for (call = 0; call <= LAST_CALL; call++) {
		struct reloc again = get_reloc(m[0], call, &kept);

		if (again.addr != r[0][call].addr ||
		    again.type != r[0][call].type ||
		    r[1][call].type != r[0][call].type ||
		    (r[0][call].type &&
		     r[1][call].addr - (uint32_t)m[1] !=
		     r[0][call].addr - (uint32_t)m[0]))
			ok = tap_ok(0, "call %u: answers differ", call);
	}
	tap_ok(ok, "deterministic and position independent (2 passes, 2 addresses)");

	ok = 1;
	for (call = 0; call <= LAST_CALL; call++) {
		struct reloc x = r[0][call];

		if (!type_ok(x.type))
			ok = tap_ok(0, "call %u: type %u", call, x.type);
		else if (x.type == VMI_RELOCATION_NONE && x.addr)
			ok = tap_ok(0, "call %u: NONE with an address", call);
		else if (x.type != VMI_RELOCATION_NONE &&
			 (x.addr < (uint32_t)m[0] + VMI_HEADER_SIZE ||
			  x.addr >= (uint32_t)m[0] + len))
			ok = tap_ok(0, "call %u: 0x%x outside the image", call,
				    x.addr);
	}
	tap_ok(ok, "every answer has a known type and lies inside the image");

	ok = r[0][VMI_CALL_IRET].type == VMI_RELOCATION_JUMP_REL &&
	     r[0][VMI_CALL_SYSEXIT].type == VMI_RELOCATION_JUMP_REL;
	for (call = 0; call <= LAST_CALL; call++)
		if (call != VMI_CALL_IRET && call != VMI_CALL_SYSEXIT &&
		    r[0][call].type == VMI_RELOCATION_JUMP_REL)
			ok = 0;
	tap_ok(ok, "IRET and SYSEXIT JUMP_REL, nothing else");

	tap_ok(m[0][r[0][VMI_CALL_IRET].addr - (uint32_t)m[0]] == 0xcf &&
	       !memcmp(m[0] + (r[0][VMI_CALL_SYSEXIT].addr - (uint32_t)m[0]),
		       "\xfb\x0f\x35", 3) &&
	       !memcmp(m[0] + (r[0][VMI_CALL_HALT].addr - (uint32_t)m[0]),
		       "\xfb\xf4", 2),
	       "IRET is iret, SYSEXIT is sti; sysexit, Halt is sti; hlt");

	ok = 1;
	for (call = VMI_CALL_ENABLE_INTERRUPTS;
	     call <= VMI_CALL_SET_INTERRUPT_MASK; call++)
		ok &= r[0][call].type == VMI_RELOCATION_CALL_REL;
	tap_ok(ok, "interrupt calls 29-32 CALL_REL");

	ok = 1;
	for (call = VMI_CALL_GET_CYCLE_FREQUENCY;
	     call <= VMI_CALL_GET_WALLCLOCK_TIME; call++)
		ok &= (r[0][call].type == VMI_RELOCATION_CALL_REL) ==
		      (r[0][VMI_CALL_GET_CYCLE_FREQUENCY].type ==
		       VMI_RELOCATION_CALL_REL) &&
		      (r[0][call].type == VMI_RELOCATION_CALL_REL ||
		       r[0][call].type == VMI_RELOCATION_NONE);
	tap_ok(ok, "timer calls 66-70 all CALL_REL or all NONE (%s)",
	       r[0][VMI_CALL_GET_CYCLE_FREQUENCY].type ? "CALL_REL" : "NONE");

	tap_ok((r[0][VMI_CALL_SET_PXE_LONG].type == VMI_RELOCATION_CALL_REL) ==
	       (r[0][VMI_CALL_UPDATE_PXE_LONG].type == VMI_RELOCATION_CALL_REL),
	       "UpdatePxELong CALL_REL exactly when SetPxELong is");

	ok = 1;
	for (call = VMI_CALL_COUNT_3_0; call <= LAST_CALL; call++)
		ok &= r[0][call].type == VMI_RELOCATION_NONE;
	tap_ok(ok, "calls past VMI 3.0's 74 are NONE");

	ok = 1;
	for (call = 0; call <= LAST_CALL; call++)
		if (r[0][call].type == VMI_RELOCATION_NOP &&
		    call != VMI_CALL_IO_DELAY)
			ok = 0;
	tap_ok(ok, "NOP only for IODelay (KVM_FEATURE_NOP_IO_DELAY)");

	/* Calls that run at CPL 3. */
	tap_ok(irq_call_keeps(r[0][VMI_CALL_SET_INTERRUPT_MASK].addr, 0x200, 0,
			      0x8d5) &&
	       irq_call_keeps(r[0][VMI_CALL_SET_INTERRUPT_MASK].addr, 0, 0,
			      0x002),
	       "SetInterruptMask keeps every register and flag but IF");
	tap_ok(irq_call_keeps(r[0][VMI_CALL_GET_INTERRUPT_MASK].addr, 0, 1,
			      0x8d5),
	       "GetInterruptMask changes only EAX");
	{
		uint32_t (*save_fl)(void) __attribute__((regparm(3))) =
			(void *)r[0][VMI_CALL_GET_INTERRUPT_MASK].addr;

		tap_ok(save_fl() & 0x200, "GetInterruptMask returns EFLAGS (IF set)");
	}
	{
		uint32_t table[8] = { 0 };
		void (*wr)(void *, uint32_t, uint32_t, uint32_t)
			__attribute__((regparm(3))) =
			(void *)r[0][VMI_CALL_WRITE_GDT_ENTRY].addr;

		wr(table, 2, 0x0000ffff, 0x00cf9a00);
		tap_ok(table[4] == 0x0000ffff && table[5] == 0x00cf9a00 &&
		       !table[3] && !table[6] &&
		       r[0][VMI_CALL_WRITE_IDT_ENTRY].addr ==
		       r[0][VMI_CALL_WRITE_GDT_ENTRY].addr,
		       "Write{G,L,I}DTEntry: low in ECX, high on the stack");
	}
	if (r[0][VMI_CALL_SET_PXE_LONG].type == VMI_RELOCATION_CALL_REL) {
		uint64_t pte[2] = { 0x1111111122222222ULL, 7 };
		void (*set)(uint32_t, uint32_t, uint64_t *, uint32_t)
			__attribute__((regparm(3))) =
			(void *)r[0][VMI_CALL_SET_PXE_LONG].addr;

		set(0x89abc067, 0x80000001, &pte[0], 0x1234);
		tap_ok(pte[0] == 0x8000000189abc067ULL && pte[1] == 7,
		       "SetPxELong stores EDX:EAX at ECX, flags on the stack");
	} else {
		tap_skip("no CX8: SetPxELong is NONE", "SetPxELong");
	}
	{
		uint64_t (*counter)(uint32_t) __attribute__((regparm(3))) =
			(void *)r[0][VMI_CALL_GET_CYCLE_COUNTER].addr;
		uint64_t a, b;

		if (!r[0][VMI_CALL_GET_CYCLE_COUNTER].type) {
			tap_skip("no TSC: the timer calls are NONE",
				 "GetCycleCounter");
		} else {
			a = counter(VMI_CYCLES_REAL);
			b = counter(VMI_CYCLES_AVAILABLE);
			tap_ok(a && b >= a && counter(VMI_CYCLES_STOLEN) == 0,
			       "GetCycleCounter: REAL, AVAILABLE = TSC; STOLEN = 0");
		}
	}
	return tap_finish();
}
