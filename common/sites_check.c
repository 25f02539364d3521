// SPDX-License-Identifier: GPL-2.0
/*
 * Paravirt call-site table validator and the CRC-32 it uses.  Compiled
 * into the kernel module and into tools/vmi-sites, so it uses nothing
 * beyond <string.h> and allocates nothing.  The module runs it on
 * untrusted data: every read is bounds-checked against @len first, sizes
 * are compared as "len - off < need" so nothing can overflow, and all
 * fields are read byte by byte (no alignment needed).
 */
#ifdef __KERNEL__
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

static const uint32_t crc32_table[256] = {
	0x00000000, 0x77073096, 0xee0e612c, 0x990951ba,
	0x076dc419, 0x706af48f, 0xe963a535, 0x9e6495a3,
	0x0edb8832, 0x79dcb8a4, 0xe0d5e91e, 0x97d2d988,
	0x09b64c2b, 0x7eb17cbd, 0xe7b82d07, 0x90bf1d91,
	0x1db71064, 0x6ab020f2, 0xf3b97148, 0x84be41de,
	0x1adad47d, 0x6ddde4eb, 0xf4d4b551, 0x83d385c7,
	0x136c9856, 0x646ba8c0, 0xfd62f97a, 0x8a65c9ec,
	0x14015c4f, 0x63066cd9, 0xfa0f3d63, 0x8d080df5,
	0x3b6e20c8, 0x4c69105e, 0xd56041e4, 0xa2677172,
	0x3c03e4d1, 0x4b04d447, 0xd20d85fd, 0xa50ab56b,
	0x35b5a8fa, 0x42b2986c, 0xdbbbc9d6, 0xacbcf940,
	0x32d86ce3, 0x45df5c75, 0xdcd60dcf, 0xabd13d59,
	0x26d930ac, 0x51de003a, 0xc8d75180, 0xbfd06116,
	0x21b4f4b5, 0x56b3c423, 0xcfba9599, 0xb8bda50f,
	0x2802b89e, 0x5f058808, 0xc60cd9b2, 0xb10be924,
	0x2f6f7c87, 0x58684c11, 0xc1611dab, 0xb6662d3d,
	0x76dc4190, 0x01db7106, 0x98d220bc, 0xefd5102a,
	0x71b18589, 0x06b6b51f, 0x9fbfe4a5, 0xe8b8d433,
	0x7807c9a2, 0x0f00f934, 0x9609a88e, 0xe10e9818,
	0x7f6a0dbb, 0x086d3d2d, 0x91646c97, 0xe6635c01,
	0x6b6b51f4, 0x1c6c6162, 0x856530d8, 0xf262004e,
	0x6c0695ed, 0x1b01a57b, 0x8208f4c1, 0xf50fc457,
	0x65b0d9c6, 0x12b7e950, 0x8bbeb8ea, 0xfcb9887c,
	0x62dd1ddf, 0x15da2d49, 0x8cd37cf3, 0xfbd44c65,
	0x4db26158, 0x3ab551ce, 0xa3bc0074, 0xd4bb30e2,
	0x4adfa541, 0x3dd895d7, 0xa4d1c46d, 0xd3d6f4fb,
	0x4369e96a, 0x346ed9fc, 0xad678846, 0xda60b8d0,
	0x44042d73, 0x33031de5, 0xaa0a4c5f, 0xdd0d7cc9,
	0x5005713c, 0x270241aa, 0xbe0b1010, 0xc90c2086,
	0x5768b525, 0x206f85b3, 0xb966d409, 0xce61e49f,
	0x5edef90e, 0x29d9c998, 0xb0d09822, 0xc7d7a8b4,
	0x59b33d17, 0x2eb40d81, 0xb7bd5c3b, 0xc0ba6cad,
	0xedb88320, 0x9abfb3b6, 0x03b6e20c, 0x74b1d29a,
	0xead54739, 0x9dd277af, 0x04db2615, 0x73dc1683,
	0xe3630b12, 0x94643b84, 0x0d6d6a3e, 0x7a6a5aa8,
	0xe40ecf0b, 0x9309ff9d, 0x0a00ae27, 0x7d079eb1,
	0xf00f9344, 0x8708a3d2, 0x1e01f268, 0x6906c2fe,
	0xf762575d, 0x806567cb, 0x196c3671, 0x6e6b06e7,
	0xfed41b76, 0x89d32be0, 0x10da7a5a, 0x67dd4acc,
	0xf9b9df6f, 0x8ebeeff9, 0x17b7be43, 0x60b08ed5,
	0xd6d6a3e8, 0xa1d1937e, 0x38d8c2c4, 0x4fdff252,
	0xd1bb67f1, 0xa6bc5767, 0x3fb506dd, 0x48b2364b,
	0xd80d2bda, 0xaf0a1b4c, 0x36034af6, 0x41047a60,
	0xdf60efc3, 0xa867df55, 0x316e8eef, 0x4669be79,
	0xcb61b38c, 0xbc66831a, 0x256fd2a0, 0x5268e236,
	0xcc0c7795, 0xbb0b4703, 0x220216b9, 0x5505262f,
	0xc5ba3bbe, 0xb2bd0b28, 0x2bb45a92, 0x5cb36a04,
	0xc2d7ffa7, 0xb5d0cf31, 0x2cd99e8b, 0x5bdeae1d,
	0x9b64c2b0, 0xec63f226, 0x756aa39c, 0x026d930a,
	0x9c0906a9, 0xeb0e363f, 0x72076785, 0x05005713,
	0x95bf4a82, 0xe2b87a14, 0x7bb12bae, 0x0cb61b38,
	0x92d28e9b, 0xe5d5be0d, 0x7cdcefb7, 0x0bdbdf21,
	0x86d3d2d4, 0xf1d4e242, 0x68ddb3f8, 0x1fda836e,
	0x81be16cd, 0xf6b9265b, 0x6fb077e1, 0x18b74777,
	0x88085ae6, 0xff0f6a70, 0x66063bca, 0x11010b5c,
	0x8f659eff, 0xf862ae69, 0x616bffd3, 0x166ccf45,
	0xa00ae278, 0xd70dd2ee, 0x4e048354, 0x3903b3c2,
	0xa7672661, 0xd06016f7, 0x4969474d, 0x3e6e77db,
	0xaed16a4a, 0xd9d65adc, 0x40df0b66, 0x37d83bf0,
	0xa9bcae53, 0xdebb9ec5, 0x47b2cf7f, 0x30b5ffe9,
	0xbdbdf21c, 0xcabac28a, 0x53b39330, 0x24b4a3a6,
	0xbad03605, 0xcdd70693, 0x54de5729, 0x23d967bf,
	0xb3667a2e, 0xc4614ab8, 0x5d681b02, 0x2a6f2b94,
	0xb40bbe37, 0xc30c8ea1, 0x5a05df1b, 0x2d02ef8d,
};

uint32_t vmi_crc32(uint32_t crc, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	crc = ~crc;
	while (len--)
		crc = crc32_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc;
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
 * absolute on i386.  Returns 0 if @site does not start with that call.
 */
static int decode_call(const uint8_t *site, uint32_t ptr_size,
		       uint64_t *target)
{
	uint64_t addr = get64(site + SOFF(addr));
	const uint8_t *orig = site + SOFF(orig);
	uint32_t disp;

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

static int check_sites(const uint8_t *hdr, const uint8_t *sites, uint32_t nr,
		       const struct vmi_sites_expect *exp,
		       struct vmi_sites_info *info)
{
	uint32_t kind = get32(hdr + OFF(kind));
	uint32_t ptr_size = get32(hdr + OFF(ptr_size));
	uint64_t init_begin = get64(hdr + OFF(init_begin));
	uint64_t init_end = get64(hdr + OFF(init_end));
	uint64_t prev_addr = 0, prev_end = 0, call = 0, base;
	uint64_t call_min = ~(uint64_t)0, call_max = 0, pv_ops = 0;
	uint32_t i, max_slot = 0, nr_init = 0, slot;
	int ret, have_base = 0, have_call = 0;

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
			/* every call must read pv_ops + slot * ptr_size */
			base = call - (uint64_t)slot * ptr_size;
			if (have_base && base != pv_ops)
				return VMI_SITES_ESITE_INSN;
			pv_ops = base;
			have_base = 1;
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
	info->pv_ops = pv_ops;
	if (have_call) {
		info->call_min = call_min;
		info->call_max = call_max;
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
};

const char *vmi_sites_strerror(int err)
{
	if (err > 0 || err < VMI_SITES_ERROR_LAST || !messages[-err])
		return "unknown site table error";
	return messages[-err];
}
