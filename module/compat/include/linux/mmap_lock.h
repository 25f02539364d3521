/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Stand-in for a kernel without <linux/mmap_lock.h> (before 5.8), where
 * mm->mmap_sem, an rw_semaphore, was the lock: compat/kapi.h names its
 * functions over it. Kbuild searches this directory after the kernel's
 * own, so a kernel that has the header never reaches this file.
 */
#ifndef VMI_SHIM_STANDIN_MMAP_LOCK_H
#define VMI_SHIM_STANDIN_MMAP_LOCK_H

#include <linux/mm_types.h>
#include <linux/rwsem.h>

#endif /* VMI_SHIM_STANDIN_MMAP_LOCK_H */
