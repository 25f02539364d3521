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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vmm_tests.h"

#define ROM_A		0x00800000ULL		/* 8 MiB, below 4 GiB */
#define ROM_B		0x123450000ULL		/* above 4 GiB, odd 64 KiB */

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
