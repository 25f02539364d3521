// SPDX-License-Identifier: GPL-2.0
/*
 * x86 instruction lengths for mkrom (see x86insn.h).  Opcode maps from
 * the Intel SDM volume 2, appendix A, for 64-bit mode and for 32-bit
 * protected mode (the i386 ROM); every opcode listed BAD is either
 * invalid there or an encoding family this decoder does not know (VEX,
 * EVEX, XOP, 3DNow!, TSX's xbegin, far pointers, 16-bit addressing), and
 * makes the caller refuse the ROM.
 */
#include "x86insn.h"

/* Operand attributes of an opcode. */
#define BAD	0x001		/* refuse */
#define M	0x002		/* ModRM follows (and SIB/displacement) */
#define MREG	0x004		/* ModRM whose mod field is ignored (mov CRn/DRn) */
#define I8	0x008		/* imm8 */
#define I16	0x010		/* imm16 */
#define IZ	0x020		/* imm16 with 66 and no REX.W, else imm32 */
#define IV	0x040		/* imm64 with REX.W, imm16 with 66, else imm32 */
#define MOFFS	0x080		/* moffs: 8 bytes, 4 with 67 */
#define REL8	0x100
#define REL32	0x200
#define GROUP	0x400		/* meaning depends on ModRM.reg: see group() */

/* Opcodes whose meaning in 32-bit mode differs from 64-bit mode's. */
static unsigned int one_byte32(uint8_t op)
{
	switch (op) {
	case 0x06: case 0x07: case 0x0e: case 0x16: case 0x17:
	case 0x1e: case 0x1f:		/* push/pop es, cs, ss, ds */
	case 0x27: case 0x2f: case 0x37: case 0x3f:	/* daa das aaa aas */
	case 0x60: case 0x61:		/* pusha, popa */
	case 0xce:			/* into */
		return 0;
	case 0x82:			/* alias of 0x80 */
		return M | I8;
	case 0xd4: case 0xd5:		/* aam, aad */
		return I8;
	}
	if (op >= 0x40 && op <= 0x4f)	/* inc/dec reg: no REX in 32-bit mode */
		return 0;
	/* 0x62 bound, 0xc4/0xc5 les/lds (or VEX), 0x9a/0xea far: refused */
	return ~0U;
}

static unsigned int one_byte(uint8_t op)
{
	if (op < 0x40) {
		/* ALU block; x6/x7/xE/xF are invalid, prefixes or 0F (decoded first). */
		switch (op & 7) {
		case 0: case 1: case 2: case 3:
			return M;
		case 4:
			return I8;
		case 5:
			return IZ;
		}
		return BAD;
	}
	if (op < 0x50)		/* REX, consumed as a prefix */
		return BAD;
	if (op < 0x60)		/* push/pop reg */
		return 0;
	if (op >= 0x70 && op <= 0x7f)	/* jcc rel8 */
		return REL8;
	if (op >= 0x84 && op <= 0x8e)	/* test, xchg, mov, lea, mov Sreg */
		return M;
	if (op >= 0x90 && op <= 0x9f)	/* nop/xchg, cbw..lahf (0x9a below) */
		return op == 0x9a ? BAD : 0;
	if (op >= 0xa0 && op <= 0xa3)
		return MOFFS;
	if (op >= 0xa4 && op <= 0xaf)	/* string ops, test al/eax imm */
		return op == 0xa8 ? I8 : op == 0xa9 ? IZ : 0;
	if (op >= 0xb0 && op <= 0xb7)
		return I8;
	if (op >= 0xb8 && op <= 0xbf)
		return IV;
	if (op >= 0xd8 && op <= 0xdf)	/* x87 */
		return M;
	if (op >= 0xe0 && op <= 0xe3)	/* loop*, jrcxz */
		return REL8;
	if (op >= 0xe4 && op <= 0xe7)	/* in/out imm8 */
		return I8;
	if (op >= 0xec && op <= 0xef)	/* in/out dx */
		return 0;
	if (op >= 0xf8 && op <= 0xfd)	/* clc..std */
		return 0;

	switch (op) {
	case 0x63:			/* movsxd */
		return M;
	case 0x68:
		return IZ;
	case 0x69:
		return M | IZ;
	case 0x6a:
		return I8;
	case 0x6b:
		return M | I8;
	case 0x6c: case 0x6d: case 0x6e: case 0x6f:	/* ins/outs */
		return 0;
	case 0x80: case 0x83:
		return M | I8;
	case 0x81:
		return M | IZ;
	case 0x8f:			/* pop r/m; XOP if reg != 0 */
		return M | GROUP;
	case 0xc0: case 0xc1:
		return M | I8;
	case 0xc2:			/* ret imm16 */
		return I16;
	case 0xc3:			/* ret */
		return 0;
	case 0xc6:			/* mov r/m8, imm8; xabort if reg 7 */
		return M | I8 | GROUP;
	case 0xc7:			/* mov r/m, imm32; xbegin if reg 7 */
		return M | IZ | GROUP;
	case 0xc8:			/* enter imm16, imm8 */
		return I16 | I8;
	case 0xc9:			/* leave */
		return 0;
	case 0xca:			/* far ret imm16 */
		return I16;
	case 0xcb: case 0xcc: case 0xcf:	/* far ret, int3, iret */
		return 0;
	case 0xcd:
		return I8;
	case 0xd0: case 0xd1: case 0xd2: case 0xd3:
		return M;
	case 0xd7:			/* xlat */
		return 0;
	case 0xe8: case 0xe9:
		return REL32;
	case 0xeb:
		return REL8;
	case 0xf1: case 0xf4: case 0xf5:	/* int1, hlt, cmc */
		return 0;
	case 0xf6: case 0xf7: case 0xfe: case 0xff:
		return M | GROUP;
	}
	/* 0x60-0x62, 0x82, 0xc4/0xc5 (VEX), 0xce, 0xd4-0xd6, 0xea, ... */
	return BAD;
}

static unsigned int two_byte(uint8_t op)
{
	if (op >= 0x10 && op <= 0x1f)	/* SSE moves, prefetch, hint nops, endbr */
		return M;
	if (op >= 0x20 && op <= 0x23)	/* mov to/from CRn/DRn */
		return MREG;
	if (op >= 0x28 && op <= 0x2f)
		return M;
	if (op >= 0x40 && op <= 0x6f)	/* cmovcc, SSE/MMX */
		return M;
	if (op >= 0x70 && op <= 0x73)	/* pshuf*, shift groups */
		return M | I8;
	if (op >= 0x80 && op <= 0x8f)	/* jcc rel32 */
		return REL32;
	if (op >= 0x90 && op <= 0x9f)	/* setcc */
		return M;
	if (op >= 0xb0 && op <= 0xbf)	/* cmpxchg, lss, btr, lfs, lgs, movzx, popcnt, ud1, bt group, bsf/bsr, movsx */
		return op == 0xba ? M | I8 : M;
	if (op >= 0xc8 && op <= 0xcf)	/* bswap */
		return 0;
	if (op >= 0xd0)			/* MMX/SSE, ud0 */
		return M;

	switch (op) {
	case 0x00: case 0x01: case 0x02: case 0x03:	/* groups 6, 7, lar, lsl */
	case 0x0d:					/* prefetch */
		return M;
	case 0x05: case 0x06: case 0x07: case 0x08: case 0x09: case 0x0b:
		return 0;		/* syscall clts sysret invd wbinvd ud2 */
	case 0x30: case 0x31: case 0x32: case 0x33: case 0x34: case 0x35:
	case 0x37:
		return 0;		/* wrmsr rdtsc rdmsr rdpmc sysenter sysexit getsec */
	case 0x74: case 0x75: case 0x76: case 0x78: case 0x79:
	case 0x7c: case 0x7d: case 0x7e: case 0x7f:
		return M;
	case 0x77:			/* emms */
		return 0;
	case 0xa0: case 0xa1: case 0xa2: case 0xa8: case 0xa9: case 0xaa:
		return 0;		/* push/pop fs/gs, cpuid, rsm */
	case 0xa3: case 0xa5: case 0xab: case 0xad: case 0xae: case 0xaf:
		return M;
	case 0xa4: case 0xac:		/* shld/shrd imm8 */
		return M | I8;
	case 0xc0: case 0xc1: case 0xc3: case 0xc7:
		return M;
	case 0xc2: case 0xc4: case 0xc5: case 0xc6:
		return M | I8;
	}
	/* 0x04, 0x0a, 0x0c, 0x0e/0x0f (3DNow!), 0x24-0x27, 0x36, 0x39, 0x3b-0x3f,
	 * 0x7a, 0x7b, 0xa6, 0xa7; 0x38/0x3a are escapes handled by the caller. */
	return BAD;
}

/* Opcodes whose ModRM.reg picks the instruction: refuse the unknown ones. */
static unsigned int group(uint8_t op, uint8_t modrm, unsigned int attr,
			  struct x86_insn *insn)
{
	unsigned int reg = (modrm >> 3) & 7;

	switch (op) {
	case 0x8f:
	case 0xc6:
	case 0xc7:
		return reg ? BAD : attr;
	case 0xf6:
		return reg < 2 ? attr | I8 : attr;	/* test r/m8, imm8 */
	case 0xf7:
		return reg < 2 ? attr | IZ : attr;	/* test r/m, imm */
	case 0xfe:
		return reg < 2 ? attr : BAD;
	case 0xff:
		if (reg == 2 || reg == 4)
			insn->flow = X86_FLOW_INDIRECT;
		else if (reg == 3 || reg == 5)
			insn->flow = X86_FLOW_FAR;
		return reg == 7 ? BAD : attr;
	}
	return BAD;
}

static int is_legacy_prefix(uint8_t b)
{
	switch (b) {
	case 0xf0: case 0xf2: case 0xf3:
	case 0x26: case 0x2e: case 0x36: case 0x3e: case 0x64: case 0x65:
	case 0x66: case 0x67:
		return 1;
	}
	return 0;
}

static int64_t sext(const uint8_t *p, unsigned int n)
{
	uint64_t v = 0;
	unsigned int i;

	for (i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	if (n < 8 && (v >> (8 * n - 1)) & 1)
		v |= ~0ULL << (8 * n);
	return (int64_t)v;
}

int x86_decode(const uint8_t *code, size_t len, size_t off,
	       struct x86_insn *insn)
{
	return x86_decode_mode(code, len, off, 64, insn);
}

int x86_decode_mode(const uint8_t *code, size_t len, size_t off, int bits,
		    struct x86_insn *insn)
{
	const size_t max = off + 15 < len ? off + 15 : len;	/* 15: x86's limit */
	int opsize = 0, adsize = 0, rex_w = 0, map = 0;
	unsigned int attr, imm = 0;
	size_t p = off;
	uint8_t op, modrm = 0;

	insn->len = 0;
	insn->flow = X86_FLOW_NONE;
	insn->notrack = 0;
	insn->rel_size = 0;
	insn->target = 0;

	if (off >= len)
		return -1;
	for (; p < max && is_legacy_prefix(code[p]); p++) {
		opsize |= code[p] == 0x66;
		adsize |= code[p] == 0x67;
		insn->notrack |= code[p] == 0x3e;
	}
	if (bits == 64 && p < max && (code[p] & 0xf0) == 0x40) {
		/* REX: last before the opcode */
		rex_w = (code[p] >> 3) & 1;
		p++;
	}
	if (p >= max)
		return -1;
	op = code[p++];
	if (op == 0x0f) {
		if (p >= max)
			return -1;
		op = code[p++];
		map = 1;
		if (op == 0x38 || op == 0x3a) {
			map = op == 0x38 ? 2 : 3;
			if (p >= max)
				return -1;
			op = code[p++];
		}
	}

	switch (map) {
	case 0:
		attr = bits == 32 ? one_byte32(op) : ~0U;
		if (attr == ~0U)
			attr = one_byte(op);
		break;
	case 1:
		attr = two_byte(op);
		break;
	case 2:			/* 0F 38: all ModRM, no immediate */
		attr = M;
		break;
	default:		/* 0F 3A: all ModRM + imm8 */
		attr = M | I8;
		break;
	}
	if (attr & BAD)
		return -1;

	if (attr & (M | MREG)) {
		unsigned int mod, rm;

		if (p >= max)
			return -1;
		modrm = code[p++];
		if (attr & GROUP) {
			attr = group(op, modrm, attr, insn);
			if (attr & BAD)
				return -1;
		}
		mod = modrm >> 6;
		rm = modrm & 7;
		/* 67 in 32-bit mode: 16-bit addressing, another ModRM. */
		if (bits == 32 && adsize && (attr & M) && mod != 3)
			return -1;
		if ((attr & M) && mod != 3) {
			if (rm == 4) {		/* SIB */
				if (p >= max)
					return -1;
				if (mod == 0 && (code[p] & 7) == 5)
					imm += 4;	/* no base: disp32 */
				p++;
			}
			if (mod == 0 && rm == 5)
				imm += 4;	/* disp32: RIP-relative in 64-bit mode */
			else if (mod == 1)
				imm += 1;
			else if (mod == 2)
				imm += 4;
		}
	}

	/* Immediates (the displacement bytes already counted in imm). */
	if (attr & I8)
		imm += 1;
	if (attr & I16)
		imm += 2;
	/* REX.W overrides 66: a 64-bit operand takes imm32 (imm64 for IV) */
	if (attr & IZ)
		imm += opsize && !rex_w ? 2 : 4;
	if (attr & IV)
		imm += rex_w ? 8 : opsize ? 2 : 4;
	if (attr & MOFFS)
		imm += bits == 32 ? (adsize ? 2 : 4) : (adsize ? 4 : 8);
	if (attr & (REL8 | REL32)) {
		/* 66 on a near branch: rel16 on AMD, ignored on Intel. */
		if (opsize)
			return -1;
		insn->rel_size = attr & REL8 ? 1 : 4;
		imm += insn->rel_size;
	}
	if (p + imm > max)
		return -1;
	p += imm;
	insn->len = (unsigned int)(p - off);

	if (attr & (REL8 | REL32)) {
		insn->target = (int64_t)p + sext(code + p - insn->rel_size,
						 insn->rel_size);
		if (map == 0 && op == 0xe8)
			insn->flow = X86_FLOW_CALL_REL;
		else if (map == 0 && (op == 0xe9 || op == 0xeb))
			insn->flow = X86_FLOW_JMP_REL;
		else
			insn->flow = X86_FLOW_JCC_REL;
	} else if (map == 0 && (op == 0xc3 || op == 0xc2)) {
		insn->flow = X86_FLOW_RET;
	} else if (map == 0 && (op == 0xca || op == 0xcb)) {
		insn->flow = X86_FLOW_FAR;
	} else if ((map == 0 && (op == 0xcc || op == 0xcf)) ||
		   (map == 1 && (op == 0x0b || op == 0x35))) {
		insn->flow = X86_FLOW_STOP;	/* int3, iret, ud2, sysexit */
	}
	return 0;
}
