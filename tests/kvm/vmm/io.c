// SPDX-License-Identifier: GPL-2.0
/*
 * VMM side of the I/O call tests (guest/io.c): PORT_TEST logs what the
 * OUT calls write, in the mailbox for the guest to check, and answers
 * mbox.io_in to the IN calls.  Port 0x80 is IODelay's native form.
 */
#include <string.h>

#include "vmm_tests.h"

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

const struct vmm_group io_group = {
	.setup = io_setup,
	.port_io = io_port,
};
