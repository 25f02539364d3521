// SPDX-License-Identifier: GPL-2.0
/*
 * mkrom: turn the linked ROM (ELF, linked at 0) into vmi-rom.bin, or the
 * i386 ROM (ELF32) into vmi-rom-i386.bin.
 *
 *  - refuses an ELF with dynamic relocations, GOT/PLT entries or writable
 *    data: the ROM must run wherever it is copied, unmodified;
 *  - decodes every instruction of the ROM's code and refuses any indirect
 *    jmp or call, any NOTRACK prefix and anything it cannot decode: an IBT
 *    kernel faults on an indirect branch to an address without ENDBR64,
 *    and the ROM then has none whose target would need proving;
 *  - x86-64: refuses any "ret" outside the ROM's return thunk
 *    (__x86_return_thunk, "ret; int3"), and appends the table of every
 *    rel32 jmp/jcc to that
 *    thunk (the return sites: docs/abi.md, "Speculation");
 *  - pads to a multiple of 512 with one spare byte for the checksum;
 *  - sets rom_length, the PCI image length and the PnP header checksum;
 *  - makes the 8-bit sum of the whole image 0;
 *  - validates the result with the shared validator.
 *
 * Usage: mkrom ROM.elf OUT.bin
 *        mkrom --insns ROM.elf   (the code's instructions: offset, length)
 */
#include <elf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../include/vmi/abi.h"
#include "../include/vmi/romcheck.h"
#include "x86insn.h"

static const char *prog = "mkrom";

static void __attribute__((format(printf, 1, 2))) die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static unsigned char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf;
	long n;

	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET))
		die("cannot read %s", path);
	buf = malloc(n ? n : 1);
	if (!buf || fread(buf, 1, n, f) != (size_t)n)
		die("cannot read %s", path);
	fclose(f);
	*len = n;
	return buf;
}

/* Sections a PIE link may leave that carry no code or data of ours. */
static int is_link_metadata(const char *name)
{
	static const char * const ok[] = {
		".dynamic", ".dynsym", ".dynstr", ".hash", ".gnu.hash",
		".shstrtab", ".symtab", ".strtab", "",
	};
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (!strcmp(name, ok[i]))
			return 1;
	return 0;
}

/*
 * The ELF's sections and symbols, ELF32 (the i386 ROM) or ELF64 (the
 * x86-64 one) read into one form.
 */
struct sec {
	const char *name;
	uint64_t type, flags, addr, offset, size, entsize, link;
};

struct sym {
	const char *name;
	uint64_t value, size;
	unsigned int type, shndx;
};

struct elf {
	int bits;		/* 32 or 64: also the code's mode */
	struct sec *sec;
	size_t nsec;
	const struct sec *rom;	/* .rom */
	unsigned int rom_index;
	struct sym *sym;
	size_t nsym;
};

static void read_sections(const unsigned char *elf, size_t len, struct elf *e)
{
	const Elf64_Ehdr *eh64 = (const void *)elf;
	const Elf32_Ehdr *eh32 = (const void *)elf;
	uint64_t shoff;
	size_t shnum, shstrndx, entsize, i;

	if (len < sizeof(*eh64) || memcmp(elf, ELFMAG, SELFMAG))
		die("%s", "input is not an ELF file");
	if (elf[EI_CLASS] == ELFCLASS64 && eh64->e_machine == EM_X86_64) {
		e->bits = 64;
		shoff = eh64->e_shoff;
		shnum = eh64->e_shnum;
		shstrndx = eh64->e_shstrndx;
		entsize = sizeof(Elf64_Shdr);
	} else if (elf[EI_CLASS] == ELFCLASS32 && eh32->e_machine == EM_386) {
		e->bits = 32;
		shoff = eh32->e_shoff;
		shnum = eh32->e_shnum;
		shstrndx = eh32->e_shstrndx;
		entsize = sizeof(Elf32_Shdr);
	} else {
		die("%s", "input is not an x86-64 ELF64 or i386 ELF32 file");
	}
	if (shoff > len || shnum > (len - shoff) / entsize || shstrndx >= shnum)
		die("%s", "bad section header table");
	e->nsec = shnum;
	e->sec = calloc(shnum ? shnum : 1, sizeof(*e->sec));
	if (!e->sec)
		die("%s", "out of memory");
	for (i = 0; i < shnum; i++) {
		struct sec *s = &e->sec[i];
		const unsigned char *h = elf + shoff + i * entsize;

		if (e->bits == 64) {
			const Elf64_Shdr *sh = (const void *)h;

			*s = (struct sec){ NULL, sh->sh_type, sh->sh_flags,
				sh->sh_addr, sh->sh_offset, sh->sh_size,
				sh->sh_entsize, sh->sh_link };
			s->name = (const char *)(uintptr_t)sh->sh_name;
		} else {
			const Elf32_Shdr *sh = (const void *)h;

			*s = (struct sec){ NULL, sh->sh_type, sh->sh_flags,
				sh->sh_addr, sh->sh_offset, sh->sh_size,
				sh->sh_entsize, sh->sh_link };
			s->name = (const char *)(uintptr_t)sh->sh_name;
		}
	}
	{
		const struct sec *ss = &e->sec[shstrndx];

		if (ss->offset > len || ss->size > len - ss->offset ||
		    !ss->size || elf[ss->offset + ss->size - 1])
			die("%s", "bad section name table");
		for (i = 0; i < shnum; i++) {
			uintptr_t n = (uintptr_t)e->sec[i].name;

			if (n >= ss->size)
				die("%s", "bad section name");
			e->sec[i].name = (const char *)elf + ss->offset + n;
		}
	}
}

/* Find .rom and check nothing position-dependent or writable came along. */
static void find_rom(const unsigned char *elf, size_t len, struct elf *e)
{
	const struct sec *rom = NULL;
	size_t i;

	read_sections(elf, len, e);
	for (i = 0; i < e->nsec; i++) {
		const struct sec *sh = &e->sec[i];

		if (!strcmp(sh->name, ".rom")) {
			rom = sh;
			e->rom_index = (unsigned int)i;
			continue;
		}
		if (!sh->size || is_link_metadata(sh->name))
			continue;
		if (sh->type == SHT_RELA || sh->type == SHT_REL)
			die("dynamic relocations in %s: ROM code is not position independent", sh->name);
		if (sh->flags & SHF_ALLOC)
			die("unexpected section %s: the ROM is code and constants only", sh->name);
	}
	if (!rom || rom->type != SHT_PROGBITS || rom->addr != 0 ||
	    rom->offset > len || rom->size > len - rom->offset)
		die("%s", "no .rom section linked at 0");
	e->rom = rom;
}

/* The ELF's symbol table, for the code's bounds and names. */
static void find_symtab(const unsigned char *elf, size_t len, struct elf *e)
{
	size_t i, j, symsize = e->bits == 64 ? sizeof(Elf64_Sym) : sizeof(Elf32_Sym);

	for (i = 0; i < e->nsec; i++) {
		const struct sec *st = &e->sec[i], *ss;

		if (st->type != SHT_SYMTAB)
			continue;
		if (st->link >= e->nsec || st->offset > len ||
		    st->size > len - st->offset || st->entsize != symsize)
			die("bad symbol table");
		ss = &e->sec[st->link];
		if (ss->offset > len || ss->size > len - ss->offset ||
		    !ss->size || elf[ss->offset + ss->size - 1])
			die("bad symbol string table");
		e->nsym = st->size / symsize;
		e->sym = calloc(e->nsym ? e->nsym : 1, sizeof(*e->sym));
		if (!e->sym)
			die("%s", "out of memory");
		for (j = 0; j < e->nsym; j++) {
			const unsigned char *p = elf + st->offset + j * symsize;
			struct sym *y = &e->sym[j];
			uint64_t name;

			if (e->bits == 64) {
				const Elf64_Sym *s = (const void *)p;

				name = s->st_name;
				y->value = s->st_value;
				y->size = s->st_size;
				y->type = ELF64_ST_TYPE(s->st_info);
				y->shndx = s->st_shndx;
			} else {
				const Elf32_Sym *s = (const void *)p;

				name = s->st_name;
				y->value = s->st_value;
				y->size = s->st_size;
				y->type = ELF32_ST_TYPE(s->st_info);
				y->shndx = s->st_shndx;
			}
			y->name = name < ss->size ? (const char *)elf + ss->offset + name : "?";
		}
		return;
	}
	die("no symbol table: mkrom needs it to find the ROM's code");
}

/* Value of the symbol @name defined in .rom; dies if there is none. */
static size_t rom_symbol(const struct elf *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->nsym; i++)
		if (t->sym[i].shndx == t->rom_index &&
		    !strcmp(t->sym[i].name, name))
			return t->sym[i].value;
	die("symbol %s missing from .rom (rom/rom.ld defines it)", name);
	return 0;
}

/* Whether @name is a symbol defined in .rom. */
static int has_rom_symbol(const struct elf *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->nsym; i++)
		if (t->sym[i].shndx == t->rom_index &&
		    !strcmp(t->sym[i].name, name))
			return 1;
	return 0;
}

/* "0x1a2 (vmi_select_backends+0x40)" for messages. */
static const char *where(const struct elf *t, size_t off)
{
	static char buf[160];
	const struct sym *best = NULL;
	size_t i;

	for (i = 0; i < t->nsym; i++) {
		const struct sym *s = &t->sym[i];

		if (s->type == STT_FUNC && s->shndx == t->rom_index &&
		    s->value <= off && off < s->value + (s->size ? s->size : 1))
			best = s;
	}
	if (best)
		snprintf(buf, sizeof(buf), "0x%zx (%s+0x%zx)", off,
			 best->name, off - (size_t)best->value);
	else
		snprintf(buf, sizeof(buf), "0x%zx", off);
	return buf;
}

/* What the code scan found. */
struct code {
	size_t start, end;	/* [start, end): the ROM's code */
	size_t insns;
	unsigned char *boundary;	/* per byte: an instruction starts here */
	size_t thunk;		/* __x86_return_thunk */
	uint32_t *sites;	/* rel32 jmp/jcc to it, in order */
	size_t nsites;
};

static void check_target(const struct elf *t, const struct code *c,
			 size_t from, int64_t target)
{
	if (target < (int64_t)c->start || target >= (int64_t)c->end ||
	    !c->boundary[target])
		die("branch at %s goes to 0x%llx, which is not an instruction "
		    "of the ROM's code", where(t, from), (long long)target);
}

/*
 * Decode every instruction of the ROM's code, one after the other from
 * __rom_text_start to __rom_text_end, and refuse:
 *  - an encoding the decoder does not know (so nothing is guessed);
 *  - an indirect call or jmp, with or without NOTRACK, and far transfers:
 *    under kernel IBT an indirect branch faults unless its target starts
 *    with ENDBR64, which the ROM would have to prove for every target;
 *  - any 3E (NOTRACK) prefix;
 *  - a sweep that does not account for all code: every function symbol
 *    and every direct branch target (including the two header entry
 *    slots) must be the start of a decoded instruction, and the last
 *    instruction must not fall through into the constants.
 * The last rule makes the sweep complete: control can only reach code
 * through an entry (a function symbol), a direct branch, a return after
 * a call, or a fall-through, and each of those lands on an instruction
 * the sweep decoded and checked.  Bytes hidden inside another
 * instruction (data in the code, a desynchronised sweep) are refused.
 *
 * The i386 image (ELF32, decoded in 32-bit mode) is called in place by
 * VMI 3.0 clients, which have neither IBT nor return thunks and could not
 * patch a read-only ROM anyway: it has no return thunk and no return-site
 * table, and returns with a plain "ret".  "ret imm16" is refused there
 * instead: the clients pop their own stack arguments (caller pops), so a
 * callee-pop return would corrupt their stack.  So is any use of FS or GS
 * (touches_fs_gs), which hold the clients' per-CPU base and stack canary.
 */
/*
 * Whether the 32-bit instruction @p (@len bytes) uses or changes FS or
 * GS: an FS/GS segment prefix, mov to FS/GS (8E /4, /5), push/pop FS/GS
 * (0F A0/A1/A8/A9), lfs/lgs (0F B4/B5).  The i386 clients keep per-CPU
 * data and the stack canary there (docs/abi.md 9.3).
 */
static int touches_fs_gs(const unsigned char *p, unsigned int len)
{
	unsigned int i = 0;

	for (; i < len; i++) {
		if (p[i] == 0x64 || p[i] == 0x65)
			return 1;
		if (p[i] != 0x66 && p[i] != 0x67 && p[i] != 0xf0 &&
		    p[i] != 0xf2 && p[i] != 0xf3 && p[i] != 0x26 &&
		    p[i] != 0x2e && p[i] != 0x36 && p[i] != 0x3e)
			break;
	}
	if (i + 1 >= len)
		return 0;
	if (p[i] == 0x8e)
		return ((p[i + 1] >> 3) & 7) == 4 || ((p[i + 1] >> 3) & 7) == 5;
	return p[i] == 0x0f && (p[i + 1] == 0xa0 || p[i + 1] == 0xa1 ||
				p[i + 1] == 0xa8 || p[i + 1] == 0xa9 ||
				p[i + 1] == 0xb4 || p[i + 1] == 0xb5);
}

static void scan_code(const unsigned char *elf, const struct elf *t,
		      struct code *c, FILE *list)
{
	const struct sec *rom = t->rom;
	const unsigned char *code = elf + rom->offset;
	struct x86_insn in = { 0 };
	static const size_t slots[] = { VMI_OFF_INIT, VMI_OFF_GET_RELOC };
	size_t off, i;

	c->start = rom_symbol(t, "__rom_text_start");
	c->end = rom_symbol(t, "__rom_text_end");
	if (c->start < VMI_HEADER_SIZE || c->start > c->end ||
	    c->end > rom->size)
		die("code bounds 0x%zx-0x%zx outside the ROM", c->start, c->end);
	c->boundary = calloc(1, rom->size + 1);
	c->sites = calloc(rom->size ? rom->size : 1, sizeof(*c->sites));
	if (!c->boundary || !c->sites)
		die("out of memory");
	c->thunk = SIZE_MAX;
	if (t->bits == 64) {
		c->thunk = rom_symbol(t, "__x86_return_thunk");
		if (c->thunk < c->start || c->end - c->thunk < 2 ||
		    code[c->thunk] != 0xc3 || code[c->thunk + 1] != 0xcc)
			die("__x86_return_thunk at 0x%zx is not \"ret; int3\" "
			    "in the code", c->thunk);
	} else if (has_rom_symbol(t, "__x86_return_thunk")) {
		die("%s", "an i386 ROM has no return thunk: nothing would "
		    "retarget its sites");
	}

	for (off = c->start; off < c->end; off += in.len) {
		if (x86_decode_mode(code, c->end, off, t->bits, &in))
			die("cannot decode the instruction at %s: mkrom only "
			    "accepts code it can check", where(t, off));
		c->boundary[off] = 1;
		c->insns++;
		if (list)
			fprintf(list, "%zx %u\n", off, in.len);
		if (in.notrack)
			die("NOTRACK prefix at %s: IBT kernels run with NOTRACK "
			    "disabled, and the ROM must have no indirect branch",
			    where(t, off));
		if (in.flow == X86_FLOW_INDIRECT && t->bits == 64)
			die("indirect call/jmp at %s: under kernel IBT it faults "
			    "unless its target starts with ENDBR64, so the ROM "
			    "must have none (jump table? build with "
			    "-fno-jump-tables)", where(t, off));
		if (in.flow == X86_FLOW_INDIRECT)
			die("indirect call/jmp at %s: the ROM must have none, "
			    "so that every way into its code is checked (jump "
			    "table? build with -fno-jump-tables)", where(t, off));
		if (t->bits == 32 && touches_fs_gs(code + off, in.len))
			die("FS/GS use at %s: the i386 clients keep per-CPU "
			    "data and the stack canary there; the ROM leaves "
			    "them alone", where(t, off));
		if (in.flow == X86_FLOW_FAR)
			die("far call/jmp/ret at %s", where(t, off));
		if (t->bits == 32 && in.flow == X86_FLOW_RET &&
		    code[off] == 0xc2)
			die("ret imm16 at %s: VMI 3.0 clients pop their own "
			    "stack arguments", where(t, off));
		if (t->bits == 64 && in.flow == X86_FLOW_RET && off != c->thunk)
			die("bare ret at %s: returns go through "
			    "__x86_return_thunk (-mfunction-return=thunk-extern, "
			    "RET in assembly)", where(t, off));
	}
	if (c->start < c->end &&
	    in.flow != X86_FLOW_JMP_REL && in.flow != X86_FLOW_RET &&
	    in.flow != X86_FLOW_STOP)
		die("the last instruction of the code falls through into the "
		    "ROM's constants");

	/*
	 * Second pass: every way in lands on a decoded instruction, and
	 * every jump to the return thunk is a site the installer can
	 * retarget: a rel32 jmp or jcc (a call to it would not return).
	 */
	for (off = c->start; off < c->end; off += in.len) {
		x86_decode_mode(code, c->end, off, t->bits, &in);
		if (in.rel_size)
			check_target(t, c, off, in.target);
		if (!in.rel_size || in.target != (int64_t)c->thunk)
			continue;
		if (in.flow == X86_FLOW_CALL_REL || in.rel_size != 4 ||
		    in.notrack || in.len != (code[off] == 0xe9 ? 5 : 6) ||
		    (code[off] != 0xe9 &&
		     (code[off] != 0x0f || (code[off + 1] & 0xf0) != 0x80)))
			die("the branch to __x86_return_thunk at %s is not a "
			    "plain jmp/jcc rel32 the module could retarget",
			    where(t, off));
		c->sites[c->nsites++] = (uint32_t)off;
	}
	for (i = 0; i < sizeof(slots) / sizeof(slots[0]); i++) {
		if (x86_decode_mode(code, rom->size, slots[i], t->bits, &in) ||
		    in.flow != X86_FLOW_JMP_REL)
			die("header entry slot 0x%zx is not a jmp", slots[i]);
		check_target(t, c, slots[i], in.target);
	}
	for (i = 0; i < t->nsym; i++) {
		const struct sym *s = &t->sym[i];

		if (s->type != STT_FUNC || s->shndx != t->rom_index)
			continue;
		if (s->value < c->start || s->value >= c->end ||
		    !c->boundary[s->value])
			die("function %s at 0x%zx is not an instruction the code "
			    "scan decoded (data in the code, or code outside "
			    "__rom_text_start..__rom_text_end)", s->name,
			    (size_t)s->value);
	}
}

static uint16_t get16(const unsigned char *p)
{
	return p[0] | p[1] << 8;
}

static uint32_t get32(const unsigned char *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

static unsigned char sum8(const unsigned char *p, size_t n)
{
	unsigned char s = 0;

	while (n--)
		s += *p++;
	return s;
}

int main(int argc, char **argv)
{
	const struct sec *rom;
	struct vmi_rom_info info;
	struct code code = { 0 };
	struct elf e = { 0 };
	unsigned char *elf, *img;
	size_t len, size, pcir, pnp, table, used, i;
	int list = argc == 3 && !strcmp(argv[1], "--insns"), has_table;
	FILE *out;
	int ret;

	if (argc != 3) {
		fprintf(stderr, "usage: %s ROM.elf OUT.bin\n"
			"       %s --insns ROM.elf\n", prog, prog);
		return 2;
	}
	elf = read_file(argv[1 + list], &len);
	find_rom(elf, len, &e);
	rom = e.rom;
	if (rom->size < VMI_HEADER_SIZE)
		die("%s", "ROM shorter than its header");
	find_symtab(elf, len, &e);
	scan_code(elf, &e, &code, list ? stdout : NULL);
	if (list)
		return 0;

	/*
	 * The return-site table (x86-64 only, from API minor 14 on: before,
	 * its header field is reserved, and an older ROM returns through its
	 * own thunk) goes after everything linked, so nothing it lists can
	 * overlap it; one spare byte at the end always exists for the
	 * checksum.
	 */
	has_table = e.bits == 64 &&
		    elf[rom->offset + VMI_OFF_API_MINOR] >= VMI_API_MINOR_RET_SITES;
	table = (rom->size + 3) & ~(size_t)3;
	used = has_table ? table + VMI_RET_SITES_HDR + 4 * code.nsites :
			   rom->size;
	size = (used + 1 + VMI_ROM_BLOCK - 1) / VMI_ROM_BLOCK * VMI_ROM_BLOCK;
	if (size / VMI_ROM_BLOCK > VMI_ROM_MAX_BLOCKS)
		die("%s", "ROM larger than 255 * 512 bytes");
	img = calloc(1, size);
	if (!img)
		die("%s", "out of memory");
	memcpy(img, elf + rom->offset, rom->size);
	if (get32(img + VMI_OFF_RET_SITES))
		die("%s", "header field 0x24 (return-site table) is not 0");
	if (has_table) {
		put32(img + VMI_OFF_RET_SITES, (uint32_t)table);
		put32(img + table, VMI_RET_SITES_MAGIC);
		put32(img + table + 4, (uint32_t)code.thunk);
		put32(img + table + 8, (uint32_t)code.nsites);
		for (i = 0; i < code.nsites; i++)
			put32(img + table + VMI_RET_SITES_HDR + 4 * i,
			      code.sites[i]);
	}

	img[VMI_OFF_ROM_LENGTH] = size / VMI_ROM_BLOCK;
	pcir = get16(img + VMI_OFF_PCI_HEADER);
	pnp = get16(img + VMI_OFF_PNP_HEADER);
	if (pcir + VMI_PCIR_SIZE > rom->size || pnp + VMI_PNP_SIZE > rom->size)
		die("%s", "PCI or PnP header outside the linked ROM");
	img[pcir + VMI_PCIR_OFF_IMAGE_LEN] = size / VMI_ROM_BLOCK;
	img[pcir + VMI_PCIR_OFF_IMAGE_LEN + 1] = 0;
	img[pnp + VMI_PNP_OFF_CHECKSUM] = 0;
	img[pnp + VMI_PNP_OFF_CHECKSUM] = -sum8(img + pnp, VMI_PNP_SIZE);
	img[size - 1] = 0;
	img[size - 1] = -sum8(img, size);

	ret = vmi_rom_check(img, size, &info);
	if (ret)
		die("result does not validate: %s", vmi_rom_strerror(ret));
	if (info.ret_sites != (has_table ? code.nsites : 0))
		die("%s", "the validator does not see the return-site table");

	out = fopen(argv[2], "wb");
	if (!out || fwrite(img, 1, size, out) != size || fclose(out))
		die("cannot write %s", argv[2]);
	printf("%s: %zu bytes (%zu used), %s, VMI %u.%u; code 0x%zx-0x%zx: "
	       "%zu instructions, no indirect branch, %zu return sites%s\n",
	       argv[2], size, used, e.bits == 64 ? "x86-64" : "i386",
	       info.api_major, info.api_minor, code.start, code.end,
	       code.insns, code.nsites,
	       e.bits == 64 && !has_table ? " (no table before 3.14)" : "");
	free(code.boundary);
	free(code.sites);
	free(e.sec);
	free(e.sym);
	free(img);
	free(elf);
	return 0;
}
