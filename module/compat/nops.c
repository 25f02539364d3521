// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's NOPs (asm/nops.h), as boot-time patching pads paravirt
 * sites with them. The kernel's own table, x86_nops[], is not exported
 * to modules, so this is the same table built from the same macros.
 *
 * Kernels differ here: x86-64 kernels later than 6.1 (Debian's 6.12)
 * also have 9- to 11-byte NOPs (BYTES_NOP9-11, ASM_NOP_MAX 11) and may
 * pad with them. The table stops at the 8 every kernel has, as it always
 * did: a site padded with a longer NOP is refused as not a form boot
 * patching produced (no site of Debian's 6.1 and 6.12, whose whole tables
 * the guest jobs apply, has one).
 */
#include <linux/minmax.h>
#include <linux/string.h>
#include <asm/nops.h>

#include "compat/nops.h"

#define NOP_MAX	8
static const u8 nops[NOP_MAX][NOP_MAX] = {
	{ BYTES_NOP1 }, { BYTES_NOP2 }, { BYTES_NOP3 }, { BYTES_NOP4 },
	{ BYTES_NOP5 }, { BYTES_NOP6 }, { BYTES_NOP7 }, { BYTES_NOP8 },
};

/* A run of the kernel's NOPs covering exactly @n bytes. */
bool vmi_is_nops(const u8 *p, unsigned int n)
{
	unsigned int len;

	while (n) {
		for (len = min_t(unsigned int, n, NOP_MAX); len; len--)
			if (!memcmp(p, nops[len - 1], len))
				break;
		if (!len)
			return false;
		p += len;
		n -= len;
	}
	return true;
}

/* Fill @n bytes with the kernel's NOPs, longest first. */
void vmi_fill_nops(u8 *p, unsigned int n)
{
	while (n) {
		unsigned int len = min_t(unsigned int, n, NOP_MAX);

		memcpy(p, nops[len - 1], len);
		p += len;
		n -= len;
	}
}
