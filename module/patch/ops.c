// SPDX-License-Identifier: GPL-2.0
/*
 * Routing the kernel's paravirt ops through the ROM.
 *
 * Each routed op gets a small counting entry ("thunk") in the module's
 * text: increment this CPU's counter for the op, then jump to the ROM's
 * implementation (or to a C adapter when the kernel's signature differs
 * from the VMI call's). pv_ops then points at the thunk, so every module
 * loaded from now on binds to the ROM; call sites already patched in the
 * kernel are re-patched separately (sites.c).
 *
 * The thunk clobbers only RFLAGS, so it also serves the callee-save ops
 * (irq flags), whose callers declare "cc" clobbered.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kprobes.h>
#include <linux/percpu.h>
#include <linux/string.h>
#include <asm/cpufeature.h>
#include <asm/paravirt.h>

#include "base/insn.h"
#include "base/ksyms.h"
#include "base/percpu_sum.h"
#include "base/trace.h"
#include "base/why.h"
#include "compat/compat.h"
#include "compat/text_poke.h"
#include "patch/ops.h"
#include "romload/rom.h"
#include "romload/rom_area.h"

/* A ROM call's entry, typed by include/vmi/calls.h: rom_fn(WRMSR). */
#define rom_fn(id)	vmi_call(id, vmi_rom.calls[VMI_CALL_##id].addr)

/*
 * ---- adapters: kernel signature -> VMI call --------------------------
 *
 * They run inside routed pv ops, as the ROM does: neither traced (an
 * ftrace callback would itself call pv ops, through them) nor probed.
 */

#ifdef VMI_PV_XXL
static notrace void vmi_adapt_write_msr(unsigned int msr, unsigned int low,
				unsigned int high)
{
	rom_fn(WRMSR)(msr, (u64)high << 32 | low);
}
NOKPROBE_SYMBOL(vmi_adapt_write_msr);
#endif

static notrace void vmi_adapt_flush_tlb_user(void)
{
	rom_fn(FLUSH_TLB)(VMI_FLUSH_TLB);
}
NOKPROBE_SYMBOL(vmi_adapt_flush_tlb_user);

static notrace void vmi_adapt_flush_tlb_kernel(void)
{
	rom_fn(FLUSH_TLB)(VMI_FLUSH_TLB | VMI_FLUSH_GLOBAL);
}
NOKPROBE_SYMBOL(vmi_adapt_flush_tlb_kernel);

/* ---- the ops the ROM can implement ----------------------------------- */

/* Inline native code alternatives put at pv sites (ALT_NOT(XENPV)). */
static const u8 alt_pushf_pop[] __maybe_unused = { 0x9c, 0x58 };	/* pushf; pop %rax */
static const u8 alt_cli[] __maybe_unused = { 0xfa };
static const u8 alt_sti[] __maybe_unused = { 0xfb };
static const u8 alt_read_cr3[] __maybe_unused = { 0x0f, 0x20, 0xd8 };	/* mov %cr3,%rax */
static const u8 alt_write_cr3[] __maybe_unused = { 0x0f, 0x22, 0xdf };	/* mov %rdi,%cr3 */
static const u8 alt_wbinvd[] __maybe_unused = { 0x0f, 0x09 };

/* The core's own ops; features register theirs (vmi_ops_register()). */
static const struct vmi_op core_ops[] = {
	VMI_OP(cpu.io_delay, IO_DELAY, .accelerates = true,
	       .native = "native_io_delay"),
#ifdef VMI_PV_XXL
	VMI_OP(cpu.get_debugreg, GET_DR),
	VMI_OP(cpu.set_debugreg, SET_DR),
	VMI_OP(cpu.read_cr0, GET_CR0),
	VMI_OP(cpu.write_cr0, SET_CR0),
	VMI_OP(cpu.write_cr4, SET_CR4),
	VMI_OP(cpu.load_gdt, SET_GDT),
	VMI_OP(cpu.load_idt, SET_IDT),
	VMI_OP(cpu.store_tr, GET_TR),
	VMI_OP(cpu.wbinvd, WBINVD, VMI_OP_INLINE(alt_wbinvd)),
	VMI_OP(cpu.cpuid, CPUID, .cpuid_thunk = true),
	VMI_OP(cpu.read_msr, RDMSR),
	VMI_OP(cpu.write_msr, WRMSR, .adapter = vmi_adapt_write_msr),
	VMI_OP(cpu.read_pmc, RDPMC),
	VMI_OP(irq.save_fl, GET_INTERRUPT_MASK, VMI_OP_INLINE(alt_pushf_pop)),
	VMI_OP(irq.irq_disable, DISABLE_INTERRUPTS, VMI_OP_INLINE(alt_cli)),
	VMI_OP(irq.irq_enable, ENABLE_INTERRUPTS, VMI_OP_INLINE(alt_sti)),
	VMI_OP(irq.safe_halt, HALT),
	VMI_OP(mmu.read_cr3, GET_CR3, VMI_OP_INLINE(alt_read_cr3)),
	VMI_OP(mmu.write_cr3, SET_CR3, VMI_OP_INLINE(alt_write_cr3)),
	VMI_OP(mmu.write_cr2, SET_CR2),
#endif
	VMI_OP(mmu.flush_tlb_user, FLUSH_TLB,
	       .adapter = vmi_adapt_flush_tlb_user),
	VMI_OP(mmu.flush_tlb_kernel, FLUSH_TLB,
	       .adapter = vmi_adapt_flush_tlb_kernel),
	VMI_OP(mmu.flush_tlb_one_user, INVAL_PAGE),
};

const struct vmi_op *vmi_ops[VMI_OPS_MAX];
unsigned int vmi_nr_ops;
struct vmi_op_state vmi_op_states[VMI_OPS_MAX];

static DEFINE_PER_CPU(u64, vmi_op_counts[VMI_OPS_MAX]);

/* Before a load routes anything: the core's ops, then the features'. */
void vmi_ops_init(void)
{
	vmi_nr_ops = 0;
	vmi_ops_register(core_ops, ARRAY_SIZE(core_ops));
}

/* Append @n ops; the index of the first, or -ENOSPC (VMI_OPS_MAX). */
int vmi_ops_register(const struct vmi_op *ops, unsigned int n)
{
	unsigned int i, first = vmi_nr_ops;

	if (WARN_ON(n > VMI_OPS_MAX - vmi_nr_ops))
		return -ENOSPC;
	for (i = 0; i < n; i++)
		vmi_ops[vmi_nr_ops++] = &ops[i];
	return first;
}

const char *vmi_mode_name(enum vmi_mode mode)
{
	switch (mode) {
	case VMI_MODE_OFF:
		return "off";
	case VMI_MODE_ACCELERATE:
		return "accelerate";
	case VMI_MODE_FULL:
		return "full";
	}
	return "?";
}

/*
 * On i386 another CPU's 64-bit counter is read as two 32-bit halves: a
 * read racing its carry can be 2^32 off, once, which a count read again
 * does not repeat (the tests read counts of ops they drove, far below).
 */
u64 vmi_op_count(unsigned int i)
{
	return vmi_percpu_sum(&vmi_op_counts[i]);
}

/* CRC of every pv_ops slot: equal before load and after unload. */
u32 vmi_pv_ops_hash(void)
{
	return vmi_pv_ops_crc();
}

static void **pv_slot(unsigned int slot)
{
	return vmi_pv_slot(slot);
}

/* Does @op's pv_ops slot hold the kernel's native implementation? */
bool vmi_op_is_native(const struct vmi_op *op)
{
	return *pv_slot(op->slot) == vmi_op_native(op);
}

/* The kernel's native implementation of @op, or NULL if unknown. */
void *vmi_op_native(const struct vmi_op *op)
{
	if (op->nop_native)	/* 6.1: _paravirt_nop, 6.8+: nop_func */
		return vmi_ks._paravirt_nop ?: vmi_ks.nop_func;
	if (!op->native)
		return NULL;
	return (void *)(vmi_ksym(op->native) ?:
			(op->native_old ? vmi_ksym(op->native_old) : 0));
}

/*
 * Why an op must stay with the kernel, or NULL if it may be routed in
 * this mode. Checked before anything changes.
 */
static const char *op_veto_in(const struct vmi_op *op, enum vmi_mode mode,
			      const struct vmi_rom *rom, bool swapping)
{
	const struct vmi_rom_call *c = &rom->calls[op->call];
	const char *too_old = vmi_rom_too_old_in(rom, op->call);

	if (too_old)
		return too_old;
	/* NOP relocations point at a "ret": calling them is the no-op. */
	if (c->type != VMI_RELOCATION_CALL_REL && c->type != VMI_RELOCATION_NOP)
		return VMI_WHY("rom-lacks", "ROM does not implement the call");
	if (mode == VMI_MODE_OFF)
		return VMI_WHY("mode-off", "mode=off");
	/* Its entry stores the registers the call returns: a NOP has none. */
	if (op->cpuid_thunk && c->type != VMI_RELOCATION_CALL_REL)
		return VMI_WHY("rom-lacks", "ROM does not implement the call");
	if (mode == VMI_MODE_ACCELERATE) {
		if (!op->accelerates || c->backend == VMI_BACKEND_NATIVE)
			return VMI_WHY("native-as-good", "native is as good (accelerate mode)");
		/*
		 * A ROM with no GetBackend (before 3.9: the i386 image) does
		 * not say what its own 3.0 calls do (rom_resolve_calls()
		 * calls them "rom"): they beat native only as NOPs.
		 */
		if (!rom->backends_known && c->backend == VMI_BACKEND_ROM)
			return VMI_WHY("backend-unknown", "the ROM cannot say its backend beats native (no GetBackend; accelerate mode)");
		/*
		 * Replace only what is native now, never the kernel's own PV
		 * (a swap asks about ops the load routed: the slot is ours).
		 */
		if (!swapping && *pv_slot(op->slot) != vmi_op_native(op))
			return VMI_WHY("kernel-paravirt", "kernel already uses a paravirt implementation");
	}
	/*
	 * The kernel's MSR/PMC reads and writes survive a fault (exception
	 * table: "unchecked MSR access"); the ROM has no exception table, so
	 * the same fault there would be fatal.
	 */
	if (op->call == VMI_CALL_RDMSR || op->call == VMI_CALL_WRMSR ||
	    op->call == VMI_CALL_RDPMC)
		return VMI_WHY("msr-faults", "kernel survives MSR faults, the ROM cannot");
	/* native_safe_halt() clears CPU buffers first; an old ROM cannot. */
	if (op->call == VMI_CALL_HALT && rom->idle_verw_missing)
		return VMI_WHY("cpu-buffer-clear", "kernel clears CPU buffers before HLT, the ROM cannot");
	/* The kernel's versions enforce pinned CR0.WP/CR4 bits. */
	if (op->call == VMI_CALL_SET_CR0 || op->call == VMI_CALL_SET_CR4)
		return VMI_WHY("cr-pinning", "kernel pins CR0/CR4 security bits");
	/* With PTI, user and kernel ASIDs must be flushed together. */
	if ((op->call == VMI_CALL_FLUSH_TLB ||
	     op->call == VMI_CALL_INVAL_PAGE) &&
	    boot_cpu_has(X86_FEATURE_PTI))
		return VMI_WHY("pti", "page-table isolation is on");
	if (swapping)
		return NULL;
	if (!*pv_slot(op->slot))
		return VMI_WHY("no-native", "kernel has no implementation to return to");
	return op->veto ? op->veto(op, mode) : NULL;
}

static const char *op_veto(const struct vmi_op *op, enum vmi_mode mode)
{
	return op_veto_in(op, mode, &vmi_rom, false);
}

/* ---- thunks ---------------------------------------------------------- */

#define THUNK_SIZE	64
#define THUNK_AREA_SIZE	(THUNK_SIZE * VMI_OPS_MAX)

static_assert(THUNK_AREA_SIZE <= VMI_THUNK_AREA_SIZE);

/*
 * CPUID's VMI call keeps the instruction's register semantics (eax, ecx
 * in; eax..edx out; nothing else clobbered) while pv_ops.cpu.cpuid takes
 * four pointers, so its entry loads and stores the registers itself and
 * calls the ROM directly: a C adapter would add a prologue, an indirect
 * call (a retpoline where the kernel uses them) and an epilogue, 19
 * instructions in all where this adds 6 (docs/performance.md).
 *
 *	push %rbx ; mov %rdx,%r8 ; mov %rcx,%r9	  (rdi=&a rsi=&b r8=&c r9=&d)
 *	mov (%rdi),%eax ; mov (%r8),%ecx ; call rom_cpuid
 *	mov %eax,(%rdi) ; mov %ebx,(%rsi) ; mov %ecx,(%r8) ; mov %edx,(%r9)
 *	pop %rbx
 * r8 and r9 are caller-saved in the C call the kernel makes.
 */
static const u8 cpuid_pre[] = {
	0x53, 0x49, 0x89, 0xd0, 0x49, 0x89, 0xc9, 0x8b, 0x07, 0x41, 0x8b, 0x08,
};

static const u8 cpuid_post[] = {
	0x89, 0x07, 0x89, 0x1e, 0x41, 0x89, 0x08, 0x41, 0x89, 0x11, 0x5b,
};

/*
 * [endbr64] incq %gs:counter ; jmp target ; jmp ret_thunk (or ret)
 * [endbr64] incq %gs:counter ; call target ; jmp ret_thunk (or ret)
 * [endbr64] incq %gs:counter ; cpuid_pre ; call target ; cpuid_post ;
 *	     jmp ret_thunk (or ret)
 * (padded with int3). The first form's return is never reached through
 * it: it is there so that the one instruction a live ROM swap rewrites
 * (the jmp or call, vmi_ops_swap_plan()) can change between the two
 * forms while a task is inside the callee the old one entered: whichever
 * form the entry has when it returns, the return is there.
 * The second form, for ROM code when the kernel returns through a return
 * thunk (retbleed, SRSO, ITS mitigations) and the ROM's own returns could
 * not be sent there (a ROM older than VMI 3.14 has no return-site table):
 * the ROM's plain ret then only returns to the call just made (predicted
 * from the RSB, not BTB), and the return into the kernel goes through the
 * kernel's chosen thunk. A ROM whose return sites rom.c retargeted gets
 * the first form: its returns are the kernel's already.
 * The per-CPU counter's %gs offset must fit a sign-extended disp32, as it
 * does for every module per-CPU variable the compiler addresses.
 *
 * i386 has no 64-bit increment: "addl $1,%fs:counter ; adcl $0,%fs:counter+4"
 * instead (%fs is its per-CPU segment). An interrupt between the two that
 * counts the same op on this CPU restores the carry with the flags on its
 * return, so no count is lost. A kernel without SMP addresses per-CPU
 * data directly, with no segment.
 */
static u8 *emit(u8 *p, const void *bytes, size_t len)
{
	memcpy(p, bytes, len);
	return p + len;
}

#ifdef CONFIG_SMP
#define PERCPU_SEG	(IS_ENABLED(CONFIG_X86_64) ? 0x65 : 0x64) /* %gs: / %fs: */
#else
#define PERCPU_SEG	0
#endif

static u8 *emit_count(u8 *p, s32 off)
{
	/* REX.W, inc r/m64 (/0), ModRM [SIB], SIB disp32 alone */
	static const u8 incq[] = { 0x48, 0xff, 0x04, 0x25 };
	/* add (/0) and adc (/2) r/m32, imm8; ModRM disp32 alone */
	static const u8 addl[] = { 0x83, 0x05 }, adcl[] = { 0x83, 0x15 };
	s32 hi = off + 4;

	if (PERCPU_SEG)
		*p++ = PERCPU_SEG;
	if (IS_ENABLED(CONFIG_X86_64)) {
		p = emit(p, incq, sizeof(incq));
		return emit(p, &off, sizeof(off));
	}
	p = emit(p, addl, sizeof(addl));
	p = emit(p, &off, sizeof(off));
	*p++ = 1;
	if (PERCPU_SEG)
		*p++ = PERCPU_SEG;
	p = emit(p, adcl, sizeof(adcl));
	p = emit(p, &hi, sizeof(hi));
	*p++ = 0;
	return p;
}

/*
 * Build @op's entry at @at (in @buf), calling (@call) or jumping to
 * @target, returning through @ret_thunk (the kernel's, or NULL: ret).
 * *@insn: the offset of the instruction that goes to @target.
 */
static int thunk_build(u8 *buf, u8 *at, void __percpu *counter, void *target,
		       void *ret_thunk, bool call, bool cpuid,
		       unsigned int *insn)
{
	static const u8 endbr64[] = VMI_ENDBR64;
	s32 off = (long)counter;
	u8 *p = buf;

	if (off != (long)counter)
		return -ERANGE;
	/* Its register shuffle is x86-64's; i386 has no cpuid op to route. */
	if (cpuid && !IS_ENABLED(CONFIG_X86_64))
		return -EOPNOTSUPP;
	if (IS_ENABLED(CONFIG_X86_KERNEL_IBT))
		p = emit(p, endbr64, sizeof(endbr64));
	p = emit_count(p, off);
	if (cpuid)
		p = emit(p, cpuid_pre, sizeof(cpuid_pre));
	*insn = p - buf;
	if (vmi_gen_rel32(p, call || cpuid ? CALL_INSN_OPCODE :
			  JMP32_INSN_OPCODE, at + (p - buf), target))
		return -ERANGE;
	p += CALL_INSN_SIZE;
	if (cpuid)
		p = emit(p, cpuid_post, sizeof(cpuid_post));
	if (!ret_thunk) {
		*p = RET_INSN_OPCODE;
		return 0;
	}
	return vmi_gen_rel32(p, JMP32_INSN_OPCODE, at + (p - buf), ret_thunk);
}

/*
 * Whether @op's entry must call @rom's code and return itself: the
 * kernel returns through a thunk and the ROM's own returns could not be
 * sent there. C adapters and kernel functions return as the kernel does.
 */
static bool thunk_calls(const struct vmi_op *op, const struct vmi_rom *rom,
			void *ret_thunk)
{
	return ret_thunk && !op->adapter && !op->target_sym && !rom->ret_thunk;
}

/* How many ops @mode would route: 0 means no module can bind to the shim. */
unsigned int vmi_ops_routable(enum vmi_mode mode)
{
	unsigned int i, n = 0;

	for (i = 0; i < vmi_nr_ops; i++)
		n += !op_veto(vmi_ops[i], mode);
	return n;
}

int vmi_ops_route(enum vmi_mode mode)
{
	static u8 area[THUNK_AREA_SIZE];
	void *ret_thunk;
	unsigned int i, insn, routed = 0;
	int err;

	if (vmi_text_area_missing())
		return -EOPNOTSUPP;

	/* Decide and build everything first; change nothing yet. */
	ret_thunk = vmi_kernel_return_thunk();
	if (vmi_kernel_rethunk() && !ret_thunk) {
		pr_err("the kernel uses return thunks but its thunk was not found\n");
		return -EOPNOTSUPP;
	}
	memset(area, 0xcc, sizeof(area));
	for (i = 0; i < vmi_nr_ops; i++) {
		const struct vmi_op *op = vmi_ops[i];
		struct vmi_op_state *st = &vmi_op_states[i];
		void *target;

		memset(st, 0, sizeof(*st));
		st->orig = *pv_slot(op->slot);
		st->why_not = op_veto(op, mode);
		if (st->why_not)
			continue;
		target = op->adapter ? op->adapter :
			 op->target_sym ? (void *)vmi_ksym(op->target_sym) :
			 vmi_rom.calls[op->call].addr;
		st->thunk = vmi_thunk_area + i * THUNK_SIZE;
		/*
		 * C adapters return through the kernel's thunk themselves,
		 * and so does a ROM whose return sites were retargeted; the
		 * CPUID entry's own return is the entry's.
		 */
		err = thunk_build(area + i * THUNK_SIZE, st->thunk,
				  &vmi_op_counts[i], target, ret_thunk,
				  thunk_calls(op, &vmi_rom, ret_thunk),
				  op->cpuid_thunk, &insn);
		if (err) {
			pr_err("cannot build the entry for %s: %d\n", op->name,
			       err);
			return err;
		}
		st->insn = st->thunk + insn;
		st->target = target;
	}
	if (!vmi_text_area_copy(vmi_thunk_area, area, sizeof(area)) ||
	    memcmp(vmi_thunk_area, area, sizeof(area))) {
		pr_err("op entries did not land intact\n");
		return -EIO;
	}

	for (i = 0; i < vmi_nr_ops; i++) {
		struct vmi_op_state *st = &vmi_op_states[i];

		if (st->why_not)
			continue;
		err = vmi_kernel_ptr_set(pv_slot(vmi_ops[i]->slot), st->orig,
					 st->thunk);
		if (err) {
			pr_err("pv_ops %s could not be written (%d): nothing routed\n",
			       vmi_ops[i]->name, err);
			vmi_ops_unroute();
			return err;
		}
		st->routed = true;
		routed++;
	}
	if (ret_thunk && routed)
		pr_info("mode %s: %u of %u ops routed through the ROM; returns via %ps\n",
			vmi_mode_name(mode), routed, vmi_nr_ops, ret_thunk);
	else
		pr_info("mode %s: %u of %u ops routed through the ROM\n",
			vmi_mode_name(mode), routed, vmi_nr_ops);
	for (i = 0; i < vmi_nr_ops; i++) {
		struct vmi_op_state *st = &vmi_op_states[i];

		trace_vmi_op_route(vmi_ops[i]->name, vmi_ops[i]->call,
				   st->routed, (unsigned long)st->thunk,
				   st->why_not ?: "");
	}
	return 0;
}

/* Put every pv_ops pointer back as it was. */
void vmi_ops_unroute(void)
{
	unsigned int i;

	for (i = 0; i < vmi_nr_ops; i++) {
		struct vmi_op_state *st = &vmi_op_states[i];
		int err;

		if (!st->routed)
			continue;
		/* One that does not go back shows in the pv_ops CRC (main.c). */
		err = vmi_kernel_ptr_set(pv_slot(vmi_ops[i]->slot), st->thunk,
					 st->orig);
		if (err)
			pr_err("pv_ops %s could not be put back: it holds %ps, not the shim's entry\n",
			       vmi_ops[i]->name,
			       READ_ONCE(*pv_slot(vmi_ops[i]->slot)));
		trace_vmi_op_unroute(vmi_ops[i]->name, vmi_ops[i]->call, !err);
		st->routed = false;
	}
}

/* ---- a live ROM swap: where the entries of ROM calls go --------------- */

/* What an entry's one retargeted instruction becomes. */
static struct {
	u8 insn[CALL_INSN_SIZE];
	u8 old[CALL_INSN_SIZE];	/* what it held, for the way back */
	void *target, *old_target;
	const char *why;	/* goes native for this reason, or NULL */
	const char *old_why;
	bool change;
	bool now;		/* in the phase being committed */
} swap_plan[VMI_OPS_MAX];

/*
 * Before a swap to @next, changing nothing: where each routed op whose
 * entry calls the ROM directly will go. The ROM call of @next if @mode
 * would route the op through it (the load's rules, asked of @next), else
 * the kernel's implementation the op had before the load, with the
 * reason: the op stays routed (its call sites, its count), its entry goes
 * native. The ops of features (those with a veto of their own) keep
 * their entries: their adapters decide per call (retrofit.c).
 * -EOPNOTSUPP if an entry cannot be rewritten as needed.
 */
int vmi_ops_swap_plan(const struct vmi_rom *next, enum vmi_mode mode)
{
	void *ret_thunk = vmi_kernel_return_thunk();
	unsigned int i, changes = 0;

	for (i = 0; i < vmi_nr_ops; i++) {
		const struct vmi_op *op = vmi_ops[i];
		struct vmi_op_state *st = &vmi_op_states[i];
		bool call;

		memset(&swap_plan[i], 0, sizeof(swap_plan[i]));
		if (!st->routed || op->veto || op->target_sym)
			continue;
		swap_plan[i].why = op_veto_in(op, mode, next, true);
		if (swap_plan[i].why && op->cpuid_thunk) {
			pr_err("swap: %s would lose its ROM call (%s), and its entry cannot go native while tasks may be inside it\n",
			       op->name, swap_plan[i].why);
			return -EOPNOTSUPP;
		}
		swap_plan[i].target = swap_plan[i].why ? st->orig :
				      op->adapter ?: next->calls[op->call].addr;
		call = op->cpuid_thunk ||
		       (!swap_plan[i].why && thunk_calls(op, next, ret_thunk));
		if (vmi_gen_rel32(swap_plan[i].insn, call ? CALL_INSN_OPCODE :
				  JMP32_INSN_OPCODE, st->insn,
				  swap_plan[i].target))
			return -ERANGE;
		memcpy(swap_plan[i].old, st->insn, CALL_INSN_SIZE);
		swap_plan[i].old_target = st->target;
		swap_plan[i].old_why = st->native_why;
		swap_plan[i].change = memcmp(st->insn, swap_plan[i].insn,
					     CALL_INSN_SIZE);
		changes += swap_plan[i].change;
	}
	if (changes && !vmi_text_poke_batched()) {
		pr_err("swap: this kernel has no text_poke_queue(): the op entries cannot be re-pointed while they run\n");
		return -EOPNOTSUPP;
	}
	return 0;
}

/* Does the planned swap send op @i's entry to its C adapter? */
static bool to_adapter(unsigned int i)
{
	return !swap_plan[i].why && vmi_ops[i]->adapter;
}

/*
 * Re-point the entries as planned, each one instruction replaced whole
 * by the kernel's INT3 protocol (a CPU meeting it runs the new one), and
 * read them back. In two phases around the publish of the next ROM:
 * before it (VMI_SWAP_PRE), every entry that goes to the kernel or to
 * one of the next ROM's calls, which are stateless (docs/abi.md section
 * 2) and ready since its VMI_Init; after it (VMI_SWAP_POST), every entry
 * that goes back to a C adapter, since an adapter calls the ROM in
 * force, which may lack the call until then. VMI_SWAP_BACK puts the
 * first phase's back. -EIO if one did not land.
 */
int vmi_ops_swap_commit(enum vmi_swap_phase phase)
{
	bool back = phase == VMI_SWAP_BACK;
	unsigned int i, n = 0;
	int err = 0;

	mutex_lock(vmi_ks.text_mutex);
	for (i = 0; i < vmi_nr_ops; i++) {
		swap_plan[i].now = swap_plan[i].change &&
				   to_adapter(i) == (phase == VMI_SWAP_POST);
		if (!swap_plan[i].now)
			continue;
		vmi_text_poke_queue(vmi_op_states[i].insn, back ?
				    swap_plan[i].old : swap_plan[i].insn,
				    CALL_INSN_SIZE);
		n++;
	}
	if (n)
		vmi_text_poke_finish();
	for (i = 0; i < vmi_nr_ops; i++) {
		struct vmi_op_state *st = &vmi_op_states[i];

		if (!swap_plan[i].now)
			continue;
		if (memcmp(st->insn, back ? swap_plan[i].old : swap_plan[i].insn,
			   CALL_INSN_SIZE)) {
			pr_err("swap: the entry of %s did not read back %s\n",
			       vmi_ops[i]->name, back ? "restored" : "re-pointed");
			err = -EIO;
			continue;
		}
		st->target = back ? swap_plan[i].old_target : swap_plan[i].target;
		st->native_why = back ? swap_plan[i].old_why : swap_plan[i].why;
	}
	mutex_unlock(vmi_ks.text_mutex);
	return err;
}

/* How many routed ops' entries the planned swap sends native, and back. */
void vmi_ops_swap_counts(unsigned int *to_native, unsigned int *to_rom)
{
	unsigned int i;

	*to_native = *to_rom = 0;
	for (i = 0; i < vmi_nr_ops; i++) {
		const struct vmi_op_state *st = &vmi_op_states[i];

		if (!st->routed || vmi_ops[i]->veto || vmi_ops[i]->target_sym)
			continue;
		*to_native += swap_plan[i].why && !st->native_why;
		*to_rom += !swap_plan[i].why && st->native_why;
	}
}
