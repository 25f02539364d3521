// SPDX-License-Identifier: GPL-2.0
/*
 * vmi-sites modules: the paravirt call-site table of the modules already
 * loaded (include/vmi/modsites.h, docs/sites.md), and check, info and
 * list of such a table.
 *
 * For each module: find its .ko and prove it is the loaded one by its
 * build ID (modsysfs.c), take its sites from the .ko (ko.c), give them
 * their addresses from /sys/module/NAME/sections (modsysfs.c); then
 * write the modules that have sites into one table and sum up.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>

#include "../../include/vmi/modsites_check.h"
#include "modules.h"

/* --- one module ----------------------------------------------------------- */

static void modmsg(const struct modres *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* A named module's problem is an error, another's a warning. */
static void modmsg(const struct modres *m, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "vmi-sites: %s%s: ", m->named ? "" : "warning: ",
		m->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static int do_module(struct opts *o, struct modres *m)
{
	char path[PATH_MAX_], notepath[PATH_MAX_];
	uint8_t live_id[BUILD_ID_MAX];
	uint32_t live_len;
	const char *tried = NULL, *used = NULL;
	struct stat st;
	struct ko k;
	size_t c;
	int i, r = MOD_NO_KO, ncand = 0;

	memset(&k, 0, sizeof(k));
	snprintf(path, sizeof(path), "%s/module/%s/sections", o->sysfs,
		 m->name);
	if (stat(path, &st) < 0) {
		modmsg(m, "not loaded (%s: %s); left out", path,
		       strerror(errno));
		return MOD_ERROR;
	}
	live_len = sysfs_build_id(o, m, live_id, notepath, sizeof(notepath));

	/* --ko files first, then NAME.ko* under the ko dirs */
	for (i = 0; i < o->nkos && r != MOD_OK; i++) {
		if (strcmp(o->kos[i].name, m->name) &&
		    strcmp(o->kos[i].base, m->name))
			continue;
		ncand++;
		tried = o->kos[i].path;
		r = try_ko(tried, &k, m, live_id, live_len);
		if (r == MOD_ERROR || r == MOD_NO_NOTE)
			break;
	}
	if (r != MOD_OK && r != MOD_ERROR && r != MOD_NO_NOTE) {
		index_dirs(o);
		for (c = 0; c < o->ncands && r != MOD_OK; c++) {
			if (strcmp(o->cands[c].name, m->name))
				continue;
			ncand++;
			tried = o->cands[c].path;
			r = try_ko(tried, &k, m, live_id, live_len);
			if (r == MOD_ERROR || r == MOD_NO_NOTE)
				break;
		}
	}
	switch (r) {
	case MOD_NO_KO:
		modmsg(m, "no %s.ko, .ko.xz, .ko.zst or .ko.gz found (--ko, --ko-dir %s%s); its sites are left alone",
		       m->name, o->nko_dirs ? o->ko_dirs[0] : "",
		       o->nko_dirs > 1 ? " ..." : "");
		return r;
	case MOD_OTHER_KO:
		modmsg(m, "the .ko on disk is not the loaded module (build ID differs); its sites are left alone");
		if (ncand > 1)
			fprintf(stderr, "vmi-sites:   (%d candidates tried, the last %s)\n",
				ncand, tried);
		else
			fprintf(stderr, "vmi-sites:   (%s)\n", tried);
		return r;
	case MOD_NO_NOTE:
		modmsg(m, "%s missing: cannot tell whether %s is the loaded module; its sites are left alone",
		       notepath, tried);
		return r;
	case MOD_ERROR:
		modmsg(m, "cannot use %s; its sites are left alone", tried);
		return r;
	}
	used = tried;
	r = ko_sites(&k, m) < 0 ? MOD_ERROR : MOD_OK;
	if (r == MOD_OK && !m->nr)
		r = MOD_EMPTY;
	if (r == MOD_OK)
		r = place_sites(o, &k, m);
	if (r == MOD_ERROR)
		modmsg(m, "cannot use %s; its sites are left alone", used);
	free_ko(&k);
	return r;
}

/* --- the command ---------------------------------------------------------- */

static const char *const status_what[MOD_NR] = {
	[MOD_NO_KO] = "no .ko found",
	[MOD_OTHER_KO] = "build ID differs",
	[MOD_NO_NOTE] = "no build ID in sysfs",
	[MOD_ERROR] = "errors",
};

static void summary(const struct opts *o, const struct modres *v, uint32_t n,
		    uint32_t nr_sites, const char *out)
{
	uint32_t count[MOD_NR] = { 0 }, init = 0, notcall = 0, other = 0, i;
	int st, first = 1;

	for (i = 0; i < n; i++) {
		count[v[i].status]++;
		if (v[i].status == MOD_OK) {
			init += v[i].nr_init;
			notcall += v[i].nr_not_call;
			other += v[i].nr_other_feature;
		}
	}
	fprintf(stderr, "vmi-sites: %s: %u module%s: %u in the table with %u pv call sites (%u in .init sections skipped), %u without pv sites",
		o->release, n, n == 1 ? "" : "s", count[MOD_OK], nr_sites,
		init, count[MOD_EMPTY]);
	for (st = MOD_NO_KO; st < MOD_NR; st++) {
		if (!count[st])
			continue;
		fprintf(stderr, "%s%u %s (", first ? "; left out: " : ", ",
			count[st], status_what[st]);
		first = 0;
		for (i = 0; i < n; i++)
			if ((int)v[i].status == st)
				fprintf(stderr, "%s%s", v[i].name,
					--count[st] ? " " : "");
		fputc(')', stderr);
	}
	fprintf(stderr, "; written to %s\n", out ? out : "standard output");
	if (notcall || other)
		warnmsg("%u direct-call alternatives skipped (not \"ff 15\"), %u with a feature other than X86_FEATURE_ALWAYS",
			notcall, other);
}

int cmd_modules(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "sysfs", required_argument, NULL, 'S' },
		{ "proc-modules", required_argument, NULL, 'P' },
		{ "release", required_argument, NULL, 'R' },
		{ "ko-dir", required_argument, NULL, 'D' },
		{ "ko", required_argument, NULL, 'K' },
		OPT_HELP,
		{ NULL, 0, NULL, 0 }
	};
	struct opts o;
	struct modres *mods = NULL;
	struct vmi_modsites_header h;
	struct vmi_modsites_module *rec;
	struct vmi_modsite *ent;
	struct vmi_modsites_info info;
	const char *out = NULL, *release = NULL, **ko_files;
	char defdir[PATH_MAX_];
	uint32_t nmods = 0, nr_rec = 0, nr_sites = 0, nko_files = 0, i, j;
	int quiet = 0, ret = 1, r, c, a;
	struct utsname u;
	uint8_t *buf = NULL;
	size_t len;

	memset(&o, 0, sizeof(o));
	o.sysfs = "/sys";
	o.proc_modules = "/proc/modules";
	/* at most argc of each */
	o.ko_dirs = calloc(argc, sizeof(*o.ko_dirs));
	ko_files = calloc(argc, sizeof(*ko_files));
	if (!o.ko_dirs || !ko_files)
		goto done;
	while ((c = cmd_getopt(argc, argv, "hqo:", opts)) != -1) {
		if (c == 'q')
			quiet = 1;
		else if (c == 'o')
			out = optarg;
		else if (c == 'S')
			o.sysfs = optarg;
		else if (c == 'P')
			o.proc_modules = optarg;
		else if (c == 'R')
			release = optarg;
		else if (c == 'D')
			o.ko_dirs[o.nko_dirs++] = optarg;
		else	/* --ko: read once the whole command line is good */
			ko_files[nko_files++] = optarg;
	}
	if (!release) {
		if (uname(&u) < 0) {
			errmsg("uname: %s", strerror(errno));
			goto done;
		}
		release = u.release;
	}
	if (!release[0] || strlen(release) >= sizeof(o.release)) {
		errmsg("bad release \"%s\"", release);
		goto done;
	}
	strcpy(o.release, release);
	if (!o.nko_dirs) {
		snprintf(defdir, sizeof(defdir), "/lib/modules/%s", o.release);
		o.ko_dirs[o.nko_dirs++] = defdir;
	}
	for (i = 0; i < nko_files; i++)
		if (add_ko_file(&o, ko_files[i]) < 0)
			goto done;
	/* the NAMEs, which getopt has moved behind the options */
	for (a = optind; a < argc; a++)
		if (add_module(&mods, &nmods, argv[a], strlen(argv[a]), 1) < 0)
			goto done;
	if (optind == argc &&
	    read_proc_modules(o.proc_modules, &mods, &nmods) < 0)
		goto done;

	for (i = 0; i < nmods; i++) {
		r = do_module(&o, &mods[i]);
		if (r == MOD_FATAL)
			goto done;
		mods[i].status = r;
		if (mods[i].named && r != MOD_OK && r != MOD_EMPTY)
			goto done;
		/*
		 * Modules without pv sites get a record too: the shim can then
		 * tell a module known to have none from one left out.
		 */
		if (r == MOD_OK || r == MOD_EMPTY) {
			if (mods[i].nr > VMI_MODSITES_MAX_SITES - nr_sites) {
				errmsg("more than %u sites in all",
				       VMI_MODSITES_MAX_SITES);
				goto done;
			}
			nr_rec++;
			nr_sites += mods[i].nr;
		}
	}

	/* the table: header, records, entries */
	len = sizeof(h) + (size_t)nr_rec * sizeof(*rec) +
	      (size_t)nr_sites * sizeof(*ent);
	buf = calloc(1, len);
	if (!buf) {
		errmsg("out of memory");
		goto done;
	}
	rec = (struct vmi_modsites_module *)(buf + sizeof(h));
	ent = (struct vmi_modsite *)(rec + nr_rec);
	for (i = 0, nr_rec = 0, nr_sites = 0; i < nmods; i++) {
		const struct modres *m = &mods[i];

		if (m->status != MOD_OK && m->status != MOD_EMPTY)
			continue;
		memcpy(rec[nr_rec].name, m->name, sizeof(m->name));
		rec[nr_rec].first_site = nr_sites;
		rec[nr_rec].nr_sites = m->nr;
		rec[nr_rec].build_id_len = m->build_id_len;
		memcpy(rec[nr_rec].build_id, m->build_id, m->build_id_len);
		for (j = 0; j < m->nr; j++) {
			ent[nr_sites].addr = m->sites[j].addr;
			ent[nr_sites].slot = m->sites[j].slot;
			ent[nr_sites].len = m->sites[j].len;
			nr_sites++;
		}
		nr_rec++;
	}
	memset(&h, 0, sizeof(h));
	memcpy(h.magic, VMI_MODSITES_MAGIC, sizeof(h.magic));
	h.version = VMI_MODSITES_VERSION;
	h.header_size = sizeof(h);
	h.module_size = sizeof(*rec);
	h.entry_size = sizeof(*ent);
	h.nr_modules = nr_rec;
	h.nr_sites = nr_sites;
	h.ptr_size = 8;
	h.crc32 = vmi_crc32(0, buf + sizeof(h), len - sizeof(h));
	snprintf(h.release, sizeof(h.release), "%s", o.release);
	memcpy(buf, &h, sizeof(h));
	r = vmi_modsites_check(buf, len, o.release, 0, &info);
	if (r) {
		errmsg("the table fails its own check: %s (module #%d, site #%d)",
		       vmi_modsites_strerror(r), info.bad_module,
		       info.bad_site);
		goto done;
	}
	if (write_out(out, buf, len, NULL, 0) < 0)
		goto done;
	if (!quiet)
		summary(&o, mods, nmods, nr_sites, out);
	ret = 0;
done:
	for (i = 0; i < nmods; i++)
		free(mods[i].sites);
	free(mods);
	for (i = 0; i < o.ncands; i++)
		free(o.cands[i].path);
	free(o.cands);
	free(o.kos);
	free(o.ko_dirs);
	free(ko_files);
	free(buf);
	return ret;
}

/* --- check / info / list -------------------------------------------------- */

int is_modsites(const struct buf *b)
{
	return b->len >= 8 && !memcmp(b->data, VMI_MODSITES_MAGIC, 8);
}

/* A record's name, printable even if corrupt. */
static void rec_name(char *out, const struct vmi_modsites_module *m)
{
	size_t i;

	for (i = 0; i < NAME_LEN - 1 && m->name[i]; i++)
		out[i] = m->name[i] > ' ' && m->name[i] < 0x7f ? m->name[i] : '?';
	out[i] = 0;
}

static void mod_explain(const char *file, int err, const struct buf *b,
			const struct vmi_modsites_info *info)
{
	const struct vmi_modsites_header *h = (const void *)b->data;
	const struct vmi_modsites_module *m;
	const struct vmi_modsite *s;
	char where[200] = "", name[NAME_LEN];
	size_t off;

	if (info->bad_module >= 0) {
		m = (const void *)(b->data + sizeof(*h) +
				   (size_t)info->bad_module * sizeof(*m));
		rec_name(name, m);
		off = (size_t)snprintf(where, sizeof(where), " (module #%d %s",
				       info->bad_module, name);
		if (info->bad_site >= 0) {
			s = (const void *)(b->data + sizeof(*h) +
					   (size_t)h->nr_modules * sizeof(*m) +
					   (size_t)info->bad_site * sizeof(*s));
			snprintf(where + off, sizeof(where) - off,
				 ", site #%d at %#llx)", info->bad_site,
				 (unsigned long long)s->addr);
		} else {
			snprintf(where + off, sizeof(where) - off, ")");
		}
	} else if (err == VMI_MODSITES_ECRC) {
		snprintf(where, sizeof(where), " (stored %#010x, computed %#010x)",
			 h->crc32, vmi_crc32(0, b->data + sizeof(*h),
					     b->len - sizeof(*h)));
	} else if (err == VMI_MODSITES_ELENGTH) {
		snprintf(where, sizeof(where),
			 " (%zu bytes, %u modules and %u sites need %zu)",
			 b->len, h->nr_modules, h->nr_sites,
			 sizeof(*h) + (size_t)h->nr_modules *
			 sizeof(struct vmi_modsites_module) +
			 (size_t)h->nr_sites * sizeof(struct vmi_modsite));
	}
	errmsg("%s: %s%s", file, vmi_modsites_strerror(err), where);
}

int modsites_check(const char *file, const struct buf *b,
		   const char *release, uint32_t nr_slots)
{
	struct vmi_modsites_info info;
	int r;

	r = vmi_modsites_check(b->data, b->len, release, nr_slots, &info);
	if (r == VMI_MODSITES_EWRONG_RELEASE) {
		errmsg("%s: %s: table %s, kernel %s", file,
		       vmi_modsites_strerror(r),
		       ((const struct vmi_modsites_header *)b->data)->release,
		       release);
		return 1;
	}
	if (r) {
		mod_explain(file, r, b, &info);
		return 1;
	}
	printf("%s: ok: %u module sites in %u modules for %s\n", file,
	       info.nr_sites, info.nr_modules,
	       ((const struct vmi_modsites_header *)b->data)->release);
	return 0;
}

int modsites_info(const char *file, const struct buf *b)
{
	const struct vmi_modsites_header *h = (const void *)b->data;
	const struct vmi_modsites_module *m;
	struct vmi_modsites_info info;
	char id[2 * BUILD_ID_MAX + 1], name[NAME_LEN];
	uint32_t i;
	int r;

	r = vmi_modsites_check(b->data, b->len, NULL, 0, &info);
	if (r == VMI_MODSITES_ETRUNC_HEADER) {
		mod_explain(file, r, b, &info);
		return 1;
	}
	printf("file        %s (%zu bytes)\n", file, b->len);
	printf("format      module sites (%s)\n", VMI_MODSITES_MAGIC);
	printf("release     %.*s\n", (int)sizeof(h->release) - 1, h->release);
	printf("version     %u (header %u, module %u, entry %u bytes)\n",
	       h->version, h->header_size, h->module_size, h->entry_size);
	printf("ptr_size    %u\n", h->ptr_size);
	printf("nr_modules  %u\n", h->nr_modules);
	printf("nr_sites    %u\n", h->nr_sites);
	printf("crc32       %#010x\n", h->crc32);
	printf("check       %s\n", r ? vmi_modsites_strerror(r) : "ok");
	if (r) {
		mod_explain(file, r, b, &info);
		return 1;
	}
	m = (const void *)(b->data + sizeof(*h));
	printf("\n %-24s %6s %6s  build_id\n", "module", "first", "sites");
	for (i = 0; i < h->nr_modules; i++) {
		rec_name(name, &m[i]);
		hex(id, m[i].build_id, m[i].build_id_len);
		printf(" %-24s %6u %6u  %s\n", name, m[i].first_site,
		       m[i].nr_sites, m[i].build_id_len ? id : "-");
	}
	return 0;
}

int modsites_list(const char *file, const struct buf *b)
{
	const struct vmi_modsites_header *h = (const void *)b->data;
	const struct vmi_modsites_module *m;
	const struct vmi_modsite *s;
	struct vmi_modsites_info info;
	char name[NAME_LEN];
	uint32_t i, j;
	int r;

	r = vmi_modsites_check(b->data, b->len, NULL, 0, &info);
	if (r) {
		mod_explain(file, r, b, &info);
		return 1;
	}
	m = (const void *)(b->data + sizeof(*h));
	s = (const void *)(m + h->nr_modules);
	for (i = 0; i < h->nr_modules; i++) {
		rec_name(name, &m[i]);
		for (j = m[i].first_site; j < m[i].first_site + m[i].nr_sites; j++)
			printf("%s 0x%llx %u %u\n", name,
			       (unsigned long long)s[j].addr, s[j].len,
			       s[j].slot);
	}
	return 0;
}
