/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Little-endian field reads, byte by byte: the table validators run on
 * untrusted buffers with no alignment guarantee, in the kernel and in
 * userspace.
 */
#ifndef VMI_LE_H
#define VMI_LE_H

#include "types.h"

static inline uint16_t vmi_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}

static inline uint32_t vmi_get32(const uint8_t *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) |
	       ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static inline uint64_t vmi_get64(const uint8_t *p)
{
	return (uint64_t)vmi_get32(p) | ((uint64_t)vmi_get32(p + 4) << 32);
}

#endif /* VMI_LE_H */
