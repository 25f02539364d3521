// SPDX-License-Identifier: GPL-2.0
/*
 * vmi-sites modules: the paravirt call-site table of the modules already
 * loaded (include/vmi/modsites.h, docs/sites.md).
 *
 * A module's sites are in its .ko on disk: an x86_64 ELF relocatable
 * file whose site table and call bytes are unrelocated. Each site is a
 * place (section, offset) found through the table's relocations:
 *
 * Linux < 6.8: .parainstructions, 16-byte struct paravirt_patch_site
 *   { u8 *instr; u8 type; u8 len; }: instr is the R_X86_64_64 relocation
 *   at the entry (usually .text + offset), type the pv_ops slot.
 * Linux >= 6.8: .altinstructions, 14-byte struct alt_instr; instr_offset
 *   is an R_X86_64_PC32 relocation whose target (symbol + addend) is the
 *   place. Pv calls have ALT_FLAG_DIRECT_CALL and X86_FEATURE_ALWAYS.
 *
 * Either way the place holds "ff 15 disp32" (call *disp32(%rip)) with an
 * R_X86_64_PC32 (or PLT32) relocation at +2 against the undefined symbol
 * pv_ops, addend A: the call reads pv_ops + A + 4, slot (A + 4) / 8.
 * /sys/module/NAME/sections/SECTION gives where each section was loaded,
 * /sys/module/NAME/notes/.note.gnu.build-id proves the .ko is the one.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "../../include/vmi/modsites.h"
#include "../../include/vmi/modsites_check.h"
#include "vmi-sites.h"

#define R_X86_64_64_	1
#define R_X86_64_PC32_	2
#define R_X86_64_PLT32_	4
#define SHN_LORESERVE_	0xff00
#define SYM_SIZE	24
#define RELA_SIZE	24
#define NAME_LEN	VMI_MODULE_NAME_LEN
#define BUILD_ID_MAX	40
#define PATH_MAX_	4096

static const char *const ko_suffixes[] = { ".ko", ".ko.xz", ".ko.zst", ".ko.gz" };

/* How one module ended. */
enum mod_status {
	MOD_OK,			/* sites in the table */
	MOD_EMPTY,		/* no pv sites: left out silently */
	MOD_NO_KO,		/* no .ko found */
	MOD_OTHER_KO,		/* build ID differs */
	MOD_NO_NOTE,		/* sysfs build ID note missing */
	MOD_ERROR,		/* bad .ko or sysfs */
	MOD_NR,
	MOD_FATAL = -1,		/* stop everything (section addresses hidden) */
};

struct sym {
	const char *name;
	uint64_t value;
	uint16_t shndx;
};

struct rel {
	uint64_t off;
	int64_t addend;
	uint32_t sec, type, sym;
};

/* A parsed .ko. */
struct ko {
	const char *path;
	struct buf file, dec;		/* dec: decompressed, or empty */
	struct elf e;
	struct sym *syms;
	uint32_t nsyms;
	struct rel *rels;		/* of the site table section */
	size_t nrels;
	struct rel *pv;			/* against pv_ops, by section/offset */
	size_t npv;
};

/* A site: first as a place in the .ko, then with its address. */
struct msite {
	uint64_t off, addr;
	uint32_t sec;
	uint16_t slot;
	uint8_t len;
};

struct modres {
	char name[NAME_LEN];
	int named;
	enum mod_status status;
	struct msite *sites;
	uint32_t nr, cap;
	uint32_t nr_init;		/* sites in .init* sections, skipped */
	uint32_t nr_not_call;		/* direct-call entries not "ff 15" */
	uint32_t nr_other_feature;	/* direct calls, cpuid != ALWAYS */
	uint32_t build_id_len;
	uint8_t build_id[BUILD_ID_MAX];
};

struct kofile {
	const char *path;
	char name[NAME_LEN];		/* from .modinfo name=, or "" */
	char base[NAME_LEN];		/* from the file name, or "" */
};

struct cand {
	char name[NAME_LEN];
	char *path;
};

struct opts {
	const char *sysfs;
	const char *proc_modules;
	char release[RELEASE_MAX];
	const char **ko_dirs;
	int nko_dirs;
	struct kofile *kos;
	int nkos;
	struct cand *cands;		/* every NAME.ko* under the ko dirs */
	size_t ncands, capcands;
	int indexed;
};

/* '-' and '_' are the same in module names; the kernel uses '_'. */
static int norm_name(char *out, const char *in, size_t n)
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

/* NAME from NAME.ko, NAME.ko.xz, ...; -1 if not a module file name. */
static int ko_basename(char *out, const char *path)
{
	const char *b = strrchr(path, '/');
	size_t n, k, sl;

	b = b ? b + 1 : path;
	n = strlen(b);
	for (k = 0; k < sizeof(ko_suffixes) / sizeof(ko_suffixes[0]); k++) {
		sl = strlen(ko_suffixes[k]);
		if (n > sl && !strcmp(b + n - sl, ko_suffixes[k]))
			return norm_name(out, b, n - sl);
	}
	return -1;
}

/* --- reading a .ko ------------------------------------------------------- */

static void free_ko(struct ko *k)
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
		if (e->secs[i].type != SHT_SYMTAB_)
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
	if (str->type != SHT_STRTAB_ || !str->data || !str->size ||
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

		name = le32(p);
		if (name >= str->size) {
			errmsg("%s: symbol %u has a name outside %s", k->path,
			       j, str->name);
			return -1;
		}
		k->syms[j].name = (const char *)str->data + name;
		k->syms[j].shndx = le16(p + 6);
		k->syms[j].value = le64(p + 8);
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
 * PC32/PLT32 ones against pv_ops in executable sections.
 */
static int parse_relas(struct ko *k, unsigned int tab, uint32_t *symtab)
{
	const struct elf *e = &k->e;
	size_t cap = 0, pcap = 0;
	unsigned int i;
	uint64_t j;

	*symtab = 0;
	for (i = 0; i < e->nsecs; i++)
		if (e->secs[i].type == SHT_SYMTAB_)
			*symtab = i;
	for (i = 0; i < e->nsecs; i++) {
		const struct section *s = &e->secs[i], *t;

		if (s->type != SHT_RELA_)
			continue;
		if (!s->data || s->entsize != RELA_SIZE ||
		    s->size % RELA_SIZE || s->info >= e->nsecs ||
		    s->link != *symtab) {
			errmsg("%s: corrupt relocation section %s", k->path,
			       s->name);
			return -1;
		}
		t = &e->secs[s->info];
		if (s->info != tab && !(t->flags & SHF_EXEC_))
			continue;
		for (j = 0; j < s->size / RELA_SIZE; j++) {
			const uint8_t *p = s->data + j * RELA_SIZE;
			uint64_t info = le64(p + 8);
			struct rel r;
			unsigned int width;

			r.off = le64(p);
			r.addend = (int64_t)le64(p + 16);
			r.sec = s->info;
			r.type = (uint32_t)info;
			r.sym = (uint32_t)(info >> 32);
			if (r.sym >= k->nsyms) {
				errmsg("%s: %s: relocation %llu names symbol %u of %u",
				       k->path, s->name, (unsigned long long)j,
				       r.sym, k->nsyms);
				return -1;
			}
			width = r.type == R_X86_64_64_ ? 8 : 4;
			if (r.off > t->size || width > t->size - r.off) {
				errmsg("%s: %s: relocation %llu at %#llx is outside %s",
				       k->path, s->name, (unsigned long long)j,
				       (unsigned long long)r.off, t->name);
				return -1;
			}
			if (s->info == tab) {
				if (push_rel(&k->rels, &k->nrels, &cap, &r) < 0)
					return -1;
			} else if ((r.type == R_X86_64_PC32_ ||
				    r.type == R_X86_64_PLT32_) &&
				   !strcmp(k->syms[r.sym].name, "pv_ops")) {
				if (k->syms[r.sym].shndx) {
					errmsg("%s: pv_ops is defined in the module, not the kernel's",
					       k->path);
					return -1;
				}
				if (push_rel(&k->pv, &k->npv, &pcap, &r) < 0)
					return -1;
			}
		}
	}
	if (k->rels)
		qsort(k->rels, k->nrels, sizeof(*k->rels), cmp_rel);
	if (k->pv)
		qsort(k->pv, k->npv, sizeof(*k->pv), cmp_rel);
	return 0;
}

/* Read, decompress and parse @path, an x86_64 module. */
static int load_ko(struct ko *k, const char *path)
{
	const uint8_t *d;
	size_t len;
	int r;

	memset(k, 0, sizeof(*k));
	k->path = path;
	if (read_file(path, &k->file) < 0)
		return -1;
	d = k->file.data;
	len = k->file.len;
	r = decompress_file(path, d, len, &k->dec);
	if (r < 0)
		goto fail;
	if (r == 0) {
		d = k->dec.data;
		len = k->dec.len;
	}
	if (parse_elf(&k->e, path, "module", d, len) < 0)
		goto fail;
	if (!k->e.is64 || k->e.type != ET_REL_) {
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
static int modinfo_name(const struct ko *k, char *out)
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

static int ko_build_id(const struct ko *k, const uint8_t **id, uint32_t *len)
{
	const struct section *n = find_section(&k->e, ".note.gnu.build-id");

	if (!n)
		return 0;
	if (!n->data || find_build_id(n->data, n->size, id, len) < 0 ||
	    !*len || *len > BUILD_ID_MAX) {
		errmsg("%s: corrupt .note.gnu.build-id", k->path);
		return -1;
	}
	return 1;
}

/* --- sites ------------------------------------------------------------- */

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

	if (!s->shndx || s->shndx >= SHN_LORESERVE_ ||
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
 * The call at @sec:@off, @len bytes: "ff 15" + disp32 relocated against
 * pv_ops. Returns the slot, or -1 (printed).
 */
static int pv_call_slot(const struct ko *k, uint32_t sec, uint64_t off,
			unsigned int len)
{
	const struct section *s = &k->e.secs[sec];
	const struct rel *r;
	int64_t a;

	if (!(s->flags & SHF_EXEC_) || !s->data) {
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
	if (s->data[off] != 0xff || s->data[off + 1] != 0x15) {
		errmsg("%s: site %s+%#llx: bytes %02x %02x, not ff 15 (call *disp32(%%rip))",
		       k->path, s->name, (unsigned long long)off,
		       s->data[off], s->data[off + 1]);
		return -1;
	}
	r = pv_rel_at(k, sec, off + 2);
	if (!r) {
		errmsg("%s: site %s+%#llx: no R_X86_64_PC32 relocation against pv_ops at +2",
		       k->path, s->name, (unsigned long long)off);
		return -1;
	}
	a = r->addend;
	if (a < -4 || (a + 4) % 8 || (a + 4) / 8 >= VMI_SITE_SLOT_UNKNOWN) {
		errmsg("%s: site %s+%#llx: the call reads pv_ops%+lld, not a slot",
		       k->path, s->name, (unsigned long long)off,
		       (long long)(a + 4));
		return -1;
	}
	return (int)((a + 4) / 8);
}

static int from_parainstructions(const struct ko *k, unsigned int tab,
				 struct modres *m)
{
	const struct section *pi = &k->e.secs[tab];
	uint64_t n = pi->size / PV_SITE_SIZE_64, i;
	struct msite s, *place;
	size_t j;
	int slot, ret = -1;

	if (!pi->data || pi->size % PV_SITE_SIZE_64) {
		errmsg("%s: .parainstructions is %llu bytes, not a multiple of %u",
		       k->path, (unsigned long long)pi->size, PV_SITE_SIZE_64);
		return -1;
	}
	place = calloc(n ? n : 1, sizeof(*place));
	if (!place) {
		errmsg("out of memory");
		return -1;
	}
	for (j = 0; j < k->nrels; j++) {
		const struct rel *r = &k->rels[j];

		if (r->type != R_X86_64_64_ || r->off % PV_SITE_SIZE_64) {
			errmsg("%s: .rela.parainstructions: relocation type %u at %#llx (want R_X86_64_64 at each entry)",
			       k->path, r->type, (unsigned long long)r->off);
			goto out;
		}
		i = r->off / PV_SITE_SIZE_64;
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
		slot = pv_call_slot(k, s.sec, s.off, s.len);
		if (slot < 0)
			goto out;
		if (slot != p[8]) {
			errmsg("%s: .parainstructions entry %llu (%s+%#llx): type %u, but the call reads slot %d",
			       k->path, (unsigned long long)i,
			       k->e.secs[s.sec].name, (unsigned long long)s.off,
			       p[8], slot);
			goto out;
		}
		s.slot = (uint16_t)slot;
		if (add_site(m, &s) < 0)
			goto out;
	}
	ret = 0;
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
	int slot, ret = -1;

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
		if (rl->type != R_X86_64_PC32_ || place[i].len) {
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
		slot = pv_call_slot(k, s.sec, s.off, s.len);
		if (slot < 0)
			goto out;
		s.slot = (uint16_t)slot;
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

static int cmp_addr(const void *a, const void *b)
{
	const struct msite *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* The sites of @k into @m, by place, one per place. */
static int ko_sites(struct ko *k, struct modres *m)
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

/* --- sysfs ------------------------------------------------------------- */

/* Up to @cap bytes of a (sysfs) file, read as a stream. */
static int read_small(const char *path, uint8_t *buf, size_t cap, size_t *n)
{
	ssize_t r;
	int fd;

	*n = 0;
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	while (*n < cap) {
		r = read(fd, buf + *n, cap - *n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			close(fd);
			return -1;
		}
		if (!r)
			break;
		*n += (size_t)r;
	}
	close(fd);
	return 0;
}

/* /sys/module/NAME/sections/SEC: "0xffffffffc0a12000\n" */
static int section_base(const struct opts *o, const struct modres *m,
			const char *sec, uint64_t *base)
{
	char path[PATH_MAX_], text[64], *end;
	size_t n;

	snprintf(path, sizeof(path), "%s/module/%s/sections/%s", o->sysfs,
		 m->name, sec);
	if (read_small(path, (uint8_t *)text, sizeof(text) - 1, &n) < 0) {
		errmsg("%s: %s (the loaded module has no such section: another build?)",
		       path, strerror(errno));
		return MOD_ERROR;
	}
	text[n] = 0;
	errno = 0;
	*base = strtoull(text, &end, 16);
	if (strncmp(text, "0x", 2) || errno || end == text + 2 ||
	    (*end && strcmp(end, "\n"))) {
		errmsg("%s: not a hex address: \"%.20s\"", path, text);
		return MOD_ERROR;
	}
	if (!*base) {
		errmsg("%s reads as 0: section addresses are hidden from non-root users (kptr_restrict); run vmi-sites modules as root",
		       path);
		return MOD_FATAL;
	}
	return MOD_OK;
}

/* Give every site its running address; sort and check them. */
static int place_sites(const struct opts *o, const struct ko *k,
		       struct modres *m)
{
	uint64_t *bases, base = 0;
	uint32_t i;
	int ret = MOD_ERROR, r;

	bases = calloc(k->e.nsecs, sizeof(*bases));
	if (!bases) {
		errmsg("out of memory");
		return MOD_ERROR;
	}
	for (i = 0; i < m->nr; i++) {
		struct msite *s = &m->sites[i];

		if (!bases[s->sec]) {
			r = section_base(o, m, k->e.secs[s->sec].name,
					 &bases[s->sec]);
			if (r != MOD_OK) {
				ret = r;
				goto out;
			}
		}
		base = bases[s->sec];
		s->addr = base + s->off;
		if (base < VMI_MODSITES_ADDR_MIN || s->addr < base ||
		    s->addr + s->len < s->addr) {
			errmsg("%s: section %s at %#llx (from %s/module/%s/sections) is not a kernel address",
			       m->name, k->e.secs[s->sec].name,
			       (unsigned long long)base, o->sysfs, m->name);
			goto out;
		}
	}
	qsort(m->sites, m->nr, sizeof(*m->sites), cmp_addr);
	for (i = 1; i < m->nr; i++) {
		const struct msite *a = &m->sites[i - 1], *b = &m->sites[i];

		if (b->addr < a->addr + a->len) {
			errmsg("%s: sites %s+%#llx and %s+%#llx overlap once loaded (%#llx, %#llx): sections overlap in %s/module/%s/sections",
			       m->name, k->e.secs[a->sec].name,
			       (unsigned long long)a->off,
			       k->e.secs[b->sec].name,
			       (unsigned long long)b->off,
			       (unsigned long long)a->addr,
			       (unsigned long long)b->addr, o->sysfs, m->name);
			goto out;
		}
	}
	ret = MOD_OK;
out:
	free(bases);
	return ret;
}

/* --- finding the .ko ------------------------------------------------------ */

static struct opts *walk_opts;

static int walk_one(const char *path, const struct stat *st, int flag,
		    struct FTW *ftw)
{
	struct opts *o = walk_opts;
	struct cand *c;
	char name[NAME_LEN];

	(void)st;
	if (flag != FTW_F || ko_basename(name, path + ftw->base) < 0)
		return 0;
	if (o->ncands == o->capcands) {
		o->capcands = o->capcands ? o->capcands * 2 : 1024;
		c = realloc(o->cands, o->capcands * sizeof(*c));
		if (!c)
			return -1;
		o->cands = c;
	}
	c = &o->cands[o->ncands];
	memcpy(c->name, name, sizeof(name));
	c->path = strdup(path);
	if (!c->path)
		return -1;
	o->ncands++;
	return 0;
}

/* Index the module files under the ko dirs, once. */
static void index_dirs(struct opts *o)
{
	struct stat st;
	int i;

	if (o->indexed)
		return;
	o->indexed = 1;
	walk_opts = o;
	for (i = 0; i < o->nko_dirs; i++) {
		if (stat(o->ko_dirs[i], &st) < 0) {
			warnmsg("%s: %s", o->ko_dirs[i], strerror(errno));
			continue;
		}
		if (!S_ISDIR(st.st_mode)) {
			warnmsg("%s: not a directory", o->ko_dirs[i]);
			continue;
		}
		/* FTW_PHYS: not into build/ and source/ */
		if (nftw(o->ko_dirs[i], walk_one, 32, FTW_PHYS) < 0)
			warnmsg("%s: cannot read it all: %s", o->ko_dirs[i],
				strerror(errno));
	}
}

static void modmsg(const struct modres *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* A named module's problem is an error, another's a warning. */
static void modmsg(const struct modres *m, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "vmi-sites: %s%s: ", m->named ? "" : "warning: ",
		m->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* The build ID note of the loaded module; 0 if none. */
static uint32_t sysfs_build_id(const struct opts *o, const struct modres *m,
			       uint8_t *id, char *path, size_t psize)
{
	uint8_t notes[4096];
	const uint8_t *p;
	uint32_t len;
	size_t n;

	snprintf(path, psize, "%s/module/%s/notes/.note.gnu.build-id",
		 o->sysfs, m->name);
	if (read_small(path, notes, sizeof(notes), &n) < 0 ||
	    find_build_id(notes, n, &p, &len) < 0 || !len ||
	    len > BUILD_ID_MAX)
		return 0;
	memcpy(id, p, len);
	return len;
}

/*
 * Try one candidate file: MOD_OK with @k loaded and the build ID in @m,
 * MOD_OTHER_KO (another build), MOD_NO_NOTE or MOD_ERROR.
 */
static int try_ko(const char *path, struct ko *k, struct modres *m,
		  const uint8_t *live_id, uint32_t live_len)
{
	const uint8_t *id;
	uint32_t len;
	int r;

	if (load_ko(k, path) < 0)
		return MOD_ERROR;
	r = ko_build_id(k, &id, &len);
	if (r < 0) {
		free_ko(k);
		return MOD_ERROR;
	}
	if (r == 0) {
		m->build_id_len = 0;	/* nothing to check it with */
		return MOD_OK;
	}
	if (!live_len) {
		free_ko(k);
		return MOD_NO_NOTE;
	}
	if (len != live_len || memcmp(id, live_id, len)) {
		free_ko(k);
		return MOD_OTHER_KO;
	}
	m->build_id_len = len;
	memcpy(m->build_id, id, len);
	return MOD_OK;
}

static int do_module(struct opts *o, struct modres *m)
{
	char path[PATH_MAX_], notepath[PATH_MAX_];
	uint8_t live_id[BUILD_ID_MAX];
	uint32_t live_len;
	const char *tried = NULL, *used = NULL;
	struct stat st;
	struct ko k;
	size_t c;
	int i, r = MOD_NO_KO, ncand = 0;

	memset(&k, 0, sizeof(k));
	snprintf(path, sizeof(path), "%s/module/%s/sections", o->sysfs,
		 m->name);
	if (stat(path, &st) < 0) {
		modmsg(m, "not loaded (%s: %s); left out", path,
		       strerror(errno));
		return MOD_ERROR;
	}
	live_len = sysfs_build_id(o, m, live_id, notepath, sizeof(notepath));

	/* --ko files first, then NAME.ko* under the ko dirs */
	for (i = 0; i < o->nkos && r != MOD_OK; i++) {
		if (strcmp(o->kos[i].name, m->name) &&
		    strcmp(o->kos[i].base, m->name))
			continue;
		ncand++;
		tried = o->kos[i].path;
		r = try_ko(tried, &k, m, live_id, live_len);
		if (r == MOD_ERROR || r == MOD_NO_NOTE)
			break;
	}
	if (r != MOD_OK && r != MOD_ERROR && r != MOD_NO_NOTE) {
		index_dirs(o);
		for (c = 0; c < o->ncands && r != MOD_OK; c++) {
			if (strcmp(o->cands[c].name, m->name))
				continue;
			ncand++;
			tried = o->cands[c].path;
			r = try_ko(tried, &k, m, live_id, live_len);
			if (r == MOD_ERROR || r == MOD_NO_NOTE)
				break;
		}
	}
	switch (r) {
	case MOD_NO_KO:
		modmsg(m, "no %s.ko, .ko.xz, .ko.zst or .ko.gz found (--ko, --ko-dir %s%s); its sites are left alone",
		       m->name, o->nko_dirs ? o->ko_dirs[0] : "",
		       o->nko_dirs > 1 ? " ..." : "");
		return r;
	case MOD_OTHER_KO:
		modmsg(m, "the .ko on disk is not the loaded module (build ID differs); its sites are left alone");
		if (ncand > 1)
			fprintf(stderr, "vmi-sites:   (%d candidates tried, the last %s)\n",
				ncand, tried);
		else
			fprintf(stderr, "vmi-sites:   (%s)\n", tried);
		return r;
	case MOD_NO_NOTE:
		modmsg(m, "%s missing: cannot tell whether %s is the loaded module; its sites are left alone",
		       notepath, tried);
		return r;
	case MOD_ERROR:
		modmsg(m, "cannot use %s; its sites are left alone", tried);
		return r;
	}
	used = tried;
	r = ko_sites(&k, m) < 0 ? MOD_ERROR : MOD_OK;
	if (r == MOD_OK && !m->nr)
		r = MOD_EMPTY;
	if (r == MOD_OK)
		r = place_sites(o, &k, m);
	if (r == MOD_ERROR)
		modmsg(m, "cannot use %s; its sites are left alone", used);
	free_ko(&k);
	return r;
}

/* --- the command ---------------------------------------------------------- */

static int add_module(struct modres **v, uint32_t *n, const char *name,
		      size_t len, int named)
{
	struct modres *p, m;
	uint32_t i;

	memset(&m, 0, sizeof(m));
	if (norm_name(m.name, name, len) < 0) {
		errmsg("bad module name \"%.*s\"", (int)(len < 80 ? len : 80),
		       name);
		return -1;
	}
	for (i = 0; i < *n; i++)
		if (!strcmp((*v)[i].name, m.name))
			return 0;
	if (*n >= VMI_MODSITES_MAX_MODULES) {
		errmsg("more than %u modules", VMI_MODSITES_MAX_MODULES);
		return -1;
	}
	p = realloc(*v, (*n + 1) * sizeof(*p));
	if (!p) {
		errmsg("out of memory");
		return -1;
	}
	*v = p;
	m.named = named;
	p[(*n)++] = m;
	return 0;
}

/* /proc/modules: "name size refs deps state address", state "Live". */
static int read_proc_modules(const char *path, struct modres **v,
			     uint32_t *n)
{
	char line[4096], name[256], state[32];
	FILE *f = fopen(path, "r");
	int ret = 0;

	if (!f) {
		errmsg("%s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%255s %*s %*s %*s %31s", name, state) != 2) {
			errmsg("%s: cannot parse \"%.60s\"", path, line);
			ret = -1;
			break;
		}
		if (strcmp(state, "Live"))
			continue;
		if (add_module(v, n, name, strlen(name), 0) < 0) {
			ret = -1;
			break;
		}
	}
	fclose(f);
	return ret;
}

/* --ko FILE: the names it can stand for. */
static int add_ko_file(struct opts *o, const char *path)
{
	struct kofile *p;
	struct ko k;

	p = realloc(o->kos, (o->nkos + 1) * sizeof(*p));
	if (!p) {
		errmsg("out of memory");
		return -1;
	}
	o->kos = p;
	p = &o->kos[o->nkos++];
	memset(p, 0, sizeof(*p));
	p->path = path;
	if (ko_basename(p->base, path) < 0)
		p->base[0] = 0;
	/* unreadable: matched by file name only, fails when used */
	if (load_ko(&k, path) == 0) {
		if (modinfo_name(&k, p->name) < 0)
			p->name[0] = 0;
		free_ko(&k);
	}
	if (!p->name[0] && !p->base[0]) {
		errmsg("%s: no name=... in .modinfo and not named NAME.ko*: cannot tell which module it is",
		       path);
		return -1;
	}
	return 0;
}

static const char *const status_what[MOD_NR] = {
	[MOD_NO_KO] = "no .ko found",
	[MOD_OTHER_KO] = "build ID differs",
	[MOD_NO_NOTE] = "no build ID in sysfs",
	[MOD_ERROR] = "errors",
};

static void summary(const struct opts *o, const struct modres *v, uint32_t n,
		    uint32_t nr_sites, const char *out)
{
	uint32_t count[MOD_NR] = { 0 }, init = 0, notcall = 0, other = 0, i;
	int st, first = 1;

	for (i = 0; i < n; i++) {
		count[v[i].status]++;
		if (v[i].status == MOD_OK) {
			init += v[i].nr_init;
			notcall += v[i].nr_not_call;
			other += v[i].nr_other_feature;
		}
	}
	fprintf(stderr, "vmi-sites: %s: %u module%s: %u in the table with %u pv call sites (%u in .init sections skipped), %u without pv sites",
		o->release, n, n == 1 ? "" : "s", count[MOD_OK], nr_sites,
		init, count[MOD_EMPTY]);
	for (st = MOD_NO_KO; st < MOD_NR; st++) {
		if (!count[st])
			continue;
		fprintf(stderr, "%s%u %s (", first ? "; left out: " : ", ",
			count[st], status_what[st]);
		first = 0;
		for (i = 0; i < n; i++)
			if ((int)v[i].status == st)
				fprintf(stderr, "%s%s", v[i].name,
					--count[st] ? " " : "");
		fputc(')', stderr);
	}
	fprintf(stderr, "; written to %s\n", out ? out : "standard output");
	if (notcall || other)
		warnmsg("%u direct-call alternatives skipped (not \"ff 15\"), %u with a feature other than X86_FEATURE_ALWAYS",
			notcall, other);
}

static const char modules_usage[] =
	"modules: [-q] [-o FILE] [--sysfs DIR] [--proc-modules FILE] [--release R] [--ko-dir DIR]... [--ko FILE]... [NAME...]";

int cmd_modules(int argc, char **argv)
{
	struct opts o;
	struct modres *mods = NULL;
	struct vmi_modsites_header h;
	struct vmi_modsites_module *rec;
	struct vmi_modsite *ent;
	struct vmi_modsites_info info;
	const char *out = NULL, *release = NULL;
	char defdir[PATH_MAX_];
	uint32_t nmods = 0, nr_rec = 0, nr_sites = 0, i, j;
	int quiet = 0, named = 0, ret = 1, r, a;
	struct utsname u;
	uint8_t *buf = NULL;
	size_t len;

	memset(&o, 0, sizeof(o));
	o.sysfs = "/sys";
	o.proc_modules = "/proc/modules";
	o.ko_dirs = calloc(argc > 0 ? argc : 1, sizeof(*o.ko_dirs));
	if (!o.ko_dirs)
		return 1;
	for (a = 1; a < argc; a++) {
		const char *opt = argv[a], *val = a + 1 < argc ? argv[a + 1] : NULL;

		if (!strcmp(opt, "-q")) {
			quiet = 1;
			continue;
		}
		if (opt[0] != '-' || !opt[1]) {
			named = 1;
			continue;
		}
		if (!val)
			goto usage;
		a++;
		if (!strcmp(opt, "-o"))
			out = val;
		else if (!strcmp(opt, "--sysfs"))
			o.sysfs = val;
		else if (!strcmp(opt, "--proc-modules"))
			o.proc_modules = val;
		else if (!strcmp(opt, "--release"))
			release = val;
		else if (!strcmp(opt, "--ko-dir"))
			o.ko_dirs[o.nko_dirs++] = val;
		else if (!strcmp(opt, "--ko"))
			continue;	/* after the release is known */
		else
			goto usage;
	}
	if (!release) {
		if (uname(&u) < 0) {
			errmsg("uname: %s", strerror(errno));
			goto done;
		}
		release = u.release;
	}
	if (!release[0] || strlen(release) >= sizeof(o.release)) {
		errmsg("bad release \"%s\"", release);
		goto done;
	}
	strcpy(o.release, release);
	if (!o.nko_dirs) {
		snprintf(defdir, sizeof(defdir), "/lib/modules/%s", o.release);
		o.ko_dirs[o.nko_dirs++] = defdir;
	}
	for (a = 1; a < argc; a++) {
		const char *opt = argv[a];

		if (!strcmp(opt, "-q"))
			continue;
		if (opt[0] != '-' || !opt[1]) {
			if (add_module(&mods, &nmods, opt, strlen(opt), 1) < 0)
				goto done;
			continue;
		}
		a++;
		if (!strcmp(opt, "--ko") && add_ko_file(&o, argv[a]) < 0)
			goto done;
	}
	if (!named && read_proc_modules(o.proc_modules, &mods, &nmods) < 0)
		goto done;

	for (i = 0; i < nmods; i++) {
		r = do_module(&o, &mods[i]);
		if (r == MOD_FATAL)
			goto done;
		mods[i].status = r;
		if (mods[i].named && r != MOD_OK && r != MOD_EMPTY)
			goto done;
		if (r == MOD_OK) {
			if (mods[i].nr > VMI_MODSITES_MAX_SITES - nr_sites) {
				errmsg("more than %u sites in all",
				       VMI_MODSITES_MAX_SITES);
				goto done;
			}
			nr_rec++;
			nr_sites += mods[i].nr;
		}
	}

	/* the table: header, records, entries */
	len = sizeof(h) + (size_t)nr_rec * sizeof(*rec) +
	      (size_t)nr_sites * sizeof(*ent);
	buf = calloc(1, len);
	if (!buf) {
		errmsg("out of memory");
		goto done;
	}
	rec = (struct vmi_modsites_module *)(buf + sizeof(h));
	ent = (struct vmi_modsite *)(rec + nr_rec);
	for (i = 0, nr_rec = 0, nr_sites = 0; i < nmods; i++) {
		const struct modres *m = &mods[i];

		if (m->status != MOD_OK)
			continue;
		memcpy(rec[nr_rec].name, m->name, sizeof(m->name));
		rec[nr_rec].first_site = nr_sites;
		rec[nr_rec].nr_sites = m->nr;
		rec[nr_rec].build_id_len = m->build_id_len;
		memcpy(rec[nr_rec].build_id, m->build_id, m->build_id_len);
		for (j = 0; j < m->nr; j++) {
			ent[nr_sites].addr = m->sites[j].addr;
			ent[nr_sites].slot = m->sites[j].slot;
			ent[nr_sites].len = m->sites[j].len;
			nr_sites++;
		}
		nr_rec++;
	}
	memset(&h, 0, sizeof(h));
	memcpy(h.magic, VMI_MODSITES_MAGIC, sizeof(h.magic));
	h.version = VMI_MODSITES_VERSION;
	h.header_size = sizeof(h);
	h.module_size = sizeof(*rec);
	h.entry_size = sizeof(*ent);
	h.nr_modules = nr_rec;
	h.nr_sites = nr_sites;
	h.ptr_size = 8;
	h.crc32 = vmi_crc32(0, buf + sizeof(h), len - sizeof(h));
	snprintf(h.release, sizeof(h.release), "%s", o.release);
	memcpy(buf, &h, sizeof(h));
	r = vmi_modsites_check(buf, len, o.release, 0, &info);
	if (r) {
		errmsg("the table fails its own check: %s (module #%d, site #%d)",
		       vmi_modsites_strerror(r), info.bad_module,
		       info.bad_site);
		goto done;
	}
	if (write_out(out, buf, len, NULL, 0) < 0)
		goto done;
	if (!quiet)
		summary(&o, mods, nmods, nr_sites, out);
	ret = 0;
	goto done;
usage:
	fprintf(stderr, "vmi-sites: usage: vmi-sites %s\n", modules_usage);
	ret = 2;
done:
	for (i = 0; i < nmods; i++)
		free(mods[i].sites);
	free(mods);
	for (i = 0; i < o.ncands; i++)
		free(o.cands[i].path);
	free(o.cands);
	free(o.kos);
	free(o.ko_dirs);
	free(buf);
	return ret;
}

/* --- check / info / list ------------------------------------------------------ */

int is_modsites(const struct buf *b)
{
	return b->len >= 8 && !memcmp(b->data, VMI_MODSITES_MAGIC, 8);
}

/* A record's name, printable even if corrupt. */
static void rec_name(char *out, const struct vmi_modsites_module *m)
{
	size_t i;

	for (i = 0; i < NAME_LEN - 1 && m->name[i]; i++)
		out[i] = m->name[i] > ' ' && m->name[i] < 0x7f ? m->name[i] : '?';
	out[i] = 0;
}

static void mod_explain(const char *file, int err, const struct buf *b,
			const struct vmi_modsites_info *info)
{
	const struct vmi_modsites_header *h = (const void *)b->data;
	const struct vmi_modsites_module *m;
	const struct vmi_modsite *s;
	char where[200] = "", name[NAME_LEN];
	size_t off;

	if (info->bad_module >= 0) {
		m = (const void *)(b->data + sizeof(*h) +
				   (size_t)info->bad_module * sizeof(*m));
		rec_name(name, m);
		off = (size_t)snprintf(where, sizeof(where), " (module #%d %s",
				       info->bad_module, name);
		if (info->bad_site >= 0) {
			s = (const void *)(b->data + sizeof(*h) +
					   (size_t)h->nr_modules * sizeof(*m) +
					   (size_t)info->bad_site * sizeof(*s));
			snprintf(where + off, sizeof(where) - off,
				 ", site #%d at %#llx)", info->bad_site,
				 (unsigned long long)s->addr);
		} else {
			snprintf(where + off, sizeof(where) - off, ")");
		}
	} else if (err == VMI_MODSITES_ECRC) {
		snprintf(where, sizeof(where), " (stored %#010x, computed %#010x)",
			 h->crc32, vmi_crc32(0, b->data + sizeof(*h),
					     b->len - sizeof(*h)));
	} else if (err == VMI_MODSITES_ELENGTH) {
		snprintf(where, sizeof(where),
			 " (%zu bytes, %u modules and %u sites need %zu)",
			 b->len, h->nr_modules, h->nr_sites,
			 sizeof(*h) + (size_t)h->nr_modules *
			 sizeof(struct vmi_modsites_module) +
			 (size_t)h->nr_sites * sizeof(struct vmi_modsite));
	}
	errmsg("%s: %s%s", file, vmi_modsites_strerror(err), where);
}

int modsites_check(const char *file, const struct buf *b,
		   const char *release, uint32_t nr_slots)
{
	struct vmi_modsites_info info;
	int r;

	r = vmi_modsites_check(b->data, b->len, release, nr_slots, &info);
	if (r == VMI_MODSITES_EWRONG_RELEASE) {
		errmsg("%s: %s: table %s, kernel %s", file,
		       vmi_modsites_strerror(r),
		       ((const struct vmi_modsites_header *)b->data)->release,
		       release);
		return 1;
	}
	if (r) {
		mod_explain(file, r, b, &info);
		return 1;
	}
	printf("%s: ok: %u module sites in %u modules for %s\n", file,
	       info.nr_sites, info.nr_modules,
	       ((const struct vmi_modsites_header *)b->data)->release);
	return 0;
}

int modsites_info(const char *file, const struct buf *b)
{
	const struct vmi_modsites_header *h = (const void *)b->data;
	const struct vmi_modsites_module *m;
	struct vmi_modsites_info info;
	char id[2 * BUILD_ID_MAX + 1], name[NAME_LEN];
	uint32_t i;
	int r;

	r = vmi_modsites_check(b->data, b->len, NULL, 0, &info);
	if (r == VMI_MODSITES_ETRUNC_HEADER) {
		mod_explain(file, r, b, &info);
		return 1;
	}
	printf("file        %s (%zu bytes)\n", file, b->len);
	printf("format      module sites (%s)\n", VMI_MODSITES_MAGIC);
	printf("release     %.*s\n", (int)sizeof(h->release) - 1, h->release);
	printf("version     %u (header %u, module %u, entry %u bytes)\n",
	       h->version, h->header_size, h->module_size, h->entry_size);
	printf("ptr_size    %u\n", h->ptr_size);
	printf("nr_modules  %u\n", h->nr_modules);
	printf("nr_sites    %u\n", h->nr_sites);
	printf("crc32       %#010x\n", h->crc32);
	printf("check       %s\n", r ? vmi_modsites_strerror(r) : "ok");
	if (r) {
		mod_explain(file, r, b, &info);
		return 1;
	}
	m = (const void *)(b->data + sizeof(*h));
	printf("\n %-24s %6s %6s  build_id\n", "module", "first", "sites");
	for (i = 0; i < h->nr_modules; i++) {
		rec_name(name, &m[i]);
		hex(id, m[i].build_id, m[i].build_id_len);
		printf(" %-24s %6u %6u  %s\n", name, m[i].first_site,
		       m[i].nr_sites, m[i].build_id_len ? id : "-");
	}
	return 0;
}

int modsites_list(const char *file, const struct buf *b)
{
	const struct vmi_modsites_header *h = (const void *)b->data;
	const struct vmi_modsites_module *m;
	const struct vmi_modsite *s;
	struct vmi_modsites_info info;
	char name[NAME_LEN];
	uint32_t i, j;
	int r;

	r = vmi_modsites_check(b->data, b->len, NULL, 0, &info);
	if (r) {
		mod_explain(file, r, b, &info);
		return 1;
	}
	m = (const void *)(b->data + sizeof(*h));
	s = (const void *)(m + h->nr_modules);
	for (i = 0; i < h->nr_modules; i++) {
		rec_name(name, &m[i]);
		for (j = m[i].first_site; j < m[i].first_site + m[i].nr_sites; j++)
			printf("%s 0x%llx %u %u\n", name,
			       (unsigned long long)s[j].addr, s[j].len,
			       s[j].slot);
	}
	return 0;
}
