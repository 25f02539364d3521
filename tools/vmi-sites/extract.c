// SPDX-License-Identifier: GPL-2.0
/*
 * vmi-sites: find the paravirt call sites in an ELF vmlinux (x86_64 or
 * i386, section headers present, symbols not needed).
 *
 * Linux < 6.8: .parainstructions holds struct paravirt_patch_site
 *   { u8 *instr; u8 type; u8 len; } emitted by _paravirt_alt() as
 *   _ASM_ALIGN; _ASM_PTR 771b; .byte type; .byte len; .short clobber;
 *   _ASM_ALIGN, i.e. 16 bytes on x86_64 and 8 on i386 (up to 5.10 without
 *   the last _ASM_ALIGN: see pv_site_count()).
 * Linux >= 6.8: pv calls are ALTERNATIVE(PARAVIRT_CALL, ALT_CALL_INSTR,
 *   ALT_CALL_ALWAYS) entries of .altinstructions, struct alt_instr
 *   { s32 instr_offset; s32 repl_offset; u32 ft_flags (cpuid:16 |
 *   flags:16); u8 instrlen; u8 replacementlen; } __packed = 14 bytes,
 *   with ALT_FLAG_DIRECT_CALL (1 << 1) in flags and
 *   X86_FEATURE_ALWAYS (3 * 32 + 21) as cpuid.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmi-sites.h"

static int in_file(size_t len, uint64_t off, uint64_t size)
{
	return off <= len && size <= len - off;
}

int parse_elf(struct elf *e, const char *path, const char *what,
	      const uint8_t *d, size_t len)
{
	uint64_t shoff;
	unsigned int i, shentsize, shnum, shstrndx;
	const struct section *strtab;
	uint16_t machine;

	memset(e, 0, sizeof(*e));
	e->path = path;
	e->what = what;
	e->data = d;
	e->len = len;
	if (len < sizeof(Elf32_Ehdr) || memcmp(d, ELFMAG, SELFMAG)) {
		errmsg("%s: not an ELF %s", path, what);
		return -1;
	}
	if ((d[EI_CLASS] != ELFCLASS32 && d[EI_CLASS] != ELFCLASS64) ||
	    d[EI_DATA] != ELFDATA2LSB) {
		errmsg("%s: %s is not little-endian ELF32/ELF64", path, what);
		return -1;
	}
	e->is64 = d[EI_CLASS] == ELFCLASS64;
	e->ptr_size = e->is64 ? 8 : 4;
	/* e_type and e_machine: at the same offsets in both classes */
	e->type = le16(d + ELF64(Ehdr, e_type));
	machine = le16(d + ELF64(Ehdr, e_machine));
	if (machine != (e->is64 ? EM_X86_64 : EM_386)) {
		errmsg("%s: %s is ELF%d for machine %u, not %s", path, what,
		       e->is64 ? 64 : 32, machine,
		       e->is64 ? "x86_64" : "i386");
		return -1;
	}
	if (e->is64) {
		if (len < sizeof(Elf64_Ehdr))
			goto trunc;
		shoff = le64(d + ELF64(Ehdr, e_shoff));
		shentsize = le16(d + ELF64(Ehdr, e_shentsize));
		shnum = le16(d + ELF64(Ehdr, e_shnum));
		shstrndx = le16(d + ELF64(Ehdr, e_shstrndx));
	} else {
		shoff = le32(d + ELF32(Ehdr, e_shoff));
		shentsize = le16(d + ELF32(Ehdr, e_shentsize));
		shnum = le16(d + ELF32(Ehdr, e_shnum));
		shstrndx = le16(d + ELF32(Ehdr, e_shstrndx));
	}
	if (!shoff || !shnum) {
		errmsg("%s: %s has no section headers", path, what);
		return -1;
	}
	if (shentsize != (e->is64 ? sizeof(Elf64_Shdr) : sizeof(Elf32_Shdr)) ||
	    shstrndx >= shnum ||
	    !in_file(len, shoff, (uint64_t)shnum * shentsize))
		goto trunc;
	e->secs = calloc(shnum, sizeof(*e->secs));
	if (!e->secs) {
		errmsg("out of memory");
		return -1;
	}
	e->nsecs = shnum;
	for (i = 0; i < shnum; i++) {
		const uint8_t *sh = d + shoff + (uint64_t)i * shentsize;
		struct section *s = &e->secs[i];

		s->type = le32(sh + ELF64(Shdr, sh_type));	/* both */
		if (e->is64) {
			s->flags = le64(sh + ELF64(Shdr, sh_flags));
			s->addr = le64(sh + ELF64(Shdr, sh_addr));
			s->offset = le64(sh + ELF64(Shdr, sh_offset));
			s->size = le64(sh + ELF64(Shdr, sh_size));
			s->link = le32(sh + ELF64(Shdr, sh_link));
			s->info = le32(sh + ELF64(Shdr, sh_info));
			s->entsize = le64(sh + ELF64(Shdr, sh_entsize));
		} else {
			s->flags = le32(sh + ELF32(Shdr, sh_flags));
			s->addr = le32(sh + ELF32(Shdr, sh_addr));
			s->offset = le32(sh + ELF32(Shdr, sh_offset));
			s->size = le32(sh + ELF32(Shdr, sh_size));
			s->link = le32(sh + ELF32(Shdr, sh_link));
			s->info = le32(sh + ELF32(Shdr, sh_info));
			s->entsize = le32(sh + ELF32(Shdr, sh_entsize));
		}
		if (s->type != SHT_NOBITS && s->type != 0) {
			if (!in_file(len, s->offset, s->size))
				goto trunc;
			s->data = d + s->offset;
		}
	}
	strtab = &e->secs[shstrndx];
	if (!strtab->data || !strtab->size ||
	    strtab->data[strtab->size - 1] != 0)
		goto trunc;
	for (i = 0; i < shnum; i++) {
		uint32_t name = le32(d + shoff + (uint64_t)i * shentsize);

		if (name >= strtab->size)
			goto trunc;
		e->secs[i].name = (const char *)strtab->data + name;
	}
	return 0;
trunc:
	errmsg("%s: %s ELF headers are corrupt or truncated", path, what);
	free(e->secs);
	e->secs = NULL;
	return -1;
}

const struct section *find_section(const struct elf *e, const char *name)
{
	unsigned int i;

	for (i = 0; i < e->nsecs; i++)
		if (!strcmp(e->secs[i].name, name))
			return &e->secs[i];
	return NULL;
}

/* The file bytes at link address @addr, all @n inside one section. */
static const uint8_t *bytes_at(const struct elf *e, uint64_t addr, size_t n,
			       int exec, const char **secname)
{
	unsigned int i;

	for (i = 0; i < e->nsecs; i++) {
		const struct section *s = &e->secs[i];

		if (!s->data || !(s->flags & SHF_ALLOC) || !s->addr)
			continue;
		if (exec && !(s->flags & SHF_EXECINSTR))
			continue;
		if (addr >= s->addr && addr - s->addr < s->size &&
		    n <= s->size - (addr - s->addr)) {
			if (secname)
				*secname = s->name;
			return s->data + (addr - s->addr);
		}
	}
	return NULL;
}

/*
 * The init region: from .init.text up to __init_end, which the linker
 * script page-aligns right before .smp_locks (or, without it, before
 * .data_nosave / .bss / .brk).  Everything in between is freed after boot.
 */
static int init_region(const struct elf *e, struct table *tab)
{
	static const char *const after[] = {
		".smp_locks", ".data_nosave", ".bss", ".brk",
	};
	const struct section *it = find_section(e, ".init.text"), *s;
	uint64_t end = 0;
	unsigned int i;

	if (!it) {
		errmsg("%s: vmlinux has no .init.text section", e->path);
		return -1;
	}
	for (i = 0; i < sizeof(after) / sizeof(after[0]); i++) {
		s = find_section(e, after[i]);
		if (s && s->addr > it->addr && (!end || s->addr < end))
			end = s->addr;
	}
	if (!end) {
		errmsg("%s: cannot find the end of the init region (.smp_locks, .bss)",
		       e->path);
		return -1;
	}
	tab->hdr.init_begin = it->addr;
	tab->hdr.init_end = end;
	return 0;
}

const char *const pv_members[NR_PV_MEMBERS] = {
	"pv_time_ops", "pv_cpu_ops", "pv_irq_ops", "pv_mmu_ops", "pv_lock_ops",
};

/*
 * The address of an exported symbol: __ksymtab{,_gpl} hold struct
 * kernel_symbol { int value_offset, name_offset, namespace_offset; }
 * (CONFIG_HAVE_ARCH_PREL32_RELOCATIONS, always on x86 from 4.19; 4.19
 * to 5.3 have no namespace_offset), each offset relative to its own
 * field; before, { value, name } pointers, as 4.14's vmlinux has.
 * Returns 0 if not found.
 */
static uint64_t find_ksym(const struct elf *e, const char *name)
{
	static const char *const tabs[] = { "__ksymtab", "__ksymtab_gpl" };
	size_t nlen = strlen(name) + 1, psz = e->is64 ? 8 : 4, sz;
	const struct section *t;
	const uint8_t *str, *p;
	uint64_t i, va, mask = e->is64 ? ~(uint64_t)0 : 0xffffffffu;
	unsigned int k;

	for (sz = 12; sz >= 8; sz -= 4) {
		for (k = 0; k < 2; k++) {
			t = find_section(e, tabs[k]);
			if (!t || !t->data || t->size % sz)
				continue;
			for (i = 0; i < t->size / sz; i++) {
				p = t->data + i * sz;
				va = (t->addr + i * sz + 4 +
				      (uint64_t)(int64_t)(int32_t)le32(p + 4)) &
				     mask;
				str = bytes_at(e, va, nlen, 0, NULL);
				if (!str || memcmp(str, name, nlen))
					continue;
				return (t->addr + i * sz +
					(uint64_t)(int64_t)(int32_t)le32(p)) &
				       mask;
			}
		}
	}
	for (k = 0; k < 2; k++) {
		t = find_section(e, tabs[k]);
		if (!t || !t->data || t->size % (2 * psz))
			continue;
		for (i = 0; i < t->size / (2 * psz); i++) {
			p = t->data + i * 2 * psz;
			va = psz == 8 ? le64(p + 8) : le32(p + 4);
			str = bytes_at(e, va, nlen, 0, NULL);
			if (str && !memcmp(str, name, nlen))
				return psz == 8 ? le64(p) : le32(p);
		}
	}
	return 0;
}

static int add_site(struct table *tab, size_t *cap, const struct vmi_site *s)
{
	struct vmi_site *p;

	if (tab->nr == *cap) {
		*cap = *cap ? *cap * 2 : 1024;
		if (*cap > VMI_SITES_MAX) {
			errmsg("more than %u sites", VMI_SITES_MAX);
			return -1;
		}
		p = realloc(tab->sites, *cap * sizeof(*p));
		if (!p) {
			errmsg("out of memory");
			return -1;
		}
		tab->sites = p;
	}
	tab->sites[tab->nr++] = *s;
	return 0;
}

/*
 * _paravirt_alt() aligns the start of each entry to the pointer size; up
 * to 5.10 (4.14, 4.19, 5.4 and 5.10 checked) nothing aligns its end, so
 * the x86_64 entry is 8 + 1 + 1 + 2 = 12 bytes, padded to 16 only by the
 * next entry's alignment: every object's table, and the kernel's, ends
 * 12 bytes into its last entry. 6.1 aligns the end too. apply_paravirt()
 * steps by sizeof(struct paravirt_patch_site), 16, up to the end either
 * way. On i386 the entry is 4 + 1 + 1 + 2 = 8 bytes, aligned either way.
 * Anything else is not a table a kernel made.
 */
uint64_t pv_site_count(uint64_t size, int is64)
{
	if (!is64)
		return size % PV_SITE_SIZE_32 ? 0 : size / PV_SITE_SIZE_32;
	if (size % PV_SITE_SIZE_64 == 0)
		return size / PV_SITE_SIZE_64;
	if (size % PV_SITE_SIZE_64 == PV_SITE_END_64)
		return size / PV_SITE_SIZE_64 + 1;
	return 0;
}

static int from_parainstructions(const struct elf *e, const struct section *pi,
				 struct table *tab)
{
	size_t es = e->is64 ? PV_SITE_SIZE_64 : PV_SITE_SIZE_32, cap = 0;
	uint64_t i, n;

	if (!pi->size) {
		/* a table of nothing: refuse it here, not qsort(NULL) later */
		errmsg("%s: .parainstructions is empty: no paravirt call sites",
		       e->path);
		return -1;
	}
	n = pi->data ? pv_site_count(pi->size, e->is64) : 0;
	if (!n) {
		if (e->is64)
			errmsg("%s: .parainstructions is %llu bytes, not whole 16-byte struct paravirt_patch_site entries (the last one 16 or 12 bytes)",
			       e->path, (unsigned long long)pi->size);
		else
			errmsg("%s: .parainstructions is %llu bytes, not a multiple of the 8-byte struct paravirt_patch_site",
			       e->path, (unsigned long long)pi->size);
		return -1;
	}
	for (i = 0; i < n; i++) {
		const uint8_t *p = pi->data + i * es;
		uint64_t addr = e->is64 ? le64(p) : le32(p);
		uint8_t type = p[e->ptr_size], len = p[e->ptr_size + 1];
		const uint8_t *code;
		struct vmi_site s;

		if (!len || len > VMI_SITE_MAX_LEN) {
			errmsg("%s: .parainstructions entry %llu (site %#llx) has length %u",
			       e->path, (unsigned long long)i,
			       (unsigned long long)addr, len);
			return -1;
		}
		code = bytes_at(e, addr, len, 1, NULL);
		if (!code) {
			errmsg("%s: .parainstructions entry %llu: site %#llx is not in an executable section",
			       e->path, (unsigned long long)i,
			       (unsigned long long)addr);
			return -1;
		}
		memset(&s, 0, sizeof(s));
		s.addr = addr;
		s.slot = type;
		s.len = len;
		s.orig_len = len;
		memcpy(s.orig, code, len);
		/* the calls sites_check.c decodes; the rest is inline code */
		if (!(len >= 6 && code[0] == 0xff && code[1] == 0x15) &&
		    !(e->is64 && len >= 7 && code[0] == 0xff &&
		      code[1] == 0x14 && code[2] == 0x25))
			tab->nr_not_call++;
		if (add_site(tab, &cap, &s) < 0)
			return -1;
	}
	tab->hdr.kind = VMI_SITES_KIND_PARAINSTR;
	tab->tab_section = ".parainstructions";
	tab->tab_size = pi->size;
	return 0;
}

static uint64_t alt_instr_va(const struct elf *e, const struct section *ai,
			     uint64_t i)
{
	const uint8_t *p = ai->data + i * ALT_INSTR_SIZE;
	uint64_t va = ai->addr + i * ALT_INSTR_SIZE +
		      (uint64_t)(int64_t)(int32_t)le32(p);

	return e->is64 ? va : (uint32_t)va;
}

static int from_altinstructions(const struct elf *e, const struct section *ai,
				struct table *tab)
{
	uint64_t i, j, n;
	size_t cap = 0;

	if (!ai->data || ai->size % ALT_INSTR_SIZE) {
		errmsg("%s: .altinstructions is %llu bytes, not a multiple of the %u-byte struct alt_instr of Linux 6.3+",
		       e->path, (unsigned long long)ai->size, ALT_INSTR_SIZE);
		return -1;
	}
	n = ai->size / ALT_INSTR_SIZE;
	for (i = 0; i < n; i++) {
		const uint8_t *p = ai->data + i * ALT_INSTR_SIZE;
		uint64_t addr = alt_instr_va(e, ai, i);
		uint32_t ft_flags = le32(p + 8);
		uint8_t len = p[12];
		const uint8_t *code;
		struct vmi_site s;
		uint32_t disp;

		if (!((ft_flags >> 16) & ALT_FLAG_DIRECT_CALL))
			continue;
		/*
		 * Nested ALTERNATIVE()s give consecutive entries for one
		 * site; apply_alternatives() patches the longest instrlen.
		 */
		for (j = i + 1; j < n && alt_instr_va(e, ai, j) == addr; j++)
			if (ai->data[j * ALT_INSTR_SIZE + 12] > len)
				len = ai->data[j * ALT_INSTR_SIZE + 12];
		for (j = i; j > 0 && alt_instr_va(e, ai, j - 1) == addr; j--)
			if (ai->data[(j - 1) * ALT_INSTR_SIZE + 12] > len)
				len = ai->data[(j - 1) * ALT_INSTR_SIZE + 12];
		code = bytes_at(e, addr, len ? len : 1, 1, NULL);
		if (!code) {
			errmsg("%s: .altinstructions entry %llu: site %#llx is not in an executable section",
			       e->path, (unsigned long long)i,
			       (unsigned long long)addr);
			return -1;
		}
		/* what alt_replace_call() accepts; anything else would BUG() */
		if (len != 6 || code[0] != 0xff || code[1] != 0x15) {
			tab->nr_direct_skipped++;
			continue;
		}
		if ((ft_flags & 0xffff) != X86_FEATURE_ALWAYS)
			tab->nr_other_feature++;
		disp = le32(code + 2);
		memset(&s, 0, sizeof(s));
		s.addr = addr;
		s.target = e->is64 ? addr + 6 + (uint64_t)(int64_t)(int32_t)disp :
				     disp;
		s.slot = VMI_SITE_SLOT_UNKNOWN;
		s.len = len;
		s.orig_len = len;
		memcpy(s.orig, code, len);
		if (add_site(tab, &cap, &s) < 0)
			return -1;
	}
	if (!tab->nr) {
		errmsg("%s: no .parainstructions and no direct-call pv_ops sites in .altinstructions (kernel without CONFIG_PARAVIRT?)",
		       e->path);
		return -1;
	}
	tab->hdr.kind = VMI_SITES_KIND_ALTCALL;
	tab->tab_section = ".altinstructions";
	tab->tab_size = ai->size;
	return 0;
}

static int cmp_site(const void *a, const void *b)
{
	const struct vmi_site *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

int extract_table(struct kimage *img, struct table *tab)
{
	const struct section *text, *notes, *pi, *ai;
	const uint8_t *id;
	uint32_t id_len, i;
	struct elf e;
	int ret = -1;

	memset(tab, 0, sizeof(*tab));
	if (parse_elf(&e, img->path, "vmlinux", img->elf.data, img->elf.len) < 0)
		return -1;

	if (!find_section(&e, ".init.text")) {
		errmsg("%s: ELF file is not a Linux vmlinux (no .init.text section)",
		       img->path);
		goto out;
	}
	text = find_section(&e, ".text");
	notes = find_section(&e, ".notes");
	if (!text || !text->addr) {
		errmsg("%s: vmlinux has no .text section", img->path);
		goto out;
	}
	if (!notes || !notes->data ||
	    vmi_find_build_id(notes->data, notes->size, &id, &id_len) < 0) {
		errmsg("%s: vmlinux has no NT_GNU_BUILD_ID note in .notes",
		       img->path);
		goto out;
	}
	if (!id_len || id_len > sizeof(tab->hdr.build_id)) {
		errmsg("%s: build ID of %u bytes (1..%zu supported)", img->path,
		       id_len, sizeof(tab->hdr.build_id));
		goto out;
	}
	memcpy(tab->hdr.magic, VMI_SITES_MAGIC, sizeof(tab->hdr.magic));
	tab->hdr.version = VMI_SITES_VERSION;
	tab->hdr.header_size = sizeof(struct vmi_sites_header);
	tab->hdr.entry_size = sizeof(struct vmi_site);
	tab->hdr.ptr_size = e.ptr_size;
	tab->hdr.link_text = text->addr;
	tab->hdr.build_id_len = id_len;
	memcpy(tab->hdr.build_id, id, id_len);
	if (img->release[0]) {
		snprintf(tab->hdr.release, sizeof(tab->hdr.release), "%s",
			 img->release);
	} else {
		warnmsg("%s: kernel release not found, recording \"unknown\"",
			img->path);
		snprintf(tab->hdr.release, sizeof(tab->hdr.release), "unknown");
	}
	if (init_region(&e, tab) < 0)
		goto out;

	pi = find_section(&e, ".parainstructions");
	ai = find_section(&e, ".altinstructions");
	if (pi) {
		if (from_parainstructions(&e, pi, tab) < 0)
			goto out;
	} else if (ai) {
		if (from_altinstructions(&e, ai, tab) < 0)
			goto out;
	} else {
		errmsg("%s: vmlinux has neither .parainstructions nor .altinstructions",
		       img->path);
		goto out;
	}
	if (tab->hdr.init_begin > tab->hdr.init_end ||
	    (pi && (pi->addr < tab->hdr.init_begin ||
		    pi->addr + pi->size > tab->hdr.init_end)))
		warnmsg("%s: .parainstructions lies outside the init region",
			img->path);

	tab->pv_ops_sym = find_ksym(&e, "pv_ops");
	for (i = 0; i < NR_PV_MEMBERS; i++)
		tab->member_sym[i] = find_ksym(&e, pv_members[i]);

	qsort(tab->sites, tab->nr, sizeof(*tab->sites), cmp_site);
	for (i = 1; i < tab->nr; i++) {
		const struct vmi_site *a = &tab->sites[i - 1], *b = &tab->sites[i];

		if (b->addr < a->addr + a->len) {
			errmsg("%s: site %#llx (%u bytes) %s site %#llx",
			       img->path, (unsigned long long)a->addr, a->len,
			       a->addr == b->addr ? "repeats as" : "overlaps",
			       (unsigned long long)b->addr);
			goto out;
		}
	}
	tab->hdr.nr_sites = tab->nr;
	tab->hdr.entries_crc32 = vmi_crc32(0, tab->sites,
					   (size_t)tab->nr * sizeof(*tab->sites));
	ret = 0;
out:
	free(e.secs);
	return ret;
}
