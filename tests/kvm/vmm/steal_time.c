// SPDX-License-Identifier: GPL-2.0
/*
 * VMM side of the steal-time tests (guest/steal_time.c): on the guest's
 * EV_STEAL_START, threads pinned to vCPU0's host CPU compete with it, so
 * that KVM accounts steal time to it; on each EV_STEAL_POLL the VMM tells
 * the guest to stop once StealClock moved or the budget is spent.
 * One VM runs at a time, so the load's state is this file's own.
 */
#include "vmm_tests.h"

#define STEAL_BUDGET_MS	3000
#define NR_SPINNERS	2

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

const struct vmm_group steal_time_group = {
	.setup = steal_setup,
	.event = steal_event,
	/* a run that ends early does not leave the load behind */
	.stopped = steal_end,
};
