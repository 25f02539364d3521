/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmi-sites: internal interfaces between image.c, extract.c, modules.c
 * (with ko.c and modsysfs.c, see modules.h) and main.c.
 */
#ifndef VMI_SITES_TOOL_H
#define VMI_SITES_TOOL_H

#include <elf.h>
#include <getopt.h>
#include <stddef.h>
#include <stdint.h>

#include "../../include/vmi/le.h"
#include "../../include/vmi/sites.h"
#include "../../include/vmi/sites_check.h"

#define RELEASE_MAX	64

#define le16	vmi_get16
#define le32	vmi_get32
#define le64	vmi_get64

/*
 * ELF fields are read byte by byte at <elf.h>'s offsets (the input is
 * untrusted and may be unaligned): ELF64(Ehdr, e_shoff) is the offset of
 * e_shoff in an ELF64 header.
 */
#define ELF64(type, field)	offsetof(Elf64_##type, field)
#define ELF32(type, field)	offsetof(Elf32_##type, field)

/* x86 constants */

#define PV_SITE_SIZE_64		16
#define PV_SITE_SIZE_32		8
#define PV_SITE_END_64		12	/* x86_64 entry without its padding */
#define ALT_INSTR_SIZE		14
#define ALT_FLAG_DIRECT_CALL	(1 << 1)
#define X86_FEATURE_ALWAYS	(3 * 32 + 21)

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

/*
 * The members of struct paravirt_patch_template (up to 4.19) that pv
 * calls read, each a global of its own: pv_init_ops, first, is not.
 */
#define NR_PV_MEMBERS	5
extern const char *const pv_members[NR_PV_MEMBERS];

/* A site table under construction. */
struct table {
	struct vmi_sites_header hdr;
	struct vmi_site *sites;
	uint32_t nr;
	/* figures for the summary, not stored */
	uint64_t win_min, win_max;
	uint32_t nr_not_call;		/* PARAINSTR sites not a pv call */
	uint32_t nr_direct_skipped;	/* ALTCALL: flag set, not "ff 15" */
	uint32_t nr_other_feature;	/* ALTCALL: cpuid != ALWAYS */
	uint64_t pv_ops_sym;		/* &pv_ops from __ksymtab, or 0 */
	uint64_t member_sym[NR_PV_MEMBERS]; /* pv_members[] there, or 0 */
	uint64_t tab_size;		/* bytes of the section read */
	const char *tab_section;
};

/* An ELF file's section headers, checked against the file's bounds. */
struct section {
	const char *name;
	uint64_t addr, size, offset, flags, entsize;
	uint32_t type, link, info;
	const uint8_t *data;		/* NULL for NOBITS and NULL sections */
};

struct elf {
	const char *path;
	const char *what;		/* "vmlinux", "module": for messages */
	const uint8_t *data;
	size_t len;
	int is64;
	uint16_t type;			/* e_type */
	uint32_t ptr_size;
	struct section *secs;
	unsigned int nsecs;
};

/*
 * Parse the ELF header and section headers of @d (x86_64 or i386); every
 * section with file data lies inside it and every name is terminated.
 * Prints the error. free(e->secs) when done.
 */
int parse_elf(struct elf *e, const char *path, const char *what,
	      const uint8_t *d, size_t len);
const struct section *find_section(const struct elf *e, const char *name);

extern const char vmi_sites_usage[];
/* -h and --help, in every command's options */
#define OPT_HELP	{ "help", no_argument, NULL, 'h' }
/*
 * getopt_long(3) over a command's arguments (optind starts past the
 * command's name). -h/--help print the usage and exit 0; an option getopt
 * refuses (it says which) prints the usage and exits 2, the usage error.
 */
int cmd_getopt(int argc, char **argv, const char *shortopts,
	       const struct option *longopts);
void errmsg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void warnmsg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
extern int verbose;

int read_file(const char *path, struct buf *out);
/*
 * A whole gzip, xz or zstd file (a compressed module) in @in: @out gets
 * the decompressed bytes (free out->data). Returns 1 and leaves @out
 * empty if @in has none of these magics, -1 on error (printed).
 */
int decompress_file(const char *path, const uint8_t *in, size_t len,
		    struct buf *out);
/* Write @a then @b to @path atomically, or to stdout for NULL or "-". */
int write_out(const char *path, const void *a, size_t alen, const void *b,
	      size_t blen);
/* @n bytes as lowercase hex into @out (2 * n + 1 bytes). */
void hex(char *out, const uint8_t *p, uint32_t n);
int load_image(const char *path, struct kimage *img);
/*
 * The image in @img->file (malloc()ed, owned by @img from now on), named
 * @img->path in messages, the rest of @img zeroed: what load_image() does
 * once it has read the file. free_image() when done; on error it is done.
 */
int parse_image(struct kimage *img);
void free_image(struct kimage *img);

/* "Linux version X " in @data: copy X into @release. */
int find_banner_release(const uint8_t *data, size_t len, char *release,
			size_t size);

int extract_table(struct kimage *img, struct table *tab);
/*
 * The number of struct paravirt_patch_site entries in a .parainstructions
 * of @size bytes (ELF64 if @is64), or 0 if no kernel emits that size.
 */
uint64_t pv_site_count(uint64_t size, int is64);

/* modules.c: the module site table (include/vmi/modsites.h) */
int cmd_modules(int argc, char **argv);
int is_modsites(const struct buf *b);
/* check / info / list of a module site table; exit status */
int modsites_check(const char *file, const struct buf *b,
		   const char *release, uint32_t nr_slots);
int modsites_info(const char *file, const struct buf *b);
int modsites_list(const char *file, const struct buf *b);

#endif /* VMI_SITES_TOOL_H */
