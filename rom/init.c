// SPDX-License-Identifier: GPL-2.0
/*
 * The ROM's two header entry points, VMI_Init (slot 0x80) and
 * GetRelocationInfo (slot 0x88), plus the GetBackend query call.
 * None of them executes a privileged instruction (only CPUID), so the
 * host tools run them in-process to learn the relocations.
 */
#include "rom.h"

/* The flags this ROM's minor knows: IDLE_VERW came with 3.14. */
#define ROM_INIT_FLAGS	(VMI_INIT_NO_HYPERVISOR |			\
			 (VMI_ROM_MINOR >= VMI_API_MINOR_RET_SITES ?	\
			  VMI_INIT_IDLE_VERW : 0))

/* Zeroed by hand: no libc, and the state may be larger than we know. */
static void zero(void *p, uint64_t n)
{
	volatile uint8_t *b = p;

	while (n--)
		*b++ = 0;
}

/*
 * VMI_Init(rdi = state, rsi = state size, rdx = args or NULL) -> 0, or
 * non-zero to tell the kernel to stay native.
 */
int64_t vmi_init(struct vmi_state *s, uint64_t size,
		 const struct vmi_init_args *args)
{
	uint32_t flags = 0, khz = 0;

	if (!s || ((uintptr_t)s & ((1U << VMI_STATE_ALIGN_LOG2) - 1)) ||
	    size < VMI_STATE_SIZE)
		return VMI_INIT_EINVAL;
	if (args && (args->size < sizeof(*args) ||
		     args->flags & ~(uint32_t)ROM_INIT_FLAGS))
		return VMI_INIT_EARGS;

	zero(s, size);
	s->nr_cpus = (uint32_t)((size - VMI_STATE_SIZE) >> VMI_STATE_PERCPU_LOG2);
	if (args) {
		flags = args->flags;
		khz = args->tsc_khz;
		s->phys = args->state_phys;
		s->force_native[0] = args->force_native[0];
		s->force_native[1] = args->force_native[1];
	}
	s->flags = flags;

	if (!(flags & VMI_INIT_NO_HYPERVISOR))
		vmi_kvm_detect(s);
	vmi_clock_init(s, khz);
	vmi_select_backends(s);
	s->magic = VMI_STATE_MAGIC;
	return VMI_INIT_OK;
}

#if VMI_ROM_FUTURE_CALLS
/*
 * The calls a future ROM (state.h) appends past every call the table
 * knows. No caller may know them, so none may call one: a caller that
 * asked for them anyway and called one stops here (#UD: an oops).
 */
static void __attribute__((noreturn, used)) vmi_future_call(void)
{
	__builtin_trap();
}
#define FUTURE_CALL(call)	((call) >= VMI_ROM_CALLS &&		\
				 (call) < VMI_ROM_CALLS + VMI_ROM_FUTURE_CALLS)
#else
#define FUTURE_CALL(call)	0
#endif

/*
 * GetRelocationInfo(rdi = state, rsi = call) -> rax = absolute address in
 * this copy of the ROM, rdx = VMI_RELOCATION_*.  Numbers this ROM's minor
 * does not define, and any number before a successful VMI_Init, answer
 * NONE; a future ROM's appended calls answer CALL_REL.
 */
struct vmi_relocation vmi_get_relocation(const struct vmi_state *s,
					 uint64_t call)
{
	struct vmi_relocation r = { 0, VMI_RELOCATION_NONE };
	unsigned int backend;

	if (!vmi_state_ok(s))
		return r;
#if VMI_ROM_FUTURE_CALLS
	if (FUTURE_CALL(call)) {
		r.address = (uintptr_t)vmi_future_call;
		r.type = VMI_RELOCATION_CALL_REL;
		return r;
	}
#endif
	if (call >= VMI_ROM_CALLS)
		return r;
	backend = s->backend[call];
	if (backend == VMI_BACKEND_NONE)
		return r;
	r.address = (uintptr_t)vmi_call_address(s, (unsigned int)call, backend);
	if (!r.address)
		return r;
	if (backend == VMI_BACKEND_NOP)
		r.type = VMI_RELOCATION_NOP;
	else if (call == VMI_CALL_IRET)
		r.type = VMI_RELOCATION_JUMP_REL;
	else
		r.type = VMI_RELOCATION_CALL_REL;
	return r;
}

/* GetBackend(state, call) -> VMI_BACKEND_* chosen for @call. */
uint64_t vmi_get_backend(struct vmi_state *s, uint64_t call)
{
	if (vmi_state_ok(s) && FUTURE_CALL(call))
		return VMI_BACKEND_ROM;
	if (!vmi_state_ok(s) || call >= VMI_ROM_CALLS)
		return VMI_BACKEND_NONE;
	return s->backend[call];
}
