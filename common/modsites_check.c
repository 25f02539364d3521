// SPDX-License-Identifier: GPL-2.0
/*
 * Module call-site table validator, compiled into the kernel module and
 * into tools/vmi-sites. Untrusted input: every read is bounds-checked
 * first, and counts are limited before they are multiplied.
 */
#ifdef __KERNEL__
#include <linux/string.h>
#else
#include <string.h>
#endif

#include "../include/vmi/le.h"
#include "../include/vmi/modsites.h"
#include "../include/vmi/modsites_check.h"
#include "../include/vmi/sites_check.h"		/* vmi_crc32() */

#define HOFF(f)		offsetof(struct vmi_modsites_header, f)
#define MOFF(f)		offsetof(struct vmi_modsites_module, f)
#define SOFF(f)		offsetof(struct vmi_modsite, f)
#define HDR_SIZE	sizeof(struct vmi_modsites_header)
#define MOD_SIZE	sizeof(struct vmi_modsites_module)
#define SITE_SIZE	sizeof(struct vmi_modsite)
#define RELEASE_SIZE	sizeof(((struct vmi_modsites_header *)0)->release)
#define ID_SIZE		sizeof(((struct vmi_modsites_module *)0)->build_id)

static int check_header(const uint8_t *h, size_t len, uint32_t *nr_mod,
			uint32_t *nr_site)
{
	const char *release = (const char *)h + HOFF(release);

	if (memcmp(h + HOFF(magic), VMI_MODSITES_MAGIC, 8))
		return VMI_MODSITES_EMAGIC;
	if (vmi_get32(h + HOFF(version)) != VMI_MODSITES_VERSION)
		return VMI_MODSITES_EVERSION;
	if (vmi_get32(h + HOFF(header_size)) != HDR_SIZE ||
	    vmi_get32(h + HOFF(module_size)) != MOD_SIZE ||
	    vmi_get32(h + HOFF(entry_size)) != SITE_SIZE)
		return VMI_MODSITES_ESIZES;
	*nr_mod = vmi_get32(h + HOFF(nr_modules));
	*nr_site = vmi_get32(h + HOFF(nr_sites));
	if (*nr_mod > VMI_MODSITES_MAX_MODULES ||
	    *nr_site > VMI_MODSITES_MAX_SITES)
		return VMI_MODSITES_ECOUNT;
	/* both bounded: no overflow */
	if (len - HDR_SIZE != (size_t)*nr_mod * MOD_SIZE +
			      (size_t)*nr_site * SITE_SIZE)
		return VMI_MODSITES_ELENGTH;
	if (vmi_get32(h + HOFF(ptr_size)) != 8)
		return VMI_MODSITES_EPTR_SIZE;
	if (!release[0] || !memchr(release, 0, RELEASE_SIZE))
		return VMI_MODSITES_ERELEASE;
	return VMI_MODSITES_OK;
}

/* A NUL-terminated, non-empty name not used by an earlier record. */
static int check_name(const uint8_t *mods, uint32_t i)
{
	const char *name = (const char *)mods + i * MOD_SIZE + MOFF(name);
	uint32_t j;

	if (!name[0] || !memchr(name, 0, VMI_MODULE_NAME_LEN))
		return VMI_MODSITES_ENAME;
	for (j = 0; j < i; j++)
		if (!strcmp(name, (const char *)mods + j * MOD_SIZE + MOFF(name)))
			return VMI_MODSITES_ENAME;
	return VMI_MODSITES_OK;
}

static int check_sites(const uint8_t *s, uint32_t first, uint32_t nr,
		       uint32_t nr_slots, struct vmi_modsites_info *info)
{
	uint64_t prev_end = 0;
	uint32_t i;

	for (i = first; i < first + nr; i++) {
		const uint8_t *e = s + (size_t)i * SITE_SIZE;
		uint64_t addr = vmi_get64(e + SOFF(addr));
		uint8_t slen = e[SOFF(len)];

		info->bad_site = i;
		if (slen < VMI_MODSITE_MIN_LEN || slen > VMI_MODSITE_MAX_LEN)
			return VMI_MODSITES_ESITE_LEN;
		if (nr_slots && vmi_get16(e + SOFF(slot)) >= nr_slots)
			return VMI_MODSITES_ESITE_SLOT;
		if (addr < VMI_MODSITES_ADDR_MIN || addr + slen < addr)
			return VMI_MODSITES_ESITE_ADDR;
		if (addr < prev_end)
			return VMI_MODSITES_ESITE_ORDER;
		prev_end = addr + slen;
	}
	info->bad_site = -1;
	return VMI_MODSITES_OK;
}

int vmi_modsites_check(const void *buf, size_t len, const char *release,
		       uint32_t nr_slots, struct vmi_modsites_info *info)
{
	const uint8_t *h = buf, *mods, *sites;
	struct vmi_modsites_info dummy;
	uint32_t nr_mod = 0, nr_site = 0, next = 0, i;
	int ret;

	if (!info)
		info = &dummy;
	memset(info, 0, sizeof(*info));
	info->bad_module = -1;
	info->bad_site = -1;
	if (!buf || len < HDR_SIZE)
		return VMI_MODSITES_ETRUNC_HEADER;
	ret = check_header(h, len, &nr_mod, &nr_site);
	if (ret)
		return ret;
	info->nr_modules = nr_mod;
	info->nr_sites = nr_site;
	mods = h + HDR_SIZE;
	sites = mods + (size_t)nr_mod * MOD_SIZE;
	if (vmi_crc32(0, mods, len - HDR_SIZE) != vmi_get32(h + HOFF(crc32)))
		return VMI_MODSITES_ECRC;
	if (release && strcmp(release, (const char *)h + HOFF(release)))
		return VMI_MODSITES_EWRONG_RELEASE;
	for (i = 0; i < nr_mod; i++) {
		const uint8_t *m = mods + (size_t)i * MOD_SIZE;
		uint32_t first = vmi_get32(m + MOFF(first_site));
		uint32_t nr = vmi_get32(m + MOFF(nr_sites));

		info->bad_module = i;
		ret = check_name(mods, i);
		if (ret)
			return ret;
		if (first != next || nr > nr_site - next)
			return VMI_MODSITES_ERANGE;
		if (vmi_get32(m + MOFF(build_id_len)) > ID_SIZE)
			return VMI_MODSITES_EBUILD_ID_LEN;
		ret = check_sites(sites, first, nr, nr_slots, info);
		if (ret)
			return ret;
		next += nr;
	}
	info->bad_module = -1;
	return next == nr_site ? VMI_MODSITES_OK : VMI_MODSITES_ERANGE;
}

static const char *const messages[] = {
	[0] = "ok",
	[-VMI_MODSITES_ETRUNC_HEADER] = "truncated: shorter than the table header",
	[-VMI_MODSITES_EMAGIC] = "bad magic: not a VMI module site table",
	[-VMI_MODSITES_EVERSION] = "unsupported table version",
	[-VMI_MODSITES_ESIZES] = "bad header, module or entry size",
	[-VMI_MODSITES_ECOUNT] = "more modules or sites than the limits",
	[-VMI_MODSITES_ELENGTH] = "length does not match the counts",
	[-VMI_MODSITES_EPTR_SIZE] = "not an x86-64 table",
	[-VMI_MODSITES_ERELEASE] = "kernel release empty or not NUL-terminated",
	[-VMI_MODSITES_ECRC] = "corrupted table: CRC mismatch",
	[-VMI_MODSITES_EWRONG_RELEASE] =
		"table is for another kernel (release differs)",
	[-VMI_MODSITES_ENAME] = "module name empty, unterminated or repeated",
	[-VMI_MODSITES_ERANGE] = "module site ranges do not cover the entries in order",
	[-VMI_MODSITES_EBUILD_ID_LEN] = "bad build ID length (above 40)",
	[-VMI_MODSITES_ESITE_LEN] = "site length out of range (5..16)",
	[-VMI_MODSITES_ESITE_SLOT] = "site slot beyond pv_ops",
	[-VMI_MODSITES_ESITE_ADDR] = "site address is not a kernel address",
	[-VMI_MODSITES_ESITE_ORDER] = "sites of a module unsorted or overlapping",
};

const char *vmi_modsites_strerror(int err)
{
	if (err > 0 || err < VMI_MODSITES_ERROR_LAST || !messages[-err])
		return "unknown module site table error";
	return messages[-err];
}
