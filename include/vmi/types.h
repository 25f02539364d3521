/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Integer types for headers shared by the kernel module, userspace tools
 * and the freestanding ROM.  The kernel's <linux/types.h> also provides
 * the <stdint.h> names, so shared code uses uint8_t..uint64_t and size_t
 * everywhere and only the include differs.
 */
#ifndef VMI_TYPES_H
#define VMI_TYPES_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/stddef.h>
#else
#include <stdint.h>
#include <stddef.h>
#endif

#endif /* VMI_TYPES_H */
