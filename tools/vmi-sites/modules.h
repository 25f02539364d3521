/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmi-sites modules: internal interfaces between modules.c (the command),
 * ko.c (a .ko and its sites) and modsysfs.c (the loaded modules: .ko
 * files, /proc/modules, /sys/module).
 */
#ifndef VMI_SITES_MODULES_H
#define VMI_SITES_MODULES_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../../include/vmi/modsites.h"
#include "vmi-sites.h"

#define NAME_LEN	VMI_MODULE_NAME_LEN
#define BUILD_ID_MAX	40
#define PATH_MAX_	4096

/* How one module ended. */
enum mod_status {
	MOD_OK,			/* sites in the table */
	MOD_EMPTY,		/* no pv sites: left out silently */
	MOD_NO_KO,		/* no .ko found */
	MOD_OTHER_KO,		/* build ID differs */
	MOD_NO_NOTE,		/* sysfs build ID note missing */
	MOD_ERROR,		/* bad .ko or sysfs */
	MOD_NR,
	MOD_FATAL = -1,		/* stop everything (section addresses hidden) */
};

struct sym;			/* ko.c */
struct rel;

/* A parsed .ko. */
struct ko {
	const char *path;
	struct buf file, dec;		/* dec: decompressed, or empty */
	struct elf e;
	struct sym *syms;
	uint32_t nsyms;
	struct rel *rels;		/* of the site table section */
	size_t nrels;
	struct rel *pv;			/* against pv_ops, by section/offset */
	size_t npv;
};

/* A site: first as a place in the .ko, then with its address. */
struct msite {
	uint64_t off, addr;
	uint32_t sec;
	uint16_t slot;
	uint8_t len;
};

/* One module: its name, how it ended, its sites. */
struct modres {
	char name[NAME_LEN];
	int named;
	enum mod_status status;
	struct msite *sites;
	uint32_t nr, cap;
	uint32_t nr_init;		/* sites in .init* sections, skipped */
	uint32_t nr_not_call;		/* direct-call entries not "ff 15" */
	uint32_t nr_other_feature;	/* direct calls, cpuid != ALWAYS */
	uint32_t build_id_len;
	uint8_t build_id[BUILD_ID_MAX];
};

/* A --ko FILE. */
struct kofile {
	const char *path;
	char name[NAME_LEN];		/* from .modinfo name=, or "" */
	char base[NAME_LEN];		/* from the file name, or "" */
};

/* A NAME.ko* file under the ko dirs. */
struct cand {
	char name[NAME_LEN];
	char *path;
};

/* The options of one run, and the .ko files it knows of. */
struct opts {
	const char *sysfs;
	const char *proc_modules;
	char release[RELEASE_MAX];
	const char **ko_dirs;
	int nko_dirs;
	struct kofile *kos;
	int nkos;
	struct cand *cands;		/* every NAME.ko* under the ko dirs */
	size_t ncands, capcands;
	int indexed;
};

/* --- ko.c: a .ko and its sites -------------------------------------------- */

/* '-' and '_' are the same in module names; the kernel uses '_'. */
int norm_name(char *out, const char *in, size_t n);
/* Read, decompress and parse @path, an x86_64 module. */
int load_ko(struct ko *k, const char *path);
/*
 * The same for a module already in @k->file (malloc()ed, owned by @k from
 * now on), named @k->path, the rest of @k zeroed. free_ko() when done; on
 * error it is done.
 */
int parse_ko(struct ko *k);
void free_ko(struct ko *k);
/* The module name in .modinfo ("name=kvm"), or -1. */
int modinfo_name(const struct ko *k, char *out);
/* The .note.gnu.build-id of @k: 1 and @id, 0 if none, -1 if corrupt. */
int ko_build_id(const struct ko *k, const uint8_t **id, uint32_t *len);
/*
 * The sites of @k into @m as places (section, offset, slot, len), by
 * place, one per place; those in .init* sections only counted.
 */
int ko_sites(struct ko *k, struct modres *m);

/* --- modsysfs.c: the loaded modules and their files ----------------------- */

/* NAME from NAME.ko, NAME.ko.xz, ...; -1 if not a module file name. */
int ko_basename(char *out, const char *path);
/* Index the module files under the ko dirs, once. */
void index_dirs(struct opts *o);
/* --ko FILE: the names it can stand for. */
int add_ko_file(struct opts *o, const char *path);
/* Append module @name (@len bytes) to @v unless there; -1 on error. */
int add_module(struct modres **v, uint32_t *n, const char *name,
	       size_t len, int named);
/* The Live modules of /proc/modules into @v. */
int read_proc_modules(const char *path, struct modres **v, uint32_t *n);
/* The same from @f, already open; @path for messages. */
int parse_proc_modules(FILE *f, const char *path, struct modres **v,
		       uint32_t *n);
/*
 * A /sys/module/NAME/sections/SECTION file's text (NUL-terminated, read
 * from @path): MOD_OK and the address in @base, MOD_ERROR if it is not
 * "0x<hex>\n", MOD_FATAL if it reads 0 (hidden: not root).
 */
int parse_section_base(const char *path, const char *text, uint64_t *base);
/*
 * The build ID note of the loaded module into @id (BUILD_ID_MAX bytes);
 * its length, 0 if none. @path gets the note's file name.
 */
uint32_t sysfs_build_id(const struct opts *o, const struct modres *m,
			uint8_t *id, char *path, size_t psize);
/*
 * Try one candidate file: MOD_OK with @k loaded and the build ID in @m,
 * MOD_OTHER_KO (another build), MOD_NO_NOTE or MOD_ERROR.
 */
int try_ko(const char *path, struct ko *k, struct modres *m,
	   const uint8_t *live_id, uint32_t live_len);
/*
 * Give every site its running address from /sys/module/NAME/sections;
 * sort and check them. MOD_OK, MOD_ERROR or MOD_FATAL.
 */
int place_sites(const struct opts *o, const struct ko *k, struct modres *m);
/*
 * The same once the load address of every section with a site is in
 * @bases (indexed like @k->e.secs; @sysfs for messages).
 */
int set_addresses(const char *sysfs, const struct ko *k, struct modres *m,
		  const uint64_t *bases);

#endif /* VMI_SITES_MODULES_H */
