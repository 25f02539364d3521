/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Stand-in for a kernel without <asm/sync_core.h> (before 4.16), where
 * sync_core() was in <asm/processor.h>. Kbuild searches this directory
 * after the kernel's own, so a kernel that has the header never reaches
 * this file (compat/kapi.h).
 */
#ifndef VMI_SHIM_STANDIN_SYNC_CORE_H
#define VMI_SHIM_STANDIN_SYNC_CORE_H

#include <asm/processor.h>

#endif /* VMI_SHIM_STANDIN_SYNC_CORE_H */
