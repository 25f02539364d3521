/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The generic kernel API the module uses, for kernels older than the one
 * it was written for: each name an older kernel lacks is supplied here
 * under the kernel's own name, so no call site differs between kernels.
 * Each is guarded by its probe (compat-probe.sh, last section): on a
 * kernel that has the name this file defines nothing for it, and on
 * Debian's 6.1 and 6.12 it defines nothing at all but vmi_assign_str(),
 * the one name of its own (a form of __assign_str() that differs between
 * kernels but cannot be defined under that name: see there).
 *
 * Kbuild force-includes this file into every C and assembler file of
 * the module and its test modules (compat/kapi.mk), base/ too: base/ is
 * the lowest layer and may not include compat/, yet uses static_assert,
 * __diag, the x86 opcode names, __text_gen_insn, __inline_bsearch and
 * preempt_model_*(). For that to be safe this file includes no kernel
 * header: every fallback is a macro, expanded where it is used, after
 * the file has included the kernel header the real name lives in (a
 * header included before a file's own "#define pr_fmt" would change
 * that file). Headers an older kernel lacks altogether (linux/minmax.h,
 * linux/mmap_lock.h, linux/objtool.h, asm/sync_core.h) have stand-ins
 * in compat/include/, which Kbuild searches after the kernel's own.
 */
#ifndef VMI_SHIM_COMPAT_KAPI_H
#define VMI_SHIM_COMPAT_KAPI_H

/* <linux/build_bug.h>: static_assert (5.1), as the kernel defines it. */
#ifndef VMI_HAVE_STATIC_ASSERT
#define static_assert(expr, ...) __static_assert(expr, ##__VA_ARGS__, #expr)
#define __static_assert(expr, msg, ...) _Static_assert(expr, msg)
#endif

/*
 * <linux/compiler_types.h>: __diag_push() and friends (4.18). Without
 * them the diagnostics they scope stay at the build's defaults: a check
 * the build makes (ksyms.c's -Woverride-init) is not made, nothing else.
 */
#ifndef VMI_HAVE_DIAG_PUSH
#define __diag_push()
#define __diag_pop()
#define __diag_ignore(compiler, version, option, comment)
#define __diag_warn(compiler, version, option, comment)
#define __diag_error(compiler, version, option, comment)
#endif

#ifndef __ASSEMBLY__

/* <linux/uaccess.h>: the nofault reads (5.8), probe_kernel_read before. */
#ifndef VMI_HAVE_COPY_FROM_KERNEL_NOFAULT
/*
 * copy_from_kernel_nofault() also refuses user and non-canonical
 * addresses before reading. probe_kernel_read() tries them, and either
 * faults (-EFAULT, the same answer) or reads user memory whose bytes the
 * caller then checks like any others: every address the module reads
 * this way is one it means to find kernel text or the option-ROM area at.
 */
#define copy_from_kernel_nofault(dst, src, size) \
	probe_kernel_read(dst, src, size)
#endif
#ifndef VMI_HAVE_GET_KERNEL_NOFAULT
#define get_kernel_nofault(val, ptr) ({					\
	const typeof(val) *__gk_ptr = (ptr);				\
	copy_from_kernel_nofault(&(val), __gk_ptr, sizeof(val));	\
})
#endif

/*
 * <linux/sysfs.h>: sysfs_emit (5.10). It also warns when @buf is not the
 * page sysfs hands a show() method, which is all @buf ever is here.
 */
#ifndef VMI_HAVE_SYSFS_EMIT
#define sysfs_emit(buf, fmt, ...) scnprintf(buf, PAGE_SIZE, fmt, ##__VA_ARGS__)
#endif

/* <linux/mm.h>: kvcalloc (4.18), as the kernel defines it. */
#ifndef VMI_HAVE_KVCALLOC
#define kvcalloc(n, size, flags) kvmalloc_array(n, size, (flags) | __GFP_ZERO)
#endif

/* <linux/seq_file.h>: DEFINE_SHOW_ATTRIBUTE (4.16), as the kernel's. */
#ifndef VMI_HAVE_DEFINE_SHOW_ATTRIBUTE
#define DEFINE_SHOW_ATTRIBUTE(__name)					\
static int __name ## _open(struct inode *inode, struct file *file)	\
{									\
	return single_open(file, __name ## _show, inode->i_private);	\
}									\
									\
static const struct file_operations __name ## _fops = {			\
	.owner		= THIS_MODULE,					\
	.open		= __name ## _open,				\
	.read		= seq_read,					\
	.llseek		= seq_lseek,					\
	.release	= single_release,				\
}
#endif

/*
 * <linux/firmware.h>: firmware_request_nowarn (4.18). Its fallback to a
 * user-space helper is off in distro kernels; the older call has none:
 * the file under /lib/firmware or nothing, without a warning, either way.
 */
#ifndef VMI_HAVE_FIRMWARE_REQUEST_NOWARN
#define firmware_request_nowarn(fw, name, dev) \
	request_firmware_direct(fw, name, dev)
#endif

/*
 * <linux/iopoll.h>: read_poll_timeout (5.8), the same loop: @op(@args)
 * into @val until @cond, sleeping @sleep_us between tries, then one last
 * read after @timeout_us; 0 or -ETIMEDOUT.
 */
#ifndef VMI_HAVE_READ_POLL_TIMEOUT
#define read_poll_timeout(op, val, cond, sleep_us, timeout_us,		\
			  sleep_before_read, args...) ({		\
	u64 __rp_timeout_us = (timeout_us);				\
	unsigned long __rp_sleep_us = (sleep_us);			\
	ktime_t __rp_end = ktime_add_us(ktime_get(), __rp_timeout_us);	\
									\
	might_sleep_if(__rp_sleep_us != 0);				\
	if ((sleep_before_read) && __rp_sleep_us)			\
		usleep_range((__rp_sleep_us >> 2) + 1, __rp_sleep_us);	\
	for (;;) {							\
		(val) = op(args);					\
		if (cond)						\
			break;						\
		if (__rp_timeout_us &&					\
		    ktime_compare(ktime_get(), __rp_end) > 0) {		\
			(val) = op(args);				\
			break;						\
		}							\
		if (__rp_sleep_us)					\
			usleep_range((__rp_sleep_us >> 2) + 1,		\
				     __rp_sleep_us);			\
		cpu_relax();						\
	}								\
	(cond) ? 0 : -ETIMEDOUT;					\
})
#endif

/* <linux/mmap_lock.h> (5.8): mm->mmap_sem was the lock before. */
#ifndef VMI_HAVE_MMAP_LOCK
#define mmap_read_lock(mm)		down_read(&(mm)->mmap_sem)
#define mmap_read_unlock(mm)		up_read(&(mm)->mmap_sem)
#define mmap_write_lock_killable(mm)	down_write_killable(&(mm)->mmap_sem)
#define mmap_write_unlock(mm)		up_write(&(mm)->mmap_sem)
#endif
/* Stable kernels that gained mmap_lock.h may lack this one (5.4.y). */
#ifndef VMI_HAVE_MMAP_LOCK_IS_CONTENDED
#define mmap_lock_is_contended(mm)	rwsem_is_contended(&(mm)->mmap_sem)
#endif

/*
 * <linux/bsearch.h>: __inline_bsearch (5.5), the same search as the
 * kernel's, inline: a caller in an INT3 handler must not call out to
 * bsearch(), which older kernels let be traced and probed.
 */
#ifndef VMI_HAVE_INLINE_BSEARCH
#define __inline_bsearch(key, base, num, size, cmp) ({			\
	const char *__bs_base = (const char *)(base);			\
	size_t __bs_num = (num);					\
	void *__bs_found = NULL;					\
									\
	while (__bs_num > 0) {						\
		const char *__bs_pivot =				\
			__bs_base + (__bs_num >> 1) * (size);		\
		int __bs_result = cmp(key, __bs_pivot);			\
									\
		if (__bs_result == 0) {					\
			__bs_found = (void *)__bs_pivot;		\
			break;						\
		}							\
		if (__bs_result > 0) {					\
			__bs_base = __bs_pivot + (size);		\
			__bs_num--;					\
		}							\
		__bs_num >>= 1;						\
	}								\
	__bs_found;							\
})
#endif

/*
 * <linux/sched.h>: preempt_model_*() (5.19). Before, the model was
 * Kconfig's, as these say, except on a PREEMPT_DYNAMIC kernel of then
 * (5.12 to 5.18), which chose it at boot and did not tell: there the
 * model has no name, and the kernel counts as preemptible, the answer
 * that never lets the module write text it should not.
 */
#ifndef VMI_HAVE_PREEMPT_MODEL
#define __vmi_preempt_static(on) \
	((on) && !IS_ENABLED(CONFIG_PREEMPT_DYNAMIC))
#define preempt_model_none() \
	__vmi_preempt_static(IS_ENABLED(CONFIG_PREEMPT_NONE))
#define preempt_model_voluntary() \
	__vmi_preempt_static(IS_ENABLED(CONFIG_PREEMPT_VOLUNTARY))
#define preempt_model_full() \
	__vmi_preempt_static(IS_ENABLED(CONFIG_PREEMPT))
#define preempt_model_rt()	 IS_ENABLED(CONFIG_PREEMPT_RT)
#define preempt_model_preemptible() \
	(preempt_model_full() || preempt_model_rt() || \
	 IS_ENABLED(CONFIG_PREEMPT_DYNAMIC))
#endif

/*
 * <linux/security.h>: security_locked_down() and its reasons came with
 * the lockdown LSM (5.4). Before, only distro kernels had lockdown, as a
 * patch (Debian 10's 4.19 among them): kernel_is_locked_down("what"),
 * true when locked down, logging "what is restricted". Its one level
 * covers what integrity covers now. A kernel with neither has no
 * lockdown: nothing is restricted.
 */
#ifndef VMI_HAVE_SECURITY_LOCKED_DOWN
#define LOCKDOWN_MODULE_SIGNATURE	"unsigned module loading"
#ifdef VMI_HAVE_KERNEL_IS_LOCKED_DOWN
#define security_locked_down(what) (kernel_is_locked_down(what) ? -EPERM : 0)
#else
#define security_locked_down(what) ((void)(what), 0)
#endif
#endif

/*
 * <linux/security.h>: the LSM hooks for data taken from user space rather
 * than read from a file (5.10: security_kernel_post_load_data(), and
 * security_kernel_load_data()'s "contents"), which the firmware loader's
 * sysfs fallback calls for the firmware written to it; rom/image calls
 * them likewise. Before 5.10 no LSM saw such data (IMA and LoadPin judged
 * files only), so there is nothing to ask.
 */
#ifdef VMI_HAVE_LSM_LOADED_DATA
#define vmi_lsm_firmware_load() security_kernel_load_data(LOADING_FIRMWARE, true)
#define vmi_lsm_firmware_loaded(buf, size, what)				\
	security_kernel_post_load_data((char *)(buf), size, LOADING_FIRMWARE, \
				       what)
#else
#define vmi_lsm_firmware_load() 0
#define vmi_lsm_firmware_loaded(buf, size, what) ((void)(buf), 0)
#endif

/*
 * <asm/text-patching.h>: the opcodes' names (5.6) and __text_gen_insn
 * (5.18), which encodes @opcode and, for a jump or call, the
 * displacement from the end of its @size bytes at @addr to @dest. The
 * module encodes only rel32 CALL and JMP, whose reach it checks first
 * (base/insn.h); the kernel's also BUG()s on a JMP8 out of reach.
 */
#ifndef VMI_HAVE_INT3_INSN_OPCODE
#define INT3_INSN_OPCODE	0xCC
#endif
#ifndef VMI_HAVE_RET_INSN_OPCODE
#define RET_INSN_OPCODE		0xC3
#endif
#ifndef VMI_HAVE_CALL_INSN_OPCODE
#define CALL_INSN_OPCODE	0xE8
#endif
#ifndef VMI_HAVE_JMP32_INSN_OPCODE
#define JMP32_INSN_OPCODE	0xE9
#endif
#ifndef VMI_HAVE_JMP32_INSN_SIZE
#define JMP32_INSN_SIZE		5
#endif
#ifndef VMI_HAVE_TEXT_GEN_INSN
#define __text_gen_insn(buf, opcode, addr, dest, size) do {		\
	u8 *__tg_buf = (u8 *)(buf);					\
	int __tg_size = (size);						\
	s32 __tg_disp = (long)(dest) -					\
			(long)((const u8 *)(addr) + __tg_size);		\
									\
	__tg_buf[0] = (opcode);						\
	if (__tg_size > 1)						\
		memcpy(__tg_buf + 1, &__tg_disp, __tg_size - 1);	\
} while (0)
#endif

/*
 * <trace/stages/stage6_event_callback.h>: __assign_str(dst) copies the
 * source its __string() named (6.10); before, __assign_str(dst, src).
 * The trace stages define that name anew each time they expand an event,
 * so no fallback can stand under it: the events (base/trace.h) write
 * vmi_assign_str(dst, src), which expands to this kernel's form there.
 */
#ifdef VMI_HAVE_ASSIGN_STR_DST_ONLY
#define vmi_assign_str(dst, src)	__assign_str(dst)
#else
#define vmi_assign_str(dst, src)	__assign_str(dst, src)
#endif

#else /* __ASSEMBLY__ */

#include "compat/kapi_asm.h"

#endif /* __ASSEMBLY__ */

#endif /* VMI_SHIM_COMPAT_KAPI_H */
