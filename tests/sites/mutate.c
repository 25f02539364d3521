// SPDX-License-Identifier: GPL-2.0
/*
 * sites-mutate IN OUT OP...: write a damaged copy of a site table, for the
 * corruption tests.  OPs, applied in order:
 *   trunc N            keep the first N bytes (N < 0: drop -N at the end)
 *   append N           add N zero bytes
 *   hdr FIELD VALUE    magic (string), version, header_size, entry_size,
 *                      nr_sites, kind, ptr_size, link_text, init_begin,
 *                      init_end, build_id_len, crc
 *   site I FIELD VALUE addr, target, slot, len, orig_len, orig0..orig15
 *   swap I J           exchange entries I and J
 *   copy I J           entry J becomes a copy of entry I
 *   retarget I DELTA   move an altcall site's target and its disp32
 *   fixcrc             recompute entries_crc32 (of a module site table
 *                      "VMIMODST": crc32 of everything after the header)
 *   poke OFF SIZE V    write V as SIZE (1, 2, 4, 8) little-endian bytes at OFF
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../include/vmi/modsites.h"
#include "../../include/vmi/sites.h"
#include "../../include/vmi/sites_check.h"

static unsigned char *buf;
static size_t len;

static void die(const char *msg, const char *arg)
{
	fprintf(stderr, "sites-mutate: %s %s\n", msg, arg ? arg : "");
	exit(2);
}

static void put(size_t off, unsigned int size, unsigned long long v)
{
	if (off + size > len)
		die("write beyond the file", NULL);
	memcpy(buf + off, &v, size);	/* little-endian host */
}

#define H(f) offsetof(struct vmi_sites_header, f), \
	sizeof(((struct vmi_sites_header *)0)->f)
#define S(f) offsetof(struct vmi_site, f), \
	sizeof(((struct vmi_site *)0)->f)

static struct field {
	const char *name;
	size_t off;
	unsigned int size;
} hdr_fields[] = {
	{ "version", H(version) }, { "header_size", H(header_size) },
	{ "entry_size", H(entry_size) }, { "nr_sites", H(nr_sites) },
	{ "kind", H(kind) }, { "ptr_size", H(ptr_size) },
	{ "link_text", H(link_text) }, { "init_begin", H(init_begin) },
	{ "init_end", H(init_end) }, { "build_id_len", H(build_id_len) },
	{ "crc", H(entries_crc32) },
}, site_fields[] = {
	{ "addr", S(addr) }, { "target", S(target) }, { "slot", S(slot) },
	{ "len", S(len) }, { "orig_len", S(orig_len) },
};

static const struct field *field(const struct field *f, size_t n,
				 const char *name)
{
	static struct field orig;
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(f[i].name, name))
			return &f[i];
	if (f == site_fields && !strncmp(name, "orig", 4)) {
		orig.off = offsetof(struct vmi_site, orig) + atoi(name + 4);
		orig.size = 1;
		return &orig;
	}
	die("unknown field", name);
	return NULL;
}

int main(int argc, char **argv)
{
	const size_t hs = sizeof(struct vmi_sites_header);
	const size_t es = sizeof(struct vmi_site);
	struct vmi_site tmp;
	const struct field *f;
	unsigned long long v;
	FILE *fp;
	long n;
	int i;

	if (argc < 3)
		die("usage: sites-mutate IN OUT OP...", NULL);
	fp = fopen(argv[1], "rb");
	if (!fp)
		die("cannot open", argv[1]);
	buf = malloc(64 << 20);
	len = fread(buf, 1, 64 << 20, fp);
	fclose(fp);
	for (i = 3; i < argc; i++) {
		const char *op = argv[i];

		if (!strcmp(op, "fixcrc") && len >= 8 &&
		    !memcmp(buf, VMI_MODSITES_MAGIC, 8)) {
			const size_t mh = sizeof(struct vmi_modsites_header);

			put(offsetof(struct vmi_modsites_header, crc32), 4,
			    vmi_crc32(0, buf + mh, len > mh ? len - mh : 0));
		} else if (!strcmp(op, "poke") && i + 3 < argc) {
			put(strtoull(argv[i + 1], NULL, 0),
			    (unsigned int)atoi(argv[i + 2]),
			    strtoull(argv[i + 3], NULL, 0));
			i += 3;
		} else if (!strcmp(op, "fixcrc")) {
			put(offsetof(struct vmi_sites_header, entries_crc32), 4,
			    vmi_crc32(0, buf + hs, len > hs ? len - hs : 0));
		} else if (!strcmp(op, "trunc") && i + 1 < argc) {
			n = atol(argv[++i]);
			len = n < 0 ? len + n : (size_t)n;
		} else if (!strcmp(op, "append") && i + 1 < argc) {
			n = atol(argv[++i]);
			memset(buf + len, 0, n);
			len += n;
		} else if (!strcmp(op, "hdr") && i + 2 < argc) {
			if (!strcmp(argv[i + 1], "magic")) {
				memcpy(buf, argv[i + 2], 8);
			} else {
				f = field(hdr_fields, sizeof(hdr_fields) /
					  sizeof(*hdr_fields), argv[i + 1]);
				put(f->off, f->size, strtoull(argv[i + 2], NULL, 0));
			}
			i += 2;
		} else if (!strcmp(op, "site") && i + 3 < argc) {
			n = atol(argv[i + 1]);
			f = field(site_fields, sizeof(site_fields) /
				  sizeof(*site_fields), argv[i + 2]);
			v = strtoull(argv[i + 3], NULL, 0);
			put(hs + n * es + f->off, f->size, v);
			i += 3;
		} else if (!strcmp(op, "copy") && i + 2 < argc) {
			memcpy(buf + hs + atol(argv[i + 2]) * es,
			       buf + hs + atol(argv[i + 1]) * es, es);
			i += 2;
		} else if (!strcmp(op, "retarget") && i + 2 < argc) {
			struct vmi_site *s = (void *)(buf + hs +
						      atol(argv[i + 1]) * es);
			int32_t disp;

			n = atol(argv[i + 2]);
			s->target += n;
			memcpy(&disp, s->orig + 2, 4);
			disp += n;
			memcpy(s->orig + 2, &disp, 4);
			i += 2;
		} else if (!strcmp(op, "swap") && i + 2 < argc) {
			size_t a = hs + atol(argv[i + 1]) * es;
			size_t b = hs + atol(argv[i + 2]) * es;

			memcpy(&tmp, buf + a, es);
			memmove(buf + a, buf + b, es);
			memcpy(buf + b, &tmp, es);
			i += 2;
		} else {
			die("bad operation", op);
		}
	}
	fp = fopen(argv[2], "wb");
	if (!fp || fwrite(buf, 1, len, fp) != len || fclose(fp))
		die("cannot write", argv[2]);
	return 0;
}
