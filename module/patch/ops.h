/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VMI_SHIM_OPS_H
#define VMI_SHIM_OPS_H

#include <linux/stddef.h>
#include <linux/types.h>
#include <asm/paravirt_types.h>

#include "compat/compat.h"

enum vmi_mode {
	VMI_MODE_OFF,		/* install the ROM, route nothing */
	VMI_MODE_ACCELERATE,	/* route ops the ROM does better than native */
	VMI_MODE_FULL,		/* route every op the ROM implements (VMI's way) */
};

/* One kernel paravirt op the ROM can implement. */
struct vmi_op {
	const char *name;	/* "cpu.read_cr0" */
	unsigned int slot;	/* index into pv_ops as an array of pointers */
	u16 call;		/* VMI call number */
	bool accelerates;	/* better than native when the ROM backend is */
	const char *native;	/* the kernel's native implementation */
	void *adapter;		/* C glue for a different signature, or NULL */
	bool cpuid_thunk;	/* entry adapts cpuid(&a, &b, &c, &d) itself */
	bool rcu_tables;	/* tlb_remove_table: page tables freed by RCU */
	const char *native_old;	/* .native's name in older kernels */
	const char *target_sym;	/* or a kernel function to enter instead */
	bool nop_native;	/* native is a no-op: boot left NOPs at sites */
	bool is_unlock;		/* the unlock op (PV slow path needs it all) */
	/* What alternatives put at the op's sites instead of a call, if any */
	const u8 *inline_form;
	u8 inline_len;
	/* ... or this, the same code as other kernels encode it */
	const u8 *inline_alt;
	u8 inline_alt_len;
	/*
	 * A feature's own condition, asked after the core's: why the op must
	 * stay with the kernel, or NULL. Pure: it reads what the feature
	 * prepared once (before routing) and changes nothing.
	 */
	const char *(*veto)(const struct vmi_op *op, enum vmi_mode mode);
};

/* An op's pv_ops slot, and the inline form alternatives leave at sites. */
#define VMI_PV_SLOT(member) \
	(offsetof(struct vmi_pv_template, member) / sizeof(void *))
#define VMI_OP_INLINE(a)	.inline_form = a, .inline_len = sizeof(a)
/* An op named as its pv_ops member: VMI_OP(cpu.cpuid, CPUID, ...). */
#define VMI_OP(member, call, ...) \
	{ #member, VMI_PV_SLOT(member), VMI_CALL_##call, __VA_ARGS__ }

/* What happened to one op at load. */
struct vmi_op_state {
	void *orig;		/* pv_ops value before routing */
	void *thunk;		/* counting entry the op now points to */
	const char *why_not;	/* reason it is not routed, or NULL */
	bool routed;
	unsigned int sites;	/* call sites re-patched to the thunk */
	u8 *insn;		/* the thunk's jmp or call to its target */
	void *target;		/* where that goes now */
	/* Routed, but a ROM swapped in since cannot: the entry goes native. */
	const char *native_why;
};

/*
 * The ops the core may route: its own, then each feature's as it
 * registered them (retrofit.c's order). Index i of vmi_ops is index i of
 * vmi_op_states and of the per-op counters.
 */
#define VMI_OPS_MAX	40
extern const struct vmi_op *vmi_ops[VMI_OPS_MAX];
extern unsigned int vmi_nr_ops;
extern struct vmi_op_state vmi_op_states[VMI_OPS_MAX];

void vmi_ops_init(void);
int vmi_ops_register(const struct vmi_op *ops, unsigned int n);
bool vmi_op_is_native(const struct vmi_op *op);

const char *vmi_mode_name(enum vmi_mode mode);
unsigned int vmi_ops_routable(enum vmi_mode mode);
int vmi_ops_route(enum vmi_mode mode);
void vmi_ops_unroute(void);
u64 vmi_op_count(unsigned int i);
u32 vmi_pv_ops_hash(void);
struct vmi_rom;
int vmi_ops_swap_plan(const struct vmi_rom *next, enum vmi_mode mode);
enum vmi_swap_phase { VMI_SWAP_PRE, VMI_SWAP_POST, VMI_SWAP_BACK };
int vmi_ops_swap_commit(enum vmi_swap_phase phase);
void vmi_ops_swap_counts(unsigned int *to_native, unsigned int *to_rom);
void *vmi_op_native(const struct vmi_op *op);

#endif /* VMI_SHIM_OPS_H */
