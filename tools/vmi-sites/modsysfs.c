// SPDX-License-Identifier: GPL-2.0
/*
 * vmi-sites modules: the running system's side. Which modules are
 * loaded (/proc/modules, or the names given), where their .ko files are
 * (--ko files, NAME.ko, .ko.xz, .ko.zst or .ko.gz under the ko dirs),
 * whether a .ko is the loaded one (its build ID against
 * /sys/module/NAME/notes/.note.gnu.build-id), and where each section was
 * loaded (/sys/module/NAME/sections/SECTION), which gives every site its
 * address.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../include/vmi/modsites_check.h"
#include "modules.h"

static const char *const ko_suffixes[] = { ".ko", ".ko.xz", ".ko.zst", ".ko.gz" };

/* --- finding the .ko ------------------------------------------------------ */

/* NAME from NAME.ko, NAME.ko.xz, ...; -1 if not a module file name. */
int ko_basename(char *out, const char *path)
{
	const char *b = strrchr(path, '/');
	size_t n, k, sl;

	b = b ? b + 1 : path;
	n = strlen(b);
	for (k = 0; k < sizeof(ko_suffixes) / sizeof(ko_suffixes[0]); k++) {
		sl = strlen(ko_suffixes[k]);
		if (n > sl && !strcmp(b + n - sl, ko_suffixes[k]))
			return norm_name(out, b, n - sl);
	}
	return -1;
}

static struct opts *walk_opts;

static int walk_one(const char *path, const struct stat *st, int flag,
		    struct FTW *ftw)
{
	struct opts *o = walk_opts;
	struct cand *c;
	char name[NAME_LEN];

	(void)st;
	if (flag != FTW_F || ko_basename(name, path + ftw->base) < 0)
		return 0;
	if (o->ncands == o->capcands) {
		o->capcands = o->capcands ? o->capcands * 2 : 1024;
		c = realloc(o->cands, o->capcands * sizeof(*c));
		if (!c)
			return -1;
		o->cands = c;
	}
	c = &o->cands[o->ncands];
	memcpy(c->name, name, sizeof(name));
	c->path = strdup(path);
	if (!c->path)
		return -1;
	o->ncands++;
	return 0;
}

/* Index the module files under the ko dirs, once. */
void index_dirs(struct opts *o)
{
	struct stat st;
	char *real;
	int i;

	if (o->indexed)
		return;
	o->indexed = 1;
	walk_opts = o;
	for (i = 0; i < o->nko_dirs; i++) {
		if (stat(o->ko_dirs[i], &st) < 0) {
			warnmsg("%s: %s", o->ko_dirs[i], strerror(errno));
			continue;
		}
		if (!S_ISDIR(st.st_mode)) {
			warnmsg("%s: not a directory", o->ko_dirs[i]);
			continue;
		}
		/*
		 * FTW_PHYS: not into build/ and source/. It does not follow
		 * the directory itself either, and /lib/modules/RELEASE may
		 * be a symbolic link (the kernel cache's modules/ is one):
		 * walk what it names.
		 */
		real = realpath(o->ko_dirs[i], NULL);
		if (nftw(real ? real : o->ko_dirs[i], walk_one, 32,
			 FTW_PHYS) < 0)
			warnmsg("%s: cannot read it all: %s", o->ko_dirs[i],
				strerror(errno));
		free(real);
	}
}

/* --ko FILE: the names it can stand for. */
int add_ko_file(struct opts *o, const char *path)
{
	struct kofile *p;
	struct ko k;

	p = realloc(o->kos, (o->nkos + 1) * sizeof(*p));
	if (!p) {
		errmsg("out of memory");
		return -1;
	}
	o->kos = p;
	p = &o->kos[o->nkos++];
	memset(p, 0, sizeof(*p));
	p->path = path;
	if (ko_basename(p->base, path) < 0)
		p->base[0] = 0;
	/* unreadable: matched by file name only, fails when used */
	if (load_ko(&k, path) == 0) {
		if (modinfo_name(&k, p->name) < 0)
			p->name[0] = 0;
		free_ko(&k);
	}
	if (!p->name[0] && !p->base[0]) {
		errmsg("%s: no name=... in .modinfo and not named NAME.ko*: cannot tell which module it is",
		       path);
		return -1;
	}
	return 0;
}

/* --- /proc/modules -------------------------------------------------------- */

int add_module(struct modres **v, uint32_t *n, const char *name,
		      size_t len, int named)
{
	struct modres *p, m;
	uint32_t i;

	memset(&m, 0, sizeof(m));
	if (norm_name(m.name, name, len) < 0) {
		errmsg("bad module name \"%.*s\"", (int)(len < 80 ? len : 80),
		       name);
		return -1;
	}
	for (i = 0; i < *n; i++)
		if (!strcmp((*v)[i].name, m.name))
			return 0;
	if (*n >= VMI_MODSITES_MAX_MODULES) {
		errmsg("more than %u modules", VMI_MODSITES_MAX_MODULES);
		return -1;
	}
	p = realloc(*v, (*n + 1) * sizeof(*p));
	if (!p) {
		errmsg("out of memory");
		return -1;
	}
	*v = p;
	m.named = named;
	p[(*n)++] = m;
	return 0;
}

/* /proc/modules: "name size refs deps state address", state "Live". */
int read_proc_modules(const char *path, struct modres **v,
			     uint32_t *n)
{
	FILE *f = fopen(path, "r");
	int ret;

	if (!f) {
		errmsg("%s: %s", path, strerror(errno));
		return -1;
	}
	ret = parse_proc_modules(f, path, v, n);
	fclose(f);
	return ret;
}

int parse_proc_modules(FILE *f, const char *path, struct modres **v,
		       uint32_t *n)
{
	char line[4096], name[256], state[32];
	int ret = 0;

	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%255s %*s %*s %*s %31s", name, state) != 2) {
			errmsg("%s: cannot parse \"%.60s\"", path, line);
			ret = -1;
			break;
		}
		if (strcmp(state, "Live"))
			continue;
		if (add_module(v, n, name, strlen(name), 0) < 0) {
			ret = -1;
			break;
		}
	}
	return ret;
}

/* --- /sys/module/NAME ----------------------------------------------------- */

/* Up to @cap bytes of a (sysfs) file, read as a stream. */
static int read_small(const char *path, uint8_t *buf, size_t cap, size_t *n)
{
	ssize_t r;
	int fd;

	*n = 0;
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	while (*n < cap) {
		r = read(fd, buf + *n, cap - *n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			close(fd);
			return -1;
		}
		if (!r)
			break;
		*n += (size_t)r;
	}
	close(fd);
	return 0;
}

/* The build ID note of the loaded module; 0 if none. */
uint32_t sysfs_build_id(const struct opts *o, const struct modres *m,
			       uint8_t *id, char *path, size_t psize)
{
	uint8_t notes[4096];
	const uint8_t *p;
	uint32_t len;
	size_t n;

	snprintf(path, psize, "%s/module/%s/notes/.note.gnu.build-id",
		 o->sysfs, m->name);
	if (read_small(path, notes, sizeof(notes), &n) < 0 ||
	    vmi_find_build_id(notes, n, &p, &len) < 0 || !len ||
	    len > BUILD_ID_MAX)
		return 0;
	memcpy(id, p, len);
	return len;
}

/*
 * Try one candidate file: MOD_OK with @k loaded and the build ID in @m,
 * MOD_OTHER_KO (another build), MOD_NO_NOTE or MOD_ERROR.
 */
int try_ko(const char *path, struct ko *k, struct modres *m,
		  const uint8_t *live_id, uint32_t live_len)
{
	const uint8_t *id;
	uint32_t len;
	int r;

	if (load_ko(k, path) < 0)
		return MOD_ERROR;
	r = ko_build_id(k, &id, &len);
	if (r < 0) {
		free_ko(k);
		return MOD_ERROR;
	}
	if (r == 0) {
		m->build_id_len = 0;	/* nothing to check it with */
		return MOD_OK;
	}
	if (!live_len) {
		free_ko(k);
		return MOD_NO_NOTE;
	}
	if (len != live_len || memcmp(id, live_id, len)) {
		free_ko(k);
		return MOD_OTHER_KO;
	}
	m->build_id_len = len;
	memcpy(m->build_id, id, len);
	return MOD_OK;
}

/* /sys/module/NAME/sections/SEC: "0xffffffffc0a12000\n" */
static int section_base(const struct opts *o, const struct modres *m,
			const char *sec, uint64_t *base)
{
	char path[PATH_MAX_], text[64];
	size_t n;

	snprintf(path, sizeof(path), "%s/module/%s/sections/%s", o->sysfs,
		 m->name, sec);
	if (read_small(path, (uint8_t *)text, sizeof(text) - 1, &n) < 0) {
		errmsg("%s: %s (the loaded module has no such section: another build?)",
		       path, strerror(errno));
		return MOD_ERROR;
	}
	text[n] = 0;
	return parse_section_base(path, text, base);
}

int parse_section_base(const char *path, const char *text, uint64_t *base)
{
	char *end;

	errno = 0;
	*base = strtoull(text, &end, 16);
	if (strncmp(text, "0x", 2) || errno || end == text + 2 ||
	    (*end && strcmp(end, "\n"))) {
		errmsg("%s: not a hex address: \"%.20s\"", path, text);
		return MOD_ERROR;
	}
	if (!*base) {
		errmsg("%s reads as 0: section addresses are hidden from non-root users (kptr_restrict); run vmi-sites modules as root",
		       path);
		return MOD_FATAL;
	}
	return MOD_OK;
}

static int cmp_addr(const void *a, const void *b)
{
	const struct msite *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* Give every site its running address; sort and check them. */
int place_sites(const struct opts *o, const struct ko *k,
		       struct modres *m)
{
	uint64_t *bases;
	uint32_t i, sec;
	int ret = MOD_OK;

	bases = calloc(k->e.nsecs, sizeof(*bases));
	if (!bases) {
		errmsg("out of memory");
		return MOD_ERROR;
	}
	for (i = 0; i < m->nr && ret == MOD_OK; i++) {
		sec = m->sites[i].sec;
		if (!bases[sec])
			ret = section_base(o, m, k->e.secs[sec].name,
					   &bases[sec]);
	}
	if (ret == MOD_OK)
		ret = set_addresses(o->sysfs, k, m, bases);
	free(bases);
	return ret;
}

int set_addresses(const char *sysfs, const struct ko *k, struct modres *m,
		  const uint64_t *bases)
{
	uint64_t base;
	uint32_t i;

	for (i = 0; i < m->nr; i++) {
		struct msite *s = &m->sites[i];

		base = bases[s->sec];
		s->addr = base + s->off;
		if (base < VMI_MODSITES_ADDR_MIN || s->addr < base ||
		    s->addr + s->len < s->addr) {
			errmsg("%s: section %s at %#llx (from %s/module/%s/sections) is not a kernel address",
			       m->name, k->e.secs[s->sec].name,
			       (unsigned long long)base, sysfs, m->name);
			return MOD_ERROR;
		}
	}
	qsort(m->sites, m->nr, sizeof(*m->sites), cmp_addr);
	for (i = 1; i < m->nr; i++) {
		const struct msite *a = &m->sites[i - 1], *b = &m->sites[i];

		if (b->addr < a->addr + a->len) {
			errmsg("%s: sites %s+%#llx and %s+%#llx overlap once loaded (%#llx, %#llx): sections overlap in %s/module/%s/sections",
			       m->name, k->e.secs[a->sec].name,
			       (unsigned long long)a->off,
			       k->e.secs[b->sec].name,
			       (unsigned long long)b->off,
			       (unsigned long long)a->addr,
			       (unsigned long long)b->addr, sysfs, m->name);
			return MOD_ERROR;
		}
	}
	return MOD_OK;
}
