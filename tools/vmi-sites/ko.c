// SPDX-License-Identifier: GPL-2.0
/*
 * vmi-sites modules: reading an x86_64 kernel module (.ko) and finding
 * its paravirt call sites as places (section, offset, slot, len).
 *
 * A module's sites are in its .ko on disk: an x86_64 ELF relocatable
 * file whose site table and call bytes are unrelocated. Each site is a
 * place (section, offset) found through the table's relocations:
 *
 * Linux < 6.8: .parainstructions, 16-byte struct paravirt_patch_site
 *   { u8 *instr; u8 type; u8 len; } (the last one 12 bytes up to 5.10,
 *   see pv_site_count()): instr is the R_X86_64_64 relocation at the
 *   entry (usually .text + offset), type the slot in struct
 *   paravirt_patch_template.
 * Linux >= 6.8: .altinstructions, 14-byte struct alt_instr; instr_offset
 *   is an R_X86_64_PC32 relocation whose target (symbol + addend) is the
 *   place. Pv calls have ALT_FLAG_DIRECT_CALL and X86_FEATURE_ALWAYS.
 *
 * The place holds an indirect call through a pointer in an undefined
 * global of the kernel's, relocated:
 *   "ff 15 disp32" (call *disp32(%rip)), R_X86_64_PC32 (or PLT32) at +2,
 *     addend A: the call reads global + A + 4 (6.1 and later, and the
 *     kernel's own assembly);
 *   "ff 14 25 abs32" (call *abs32), R_X86_64_32S at +3, addend A: it
 *     reads global + A (up to 5.10: PARAVIRT_CALL's "call *%c[...]" of an
 *     "i" operand).
 * 4.20 and later have one global, pv_ops (a struct paravirt_patch_template),
 * and the slot is the pointer's index in it; before, each member of the
 * template was a global of its own (pv_ops_globals[]), see split_slot().
 * modsysfs.c turns the places into addresses.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "modules.h"

#define SYM_SIZE	sizeof(Elf64_Sym)
#define RELA_SIZE	sizeof(Elf64_Rela)

struct sym {
	const char *name;
	uint64_t value;
	uint16_t shndx;
};

struct rel {
	uint64_t off;
	int64_t addend;
	uint32_t sec, type, sym;
	int global;		/* pv relocations: index in pv_globals[] */
};

/*
 * The globals a pv call reads: pv_ops (4.20+), or one of the members of
 * struct paravirt_patch_template after pv_init_ops (whose one pointer is
 * called directly, never through a site), in the template's order.
 */
#define PV_OPS		0
static const char *const pv_globals[] = {
	"pv_ops",
	"pv_time_ops", "pv_cpu_ops", "pv_irq_ops", "pv_mmu_ops", "pv_lock_ops",
};
#define NR_PV_GLOBALS	(sizeof(pv_globals) / sizeof(pv_globals[0]))

static int pv_global(const char *name)
{
	unsigned int g;

	for (g = 0; g < NR_PV_GLOBALS; g++)
		if (!strcmp(name, pv_globals[g]))
			return (int)g;
	return -1;
}

/* '-' and '_' are the same in module names; the kernel uses '_'. */
int norm_name(char *out, const char *in, size_t n)
{
	size_t i;

	if (!n || n >= NAME_LEN)
		return -1;
	for (i = 0; i < n; i++) {
		if (!in[i] || in[i] == '/')
			return -1;
		out[i] = in[i] == '-' ? '_' : in[i];
	}
	out[n] = 0;
	return 0;
}

/* --- reading a .ko -------------------------------------------------------- */

void free_ko(struct ko *k)
{
	free(k->e.secs);
	free(k->syms);
	free(k->rels);
	free(k->pv);
	free(k->dec.data);
	free(k->file.data);
	memset(k, 0, sizeof(*k));
}

static int parse_symtab(struct ko *k)
{
	const struct elf *e = &k->e;
	const struct section *st = NULL, *str;
	unsigned int i;
	uint32_t j, name;

	for (i = 0; i < e->nsecs; i++) {
		if (e->secs[i].type != SHT_SYMTAB)
			continue;
		if (st) {
			errmsg("%s: more than one symbol table", k->path);
			return -1;
		}
		st = &e->secs[i];
	}
	if (!st || !st->data) {
		errmsg("%s: no symbol table (.symtab): not a kernel module",
		       k->path);
		return -1;
	}
	if (st->entsize != SYM_SIZE || st->size % SYM_SIZE ||
	    st->size / SYM_SIZE > 0x7fffffff || st->link >= e->nsecs) {
		errmsg("%s: corrupt symbol table %s", k->path, st->name);
		return -1;
	}
	str = &e->secs[st->link];
	if (str->type != SHT_STRTAB || !str->data || !str->size ||
	    str->data[str->size - 1]) {
		errmsg("%s: corrupt symbol string table %s", k->path, str->name);
		return -1;
	}
	k->nsyms = (uint32_t)(st->size / SYM_SIZE);
	k->syms = calloc(k->nsyms ? k->nsyms : 1, sizeof(*k->syms));
	if (!k->syms) {
		errmsg("out of memory");
		return -1;
	}
	for (j = 0; j < k->nsyms; j++) {
		const uint8_t *p = st->data + (uint64_t)j * SYM_SIZE;

		name = le32(p + ELF64(Sym, st_name));
		if (name >= str->size) {
			errmsg("%s: symbol %u has a name outside %s", k->path,
			       j, str->name);
			return -1;
		}
		k->syms[j].name = (const char *)str->data + name;
		k->syms[j].shndx = le16(p + ELF64(Sym, st_shndx));
		k->syms[j].value = le64(p + ELF64(Sym, st_value));
	}
	return 0;
}

static int cmp_rel(const void *a, const void *b)
{
	const struct rel *x = a, *y = b;

	if (x->sec != y->sec)
		return x->sec < y->sec ? -1 : 1;
	return x->off < y->off ? -1 : x->off > y->off;
}

static int push_rel(struct rel **v, size_t *n, size_t *cap,
		    const struct rel *r)
{
	struct rel *p;

	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 256;
		p = realloc(*v, *cap * sizeof(*p));
		if (!p) {
			errmsg("out of memory");
			return -1;
		}
		*v = p;
	}
	(*v)[(*n)++] = *r;
	return 0;
}

/*
 * The relocations we use: those of the site table section @tab, and the
 * PC32/PLT32/32S ones against a pv global in executable sections.
 */
static int parse_relas(struct ko *k, unsigned int tab, uint32_t *symtab)
{
	const struct elf *e = &k->e;
	size_t cap = 0, pcap = 0;
	unsigned int i;
	uint64_t j;

	*symtab = 0;
	for (i = 0; i < e->nsecs; i++)
		if (e->secs[i].type == SHT_SYMTAB)
			*symtab = i;
	for (i = 0; i < e->nsecs; i++) {
		const struct section *s = &e->secs[i], *t;

		if (s->type != SHT_RELA)
			continue;
		if (!s->data || s->entsize != RELA_SIZE ||
		    s->size % RELA_SIZE || s->info >= e->nsecs ||
		    s->link != *symtab) {
			errmsg("%s: corrupt relocation section %s", k->path,
			       s->name);
			return -1;
		}
		t = &e->secs[s->info];
		if (s->info != tab && !(t->flags & SHF_EXECINSTR))
			continue;
		for (j = 0; j < s->size / RELA_SIZE; j++) {
			const uint8_t *p = s->data + j * RELA_SIZE;
			uint64_t info = le64(p + ELF64(Rela, r_info));
			struct rel r;
			unsigned int width;

			r.off = le64(p + ELF64(Rela, r_offset));
			r.addend = (int64_t)le64(p + ELF64(Rela, r_addend));
			r.sec = s->info;
			r.type = ELF64_R_TYPE(info);
			r.sym = ELF64_R_SYM(info);
			r.global = -1;
			if (r.sym >= k->nsyms) {
				errmsg("%s: %s: relocation %llu names symbol %u of %u",
				       k->path, s->name, (unsigned long long)j,
				       r.sym, k->nsyms);
				return -1;
			}
			width = r.type == R_X86_64_64 ? 8 : 4;
			if (r.off > t->size || width > t->size - r.off) {
				errmsg("%s: %s: relocation %llu at %#llx is outside %s",
				       k->path, s->name, (unsigned long long)j,
				       (unsigned long long)r.off, t->name);
				return -1;
			}
			if (s->info == tab) {
				if (push_rel(&k->rels, &k->nrels, &cap, &r) < 0)
					return -1;
				continue;
			}
			if (r.type != R_X86_64_PC32 &&
			    r.type != R_X86_64_PLT32 && r.type != R_X86_64_32S)
				continue;
			r.global = pv_global(k->syms[r.sym].name);
			if (r.global < 0)
				continue;
			if (k->syms[r.sym].shndx) {
				errmsg("%s: %s is defined in the module, not the kernel's",
				       k->path, pv_globals[r.global]);
				return -1;
			}
			if (push_rel(&k->pv, &k->npv, &pcap, &r) < 0)
				return -1;
		}
	}
	/* a kernel has either pv_ops or the split globals, never both */
	for (j = 1; j < k->npv; j++)
		if ((k->pv[j].global == PV_OPS) != (k->pv[0].global == PV_OPS)) {
			errmsg("%s: calls through both %s and %s: no kernel has both",
			       k->path, pv_globals[k->pv[0].global],
			       pv_globals[k->pv[j].global]);
			return -1;
		}
	if (k->rels)
		qsort(k->rels, k->nrels, sizeof(*k->rels), cmp_rel);
	if (k->pv)
		qsort(k->pv, k->npv, sizeof(*k->pv), cmp_rel);
	return 0;
}

/* Read, decompress and parse @path, an x86_64 module. */
int load_ko(struct ko *k, const char *path)
{
	memset(k, 0, sizeof(*k));
	k->path = path;
	if (read_file(path, &k->file) < 0)
		return -1;
	return parse_ko(k);
}

/* Decompress and parse @k->file, read from @k->path. */
int parse_ko(struct ko *k)
{
	const char *path = k->path;
	const uint8_t *d = k->file.data;
	size_t len = k->file.len;
	int r;

	r = decompress_file(path, d, len, &k->dec);
	if (r < 0)
		goto fail;
	if (r == 0) {
		d = k->dec.data;
		len = k->dec.len;
	}
	if (parse_elf(&k->e, path, "module", d, len) < 0)
		goto fail;
	if (!k->e.is64 || k->e.type != ET_REL) {
		errmsg("%s: not an x86_64 kernel module (ELF%d, type %u; want ELF64 ET_REL)",
		       path, k->e.is64 ? 64 : 32, k->e.type);
		goto fail;
	}
	return 0;
fail:
	free_ko(k);
	return -1;
}

/* The module name in .modinfo ("name=kvm"), or -1. */
int modinfo_name(const struct ko *k, char *out)
{
	const struct section *mi = find_section(&k->e, ".modinfo");
	const char *p, *end, *z;

	if (!mi || !mi->data)
		return -1;
	p = (const char *)mi->data;
	end = p + mi->size;
	while (p < end) {
		z = memchr(p, 0, (size_t)(end - p));
		if (!z)
			return -1;
		if (!strncmp(p, "name=", 5))
			return norm_name(out, p + 5, (size_t)(z - p - 5));
		p = z + 1;
	}
	return -1;
}

int ko_build_id(const struct ko *k, const uint8_t **id, uint32_t *len)
{
	const struct section *n = find_section(&k->e, ".note.gnu.build-id");

	if (!n)
		return 0;
	if (!n->data || vmi_find_build_id(n->data, n->size, id, len) < 0 ||
	    !*len || *len > BUILD_ID_MAX) {
		errmsg("%s: corrupt .note.gnu.build-id", k->path);
		return -1;
	}
	return 1;
}

/* --- sites ---------------------------------------------------------------- */

static int add_site(struct modres *m, const struct msite *s)
{
	struct msite *p;

	if (m->nr == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 64;
		if (m->cap > VMI_MODSITES_MAX_SITES * 2u) {
			errmsg("%s: too many sites", m->name);
			return -1;
		}
		p = realloc(m->sites, m->cap * sizeof(*p));
		if (!p) {
			errmsg("out of memory");
			return -1;
		}
		m->sites = p;
	}
	m->sites[m->nr++] = *s;
	return 0;
}

/* The place a table relocation points at: (section, offset). */
static int rel_place(const struct ko *k, const struct rel *r, uint32_t *sec,
		     uint64_t *off)
{
	const struct sym *s = &k->syms[r->sym];
	const struct section *t;

	if (!s->shndx || s->shndx >= SHN_LORESERVE ||
	    s->shndx >= k->e.nsecs) {
		errmsg("%s: site table relocation at %#llx against %s, not a place in the module",
		       k->path, (unsigned long long)r->off,
		       s->name[0] ? s->name : "a special symbol");
		return -1;
	}
	t = &k->e.secs[s->shndx];
	*sec = s->shndx;
	*off = s->value + (uint64_t)r->addend;
	if (*off >= t->size) {
		errmsg("%s: site table relocation at %#llx points outside %s (%s%+lld)",
		       k->path, (unsigned long long)r->off, t->name, s->name,
		       (long long)r->addend);
		return -1;
	}
	return 0;
}

/* The pv_ops relocation at @sec:@off, or NULL. */
static const struct rel *pv_rel_at(const struct ko *k, uint32_t sec,
				   uint64_t off)
{
	struct rel key = { .off = off, .sec = sec };

	return k->npv ? bsearch(&key, k->pv, k->npv, sizeof(*k->pv),
				cmp_rel) : NULL;
}

static int is_init(const struct section *s)
{
	return !strncmp(s->name, ".init", 5);
}

/*
 * The call at @sec:@off, @len bytes: "ff 15" + disp32 or "ff 14 25" +
 * abs32, relocated against a pv global (see the top). Returns 0 with the
 * global's index in pv_globals[] in @g and the index of the pointer the
 * call reads in it in @idx, or -1 (printed).
 */
static int pv_call(const struct ko *k, uint32_t sec, uint64_t off,
		   unsigned int len, int *g, unsigned int *idx)
{
	const struct section *s = &k->e.secs[sec];
	const uint8_t *c;
	const struct rel *r;
	unsigned int at, want;
	int64_t a;

	if (!(s->flags & SHF_EXECINSTR) || !s->data) {
		errmsg("%s: site %s+%#llx is not in an executable section",
		       k->path, s->name, (unsigned long long)off);
		return -1;
	}
	if (len < 6 || len > VMI_MODSITE_MAX_LEN || len > s->size - off) {
		errmsg("%s: site %s+%#llx: length %u (6..%u, inside the section)",
		       k->path, s->name, (unsigned long long)off, len,
		       VMI_MODSITE_MAX_LEN);
		return -1;
	}
	c = s->data + off;
	if (c[0] == 0xff && c[1] == 0x15) {
		at = 2;
		want = R_X86_64_PC32;
	} else if (c[0] == 0xff && c[1] == 0x14 && c[2] == 0x25 && len >= 7) {
		at = 3;
		want = R_X86_64_32S;
	} else {
		errmsg("%s: site %s+%#llx: bytes %02x %02x %02x, not ff 15 (call *disp32(%%rip)) or ff 14 25 (call *abs32)",
		       k->path, s->name, (unsigned long long)off, c[0], c[1],
		       c[2]);
		return -1;
	}
	r = pv_rel_at(k, sec, off + at);
	if (!r || (r->type == R_X86_64_32S) != (want == R_X86_64_32S)) {
		errmsg("%s: site %s+%#llx: no %s relocation against %s at +%u",
		       k->path, s->name, (unsigned long long)off,
		       want == R_X86_64_32S ? "R_X86_64_32S" : "R_X86_64_PC32",
		       k->npv ? pv_globals[k->pv[0].global] : "pv_ops", at);
		return -1;
	}
	/* the byte offset the call reads in the global */
	a = r->addend + (at == 2 ? 4 : 0);
	if (a < 0 || a % 8 || a / 8 >= VMI_SITE_SLOT_UNKNOWN) {
		errmsg("%s: site %s+%#llx: the call reads %s%+lld, not a pointer in it",
		       k->path, s->name, (unsigned long long)off,
		       pv_globals[r->global], (long long)a);
		return -1;
	}
	*g = r->global;
	*idx = (unsigned int)(a / 8);
	return 0;
}

/*
 * Before 4.20 a site's type is its slot in struct paravirt_patch_template,
 * whose members are the globals the calls read: type = base(G) + idx,
 * base(G) = offsetof(template, G) / 8. The sizes of the pv_*_ops structs
 * depend on the kernel's version and configuration, which a module does
 * not record, so base(G) itself cannot be checked here. What can: every
 * site through G gives the same base (it is one constant of the kernel);
 * base(G) is at least G's position in the template (each member before it
 * holds a pointer at least); the bases rise in the template's order; and
 * every slot through G lies below the base of the next global seen. A
 * module whose types and calls agree on all that but not with the kernel
 * would name the wrong op for a site; vmi_shim.ko, which knows the
 * template, checks each site's bytes against its op before it writes, so
 * that is refused there, not patched.
 */
struct split {
	int base[NR_PV_GLOBALS];	/* -1: no site through it yet */
	unsigned int max_slot[NR_PV_GLOBALS];
};

static int split_slot(const struct ko *k, struct split *sp, int g,
		      unsigned int idx, unsigned int type, const char *where)
{
	int base = (int)type - (int)idx;

	if (base < g) {
		errmsg("%s: %s: type %u, but the call reads pointer %u of %s, member %d of struct paravirt_patch_template",
		       k->path, where, type, idx, pv_globals[g], g);
		return -1;
	}
	if (sp->base[g] >= 0 && sp->base[g] != base) {
		errmsg("%s: %s: type %u and pointer %u of %s put %s at slot %d, other sites at slot %d",
		       k->path, where, type, idx, pv_globals[g], pv_globals[g],
		       base, sp->base[g]);
		return -1;
	}
	sp->base[g] = base;
	if (type > sp->max_slot[g])
		sp->max_slot[g] = type;
	return 0;
}

/* The globals in the template's order, each inside its own slots. */
static int split_order(const struct ko *k, const struct split *sp)
{
	unsigned int g, prev = 0;

	for (g = 1; g < NR_PV_GLOBALS; g++) {
		if (sp->base[g] < 0)
			continue;
		if (prev && sp->max_slot[prev] >= (unsigned int)sp->base[g]) {
			errmsg("%s: sites through %s reach slot %u, but %s starts at slot %d: not struct paravirt_patch_template's order",
			       k->path, pv_globals[prev], sp->max_slot[prev],
			       pv_globals[g], sp->base[g]);
			return -1;
		}
		prev = g;
	}
	return 0;
}

static int from_parainstructions(const struct ko *k, unsigned int tab,
				 struct modres *m)
{
	const struct section *pi = &k->e.secs[tab];
	uint64_t n = pv_site_count(pi->size, 1), i;
	struct msite s, *place;
	struct split sp;
	unsigned int idx;
	char where[160];
	size_t j;
	int g, ret = -1;

	if (!pi->data || (pi->size && !n)) {
		errmsg("%s: .parainstructions is %llu bytes, not whole 16-byte struct paravirt_patch_site entries (the last one 16 or 12 bytes)",
		       k->path, (unsigned long long)pi->size);
		return -1;
	}
	memset(&sp, 0, sizeof(sp));
	for (g = 0; g < (int)NR_PV_GLOBALS; g++)
		sp.base[g] = -1;
	place = calloc(n ? n : 1, sizeof(*place));
	if (!place) {
		errmsg("out of memory");
		return -1;
	}
	for (j = 0; j < k->nrels; j++) {
		const struct rel *r = &k->rels[j];

		if (r->type != R_X86_64_64 || r->off % PV_SITE_SIZE_64) {
			errmsg("%s: .rela.parainstructions: relocation type %u at %#llx (want R_X86_64_64 at each entry)",
			       k->path, r->type, (unsigned long long)r->off);
			goto out;
		}
		i = r->off / PV_SITE_SIZE_64;
		if (i >= n) {	/* parse_relas() keeps it inside: never */
			errmsg("%s: .rela.parainstructions: relocation at %#llx is past the last entry",
			       k->path, (unsigned long long)r->off);
			goto out;
		}
		if (place[i].len) {
			errmsg("%s: .parainstructions entry %llu relocated twice",
			       k->path, (unsigned long long)i);
			goto out;
		}
		if (rel_place(k, r, &place[i].sec, &place[i].off) < 0)
			goto out;
		place[i].len = 1;
	}
	for (i = 0; i < n; i++) {
		const uint8_t *p = pi->data + i * PV_SITE_SIZE_64;

		if (!place[i].len) {
			errmsg("%s: .parainstructions entry %llu has no relocation",
			       k->path, (unsigned long long)i);
			goto out;
		}
		if (is_init(&k->e.secs[place[i].sec])) {
			m->nr_init++;
			continue;
		}
		memset(&s, 0, sizeof(s));
		s.sec = place[i].sec;
		s.off = place[i].off;
		s.len = p[9];
		if (pv_call(k, s.sec, s.off, s.len, &g, &idx) < 0)
			goto out;
		snprintf(where, sizeof(where), ".parainstructions entry %llu (%s+%#llx)",
			 (unsigned long long)i, k->e.secs[s.sec].name,
			 (unsigned long long)s.off);
		if (g == PV_OPS && idx != p[8]) {
			errmsg("%s: %s: type %u, but the call reads slot %u",
			       k->path, where, p[8], idx);
			goto out;
		}
		if (g != PV_OPS && split_slot(k, &sp, g, idx, p[8], where) < 0)
			goto out;
		s.slot = p[8];
		if (add_site(m, &s) < 0)
			goto out;
	}
	ret = split_order(k, &sp);
out:
	free(place);
	return ret;
}

/*
 * Which struct alt_instr the relocations describe: every entry has its
 * two offsets relocated, at +0 and +4. Returns the entry size (14 for
 * 6.3+, 12 before) or 0.
 */
static unsigned int alt_layout(const struct ko *k, const struct section *ai)
{
	static const unsigned int sizes[] = { ALT_INSTR_SIZE, 12 };
	unsigned int z;
	size_t j;

	for (z = 0; z < 2; z++) {
		if (ai->size % sizes[z])
			continue;
		for (j = 0; j < k->nrels; j++)
			if (k->rels[j].off % sizes[z] != 0 &&
			    k->rels[j].off % sizes[z] != 4)
				break;
		if (j == k->nrels)
			return sizes[z];
	}
	return 0;
}

static int from_altinstructions(const struct ko *k, unsigned int tab,
				struct modres *m)
{
	const struct section *ai = &k->e.secs[tab];
	const uint8_t *code;
	uint64_t n, i, j;
	struct msite s, *place;
	unsigned int es;
	size_t r;
	unsigned int idx;
	int g, ret = -1;

	es = ai->data ? alt_layout(k, ai) : 0;
	if (!es) {
		errmsg("%s: .altinstructions (%llu bytes) is not an array of struct alt_instr",
		       k->path, (unsigned long long)ai->size);
		return -1;
	}
	if (es != ALT_INSTR_SIZE)
		return 0;	/* before 6.3: no direct calls, pv is elsewhere */
	n = ai->size / es;
	place = calloc(n ? n : 1, sizeof(*place));
	if (!place) {
		errmsg("out of memory");
		return -1;
	}
	for (r = 0; r < k->nrels; r++) {
		const struct rel *rl = &k->rels[r];

		if (rl->off % es)
			continue;	/* +4: the replacement */
		i = rl->off / es;
		if (rl->type != R_X86_64_PC32 || place[i].len) {
			errmsg("%s: .rela.altinstructions: relocation type %u at %#llx (want one R_X86_64_PC32 per entry)",
			       k->path, rl->type, (unsigned long long)rl->off);
			goto out;
		}
		if (rel_place(k, rl, &place[i].sec, &place[i].off) < 0)
			goto out;
		place[i].len = 1;
	}
	for (i = 0; i < n; i++)
		if (!place[i].len) {
			errmsg("%s: .altinstructions entry %llu has no relocation",
			       k->path, (unsigned long long)i);
			goto out;
		}
	for (i = 0; i < n; i++) {
		const uint8_t *p = ai->data + i * es;
		uint32_t ft_flags = le32(p + 8);
		uint8_t len = p[12];

		if (!((ft_flags >> 16) & ALT_FLAG_DIRECT_CALL))
			continue;
		if ((ft_flags & 0xffff) != X86_FEATURE_ALWAYS) {
			m->nr_other_feature++;
			continue;
		}
		/* nested ALTERNATIVE()s: the longest instrlen, as extract.c */
		for (j = i + 1; j < n && place[j].sec == place[i].sec &&
		     place[j].off == place[i].off; j++)
			if (ai->data[j * es + 12] > len)
				len = ai->data[j * es + 12];
		for (j = i; j > 0 && place[j - 1].sec == place[i].sec &&
		     place[j - 1].off == place[i].off; j--)
			if (ai->data[(j - 1) * es + 12] > len)
				len = ai->data[(j - 1) * es + 12];
		if (is_init(&k->e.secs[place[i].sec])) {
			m->nr_init++;
			continue;
		}
		memset(&s, 0, sizeof(s));
		s.sec = place[i].sec;
		s.off = place[i].off;
		s.len = len;
		/* what alt_replace_call() accepts; the rest stays as it is */
		code = k->e.secs[s.sec].data;
		if (len != 6 || (code && k->e.secs[s.sec].size - s.off >= 2 &&
				 (code[s.off] != 0xff || code[s.off + 1] != 0x15))) {
			m->nr_not_call++;
			continue;
		}
		if (pv_call(k, s.sec, s.off, s.len, &g, &idx) < 0)
			goto out;
		/* 6.8+: pv_ops is the only global */
		if (g != PV_OPS) {
			errmsg("%s: .altinstructions entry %llu (%s+%#llx): a direct call through %s, not pv_ops",
			       k->path, (unsigned long long)i,
			       k->e.secs[s.sec].name, (unsigned long long)s.off,
			       pv_globals[g]);
			goto out;
		}
		s.slot = (uint16_t)idx;
		if (add_site(m, &s) < 0)
			goto out;
	}
	ret = 0;
out:
	free(place);
	return ret;
}

static int cmp_place(const void *a, const void *b)
{
	const struct msite *x = a, *y = b;

	if (x->sec != y->sec)
		return x->sec < y->sec ? -1 : 1;
	return x->off < y->off ? -1 : x->off > y->off;
}

/* The sites of @k into @m, by place, one per place. */
int ko_sites(struct ko *k, struct modres *m)
{
	const struct section *pi = find_section(&k->e, ".parainstructions");
	const struct section *ai = find_section(&k->e, ".altinstructions");
	const struct section *tab = pi ? pi : ai;
	uint32_t symtab, i, o;
	int ret;

	if (parse_symtab(k) < 0)
		return -1;
	if (!tab)
		return 0;
	if (parse_relas(k, (unsigned int)(tab - k->e.secs),
			&symtab) < 0)
		return -1;
	if (pi)
		ret = from_parainstructions(k, (unsigned int)(pi - k->e.secs), m);
	else
		ret = from_altinstructions(k, (unsigned int)(ai - k->e.secs), m);
	if (ret < 0 || !m->nr)
		return ret;
	qsort(m->sites, m->nr, sizeof(*m->sites), cmp_place);
	for (i = 1, o = 1; i < m->nr; i++) {
		struct msite *a = &m->sites[o - 1], *b = &m->sites[i];

		if (a->sec == b->sec && a->off == b->off) {
			if (a->slot != b->slot) {
				errmsg("%s: two sites at %s+%#llx with slots %u and %u",
				       k->path, k->e.secs[a->sec].name,
				       (unsigned long long)a->off, a->slot,
				       b->slot);
				return -1;
			}
			if (b->len > a->len)
				a->len = b->len;
			continue;
		}
		m->sites[o++] = *b;
	}
	m->nr = o;
	return 0;
}
