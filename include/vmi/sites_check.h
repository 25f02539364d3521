/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Validator for paravirt call-site tables (include/vmi/sites.h), shared by
 * the kernel module and tools/vmi-sites (common/sites_check.c).  It never
 * reads outside [buf, buf + len), allocates nothing and prints nothing, so
 * it can be fed untrusted data.  All fields are read byte by byte as little
 * endian: @buf needs no alignment.
 */
#ifndef VMI_SITES_CHECK_H
#define VMI_SITES_CHECK_H

#include "types.h"
#include "sites.h"

/* One code per defect class, in the order vmi_sites_check() tests them. */
enum vmi_sites_error {
	VMI_SITES_OK = 0,
	VMI_SITES_ETRUNC_HEADER = -1,	/* shorter than the header */
	VMI_SITES_EMAGIC = -2,		/* not "VMISITES" */
	VMI_SITES_EVERSION = -3,	/* version != VMI_SITES_VERSION */
	VMI_SITES_EHEADER_SIZE = -4,	/* header_size != 168 */
	VMI_SITES_EENTRY_SIZE = -5,	/* entry_size != 40 */
	VMI_SITES_ECOUNT = -6,		/* nr_sites 0 or > VMI_SITES_MAX */
	VMI_SITES_ETRUNC = -7,		/* shorter than header + entries */
	VMI_SITES_ETRAILING = -8,	/* longer than header + entries */
	VMI_SITES_EKIND = -9,		/* unknown kind */
	VMI_SITES_EPTR_SIZE = -10,	/* ptr_size not 4 or 8 */
	VMI_SITES_ERELEASE = -11,	/* release empty or unterminated */
	VMI_SITES_EBUILD_ID_LEN = -12,	/* build_id_len not 1..40 */
	VMI_SITES_ELINK_TEXT = -13,	/* link_text implausible */
	VMI_SITES_EINIT_RANGE = -14,	/* init range empty/outside image */
	VMI_SITES_ECRC = -15,		/* entries_crc32 mismatch */
	VMI_SITES_EWRONG_KIND = -16,	/* kind differs from expectation */
	VMI_SITES_EWRONG_PTR_SIZE = -17,
	VMI_SITES_EWRONG_BUILD_ID = -18,
	VMI_SITES_EWRONG_RELEASE = -19,
	VMI_SITES_ESITE_LEN = -20,	/* len 0 or > VMI_SITE_MAX_LEN */
	VMI_SITES_ESITE_ORIG_LEN = -21,	/* orig_len != len */
	VMI_SITES_ESITE_RANGE = -22,	/* site outside [link_text, +1 GiB) */
	VMI_SITES_ESITE_ORDER = -23,	/* not sorted by address */
	VMI_SITES_ESITE_OVERLAP = -24,	/* overlaps (or duplicates) previous */
	VMI_SITES_ESITE_SLOT = -25,	/* bad slot for the table's kind */
	VMI_SITES_ESITE_TARGET = -26,	/* bad target for the table's kind */
	VMI_SITES_ESITE_INSN = -27,	/* orig is not the call it claims */
	VMI_SITES_ETARGET_WINDOW = -28,	/* call targets span > 4 KiB */
	/* tested with each site, added later: the codes above keep theirs */
	VMI_SITES_ESPLIT = -29,		/* globals cannot be the template's */
};

#define VMI_SITES_ERROR_LAST	VMI_SITES_ESPLIT

/* Kernel image addresses: x86_64 text lives in the top 2 GiB. */
#define VMI_SITES_IMAGE_SPAN	0x40000000ULL	/* sites within 1 GiB */
#define VMI_SITES_X86_64_MIN	0xffffffff80000000ULL
#define VMI_SITES_WINDOW_MAX	4096		/* bytes of call targets */
/*
 * Globals a PARAINSTR table's calls may read: one pv_ops from 4.20;
 * before, the members of struct paravirt_patch_template (pv_init_ops,
 * pv_time_ops, pv_cpu_ops, pv_irq_ops, pv_mmu_ops, pv_lock_ops), each a
 * global of its own.
 */
#define VMI_SITES_PV_GLOBALS	6

/*
 * What the consumer requires; every field is optional (0 / NULL = any).
 * @nr_slots bounds the PARAINSTR slots (sizeof(pv_ops) / sizeof(void *))
 * and the ALTCALL target window.  @max_globals bounds the globals a
 * PARAINSTR table's calls read: 1 where the kernel has one pv_ops, 0 =
 * up to VMI_SITES_PV_GLOBALS.
 */
struct vmi_sites_expect {
	uint32_t kind;
	uint32_t ptr_size;
	uint32_t nr_slots;
	uint32_t max_globals;
	uint32_t build_id_len;
	const uint8_t *build_id;
	const char *release;
};

/*
 * Filled by vmi_sites_check() as far as it got; @bad_site is the index of
 * the offending entry for the per-site errors, else -1.
 */
struct vmi_sites_info {
	uint32_t nr_sites;
	uint32_t kind;
	uint32_t ptr_size;
	int32_t bad_site;
	uint64_t link_text;
	uint64_t init_begin;
	uint64_t init_end;
	uint64_t call_min;	/* lowest/highest pointer the original calls */
	uint64_t call_max;	/*   read (&pv_ops + slot * ptr_size) */
	uint64_t pv_ops;	/* PARAINSTR: &pv_ops derived from the calls */
	uint32_t max_slot;	/* PARAINSTR: highest slot used */
	uint32_t nr_init;	/* sites inside [init_begin, init_end) */
	/*
	 * PARAINSTR: the globals the calls read, in the order first met.
	 * One is pv_ops (@pv_ops is its base); several are the template's
	 * members (@pv_ops 0), each at base + slot_lo * ptr_size or below.
	 */
	uint32_t nr_globals;
	struct vmi_sites_global {
		uint64_t base;		/* call target - slot * ptr_size */
		uint32_t slot_lo;	/* lowest and highest slot called */
		uint32_t slot_hi;	/*   through it */
	} globals[VMI_SITES_PV_GLOBALS];
};

/*
 * Validate the table of @len bytes at @buf against @exp (may be NULL).
 * Returns VMI_SITES_OK or a negative enum vmi_sites_error.  @info (may be
 * NULL) receives what was decoded.
 */
int vmi_sites_check(const void *buf, size_t len,
		    const struct vmi_sites_expect *exp,
		    struct vmi_sites_info *info);

/* One message per error code, never NULL. */
const char *vmi_sites_strerror(int err);

/*
 * CRC-32 (IEEE 802.3, reflected, as zlib's crc32()): start with @crc = 0,
 * feed the result back in to continue over more data.
 */
uint32_t vmi_crc32(uint32_t crc, const void *buf, size_t len);

/*
 * The GNU build ID in an ELF note area of @len bytes (a vmlinux's or a
 * module's .notes, or the running kernel's): 0 with *@id and *@id_len
 * set, -1 if there is none or a note runs past @len.
 */
int vmi_find_build_id(const uint8_t *notes, size_t len, const uint8_t **id,
		      uint32_t *id_len);

#endif /* VMI_SITES_CHECK_H */
