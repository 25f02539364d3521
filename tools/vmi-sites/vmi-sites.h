/* SPDX-License-Identifier: GPL-2.0 */
/* vmi-sites: internal interfaces between image.c, extract.c and main.c. */
#ifndef VMI_SITES_TOOL_H
#define VMI_SITES_TOOL_H

#include <stddef.h>
#include <stdint.h>

#include "../../include/vmi/sites.h"
#include "../../include/vmi/sites_check.h"

#define RELEASE_MAX	64

struct buf {
	uint8_t *data;
	size_t len;
};

/* A kernel image, decompressed to its ELF vmlinux. */
struct kimage {
	const char *path;
	struct buf file;		/* the file as read */
	struct buf elf;			/* vmlinux: file or decompressed */
	int elf_is_file;		/* elf.data points into file */
	int is_bzimage;
	const char *compression;	/* "gzip", "xz", ... or "none" */
	uint16_t boot_protocol;		/* bzImage header version */
	char release[RELEASE_MAX];	/* "" if unknown */
	char version[256];		/* full kernel_version string */
};

/* A site table under construction. */
struct table {
	struct vmi_sites_header hdr;
	struct vmi_site *sites;
	uint32_t nr;
	/* figures for the summary, not stored */
	uint64_t win_min, win_max;
	uint32_t nr_not_call;		/* PARAINSTR sites not "ff 15" */
	uint32_t nr_direct_skipped;	/* ALTCALL: flag set, not "ff 15" */
	uint32_t nr_other_feature;	/* ALTCALL: cpuid != ALWAYS */
	uint64_t pv_ops_sym;		/* &pv_ops from __ksymtab, or 0 */
	uint64_t tab_size;		/* bytes of the section read */
	const char *tab_section;
};

void errmsg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void warnmsg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
extern int verbose;

int read_file(const char *path, struct buf *out);
int load_image(const char *path, struct kimage *img);
void free_image(struct kimage *img);

/* Parse an ELF note area, return the NT_GNU_BUILD_ID descriptor. */
int find_build_id(const uint8_t *notes, size_t len, const uint8_t **id,
		  uint32_t *id_len);
/* "Linux version X " in @data: copy X into @release. */
int find_banner_release(const uint8_t *data, size_t len, char *release,
			size_t size);

int extract_table(struct kimage *img, struct table *tab);

#endif /* VMI_SITES_TOOL_H */
