/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VMI_SHIM_PVSPIN_H
#define VMI_SHIM_PVSPIN_H

#include <linux/types.h>

#include "ops.h"

struct qspinlock;

#if defined(CONFIG_SMP) && defined(CONFIG_PARAVIRT_SPINLOCKS)
void vmi_lock_slowpath(struct qspinlock *lock, u32 val);
void vmi_lock_wait(u8 *ptr, u8 val);
void vmi_lock_kick(int cpu);
bool vmi_vcpu_is_preempted(long cpu);
bool __raw_callee_save_vmi_vcpu_is_preempted(long cpu);
const char *vmi_pvspin_veto(unsigned int call, enum vmi_mode mode);
void vmi_pvspin_prepare(void);
const char *vmi_pvspin_switch_on(bool unlock_routed, unsigned int kept);
const char *vmi_pvspin_switch_off(void);
void vmi_pvspin_stop(void);
bool vmi_pvspin_on(void);
void vmi_pvspin_counts(u64 *waits, u64 *kicks);
#else
static inline const char *vmi_pvspin_veto(unsigned int call,
					  enum vmi_mode mode)
{
	return "kernel without PARAVIRT_SPINLOCKS";
}
static inline void vmi_pvspin_prepare(void) { }
static inline const char *vmi_pvspin_switch_on(bool unlock_routed,
					       unsigned int kept)
{
	return "kernel without PARAVIRT_SPINLOCKS";
}
static inline const char *vmi_pvspin_switch_off(void) { return NULL; }
static inline void vmi_pvspin_stop(void) { }
static inline bool vmi_pvspin_on(void) { return false; }
static inline void vmi_pvspin_counts(u64 *waits, u64 *kicks)
{
	*waits = 0;
	*kicks = 0;
}
#endif

#endif /* VMI_SHIM_PVSPIN_H */
