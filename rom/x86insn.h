/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small x86 instruction-length decoder for mkrom (rom/x86insn.c).
 *
 * It decodes the legacy (non-VEX/EVEX) encodings of 64-bit mode, and of
 * 32-bit protected mode for the i386 ROM: what GCC emits for
 * -mgeneral-regs-only code and what the ROMs' assembly uses.  It
 * fails closed: any byte sequence it does not know (VEX, EVEX, XOP, 3DNow!,
 * opcodes invalid in 64-bit mode, a REX prefix not right before the opcode,
 * a truncated instruction) is an error, so mkrom refuses the ROM rather
 * than guess a length.  The host tests compare its instruction boundaries
 * with objdump's over the whole ROM.
 */
#ifndef VMI_ROM_X86INSN_H
#define VMI_ROM_X86INSN_H

#include <stddef.h>
#include <stdint.h>

/* Control transfers mkrom cares about. */
enum x86_flow {
	X86_FLOW_NONE,		/* falls through to the next instruction */
	X86_FLOW_JMP_REL,	/* jmp rel8/rel32 */
	X86_FLOW_JCC_REL,	/* jcc, loop, jrcxz: rel8/rel32 */
	X86_FLOW_CALL_REL,	/* call rel32 */
	X86_FLOW_RET,		/* ret, ret imm16 */
	X86_FLOW_STOP,		/* int3, ud2, iret, hlt-less ends: no fall-through */
	X86_FLOW_INDIRECT,	/* call/jmp through a register or memory (FF /2, /4) */
	X86_FLOW_FAR,		/* far call/jmp/ret (FF /3, /5, CA, CB) */
};

struct x86_insn {
	unsigned int len;	/* bytes, prefixes included */
	enum x86_flow flow;
	int notrack;		/* a 3E (DS/NOTRACK) prefix is present */
	unsigned int rel_size;	/* 1 or 4 for relative branches, else 0 */
	int64_t target;		/* relative branches: offset of the target */
};

/*
 * Decode the instruction at offset @off of @code (@len bytes).  Returns 0
 * and fills @insn, or -1 for an unknown or truncated encoding.
 */
int x86_decode(const uint8_t *code, size_t len, size_t off,
	       struct x86_insn *insn);

/* The same in 64-bit (@bits 64) or 32-bit protected mode (@bits 32). */
int x86_decode_mode(const uint8_t *code, size_t len, size_t off, int bits,
		    struct x86_insn *insn);

#endif /* VMI_ROM_X86INSN_H */
