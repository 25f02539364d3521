/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VMI_SHIM_COMPAT_KPROBE_BL_H
#define VMI_SHIM_COMPAT_KPROBE_BL_H

/*
 * The shim's code on a routed op's path kept off kprobes: its
 * .kprobes.text and its NOKPROBE_SYMBOL() functions on the kernel's kprobe
 * blacklist, from before anything is routed until the unload
 * (kprobe_bl.c). vmi_kprobe_bl_add() fails only for lack of memory; a
 * kernel whose list cannot be found is left as it is, with a warning.
 */
int vmi_kprobe_bl_add(void);
void vmi_kprobe_bl_remove(void);

/*
 * Who keeps the module off kprobes: "kernel" (the module loader took the
 * module's lists, 5.5+), "shim" (vmi_kprobe_bl_add() put them on the
 * kernel's list), or "none" with *why (VMI_WHY()) set.
 */
const char *vmi_kprobe_bl_state(const char **why);

#endif /* VMI_SHIM_COMPAT_KPROBE_BL_H */
