/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Stand-in for a kernel without <linux/minmax.h> (before 5.10): min(),
 * max() and clamp() were in <linux/kernel.h>. Kbuild searches this
 * directory after the kernel's own, so a kernel that has the header
 * never reaches this file (compat/kapi.h).
 */
#ifndef VMI_SHIM_STANDIN_MINMAX_H
#define VMI_SHIM_STANDIN_MINMAX_H

#include <linux/kernel.h>

#endif /* VMI_SHIM_STANDIN_MINMAX_H */
