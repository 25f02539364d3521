/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The call-site table of loaded modules: produced by `vmi-sites modules`
 * on the running system, consumed by vmi_shim.ko (modsites=), which
 * re-patches the paravirt call sites of modules loaded before it.
 *
 * A loaded module's site list is gone from the kernel's view (6.1 keeps
 * .parainstructions in memory but not where it is; 6.8+ keeps only the
 * patched result, which no longer says which pv_ops slot a call read).
 * The .ko file on disk still has the unpatched call and its relocation
 * against pv_ops; /sys/module/NAME/sections gives where each section was
 * loaded. So the tool writes absolute addresses: the table is valid for
 * one boot and one load of each module. The shim checks every site again
 * (inside that module's core text, bytes in a form boot-time patching
 * produces for the op) before it changes anything.
 *
 * Layout: header, nr_modules module records, nr_sites entries; little
 * endian, all fields naturally aligned.
 */
#ifndef VMI_MODSITES_H
#define VMI_MODSITES_H

#include "types.h"

#define VMI_MODSITES_MAGIC	"VMIMODST"	/* 8 bytes, no NUL */
#define VMI_MODSITES_VERSION	1
#define VMI_MODSITES_MAX_MODULES 4096
#define VMI_MODSITES_MAX_SITES	65536
#define VMI_MODSITE_MIN_LEN	5		/* a CALL rel32 */
#define VMI_MODSITE_MAX_LEN	16
#define VMI_MODULE_NAME_LEN	56		/* MODULE_NAME_LEN on x86_64 */

struct vmi_modsites_header {
	char magic[8];
	uint32_t version;
	uint32_t header_size;	/* sizeof(struct vmi_modsites_header) */
	uint32_t module_size;	/* sizeof(struct vmi_modsites_module) */
	uint32_t entry_size;	/* sizeof(struct vmi_modsite) */
	uint32_t nr_modules;
	uint32_t nr_sites;
	uint32_t ptr_size;	/* 8: the shim's ROM is x86-64 only */
	uint32_t crc32;		/* crc32 (as zlib) of records and entries */
	char release[64];	/* uname -r the modules are loaded into */
};

/* One module; its sites are entries [first_site, first_site + nr_sites). */
struct vmi_modsites_module {
	char name[VMI_MODULE_NAME_LEN];	/* as in /proc/modules, NUL-terminated */
	uint32_t first_site;
	uint32_t nr_sites;
	uint32_t build_id_len;	/* of the .ko, checked against sysfs; 0 none */
	uint32_t reserved;
	uint8_t build_id[40];
};

/* One call site, sorted by address within its module. */
struct vmi_modsite {
	uint64_t addr;		/* address in the running kernel */
	uint16_t slot;		/* pv_ops slot the original call read */
	uint8_t len;		/* bytes the site spans */
	uint8_t reserved[5];
};

_Static_assert(sizeof(struct vmi_modsites_header) == 104, "modsites header");
_Static_assert(sizeof(struct vmi_modsites_module) == 112, "modsites module");
_Static_assert(sizeof(struct vmi_modsite) == 16, "modsites entry");

#endif /* VMI_MODSITES_H */
