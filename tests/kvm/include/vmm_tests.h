/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The test groups' VMM sides (vmm/), for vmm/main.c: the protocol hooks
 * of the groups the guest talks to during a run, and the checks of the
 * relocation tables the guest reported, made after the runs.
 */
#ifndef VMI_CONFORMANCE_VMM_TESTS_H
#define VMI_CONFORMANCE_VMM_TESTS_H

#include "vmm.h"

/* vmm/io.c: the port the I/O calls are tested on */
extern const struct vmm_group io_group;

/* vmm/steal_time.c: host load next to vCPU0 for StealClock */
extern const struct vmm_group steal_time_group;

/* vmm/reloc.c: GetRelocationInfo and GetBackend across runs */
void check_tables(struct vm *vm);
void compare_copies(const struct vm *a, const struct vm *b, const char *what);
void compare_fallback(const struct vm *pv, const struct vm *np);

#endif
