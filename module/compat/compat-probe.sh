#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# compat-probe.sh SRCTREE OBJTREE: print -D flags describing what the target
# kernel's headers provide. Probes look for the feature itself, so a
# backport or a distro patch is judged by what it contains, not by its
# version number. Its consumers are the files of module/compat/.
src=$1
types=$src/arch/x86/include/asm/paravirt_types.h

# Linux < 6.8 records pv call sites in .parainstructions as
# struct paravirt_patch_site; 6.8+ folds them into .altinstructions.
if grep -q 'struct paravirt_patch_site {' "$types" 2>/dev/null; then
	echo -DVMI_HAVE_PARAINSTRUCTIONS
fi
# pv_ops gained PARAVIRT_CALL alternatives (ALT_CALL_INSTR) in 6.8.
if grep -q 'ALT_CALL_INSTR' "$src/arch/x86/include/asm/alternative.h" 2>/dev/null; then
	echo -DVMI_HAVE_ALT_CALL
fi
# APIC callbacks became static calls (apic_call_<name>) in 6.6; before,
# the kernel called through the fields of *apic.
if grep -q 'DECLARE_APIC_CALL' "$src/arch/x86/include/asm/apic.h" 2>/dev/null; then
	echo -DVMI_HAVE_APIC_STATIC_CALLS
fi
# Confidential-computing guests: cc_platform_has() (linux/cc_platform.h),
# before it mem_encrypt_active().
if [ -e "$src/include/linux/cc_platform.h" ]; then
	echo -DVMI_HAVE_CC_PLATFORM
elif grep -q 'mem_encrypt_active' "$src/include/linux/mem_encrypt.h" 2>/dev/null; then
	echo -DVMI_HAVE_MEM_ENCRYPT_ACTIVE
fi

# Paravirt layout and hooks (compat.h, nops.c, text_poke.c).
pvh=$src/arch/x86/include/asm/paravirt.h
# One pv_ops (4.20+); before it, pv_cpu_ops, pv_mmu_ops, ... globals.
if grep -q 'extern struct paravirt_patch_template pv_ops;' "$types" 2>/dev/null; then
	echo -DVMI_HAVE_PV_OPS
fi
# struct paravirt_patch_site names its slot "type" (4.20+) or "instrtype".
if grep -q 'u8 instrtype;' "$types" 2>/dev/null; then
	echo -DVMI_HAVE_PARAINSTR_INSTRTYPE
fi
# The steal clock became the pv_steal_clock static call after 5.10; before,
# pv_ops.time.steal_clock (pv_time_ops.steal_clock), a patched call site.
if grep -q 'DECLARE_STATIC_CALL(pv_steal_clock' "$pvh" 2>/dev/null; then
	echo -DVMI_HAVE_STEAL_STATIC_CALL
fi
# Remote TLB flushes: mmu.flush_tlb_multi (after 5.10, this CPU included) or
# mmu.flush_tlb_others (remote CPUs only).
if grep -q 'flush_tlb_multi' "$types" 2>/dev/null; then
	echo -DVMI_HAVE_FLUSH_TLB_MULTI
fi
# Static calls (5.10+).
if [ -e "$src/include/linux/static_call.h" ]; then
	echo -DVMI_HAVE_STATIC_CALL
fi
# Batched INT3 text patching, text_poke_queue()/text_poke_finish(), that
# emulates the new instruction for a CPU meeting the INT3 (5.10 has it).
# Before, text_poke_bp() resumes such a CPU at a handler address instead,
# which cannot stand for a CALL: those kernels get text_stop.c's writes.
if grep -q 'text_poke_queue' "$src/arch/x86/include/asm/text-patching.h" 2>/dev/null; then
	echo -DVMI_HAVE_TEXT_POKE_QUEUE
fi
# The capability bits that steer alternatives at pv lock sites
# (ALT_NOT(X86_FEATURE_PVUNLOCK), after 5.10). Before them, paravirt patching
# alone decided, by comparing the op with the native one.
if grep -q 'X86_FEATURE_PVUNLOCK' "$src/arch/x86/include/asm/cpufeatures.h" 2>/dev/null; then
	echo -DVMI_HAVE_PV_LOCK_CAPS
fi
# A module notifier can fail a load at COMING from 5.10: the robust
# notifier chains came with that change to kernel/module.c, which the
# headers cannot show, so the chains stand for it (a kernel with the
# chains backported but not the module.c change would be misjudged);
# before, what the notifier returns is ignored.
if grep -q 'blocking_notifier_call_chain_robust' "$src/include/linux/notifier.h" 2>/dev/null; then
	echo -DVMI_HAVE_MODULE_NOTIFIER_REFUSAL
fi
# Page tables freed through the op mmu.tlb_remove_table (4.19+; KVM's
# guest code points it at the RCU-delayed free).
if grep -q 'tlb_remove_table' "$types" 2>/dev/null; then
	echo -DVMI_HAVE_PV_TLB_REMOVE_TABLE
fi
# struct flush_tlb_info says whether a flush frees page tables (4.20+).
if grep -q 'freed_tables' "$src/arch/x86/include/asm/tlbflush.h" 2>/dev/null; then
	echo -DVMI_HAVE_TLB_FREED_TABLES
fi
# khugepaged waits out GUP-fast walkers with an IPI of its own instead of
# relying on the flush's (2ba99c5e0881, 6.1; later in the 5.4 and 5.10
# stable series: 5.4.286 and 5.10.265 have it, 5.10.89 not).
if grep -q 'tlb_remove_table_sync_one' "$src/include/asm-generic/tlb.h" 2>/dev/null; then
	echo -DVMI_HAVE_TLB_SYNC_ONE
fi

# The module loader records a module's .kprobes.text and NOKPROBE_SYMBOL()
# list (struct module's kprobes_text_start, kprobe_blacklist) and kprobes
# blacklists them (5.5+); before, the shim does (kprobe_bl.c).
if grep -q 'kprobes_text_start' "$src/include/linux/module.h" 2>/dev/null; then
	echo -DVMI_HAVE_MODULE_KPROBE_BLACKLIST
fi
# synchronize_sched() (before 4.20's RCU consolidation): RCU flavours
# apart, and a CONFIG_PREEMPT kernel's synchronize_rcu() does not wait for
# preemption-disabled sections (kprobe_bl.c).
if grep -q 'void synchronize_sched(void);' "$src/include/linux/rcupdate.h" 2>/dev/null; then
	echo -DVMI_HAVE_SYNCHRONIZE_SCHED
fi

# ---------------------------------------------------------------------
# Generic kernel API (compat/kapi.h): one flag per name the module uses
# that older kernels lack; kapi.h supplies each missing one under the
# kernel's own name. Keep new paravirt probes above this section.
inc=$src/include/linux
has() {	# has FLAG PATTERN FILE...: FLAG if any FILE matches PATTERN
	flag=$1 pat=$2
	shift 2
	if cat "$@" 2>/dev/null | grep -qE "$pat"; then
		echo "-DVMI_HAVE_$flag"
	fi
}
has COPY_FROM_KERNEL_NOFAULT 'copy_from_kernel_nofault\(' "$inc/uaccess.h"
has GET_KERNEL_NOFAULT 'define get_kernel_nofault\(' "$inc/uaccess.h"
has SYSFS_EMIT 'sysfs_emit\(' "$inc/sysfs.h"
has KVCALLOC 'kvcalloc\(' "$inc/mm.h" "$inc/slab.h"
has READ_POLL_TIMEOUT 'define read_poll_timeout\(' "$inc/iopoll.h"
has MMAP_LOCK 'mmap_write_lock_killable\(' "$inc/mmap_lock.h"
has MMAP_LOCK_IS_CONTENDED 'mmap_lock_is_contended\(' "$inc/mmap_lock.h"
has STATIC_ASSERT 'define static_assert\(' "$inc/build_bug.h"
has DIAG_PUSH 'define __diag_push\(' "$inc"/compiler*.h
has DEFINE_SHOW_ATTRIBUTE 'define DEFINE_SHOW_ATTRIBUTE\(' "$inc/seq_file.h"
has FIRMWARE_REQUEST_NOWARN 'firmware_request_nowarn\(' "$inc/firmware.h"
has SYM_FUNC_START 'define SYM_FUNC_START\(' "$inc/linkage.h" \
	"$src/arch/x86/include/asm/linkage.h"
has ANNOTATE_NOENDBR 'ANNOTATE_NOENDBR' "$inc/objtool.h"
has INLINE_BSEARCH '__inline_bsearch\(' "$inc/bsearch.h"
has PREEMPT_MODEL 'preempt_model_none\(' "$inc/sched.h" "$inc/preempt.h"
has SECURITY_LOCKED_DOWN 'security_locked_down\(' "$inc/security.h"
has LSM_LOADED_DATA 'security_kernel_post_load_data\(' "$inc/security.h"
# Lockdown before 5.4 existed only as a distro patch (Debian 10, Fedora,
# Ubuntu): kernel_is_locked_down("what"), in kernel.h or security.h.
has KERNEL_IS_LOCKED_DOWN 'kernel_is_locked_down\(' "$inc/kernel.h" \
	"$inc/security.h"
tp=$src/arch/x86/include/asm/text-patching.h
for insn in INT3_INSN_OPCODE RET_INSN_OPCODE CALL_INSN_OPCODE \
	JMP32_INSN_OPCODE JMP32_INSN_SIZE; do
	has "$insn" "define[[:space:]]+$insn[[:space:]]" "$tp"
done
has TEXT_GEN_INSN '__text_gen_insn\(' "$tp"
# __assign_str(dst) without its source (6.10). Older kernels define the
# trace stages in trace_events.h, later ones in trace/stages/.
has ASSIGN_STR_DST_ONLY 'define __assign_str\(dst\)' \
	"$src/include/trace/stages/stage6_event_callback.h" \
	"$src/include/trace/trace_events.h"
