// SPDX-License-Identifier: GPL-2.0
/*
 * VMM side of the relocation tests (guest/reloc.c): the guest reports
 * GetRelocationInfo and GetBackend for every call number (EV_TABLES);
 * after the runs they are checked against the ROM image, docs/abi.md and
 * each other: the same at both ROM addresses, and the native calls the
 * same with and without the KVM PV leaves.
 */
#include <asm/kvm_para.h>
#include <stdio.h>
#include <string.h>

#include "vmi/abi.h"
#include "vmm_tests.h"

static const char *bname(uint64_t b)
{
	static const char * const n[] = { "none", "native", "kvm", "nop", "rom" };

	return b < 5 ? n[b] : "?";
}

/* What docs/abi.md sections 5 and 6 say call @n gets on this VM. */
static uint64_t expected_backend(const struct vm *vm, unsigned int n)
{
	uint32_t f = vm->pv ? vm->kvm_features : 0;
	int steal = (f >> KVM_FEATURE_STEAL_TIME) & 1;

	switch (n) {
	case 14: case 40: case 41: case 42: case 43: case 44: case 45:
	case 48: case 73:
		return VMI_BACKEND_NOP;
	case 34: case 36: case 37: case 62: case 68: case 69: case 70:
	case 71: case 72:
		return VMI_BACKEND_NONE;
	case VMI_CALL_IO_DELAY:
		return (f >> KVM_FEATURE_NOP_IO_DELAY) & 1 ? VMI_BACKEND_NOP :
			VMI_BACKEND_NATIVE;
	case VMI_CALL_GET_CYCLE_FREQUENCY:	/* tsc_khz is passed */
		return vm->result.tsc_khz ? VMI_BACKEND_NATIVE : VMI_BACKEND_NONE;
	case VMI_CALL_GET_CYCLE_COUNTER:
		return steal && vm->result.tsc_khz ? VMI_BACKEND_KVM :
			VMI_BACKEND_NATIVE;
	case VMI_CALL_FLUSH_TLB_OTHERS:
		return steal && (f >> KVM_FEATURE_PV_TLB_FLUSH) & 1 ?
			VMI_BACKEND_KVM : VMI_BACKEND_NONE;
	case VMI_CALL_SEND_IPI_MASK:
		return (f >> KVM_FEATURE_PV_SEND_IPI) & 1 ? VMI_BACKEND_KVM :
			VMI_BACKEND_NONE;
	case VMI_CALL_KICK_CPU:
	case VMI_CALL_SPIN_WAIT:
		return (f >> KVM_FEATURE_PV_UNHALT) & 1 ? VMI_BACKEND_KVM :
			VMI_BACKEND_NONE;
	case VMI_CALL_YIELD_TO_CPU:
		return (f >> KVM_FEATURE_PV_SCHED_YIELD) & 1 ? VMI_BACKEND_KVM :
			VMI_BACKEND_NONE;
	case VMI_CALL_VCPU_IS_PREEMPTED:
	case VMI_CALL_STEAL_CLOCK:
	case VMI_CALL_REGISTER_STEAL_TIME:
		return steal ? VMI_BACKEND_KVM : VMI_BACKEND_NONE;
	case VMI_CALL_ADOPT_STEAL_TIME:	/* the VMM gives slots */
		return steal ? VMI_BACKEND_KVM : VMI_BACKEND_NONE;
	case VMI_CALL_REGISTER_PV_EOI:
	case VMI_CALL_PV_EOI:
		return (f >> KVM_FEATURE_PV_EOI) & 1 ? VMI_BACKEND_KVM :
			VMI_BACKEND_NONE;
	case VMI_CALL_REGISTER_SYSTEM_TIME:
	case VMI_CALL_SYSTEM_TIME:
		return f & (1 << KVM_FEATURE_CLOCKSOURCE |
			    1 << KVM_FEATURE_CLOCKSOURCE2) ? VMI_BACKEND_KVM :
			VMI_BACKEND_NONE;
	case VMI_CALL_GET_BACKEND:
		return VMI_BACKEND_ROM;
	}
	return n < VMI_CALL_COUNT ? VMI_BACKEND_NATIVE : VMI_BACKEND_NONE;
}

/* The relocation type GetRelocationInfo must answer for backend @be. */
static uint64_t reloc_type_of(uint64_t be, unsigned int n)
{
	switch (be) {
	case VMI_BACKEND_NONE:
		return VMI_RELOCATION_NONE;
	case VMI_BACKEND_NOP:
		return VMI_RELOCATION_NOP;
	}
	return n == VMI_CALL_IRET ? VMI_RELOCATION_JUMP_REL :
		VMI_RELOCATION_CALL_REL;
}

/* The calls the KVM PV leaves add (74 on) on a run without them. */
static void check_appended(const struct vm *vm)
{
	const struct mbox *mb = &vm->result;
	unsigned int n, wrong = 0;

	if (vm->pv) {
		report_ok(mb->backend[75] == VMI_BACKEND_KVM &&
			  mb->backend[76] == VMI_BACKEND_KVM &&
			  mb->backend[77] == VMI_BACKEND_KVM,
			  "%s: GetBackend reports kvm for SendIPIMask/KickCPU/YieldToCPU (75/76/77: %s/%s/%s)",
			  vm->label, bname(mb->backend[75]),
			  bname(mb->backend[76]), bname(mb->backend[77]));
		return;
	}
	for (n = VMI_CALL_COUNT_3_0; n < VMI_CALL_COUNT; n++)
		if (n != VMI_CALL_GET_BACKEND &&
		    (mb->reloc_type[n] != VMI_RELOCATION_NONE ||
		     mb->reloc_addr[n] || mb->backend[n] != VMI_BACKEND_NONE))
			wrong++;
	report_ok(!wrong, "%s: every appended KVM call (74..%u but GetBackend) answers NONE without KVM PV leaves (%u do not)",
		  vm->label, VMI_CALL_COUNT - 1, wrong);
	report_ok(mb->backend[VMI_CALL_GET_BACKEND] == VMI_BACKEND_ROM,
		  "%s: GetBackend itself stays available (rom)", vm->label);
}

void check_tables(struct vm *vm)
{
	const struct mbox *mb = &vm->result;
	char line[1024], bad[512];
	size_t l = 0, b = 0;
	unsigned int n, outside = 0, noendbr = 0, incons = 0, wrong = 0;

	for (n = 0; n < NRELOC; n++) {
		uint64_t a = mb->reloc_addr[n], t = mb->reloc_type[n];
		uint64_t be = mb->backend[n];

		if (t != VMI_RELOCATION_NONE) {
			if (a < vm->rom_gpa || a >= vm->rom_gpa + rom_len) {
				outside++;
			} else if (memcmp(rom_img + (a - vm->rom_gpa),
					  "\xf3\x0f\x1e\xfa", 4)) {
				noendbr++;
			}
		}
		if (t != reloc_type_of(be, n) ||
		    (t == VMI_RELOCATION_NONE && a))
			incons++;
		if (be != expected_backend(vm, n)) {
			wrong++;
			if (b < sizeof(bad) - 40)
				b += snprintf(bad + b, sizeof(bad) - b,
					      " %u:%s(want %s)", n, bname(be),
					      bname(expected_backend(vm, n)));
		}
	}
	report_ok(!outside && !noendbr,
		  "%s: every relocation points into this ROM copy at an ENDBR64 (%u outside, %u without)",
		  vm->label, outside, noendbr);
	report_ok(!incons,
		  "%s: relocation types agree with GetBackend for 0..%u (%u differ)",
		  vm->label, NRELOC - 1, incons);
	if (!report_ok(!wrong,
		       "%s: GetBackend table matches docs/abi.md for this host",
		       vm->label))
		report_diag("%s: differences:%s", vm->label, bad);

	for (n = 0; n < NRELOC; n++) {
		if (n < VMI_CALL_COUNT_3_0 && n != VMI_CALL_IO_DELAY &&
		    n != VMI_CALL_GET_CYCLE_FREQUENCY &&
		    n != VMI_CALL_GET_CYCLE_COUNTER)
			continue;
		l += snprintf(line + l, sizeof(line) - l, " %u:%s", n,
			      bname(mb->backend[n]));
	}
	report_diag("%s: backends (0-73 not listed are as docs/abi.md says):%s",
		    vm->label, line);

	check_appended(vm);
}

/* Same relocations relative to the base at both addresses. */
void compare_copies(const struct vm *a, const struct vm *b, const char *what)
{
	unsigned int n, diff = 0;

	for (n = 0; n < NRELOC; n++) {
		const uint64_t xa = a->result.reloc_addr[n];
		const uint64_t xb = b->result.reloc_addr[n];

		if (a->result.reloc_type[n] != b->result.reloc_type[n] ||
		    !!xa != !!xb || (xa && xa - a->rom_gpa != xb - b->rom_gpa) ||
		    a->result.backend[n] != b->result.backend[n])
			diff++;
	}
	report_ok(!diff, "%s: relocations relative to the ROM base are identical at 0x%llx and 0x%llx (%u differ)",
		  what, (unsigned long long)a->rom_gpa,
		  (unsigned long long)b->rom_gpa, diff);
}

/* The native calls keep their code whether or not KVM PV is offered. */
void compare_fallback(const struct vm *pv, const struct vm *np)
{
	unsigned int n, diff = 0;

	for (n = 0; n < VMI_CALL_COUNT_3_0; n++) {
		if (n == VMI_CALL_IO_DELAY || n == VMI_CALL_GET_CYCLE_COUNTER)
			continue;
		if (pv->result.reloc_type[n] != np->result.reloc_type[n] ||
		    pv->result.reloc_addr[n] - pv->rom_gpa !=
		    np->result.reloc_addr[n] - np->rom_gpa)
			diff++;
	}
	report_ok(!diff, "fallback: calls 0..73 (but 65/67) relocate identically with and without KVM PV leaves (%u differ)",
		  diff);
}
