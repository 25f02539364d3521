// SPDX-License-Identifier: GPL-2.0
/*
 * One run of the guest suite: a VM with an in-kernel irqchip and
 * NR_VCPUS vCPUs, its memory and ROM copy, the mailbox filled in for the
 * guest; run to the end (or the timeout), then torn down with the
 * mailbox kept in vm->result for the checks across runs.
 */
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "vmi/abi.h"
#include "vmm.h"

/* The mailbox fields the lib owns; the groups fill in their own. */
static void fill_mbox(struct vm *vm)
{
	struct mbox *mb = vm->mb;
	int i;

	mb->rom_base = vm->rom_gpa;
	mb->rom_len = rom_len;
	mb->state_gpa = GPA_STATE;
	mb->state_size = (rom_img[VMI_OFF_STATE_SIZE] |
			  rom_img[VMI_OFF_STATE_SIZE + 1] << 8) +
		((uint64_t)NR_VCPUS << rom_img[VMI_OFF_STATE_PERCPU]);
	mb->gdt_base = GPA_GDT;
	mb->gdt_limit = GDT_ENTRIES * 8 - 1;
	mb->tr_sel = GDT_TSS;
	mb->pv = vm->pv;
	mb->ncpus = NR_VCPUS;
	mb->pt_gpa = GPA_PT;
	for (i = 0; vmm_groups[i]; i++)
		if (vmm_groups[i]->setup)
			vmm_groups[i]->setup(vm);
	if (mb->state_size > 0x1000 ||
	    (GPA_STATE & ((1ULL << rom_img[VMI_OFF_STATE_ALIGN]) - 1)))
		die("ROM state block does not fit the harness layout");
}

static void vm_create(struct vm *vm, uint64_t rom_gpa, int pv,
		      const char *label)
{
	uint32_t khz = 0;
	int i;

	memset(vm, 0, sizeof(*vm));
	vm->rom_gpa = rom_gpa;
	vm->pv = pv;
	vm->label = label;
	vm->fd = ioctl(kvm_fd, KVM_CREATE_VM, 0);
	if (vm->fd < 0)
		die("KVM_CREATE_VM");
	if (ioctl(vm->fd, KVM_CREATE_IRQCHIP, 0) < 0)
		die("KVM_CREATE_IRQCHIP");
	vm_memory_create(vm);

	vm->mb = g2h(vm, GPA_MBOX);
	fill_mbox(vm);
	for (i = 0; i < NR_VCPUS; i++)
		vcpu_setup(vm, i, &khz);
	vm->mb->tsc_khz = khz;
	vm->mb->kvm_features = vm->kvm_features;

	report_diag("run %s: ROM at 0x%llx, KVM PV leaves %s (features 0x%x), TSC %u kHz",
		    label, (unsigned long long)rom_gpa,
		    pv ? "exposed" : "hidden", vm->kvm_features, khz);
}

/* Keep the mailbox, free the rest; vm->mb then points at the copy. */
static void vm_destroy(struct vm *vm)
{
	int i;

	vm->result = *vm->mb;
	for (i = 0; i < NR_VCPUS; i++)
		close(vm->v[i].fd);
	close(vm->fd);
	vm_memory_destroy(vm);
	vm->mb = &vm->result;
}

/* One full pass of the guest suite.  Returns 0 if the run finished. */
int vm_run_suite(struct vm *vm, uint64_t rom_gpa, int pv, const char *label)
{
	int timed_out, finished;

	vm_create(vm, rom_gpa, pv, label);
	timed_out = vm_run(vm);

	finished = vm->done && !vm->aborted && !timed_out;
	if (timed_out && !vm->aborted)
		report_ok(0, "%s: guest finishes within %us (stuck in: %s)",
			  label, run_timeout, vm->mb->cur);
	else if (vm->done)
		report_ok(!vm->aborted, "%s: guest ran every test to the end",
			  label);

	vm_destroy(vm);
	return finished ? 0 : -1;
}
