/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sizes of the ROM's state block.  The ROM is read-only; everything it
 * must remember lives in a block the caller hands to VMI_Init.  The
 * header announces these numbers at 0x1C (see docs/abi.md), so they are
 * ABI; the layout behind them (struct vmi_state) is private to the ROM.
 * Included from assembly too.
 */
#ifndef VMI_EMUL_STATE_H
#define VMI_EMUL_STATE_H

#define VMI_STATE_SIZE		256	/* fixed part, bytes */
#define VMI_STATE_ALIGN_LOG2	6	/* 64: KVM steal-time areas need it */
#define VMI_STATE_PERCPU_LOG2	7	/* 128 bytes per CPU slot */
#define VMI_STATE_PERCPU_SIZE	(1 << VMI_STATE_PERCPU_LOG2)
#define VMI_STATE_MAGIC		0x534d5621	/* "!VMS": VMI_Init succeeded */

/*
 * The API minor the x86-64 ROM implements and its header announces:
 * the newest (VMI_API_MINOR, from include/vmi/abi.h) unless the build
 * asks for an older one (make rom VMI_ROM_MINOR=n, docs/abi.md
 * "Versions"). The i386 ROM is always 3.0 (head.S).
 */
#ifndef VMI_ROM_MINOR
#define VMI_ROM_MINOR		VMI_API_MINOR
#endif

/*
 * A "future" ROM, for the version matrix (make rom VMI_ROM_FUTURE=m,
 * docs/abi.md "Versions"): its header announces 3.m, a minor past
 * VMI_API_MINOR, it implements every call of VMI_API_MINOR, and its
 * GetRelocationInfo answers CALL_REL for VMI_ROM_FUTURE_CALLS numbers
 * past them: calls no caller knows, which a caller that speaks
 * VMI_API_MINOR must never ask for (their entry traps). Any other ROM's
 * header announces the minor it implements.
 */
#ifdef VMI_ROM_FUTURE
#define VMI_ROM_HEADER_MINOR	VMI_ROM_FUTURE
#define VMI_ROM_FUTURE_CALLS	2
#else
#define VMI_ROM_HEADER_MINOR	VMI_ROM_MINOR
#define VMI_ROM_FUTURE_CALLS	0
#endif

#endif /* VMI_EMUL_STATE_H */
