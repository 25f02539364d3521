// SPDX-License-Identifier: GPL-2.0
/*
 * A module with a spin-unlock call site that stays the native unlock
 * whatever pv_ops says, beside a lock slow-path site that binds to the
 * shim when loaded while the lock ops are routed: what a module gets
 * whose load read pv_ops while the shim was writing them slot by slot
 * (tests/guest/pvspin_cover.sh). The shim must not count it as unlocking
 * through the PV unlock because some other site of it calls the shim.
 *
 * The unlock site is the kernel's own (PVOP_ALT_VCALLEE1, as
 * pv_queued_spin_unlock) with the inline "movb $0,(%rdi)" applied
 * always instead of only without X86_FEATURE_PVUNLOCK. Nothing here is
 * ever called: the sites only have to exist.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>
#include <asm/alternative.h>
#include <asm/cpufeatures.h>
#include <asm/paravirt.h>

/* asm/paravirt.h undefines it after use; this is its definition. */
#ifndef PARAVIRT_CALL
#define PARAVIRT_CALL ANNOTATE_RETPOLINE_SAFE "call *%[paravirt_opptr];"
#endif

/* An unlock site that alternatives always make native. */
static noinline void vmi_test_native_unlock(struct qspinlock *lock)
{
	PVOP_ALT_VCALLEE1(lock.queued_spin_unlock, lock,
			  "movb $0, (%%" _ASM_ARG1 ");", X86_FEATURE_ALWAYS);
}

/* A slow-path site: calls whatever pv_ops held at load. */
static noinline void vmi_test_slowpath(struct qspinlock *lock, u32 val)
{
	pv_queued_spin_lock_slowpath(lock, val);
}

/* Keeps both in the module without calling them. */
static void *vmi_test_sites[] __used = {
	vmi_test_native_unlock, vmi_test_slowpath,
};

static int __init unlock_init(void)
{
	pr_info("loaded: one native unlock site, one slow-path site\n");
	return 0;
}

static void __exit unlock_exit(void)
{
}
module_init(unlock_init);
module_exit(unlock_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("vmi-shim test: a native unlock site beside a routed one");
