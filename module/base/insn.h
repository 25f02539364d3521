/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The few x86 instructions the shim writes and recognises in kernel
 * text: rel32 CALL/JMP (encoded by the kernel's own __text_gen_insn) and
 * ENDBR64. One copy for every file that patches or reads call sites; the
 * kernel's NOPs, which differ between kernels, are compat/nops.h.
 */
#ifndef VMI_SHIM_INSN_H
#define VMI_SHIM_INSN_H

#include <linux/cache.h>	/* asm/text-patching.h needs __ro_after_init */
#include <linux/string.h>
#include <linux/types.h>
#include <asm/text-patching.h>

/* A rel32 CALL or JMP is CALL_INSN_SIZE bytes: opcode, displacement. */
static_assert(CALL_INSN_SIZE == JMP32_INSN_SIZE);

/* ENDBR64, which every ROM entry must start with (docs/abi.md). */
#define VMI_ENDBR64	{ 0xf3, 0x0f, 0x1e, 0xfa }

/*
 * Write into @buf the rel32 @opcode (CALL_INSN_OPCODE or
 * JMP32_INSN_OPCODE) that, placed at @at, reaches @target.  -ERANGE, and
 * nothing written, if @target is out of rel32 reach: __text_gen_insn
 * would silently truncate.
 */
static inline int vmi_gen_rel32(u8 *buf, u8 opcode, const void *at,
				const void *target)
{
	long rel = (long)target - (long)((const u8 *)at + CALL_INSN_SIZE);

	if (rel != (s32)rel)
		return -ERANGE;
	__text_gen_insn(buf, opcode, at, target, CALL_INSN_SIZE);
	return 0;
}

/* Where the rel32 @opcode in @insn, placed at @at, goes; NULL if not one. */
static inline const void *vmi_rel32_target(const u8 *insn, const u8 *at,
					   u8 opcode)
{
	s32 rel;

	if (insn[0] != opcode)
		return NULL;
	memcpy(&rel, insn + 1, sizeof(rel));
	return at + CALL_INSN_SIZE + rel;
}

/* Does @insn, placed at @at, hold "call @target"? */
static inline bool vmi_is_call_to(const u8 *insn, const u8 *at,
				  const void *target)
{
	return vmi_rel32_target(insn, at, CALL_INSN_OPCODE) == target;
}

#endif /* VMI_SHIM_INSN_H */
