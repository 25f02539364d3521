// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's NOPs (asm/nops.h), as boot-time patching pads paravirt
 * sites with them.  The kernel's own table, x86_nops[], is not exported
 * to modules, so this is the same table built from the same macros.
 */
#include <linux/minmax.h>
#include <linux/string.h>

#include "compat/compat.h"
#include "compat/nops.h"

static const u8 nops[ASM_NOP_MAX][ASM_NOP_MAX] = { VMI_KERNEL_NOPS };

/* A run of the kernel's NOPs covering exactly @n bytes. */
bool vmi_is_nops(const u8 *p, unsigned int n)
{
	unsigned int len;

	while (n) {
		for (len = min_t(unsigned int, n, ASM_NOP_MAX); len; len--)
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
		unsigned int len = min_t(unsigned int, n, ASM_NOP_MAX);

		memcpy(p, nops[len - 1], len);
		p += len;
		n -= len;
	}
}
