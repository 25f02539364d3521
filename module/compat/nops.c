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
#include <asm/cpufeature.h>
#include <asm/nops.h>

#include "compat/nops.h"

#define NOP_MAX	8
#ifdef BYTES_NOP1
static const u8 nops[NOP_MAX][NOP_MAX] = {
	{ BYTES_NOP1 }, { BYTES_NOP2 }, { BYTES_NOP3 }, { BYTES_NOP4 },
	{ BYTES_NOP5 }, { BYTES_NOP6 }, { BYTES_NOP7 }, { BYTES_NOP8 },
};
#define NR_TABLES	1
#else
/*
 * Before 5.13 an x86-64 kernel chose its NOPs at boot by CPU: P6 NOPs
 * (NOPL) where the CPU has them, K8 NOPs (0x66-prefixed 0x90) where
 * not; both are the kernel's, and either may pad a site.
 */
static const u8 nops[][NOP_MAX][NOP_MAX] = {
	{ { P6_NOP1 }, { P6_NOP2 }, { P6_NOP3 }, { P6_NOP4 },
	  { P6_NOP5 }, { P6_NOP6 }, { P6_NOP7 }, { P6_NOP8 } },
	{ { K8_NOP1 }, { K8_NOP2 }, { K8_NOP3 }, { K8_NOP4 },
	  { K8_NOP5 }, { K8_NOP6 }, { K8_NOP7 }, { K8_NOP8 } },
};
#define NR_TABLES	ARRAY_SIZE(nops)
#endif

/* The @len-byte NOP of table @t. */
static const u8 *nop_of(unsigned int t, unsigned int len)
{
#ifdef BYTES_NOP1
	return nops[len - 1];
#else
	return nops[t][len - 1];
#endif
}

/* The longest of the kernel's NOPs that starts @p and fits @n, or 0. */
static unsigned int nop_len(const u8 *p, unsigned int n)
{
	unsigned int len, t;

	for (len = min_t(unsigned int, n, NOP_MAX); len; len--)
		for (t = 0; t < NR_TABLES; t++)
			if (!memcmp(p, nop_of(t, len), len))
				return len;
	return 0;
}

/* A run of the kernel's NOPs covering exactly @n bytes. */
bool vmi_is_nops(const u8 *p, unsigned int n)
{
	unsigned int len;

	while (n) {
		len = nop_len(p, n);
		if (!len)
			return false;
		p += len;
		n -= len;
	}
	return true;
}

/*
 * Fill @n bytes with the kernel's NOPs, longest first: P6 NOPs (the
 * only kind since 5.13), K8 NOPs on a CPU without NOPL.
 */
void vmi_fill_nops(u8 *p, unsigned int n)
{
	unsigned int t = NR_TABLES > 1 && !boot_cpu_has(X86_FEATURE_NOPL);

	while (n) {
		unsigned int len = min_t(unsigned int, n, NOP_MAX);

		memcpy(p, nop_of(t, len), len);
		p += len;
		n -= len;
	}
}
