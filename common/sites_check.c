// SPDX-License-Identifier: GPL-2.0
/*
 * Paravirt call-site table validator and the CRC-32 it uses.  Compiled
 * into the kernel module and into tools/vmi-sites, so it uses nothing
 * beyond <string.h> (and, in the kernel, crc32_le) and allocates
 * nothing.  The module runs it on untrusted data: every read is
 * bounds-checked against @len first, sizes are compared as
 * "len - off < need" so nothing can overflow, and all fields are read
 * byte by byte (no alignment needed).
 */
#ifdef __KERNEL__
#include <linux/crc32.h>
#include <linux/string.h>
#else
#include <string.h>
#endif

#include "../include/vmi/le.h"
#include "../include/vmi/sites.h"
#include "../include/vmi/sites_check.h"

#define OFF(field)	offsetof(struct vmi_sites_header, field)
#define SOFF(field)	offsetof(struct vmi_site, field)
#define HDR_SIZE	sizeof(struct vmi_sites_header)
#define SITE_SIZE	sizeof(struct vmi_site)
#define HDR_FIELD_SIZE(field) sizeof(((struct vmi_sites_header *)0)->field)
#define U32_LIMIT	0x100000000ULL

#ifdef __KERNEL__
uint32_t vmi_crc32(uint32_t crc, const void *buf, size_t len)
{
	return ~crc32_le(~crc, buf, len);
}
#else
/* The same CRC bit by bit: the tools' tables are small, so no table here. */
uint32_t vmi_crc32(uint32_t crc, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	int k;

	crc = ~crc;
	while (len--) {
		crc ^= *p++;
		for (k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320 & -(crc & 1));
	}
	return ~crc;
}
#endif

/* ELF note type of the GNU build ID (elf.h's NT_GNU_BUILD_ID). */
#define VMI_NT_GNU_BUILD_ID	3

int vmi_find_build_id(const uint8_t *notes, size_t len, const uint8_t **id,
		      uint32_t *id_len)
{
	size_t pos = 0;

	while (len - pos >= 12) {
		uint32_t namesz = vmi_get32(notes + pos);
		uint32_t descsz = vmi_get32(notes + pos + 4);
		uint32_t type = vmi_get32(notes + pos + 8);
		size_t name_al = ((size_t)namesz + 3) & ~(size_t)3;
		size_t desc_al = ((size_t)descsz + 3) & ~(size_t)3;

		pos += 12;
		if (name_al > len - pos || desc_al > len - pos - name_al)
			return -1;
		if (type == VMI_NT_GNU_BUILD_ID && namesz == 4 &&
		    !memcmp(notes + pos, "GNU", 4)) {
			*id = notes + pos + name_al;
			*id_len = descsz;
			return 0;
		}
		pos += name_al + desc_al;
	}
	return -1;
}

#define get16 vmi_get16
#define get32 vmi_get32
#define get64 vmi_get64

/* True when [addr, addr + size) lies in [base, base + VMI_SITES_IMAGE_SPAN). */
static int in_image(uint64_t base, uint64_t addr, uint64_t size)
{
	uint64_t off = addr - base;

	return addr >= base && off < VMI_SITES_IMAGE_SPAN &&
	       size <= VMI_SITES_IMAGE_SPAN - off;
}

static int check_link_text(uint64_t text, uint32_t ptr_size)
{
	if (!text || (text & 0xfff))
		return 0;
	if (ptr_size == 4)
		return text < U32_LIMIT;
	/* -mcmodel=kernel: the image is in the top 2 GiB, 1 GiB of text */
	return text >= VMI_SITES_X86_64_MIN &&
	       text <= ~(uint64_t)0 - VMI_SITES_IMAGE_SPAN + 1;
}

/*
 * The pointer an original "ff 15 disp32" reads: rip-relative on x86_64,
 * absolute on i386; or, on x86_64, an "ff 14 25 abs32" (call *abs32,
 * sign-extended), what PARAVIRT_CALL's "call *%c[paravirt_opptr]" gave
 * up to 5.10.  Returns 0 if @site does not start with such a call.
 */
static int decode_call(const uint8_t *site, uint32_t ptr_size,
		       uint64_t *target)
{
	uint64_t addr = get64(site + SOFF(addr));
	const uint8_t *orig = site + SOFF(orig);
	uint32_t disp;

	if (ptr_size == 8 && site[SOFF(len)] >= 7 && orig[0] == 0xff &&
	    orig[1] == 0x14 && orig[2] == 0x25) {
		*target = (uint64_t)(int64_t)(int32_t)get32(orig + 3);
		return 1;
	}
	if (site[SOFF(len)] < 6 || orig[0] != 0xff || orig[1] != 0x15)
		return 0;
	disp = get32(orig + 2);
	if (ptr_size == 4)
		*target = disp;
	else	/* sign-extend disp32 */
		*target = addr + 6 + (uint64_t)(int64_t)(int32_t)disp;
	return 1;
}

/* Checks of one entry that need no other entry. */
static int check_site(const uint8_t *site, const uint8_t *hdr, uint32_t kind,
		      uint32_t ptr_size, const struct vmi_sites_expect *exp,
		      uint64_t *call)
{
	uint64_t text = get64(hdr + OFF(link_text));
	uint64_t addr = get64(site + SOFF(addr));
	uint64_t target = get64(site + SOFF(target));
	uint16_t slot = get16(site + SOFF(slot));
	uint8_t len = site[SOFF(len)];
	int has_call;

	if (!len || len > VMI_SITE_MAX_LEN)
		return VMI_SITES_ESITE_LEN;
	if (site[SOFF(orig_len)] != len)
		return VMI_SITES_ESITE_ORIG_LEN;
	if (!in_image(text, addr, len) ||
	    (ptr_size == 4 && addr + len > U32_LIMIT))
		return VMI_SITES_ESITE_RANGE;

	has_call = decode_call(site, ptr_size, call);
	if (kind == VMI_SITES_KIND_PARAINSTR) {
		if (slot == VMI_SITE_SLOT_UNKNOWN ||
		    (uint32_t)slot * ptr_size >= VMI_SITES_WINDOW_MAX ||
		    (exp && exp->nr_slots && slot >= exp->nr_slots))
			return VMI_SITES_ESITE_SLOT;
		if (target)
			return VMI_SITES_ESITE_TARGET;
		return has_call ? 1 : 0;
	}

	if (slot != VMI_SITE_SLOT_UNKNOWN)
		return VMI_SITES_ESITE_SLOT;
	if (!target || (target & (ptr_size - 1)) ||
	    (ptr_size == 4 && target >= U32_LIMIT))
		return VMI_SITES_ESITE_TARGET;
	/* apply_alternatives() only turns exactly this into a direct call */
	if (!has_call || len != 6 || *call != target)
		return VMI_SITES_ESITE_INSN;
	return 1;
}

/*
 * Up to 4.19 there is no pv_ops: a call reads pv_time_ops, pv_cpu_ops,
 * pv_irq_ops, pv_mmu_ops or pv_lock_ops, globals at addresses of their
 * own, and the entry's type is the slot in struct
 * paravirt_patch_template, which lays them side by side.  The calls
 * through one global G then share one base, call - slot * ptr_size =
 * &G - offsetof(template, G), and several bases are several globals.
 * The members' sizes are not in the table, so what is checked is what
 * every such layout obeys: no more globals than the template has
 * members; the slots called through one global are a run that no other
 * global's run meets (a member is one run of slots), so the runs order
 * the globals as the template does, and a site whose call reads another
 * global than its slot's run does is not its entry's call, as on 6.x;
 * the pointers called through two globals share no byte (two objects);
 * they lie in the image (the kernel's data).  The addresses say nothing
 * of the order: 4.14 has pv_mmu_ops below pv_cpu_ops.  One global is
 * pv_ops, from 4.20, and keeps the rule of then: every call reads
 * &pv_ops + slot * ptr_size; @max 1 allows no other.
 */
static int add_global(struct vmi_sites_info *info, uint64_t call,
		      uint32_t slot, uint64_t text, uint32_t max)
{
	struct vmi_sites_global *g = info->globals;
	uint64_t ptr = info->ptr_size, base = call - slot * ptr;
	uint64_t a_lo, a_end, b_lo, b_end;
	uint32_t i, j, n = info->nr_globals;

	for (i = 0; i < n && g[i].base != base; i++)
		;
	if (i == n) {
		if (n == (max && max < VMI_SITES_PV_GLOBALS ?
			  max : VMI_SITES_PV_GLOBALS))
			return VMI_SITES_ESITE_INSN;
		g[n].base = base;
		g[n].slot_lo = slot;
		g[n].slot_hi = slot;
		info->nr_globals = ++n;
	} else if (slot < g[i].slot_lo) {
		g[i].slot_lo = slot;
	} else if (slot > g[i].slot_hi) {
		g[i].slot_hi = slot;
	}
	if (n < 2)
		return 0;
	/* a slot in another global's run: the call is not the entry's */
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			if (g[i].slot_lo <= g[j].slot_hi &&
			    g[j].slot_lo <= g[i].slot_hi)
				return VMI_SITES_ESITE_INSN;
	/* base + slot_lo * ptr is a call's target: no wrap-around */
	for (i = 0; i < n; i++)
		if (!in_image(text, g[i].base + g[i].slot_lo * ptr,
			      (g[i].slot_hi - g[i].slot_lo + 1) * ptr))
			return VMI_SITES_ESPLIT;
	for (i = 0; i < n; i++) {
		a_lo = g[i].base + g[i].slot_lo * ptr;
		a_end = g[i].base + (g[i].slot_hi + 1) * ptr;
		for (j = i + 1; j < n; j++) {
			b_lo = g[j].base + g[j].slot_lo * ptr;
			b_end = g[j].base + (g[j].slot_hi + 1) * ptr;
			if (a_lo < b_end && b_lo < a_end)
				return VMI_SITES_ESPLIT;
		}
	}
	return 0;
}

static int check_sites(const uint8_t *hdr, const uint8_t *sites, uint32_t nr,
		       const struct vmi_sites_expect *exp,
		       struct vmi_sites_info *info)
{
	uint32_t kind = get32(hdr + OFF(kind));
	uint32_t ptr_size = get32(hdr + OFF(ptr_size));
	uint64_t init_begin = get64(hdr + OFF(init_begin));
	uint64_t init_end = get64(hdr + OFF(init_end));
	uint64_t text = get64(hdr + OFF(link_text));
	uint64_t prev_addr = 0, prev_end = 0, call = 0;
	uint64_t call_min = ~(uint64_t)0, call_max = 0;
	uint32_t i, max_slot = 0, nr_init = 0, slot;
	int ret, err, have_call = 0;

	for (i = 0; i < nr; i++) {
		const uint8_t *site = sites + (size_t)i * SITE_SIZE;
		uint64_t addr = get64(site + SOFF(addr));

		info->bad_site = (int32_t)i;
		ret = check_site(site, hdr, kind, ptr_size, exp, &call);
		if (ret < 0)
			return ret;
		if (i && addr < prev_addr)
			return VMI_SITES_ESITE_ORDER;
		if (i && addr < prev_end)
			return VMI_SITES_ESITE_OVERLAP;
		prev_addr = addr;
		prev_end = addr + site[SOFF(len)];

		slot = get16(site + SOFF(slot));
		if (ret && kind == VMI_SITES_KIND_PARAINSTR) {
			err = add_global(info, call, slot, text,
					 exp ? exp->max_globals : 0);
			if (err)
				return err;
		}
		if (ret) {
			have_call = 1;
			if (call < call_min)
				call_min = call;
			if (call > call_max)
				call_max = call;
		}
		if (kind == VMI_SITES_KIND_PARAINSTR && slot > max_slot)
			max_slot = slot;
		if (addr >= init_begin && addr < init_end)
			nr_init++;
	}
	info->bad_site = -1;
	info->max_slot = max_slot;
	info->nr_init = nr_init;
	if (info->nr_globals == 1)
		info->pv_ops = info->globals[0].base;
	if (have_call) {
		info->call_min = call_min;
		info->call_max = call_max;
		/* several globals: each one's slots are bounded above */
		if (info->nr_globals > 1)
			return VMI_SITES_OK;
		if (call_max - call_min > VMI_SITES_WINDOW_MAX - ptr_size)
			return VMI_SITES_ETARGET_WINDOW;
		/* no 64-bit division: the i386 module has no __udivdi3 */
		if (exp && exp->nr_slots &&
		    (call_max - call_min) >> (ptr_size == 8 ? 3 : 2) >=
		    exp->nr_slots)
			return VMI_SITES_ETARGET_WINDOW;
	}
	return VMI_SITES_OK;
}

/* Header fields, in the order of enum vmi_sites_error. */
static int check_header(const uint8_t *hdr, size_t len, uint32_t *nr)
{
	uint32_t ptr_size, kind, id_len;
	uint64_t text, init_begin, init_end;
	const char *release = (const char *)hdr + OFF(release);

	if (memcmp(hdr + OFF(magic), VMI_SITES_MAGIC, 8))
		return VMI_SITES_EMAGIC;
	if (get32(hdr + OFF(version)) != VMI_SITES_VERSION)
		return VMI_SITES_EVERSION;
	if (get32(hdr + OFF(header_size)) != HDR_SIZE)
		return VMI_SITES_EHEADER_SIZE;
	if (get32(hdr + OFF(entry_size)) != SITE_SIZE)
		return VMI_SITES_EENTRY_SIZE;
	*nr = get32(hdr + OFF(nr_sites));
	if (!*nr || *nr > VMI_SITES_MAX)
		return VMI_SITES_ECOUNT;
	/* nr <= 65536: the product cannot overflow */
	if (len - HDR_SIZE < (size_t)*nr * SITE_SIZE)
		return VMI_SITES_ETRUNC;
	if (len - HDR_SIZE > (size_t)*nr * SITE_SIZE)
		return VMI_SITES_ETRAILING;
	kind = get32(hdr + OFF(kind));
	if (kind != VMI_SITES_KIND_PARAINSTR && kind != VMI_SITES_KIND_ALTCALL)
		return VMI_SITES_EKIND;
	ptr_size = get32(hdr + OFF(ptr_size));
	if (ptr_size != 4 && ptr_size != 8)
		return VMI_SITES_EPTR_SIZE;
	if (!release[0] || !memchr(release, 0, HDR_FIELD_SIZE(release)))
		return VMI_SITES_ERELEASE;
	id_len = get32(hdr + OFF(build_id_len));
	if (!id_len || id_len > HDR_FIELD_SIZE(build_id))
		return VMI_SITES_EBUILD_ID_LEN;
	text = get64(hdr + OFF(link_text));
	if (!check_link_text(text, ptr_size))
		return VMI_SITES_ELINK_TEXT;
	init_begin = get64(hdr + OFF(init_begin));
	init_end = get64(hdr + OFF(init_end));
	if (init_begin >= init_end ||
	    !in_image(text, init_begin, init_end - init_begin) ||
	    (ptr_size == 4 && init_end > U32_LIMIT))
		return VMI_SITES_EINIT_RANGE;
	return VMI_SITES_OK;
}

static int check_expect(const uint8_t *hdr, const struct vmi_sites_expect *exp)
{
	const char *release = (const char *)hdr + OFF(release);
	uint32_t id_len = get32(hdr + OFF(build_id_len));

	if (exp->kind && exp->kind != get32(hdr + OFF(kind)))
		return VMI_SITES_EWRONG_KIND;
	if (exp->ptr_size && exp->ptr_size != get32(hdr + OFF(ptr_size)))
		return VMI_SITES_EWRONG_PTR_SIZE;
	if (exp->build_id &&
	    (exp->build_id_len != id_len ||
	     memcmp(exp->build_id, hdr + OFF(build_id), id_len)))
		return VMI_SITES_EWRONG_BUILD_ID;
	/* the header check proved release NUL-terminated */
	if (exp->release && strcmp(exp->release, release))
		return VMI_SITES_EWRONG_RELEASE;
	return VMI_SITES_OK;
}

int vmi_sites_check(const void *buf, size_t len,
		    const struct vmi_sites_expect *exp,
		    struct vmi_sites_info *info)
{
	const uint8_t *hdr = buf;
	struct vmi_sites_info dummy;
	uint32_t nr = 0, crc;
	int ret;

	if (!info)
		info = &dummy;
	memset(info, 0, sizeof(*info));
	info->bad_site = -1;

	if (!buf || len < HDR_SIZE)
		return VMI_SITES_ETRUNC_HEADER;
	ret = check_header(hdr, len, &nr);
	if (ret)
		return ret;
	info->nr_sites = nr;
	info->kind = get32(hdr + OFF(kind));
	info->ptr_size = get32(hdr + OFF(ptr_size));
	info->link_text = get64(hdr + OFF(link_text));
	info->init_begin = get64(hdr + OFF(init_begin));
	info->init_end = get64(hdr + OFF(init_end));

	crc = vmi_crc32(0, hdr + HDR_SIZE, (size_t)nr * SITE_SIZE);
	if (crc != get32(hdr + OFF(entries_crc32)))
		return VMI_SITES_ECRC;
	if (exp) {
		ret = check_expect(hdr, exp);
		if (ret)
			return ret;
	}
	return check_sites(hdr, hdr + HDR_SIZE, nr, exp, info);
}

static const char *const messages[] = {
	[0] = "ok",
	[-VMI_SITES_ETRUNC_HEADER] = "truncated: shorter than the table header",
	[-VMI_SITES_EMAGIC] = "bad magic: not a VMI site table",
	[-VMI_SITES_EVERSION] = "unsupported table version",
	[-VMI_SITES_EHEADER_SIZE] = "bad header_size",
	[-VMI_SITES_EENTRY_SIZE] = "bad entry_size",
	[-VMI_SITES_ECOUNT] = "bad nr_sites (0 or above the limit)",
	[-VMI_SITES_ETRUNC] = "truncated: fewer bytes than nr_sites entries",
	[-VMI_SITES_ETRAILING] = "trailing bytes after the last entry",
	[-VMI_SITES_EKIND] = "unknown table kind",
	[-VMI_SITES_EPTR_SIZE] = "bad ptr_size (not 4 or 8)",
	[-VMI_SITES_ERELEASE] = "kernel release empty or not NUL-terminated",
	[-VMI_SITES_EBUILD_ID_LEN] = "bad build ID length (not 1..40)",
	[-VMI_SITES_ELINK_TEXT] = "implausible link address of _text",
	[-VMI_SITES_EINIT_RANGE] = "bad init range",
	[-VMI_SITES_ECRC] = "corrupted table: entry CRC mismatch",
	[-VMI_SITES_EWRONG_KIND] = "table kind does not match this kernel",
	[-VMI_SITES_EWRONG_PTR_SIZE] =
		"table is for another architecture (pointer size differs)",
	[-VMI_SITES_EWRONG_BUILD_ID] =
		"table is for another kernel (build ID differs)",
	[-VMI_SITES_EWRONG_RELEASE] =
		"table is for another kernel (release differs)",
	[-VMI_SITES_ESITE_LEN] = "site length out of range",
	[-VMI_SITES_ESITE_ORIG_LEN] = "site orig_len differs from len",
	[-VMI_SITES_ESITE_RANGE] = "site outside the kernel image",
	[-VMI_SITES_ESITE_ORDER] = "sites not sorted by address",
	[-VMI_SITES_ESITE_OVERLAP] = "sites overlap or repeat",
	[-VMI_SITES_ESITE_SLOT] = "site slot out of range for the table kind",
	[-VMI_SITES_ESITE_TARGET] = "site target invalid for the table kind",
	[-VMI_SITES_ESITE_INSN] =
		"site bytes are not the pv_ops call the entry describes",
	[-VMI_SITES_ETARGET_WINDOW] =
		"call targets do not fit in one pv_ops window",
	[-VMI_SITES_ESPLIT] =
		"calls read globals that cannot be struct paravirt_patch_template's members",
};

const char *vmi_sites_strerror(int err)
{
	if (err > 0 || err < VMI_SITES_ERROR_LAST || !messages[-err])
		return "unknown site table error";
	return messages[-err];
}
