// SPDX-License-Identifier: GPL-2.0
/*
 * vmi_conformance [-t SECONDS] [-r pv|nopv|all] ROM
 *
 * KVM conformance harness for the VMI ROM.  A small VMM (lib/vmm/): for
 * every run it creates a VM with an in-kernel irqchip and two vCPUs,
 * starts both in 64-bit mode, copies the ROM into a read-only memslot and
 * runs the guest (guest/, on lib/guest/), which calls VMI_Init,
 * GetRelocationInfo and every implemented call at CPL0 and reports each
 * result through the mailbox page and an OUT to PORT_EVENT.
 *
 * Runs: KVM PV CPUID leaves exposed (from KVM_GET_SUPPORTED_CPUID) with the
 * ROM at two addresses, then the same with the leaves hidden (the native
 * fallback).  Afterwards the relocation tables are compared across the
 * copies.  Flat TAP 13 on stdout; exit 1 if anything failed.  Each run is
 * bounded by alarm(): a hung guest fails that run instead of the job.
 */
#include <asm/kvm_para.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vmi/abi.h"
#include "vmm.h"

#define ROM_A		0x00800000ULL		/* 8 MiB, below 4 GiB */
#define ROM_B		0x123450000ULL		/* above 4 GiB, odd 64 KiB */
#define STEAL_BUDGET_MS	3000
#define NR_SPINNERS	2

/* ---- the I/O tests' port ------------------------------------------------ */

static void io_setup(struct vm *vm)
{
	vm->mb->io_in = 0x5aa5c33c;
}

static bool io_port(struct vcpu *v)
{
	struct kvm_run *run = v->run;
	struct mbox *mb = v->vm->mb;
	uint8_t *data = (uint8_t *)run + run->io.data_offset;
	uint32_t i, val;

	if (run->io.port == 0x80)	/* IODelay's native form */
		return true;
	if (run->io.port != PORT_TEST)
		return false;
	for (i = 0; i < run->io.count; i++, data += run->io.size) {
		if (run->io.direction == KVM_EXIT_IO_OUT) {
			val = 0;
			memcpy(&val, data, run->io.size);
			if (mb->io_count < 16) {
				mb->io_size[mb->io_count] = run->io.size;
				mb->io_val[mb->io_count] = val;
			}
			mb->io_count++;
		} else {
			memcpy(data, (const void *)&mb->io_in, run->io.size);
		}
	}
	return true;
}

static const struct vmm_group io_group = {
	.setup = io_setup,
	.port_io = io_port,
};

/* ---- steal-time load --------------------------------------------------- */

static pthread_t spinner[NR_SPINNERS];
static volatile int spin;
static int spinners;
static struct timespec steal_t0;
static uint64_t steal_s0;

static void *spinner_thread(void *arg)
{
	(void)arg;
	pin_to_host_cpu(0);	/* where vCPU0's thread runs */
	while (spin)
		;
	return NULL;
}

static void steal_start(struct vm *vm)
{
	int i;

	spin = 1;
	spinners = 0;
	steal_s0 = vm->mb->steal_now;
	clock_gettime(CLOCK_MONOTONIC, &steal_t0);
	for (i = 0; i < NR_SPINNERS; i++)
		if (!pthread_create(&spinner[i], NULL, spinner_thread, NULL))
			spinners++;
}

static void steal_end(struct vm *vm)
{
	int i;

	(void)vm;
	spin = 0;
	for (i = 0; i < spinners; i++)
		pthread_join(spinner[i], NULL);
	spinners = 0;
}

static void steal_setup(struct vm *vm)
{
	vm->mb->steal_budget_ms = STEAL_BUDGET_MS;
}

static bool steal_event(struct vcpu *v, uint32_t ev)
{
	struct vm *vm = v->vm;
	struct mbox *mb = vm->mb;

	switch (ev) {
	case EV_STEAL_START:
		steal_start(vm);
		return true;
	case EV_STEAL_POLL:
		if (mb->steal_now > steal_s0 ||
		    since(&steal_t0) * 1000 > mb->steal_budget_ms)
			mb->steal_stop = 1;
		return true;
	case EV_STEAL_END:
		steal_end(vm);
		report_diag("%s: host load next to vCPU0 for %.2fs", vm->label,
			    since(&steal_t0));
		return true;
	}
	return false;
}

static const struct vmm_group steal_time_group = {
	.setup = steal_setup,
	.event = steal_event,
	/* a run that ends early does not leave the load behind */
	.stopped = steal_end,
};

/* ---- host-side checks of one run's tables ------------------------------ */

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

static void check_tables(struct vm *vm)
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
static void compare_copies(const struct vm *a, const struct vm *b, const char *what)
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
static void compare_fallback(const struct vm *pv, const struct vm *np)
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

/* ---- main ------------------------------------------------------------- */

const struct vmm_group *const vmm_groups[] = {
	&io_group,
	&steal_time_group,
	NULL,
};

/*
 * The suite with the ROM at both addresses, KVM PV leaves exposed or not;
 * then the host-side checks of what the guest reported.  Returns whether
 * both runs got as far as reporting their tables.
 */
static int run_both(struct vm runs[2], int pv, const char *const label[3])
{
	vm_run_suite(&runs[0], ROM_A, pv, label[0]);
	vm_run_suite(&runs[1], ROM_B, pv, label[1]);
	if (runs[0].tables)
		check_tables(&runs[0]);
	if (runs[1].tables)
		check_tables(&runs[1]);
	if (!runs[0].tables || !runs[1].tables)
		return 0;
	compare_copies(&runs[0], &runs[1], label[2]);
	return 1;
}

static void usage(void)
{
	fprintf(stderr, "usage: vmi_conformance [-t SECONDS] [-r pv|nopv|all] ROM\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static const char *const pv_labels[] = { "pv@A", "pv@B", "pv" };
	static const char *const np_labels[] = { "nopv@A", "nopv@B", "nopv" };
	static struct vm runs[4];
	const char *which = "all";
	struct timespec t0;
	int opt, done_pv = 0, done_np = 0;

	while ((opt = getopt(argc, argv, "t:r:h")) != -1) {
		switch (opt) {
		case 't':
			run_timeout = (unsigned int)atoi(optarg);
			break;
		case 'r':
			which = optarg;
			break;
		default:
			usage();
		}
	}
	if (optind + 1 != argc || (strcmp(which, "all") &&
				   strcmp(which, "pv") &&
				   strcmp(which, "nopv")))
		usage();
	clock_gettime(CLOCK_MONOTONIC, &t0);
	report_header();
	rom_load(argv[optind]);
	run_signals_init();
	kvm_open();
	report_diag("ROM %s, %zu bytes; %d host CPUs; %us per run",
		    argv[optind], rom_len, ncpus_host, run_timeout);

	if (strcmp(which, "nopv"))
		done_pv = run_both(&runs[0], 1, pv_labels);
	if (strcmp(which, "pv"))
		done_np = run_both(&runs[2], 0, np_labels);
	if (done_pv && done_np)
		compare_fallback(&runs[0], &runs[2]);

	return report_finish(since(&t0));
}
