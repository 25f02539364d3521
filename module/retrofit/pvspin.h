/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VMI_SHIM_PVSPIN_H
#define VMI_SHIM_PVSPIN_H

#include <linux/types.h>

#include "base/why.h"
#include "patch/ops.h"

#if defined(CONFIG_SMP) && defined(CONFIG_PARAVIRT_SPINLOCKS)
/* The vcpu_is_preempted op's entry and its callee-save thunk. */
bool vmi_vcpu_is_preempted(long cpu);
bool __raw_callee_save_vmi_vcpu_is_preempted(long cpu);
int vmi_pvspin_register_ops(void);
const struct vmi_op_state *vmi_pvspin_unlock_state(void);
void vmi_pvspin_prepare(enum vmi_mode mode);
const char *vmi_pvspin_switch_on(bool unlock_routed, unsigned int kept);
const char *vmi_pvspin_switch_off(void);
void vmi_pvspin_stop(void);
struct vmi_rom;
const char *vmi_pvspin_swap_prepare(const struct vmi_rom *next,
				    const char *preempted_why);
void vmi_pvspin_swap_publish(void);
#else
static inline int vmi_pvspin_register_ops(void) { return 0; }
static inline const struct vmi_op_state *vmi_pvspin_unlock_state(void)
{
	return NULL;
}
static inline void vmi_pvspin_prepare(enum vmi_mode mode) { }
static inline const char *vmi_pvspin_switch_on(bool unlock_routed,
					       unsigned int kept)
{
	return VMI_WHY("kernel-lacks", "kernel without PARAVIRT_SPINLOCKS");
}
static inline const char *vmi_pvspin_switch_off(void) { return NULL; }
static inline void vmi_pvspin_stop(void) { }
struct vmi_rom;
static inline const char *
vmi_pvspin_swap_prepare(const struct vmi_rom *next, const char *preempted_why)
{
	return VMI_WHY("kernel-lacks", "kernel without PARAVIRT_SPINLOCKS");
}
static inline void vmi_pvspin_swap_publish(void) { }
#endif

#endif /* VMI_SHIM_PVSPIN_H */
