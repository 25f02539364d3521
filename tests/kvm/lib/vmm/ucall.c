// SPDX-License-Identifier: GPL-2.0
/*
 * The VMM's end of the port protocol (include/mbox.h): the guest fills in
 * the mailbox and OUTs an event code to PORT_EVENT.  The lib handles the
 * events of every run (results, diagnostics, exceptions, the end); the
 * rest, and I/O to any other port, goes to the test groups (vmm_groups).
 */
#include <string.h>

#include "vmm.h"

static void handle_event(struct vcpu *v, uint32_t ev)
{
	struct vm *vm = v->vm;
	struct mbox *mb = vm->mb;
	char rip[64];
	int i;

	switch (ev) {
	case EV_RESULT:
		mb->msg[sizeof(mb->msg) - 1] = 0;
		if (mb->status == ST_SKIP)
			report_skip(mb->msg, "%s: %s", vm->label, mb->cur);
		else
			report_ok(mb->status == ST_PASS, "%s: %s", vm->label,
				  mb->msg);
		return;
	case EV_DIAG:
		mb->msg[sizeof(mb->msg) - 1] = 0;
		report_diag("%s: %s", vm->label, mb->msg);
		return;
	case EV_TABLES:
		vm->tables = 1;
		return;
	case EV_DONE:
		vm->done = 1;
		return;
	case EV_EXCEPTION:
		describe_rip(vm, mb->exc_rip, rip, sizeof(rip));
		fail_run(v, "took exception %u (error 0x%llx) at %s, cr2 0x%llx",
			 mb->exc_vector, (unsigned long long)mb->exc_error, rip,
			 (unsigned long long)mb->exc_cr2);
		return;
	}
	for (i = 0; vmm_groups[i]; i++)
		if (vmm_groups[i]->event && vmm_groups[i]->event(v, ev))
			return;
	fail_run(v, "sent unknown event %u", ev);
}

void vcpu_handle_io(struct vcpu *v)
{
	struct kvm_run *run = v->run;
	uint8_t *data = (uint8_t *)run + run->io.data_offset;
	uint32_t val;
	int i;

	if (run->io.port == PORT_EVENT && run->io.direction == KVM_EXIT_IO_OUT &&
	    run->io.size == 4 && run->io.count == 1) {
		memcpy(&val, data, 4);
		handle_event(v, val);
		return;
	}
	for (i = 0; vmm_groups[i]; i++)
		if (vmm_groups[i]->port_io && vmm_groups[i]->port_io(v))
			return;
	report_diag("%s: vCPU%d: unexpected I/O port 0x%x (%s, size %u)",
		    v->vm->label, v->id, run->io.port,
		    run->io.direction == KVM_EXIT_IO_OUT ? "out" : "in",
		    run->io.size);
	if (run->io.direction == KVM_EXIT_IO_IN)
		memset(data, 0xff, (size_t)run->io.size * run->io.count);
}
