/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The paravirt call-site table: produced by tools/vmi-sites from the kernel
 * image on disk (/boot/vmlinuz-*), consumed by vmi_shim.ko, which re-patches
 * the sites of the running kernel. The kernel freed its own tables after
 * boot; the image still has them with the original, unpatched bytes.
 *
 * Little-endian, packed by construction (all fields naturally aligned).
 * Addresses are link-time addresses; the module adds the KASLR slide.
 */
#ifndef VMI_SITES_H
#define VMI_SITES_H

#include "types.h"

#define VMI_SITES_MAGIC		"VMISITES"	/* 8 bytes, no NUL */
#define VMI_SITES_VERSION	1
#define VMI_SITES_MAX		65536		/* sanity bound on nr_sites */
#define VMI_SITE_MAX_LEN	16		/* longest site we accept */

/* Where the sites came from in the image. */
#define VMI_SITES_KIND_PARAINSTR 1	/* .parainstructions (< 6.8): slot known */
#define VMI_SITES_KIND_ALTCALL	 2	/* pv calls in .altinstructions (6.8+) */

#define VMI_SITE_SLOT_UNKNOWN	0xffff

struct vmi_sites_header {
	char magic[8];
	uint32_t version;
	uint32_t header_size;	/* sizeof(struct vmi_sites_header) */
	uint32_t entry_size;	/* sizeof(struct vmi_site) */
	uint32_t nr_sites;
	uint32_t kind;		/* VMI_SITES_KIND_* */
	uint32_t ptr_size;	/* 8 (x86_64) or 4 (i386) */
	uint64_t link_text;	/* link address of _text */
	uint64_t init_begin;	/* link addresses of the init region */
	uint64_t init_end;	/*   (freed after boot: sites there are skipped) */
	uint32_t build_id_len;	/* bytes used in build_id */
	uint32_t entries_crc32;	/* crc32 (IEEE, as zlib) of the entry array */
	uint8_t build_id[40];	/* NT_GNU_BUILD_ID of the image's vmlinux */
	char release[64];	/* kernel release from the bzImage, NUL-terminated */
};

/*
 * One call site. For ALTCALL, target is the address the original
 * "call *X(%rip)" reads: &pv_ops + slot * ptr_size at link time (0 for
 * PARAINSTR). For PARAINSTR, slot is the site's type, the pv_ops slot
 * (VMI_SITE_SLOT_UNKNOWN for ALTCALL).
 */
struct vmi_site {
	uint64_t addr;		/* link address of the first byte */
	uint64_t target;
	uint16_t slot;
	uint8_t len;		/* bytes the site spans */
	uint8_t orig_len;	/* bytes valid in orig (== len) */
	uint8_t orig[VMI_SITE_MAX_LEN];	/* original bytes in the image */
	uint32_t reserved;
};

_Static_assert(sizeof(struct vmi_sites_header) == 168, "sites header layout");
_Static_assert(sizeof(struct vmi_site) == 40, "site entry layout");

#endif /* VMI_SITES_H */
