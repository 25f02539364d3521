/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Validator for module call-site tables (include/vmi/modsites.h), shared
 * by the kernel module and tools/vmi-sites (common/modsites_check.c). Like
 * the vmlinux table validator it reads only inside [buf, buf + len),
 * allocates nothing, prints nothing, and needs no alignment.
 */
#ifndef VMI_MODSITES_CHECK_H
#define VMI_MODSITES_CHECK_H

#include "types.h"
#include "modsites.h"

enum vmi_modsites_error {
	VMI_MODSITES_OK = 0,
	VMI_MODSITES_ETRUNC_HEADER = -1,	/* shorter than the header */
	VMI_MODSITES_EMAGIC = -2,		/* not "VMIMODST" */
	VMI_MODSITES_EVERSION = -3,
	VMI_MODSITES_ESIZES = -4,		/* header/module/entry size */
	VMI_MODSITES_ECOUNT = -5,		/* counts above the limits */
	VMI_MODSITES_ELENGTH = -6,		/* file length != counts */
	VMI_MODSITES_EPTR_SIZE = -7,		/* not 8 */
	VMI_MODSITES_ERELEASE = -8,		/* empty or unterminated */
	VMI_MODSITES_ECRC = -9,
	VMI_MODSITES_EWRONG_RELEASE = -10,	/* not the running kernel */
	VMI_MODSITES_ENAME = -11,		/* empty, unterminated, repeated */
	VMI_MODSITES_ERANGE = -12,		/* site ranges not consecutive */
	VMI_MODSITES_EBUILD_ID_LEN = -13,	/* > 40 */
	VMI_MODSITES_ESITE_LEN = -14,		/* not 5..16 */
	VMI_MODSITES_ESITE_SLOT = -15,		/* >= nr_slots */
	VMI_MODSITES_ESITE_ADDR = -16,		/* not a kernel address */
	VMI_MODSITES_ESITE_ORDER = -17,		/* unsorted or overlapping */
};

#define VMI_MODSITES_ERROR_LAST	VMI_MODSITES_ESITE_ORDER

/* Lowest x86-64 kernel address a module site can have. */
#define VMI_MODSITES_ADDR_MIN	0xffff800000000000ULL

struct vmi_modsites_info {
	uint32_t nr_modules;
	uint32_t nr_sites;
	int32_t bad_module;	/* record at fault, else -1 */
	int32_t bad_site;	/* entry at fault, else -1 */
};

/*
 * Validate the table of @len bytes at @buf. @release (may be NULL) must
 * equal the header's; @nr_slots (0 = any) bounds the slots. Returns
 * VMI_MODSITES_OK or a negative enum vmi_modsites_error.
 */
int vmi_modsites_check(const void *buf, size_t len, const char *release,
		       uint32_t nr_slots, struct vmi_modsites_info *info);

/* One message per error code, never NULL. */
const char *vmi_modsites_strerror(int err);

#endif /* VMI_MODSITES_CHECK_H */
