// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of common/modsites_check.c (built with ASan/UBSan by the
 * Makefile): a synthetic module site table is accepted, each error code
 * comes from one targeted mutation (the CRC fixed up afterwards, so the
 * intended check is the one that fires), every prefix and random
 * corruptions are checked in bounds, and real tables given as arguments
 * too. Prints "ok - name" / "not ok - name" lines; run.sh numbers them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../include/vmi/modsites.h"
#include "../../include/vmi/modsites_check.h"
#include "../../include/vmi/sites_check.h"

#define HS	sizeof(struct vmi_modsites_header)
#define MS	sizeof(struct vmi_modsites_module)
#define ES	sizeof(struct vmi_modsite)
#define REL	"6.99.0-test"
#define NMOD	3
#define NSITE	40

static int failed;

static void result(int ok, const char *name, const char *detail)
{
	printf("%sok - %s\n", ok ? "" : "not ", name);
	if (!ok) {
		printf("# %s\n", detail);
		failed = 1;
	}
}

static uint32_t rnd_state = 4242;

static uint32_t rnd(void)
{
	rnd_state = rnd_state * 1103515245u + 12345u;
	return rnd_state >> 8;
}

static struct vmi_modsites_header *hdr(unsigned char *b)
{
	return (struct vmi_modsites_header *)b;
}

static struct vmi_modsites_module *mod(unsigned char *b, int i)
{
	return (struct vmi_modsites_module *)(b + HS + i * MS);
}

static struct vmi_modsite *site(unsigned char *b, int i)
{
	return (struct vmi_modsite *)(b + HS + hdr(b)->nr_modules * MS +
				      i * ES);
}

static void fix_crc(unsigned char *b, size_t len)
{
	if (len >= HS)
		hdr(b)->crc32 = vmi_crc32(0, b + HS, len - HS);
}

/* NMOD modules, NSITE sites, each module's sites ascending */
static unsigned char *synth(size_t *len)
{
	static const char *const names[NMOD] = { "it87", "kvm_amd", "kvm" };
	static const uint32_t counts[NMOD] = { 10, 5, NSITE - 15 };
	unsigned char *b;
	uint32_t i, j, k = 0;
	uint64_t addr;

	*len = HS + NMOD * MS + NSITE * ES;
	b = calloc(1, *len);
	memcpy(hdr(b)->magic, VMI_MODSITES_MAGIC, 8);
	hdr(b)->version = VMI_MODSITES_VERSION;
	hdr(b)->header_size = HS;
	hdr(b)->module_size = MS;
	hdr(b)->entry_size = ES;
	hdr(b)->nr_modules = NMOD;
	hdr(b)->nr_sites = NSITE;
	hdr(b)->ptr_size = 8;
	strcpy(hdr(b)->release, REL);
	for (i = 0; i < NMOD; i++) {
		strcpy(mod(b, i)->name, names[i]);
		mod(b, i)->first_site = k;
		mod(b, i)->nr_sites = counts[i];
		mod(b, i)->build_id_len = 20;
		memset(mod(b, i)->build_id, 0x10 + i, 20);
		addr = 0xffffffffc0a00000ull + i * 0x100000;
		for (j = 0; j < counts[i]; j++, k++) {
			addr += 6 + rnd() % 64;
			site(b, k)->addr = addr;
			site(b, k)->slot = (uint16_t)(rnd() % 80);
			site(b, k)->len = 6;
		}
	}
	fix_crc(b, *len);
	return b;
}

/* one mutation: what it does to a fresh synthetic table */
struct mutation {
	const char *name;
	int want;
	const char *release;	/* expected release for the check */
	uint32_t nr_slots;
	int fixcrc;
	void (*apply)(unsigned char *b, size_t *len);
};

static void m_none(unsigned char *b, size_t *len) { (void)b; (void)len; }
static void m_trunc(unsigned char *b, size_t *len) { (void)b; *len = HS - 1; }
static void m_magic(unsigned char *b, size_t *len) { (void)len; b[7] = 'X'; }
static void m_version(unsigned char *b, size_t *len) { (void)len; hdr(b)->version = 2; }
static void m_hsize(unsigned char *b, size_t *len) { (void)len; hdr(b)->header_size = 96; }
static void m_msize(unsigned char *b, size_t *len) { (void)len; hdr(b)->module_size = 104; }
static void m_esize(unsigned char *b, size_t *len) { (void)len; hdr(b)->entry_size = 24; }
static void m_nmod(unsigned char *b, size_t *len) { (void)len; hdr(b)->nr_modules = VMI_MODSITES_MAX_MODULES + 1; }
static void m_nsite(unsigned char *b, size_t *len) { (void)len; hdr(b)->nr_sites = 0xffffffff; }
static void m_short(unsigned char *b, size_t *len) { (void)b; *len -= 1; }
static void m_long(unsigned char *b, size_t *len) { (void)b; *len += ES; }
static void m_fewer(unsigned char *b, size_t *len) { (void)len; hdr(b)->nr_sites--; }
static void m_ptr(unsigned char *b, size_t *len) { (void)len; hdr(b)->ptr_size = 4; }
static void m_rel_empty(unsigned char *b, size_t *len) { (void)len; hdr(b)->release[0] = 0; }
static void m_rel_unterm(unsigned char *b, size_t *len)
{
	(void)len;
	memset(hdr(b)->release, 'x', sizeof(hdr(b)->release));
}
static void m_crc(unsigned char *b, size_t *len) { (void)len; site(b, 3)->slot ^= 1; }
static void m_name_empty(unsigned char *b, size_t *len) { (void)len; mod(b, 1)->name[0] = 0; }
static void m_name_unterm(unsigned char *b, size_t *len)
{
	(void)len;
	memset(mod(b, 2)->name, 'k', VMI_MODULE_NAME_LEN);
}
static void m_name_repeat(unsigned char *b, size_t *len) { (void)len; strcpy(mod(b, 2)->name, "it87"); }
static void m_gap(unsigned char *b, size_t *len) { (void)len; mod(b, 1)->first_site++; }
static void m_overrun(unsigned char *b, size_t *len) { (void)len; mod(b, 2)->nr_sites++; }
static void m_uncovered(unsigned char *b, size_t *len) { (void)len; mod(b, 2)->nr_sites--; }
static void m_idlen(unsigned char *b, size_t *len) { (void)len; mod(b, 0)->build_id_len = 41; }
static void m_len4(unsigned char *b, size_t *len) { (void)len; site(b, 12)->len = 4; }
static void m_len17(unsigned char *b, size_t *len) { (void)len; site(b, 12)->len = 17; }
static void m_slot(unsigned char *b, size_t *len) { (void)len; site(b, 12)->slot = 84; }
static void m_addr(unsigned char *b, size_t *len) { (void)len; site(b, 10)->addr = 0x7fffffff0000ull; }
static void m_wrap(unsigned char *b, size_t *len)
{
	(void)len;
	site(b, NSITE - 1)->addr = 0xfffffffffffffffcull;
}
static void m_unsorted(unsigned char *b, size_t *len)
{
	struct vmi_modsite t = *site(b, 20);

	(void)len;
	*site(b, 20) = *site(b, 21);
	*site(b, 21) = t;
}
static void m_overlap(unsigned char *b, size_t *len)
{
	(void)len;
	site(b, 21)->addr = site(b, 20)->addr + 5;
}
static void m_repeat(unsigned char *b, size_t *len)
{
	(void)len;
	site(b, 21)->addr = site(b, 20)->addr;
}

static const struct mutation mutations[] = {
	{ "the synthetic table", VMI_MODSITES_OK, REL, 84, 0, m_none },
	{ "a truncated header", VMI_MODSITES_ETRUNC_HEADER, NULL, 0, 0, m_trunc },
	{ "a bad magic", VMI_MODSITES_EMAGIC, NULL, 0, 1, m_magic },
	{ "version 2", VMI_MODSITES_EVERSION, NULL, 0, 1, m_version },
	{ "a bad header_size", VMI_MODSITES_ESIZES, NULL, 0, 1, m_hsize },
	{ "a bad module_size", VMI_MODSITES_ESIZES, NULL, 0, 1, m_msize },
	{ "a bad entry_size", VMI_MODSITES_ESIZES, NULL, 0, 1, m_esize },
	{ "nr_modules above the limit", VMI_MODSITES_ECOUNT, NULL, 0, 1, m_nmod },
	{ "nr_sites 2^32-1 (no overflow)", VMI_MODSITES_ECOUNT, NULL, 0, 1, m_nsite },
	{ "one byte short", VMI_MODSITES_ELENGTH, NULL, 0, 0, m_short },
	{ "a trailing entry", VMI_MODSITES_ELENGTH, NULL, 0, 0, m_long },
	{ "nr_sites one less than the entries", VMI_MODSITES_ELENGTH, NULL, 0, 0, m_fewer },
	{ "ptr_size 4", VMI_MODSITES_EPTR_SIZE, NULL, 0, 1, m_ptr },
	{ "an empty release", VMI_MODSITES_ERELEASE, NULL, 0, 1, m_rel_empty },
	{ "an unterminated release", VMI_MODSITES_ERELEASE, NULL, 0, 1, m_rel_unterm },
	{ "a flipped slot bit (CRC)", VMI_MODSITES_ECRC, NULL, 0, 0, m_crc },
	{ "another kernel's release", VMI_MODSITES_EWRONG_RELEASE, "6.1.0-56-amd64", 0, 0, m_none },
	{ "an empty module name", VMI_MODSITES_ENAME, NULL, 0, 1, m_name_empty },
	{ "an unterminated module name", VMI_MODSITES_ENAME, NULL, 0, 1, m_name_unterm },
	{ "a repeated module name", VMI_MODSITES_ENAME, NULL, 0, 1, m_name_repeat },
	{ "a gap between module site ranges", VMI_MODSITES_ERANGE, NULL, 0, 1, m_gap },
	{ "a module range beyond nr_sites", VMI_MODSITES_ERANGE, NULL, 0, 1, m_overrun },
	{ "entries no module covers", VMI_MODSITES_ERANGE, NULL, 0, 1, m_uncovered },
	{ "a 41-byte build ID", VMI_MODSITES_EBUILD_ID_LEN, NULL, 0, 1, m_idlen },
	{ "site len 4", VMI_MODSITES_ESITE_LEN, NULL, 0, 1, m_len4 },
	{ "site len 17", VMI_MODSITES_ESITE_LEN, NULL, 0, 1, m_len17 },
	{ "slot 84 with nr_slots 84", VMI_MODSITES_ESITE_SLOT, REL, 84, 1, m_slot },
	{ "a user-space site address", VMI_MODSITES_ESITE_ADDR, NULL, 0, 1, m_addr },
	{ "a site wrapping past 2^64", VMI_MODSITES_ESITE_ADDR, NULL, 0, 1, m_wrap },
	{ "unsorted sites", VMI_MODSITES_ESITE_ORDER, NULL, 0, 1, m_unsorted },
	{ "overlapping sites", VMI_MODSITES_ESITE_ORDER, NULL, 0, 1, m_overlap },
	{ "a repeated site address", VMI_MODSITES_ESITE_ORDER, NULL, 0, 1, m_repeat },
};

static void test_messages(void)
{
	int i, j, ok = 1;

	for (i = VMI_MODSITES_ERROR_LAST; i <= 0; i++) {
		const char *m = vmi_modsites_strerror(i);

		ok &= m && strcmp(m, "unknown module site table error");
		for (j = i + 1; j <= 0; j++)
			ok &= strcmp(m, vmi_modsites_strerror(j)) != 0;
	}
	ok &= !strcmp(vmi_modsites_strerror(1), "unknown module site table error");
	ok &= !strcmp(vmi_modsites_strerror(VMI_MODSITES_ERROR_LAST - 1),
		      "unknown module site table error");
	result(ok, "modsites: every error code has its own message",
	       "duplicate or missing");
}

static void test_mutations(void)
{
	struct vmi_modsites_info info;
	unsigned char *good, *b;
	size_t glen, len, i;
	char name[200], detail[200];
	int seen[32] = { 0 }, r, all = 1;

	good = synth(&glen);
	for (i = 0; i < sizeof(mutations) / sizeof(mutations[0]); i++) {
		const struct mutation *m = &mutations[i];

		len = glen;
		b = calloc(1, glen + ES);
		memcpy(b, good, glen);
		m->apply(b, &len);
		if (m->fixcrc)
			fix_crc(b, len);
		r = vmi_modsites_check(b, len, m->release, m->nr_slots, &info);
		seen[-r] = 1;
		snprintf(name, sizeof(name), "modsites: %s gives \"%s\"",
			 m->name, vmi_modsites_strerror(m->want));
		snprintf(detail, sizeof(detail), "got %d \"%s\" (module %d, site %d)",
			 r, vmi_modsites_strerror(r), info.bad_module,
			 info.bad_site);
		result(r == m->want, name, detail);
		free(b);
	}
	for (i = 0; i <= (size_t)-VMI_MODSITES_ERROR_LAST; i++)
		all &= seen[i];
	result(all, "modsites: the mutations produce every error code",
	       "some code never produced");
	free(good);
}

/* The empty table (no modules) is valid. */
static void test_empty(void)
{
	unsigned char b[HS];

	memset(b, 0, sizeof(b));
	memcpy(hdr(b)->magic, VMI_MODSITES_MAGIC, 8);
	hdr(b)->version = VMI_MODSITES_VERSION;
	hdr(b)->header_size = HS;
	hdr(b)->module_size = MS;
	hdr(b)->entry_size = ES;
	hdr(b)->ptr_size = 8;
	strcpy(hdr(b)->release, REL);
	fix_crc(b, sizeof(b));
	result(vmi_modsites_check(b, sizeof(b), REL, 84, NULL) == 0,
	       "modsites: an empty table (0 modules) is valid", "rejected");
}

/* Prefixes and random corruptions in exactly-sized buffers (ASan). */
static void fuzz(const char *name, const unsigned char *good, size_t len,
		 int iters)
{
	struct vmi_modsites_info info;
	unsigned char *b;
	size_t n, cut, off;
	int i, k, r, bad = 0, accepted = 0;
	char t[300];

	for (n = 0; n < len; n += n < 400 ? 1 : 97) {
		b = malloc(n ? n : 1);
		memcpy(b, good, n);
		if (vmi_modsites_check(b, n, NULL, 0, &info) == 0 && n)
			bad++;
		free(b);
	}
	for (i = 0; i < iters; i++) {
		cut = rnd() % 8 ? len : rnd() % (len + 1);
		b = malloc(cut ? cut : 1);
		memcpy(b, good, cut);
		for (k = 1 + rnd() % 4; k > 0 && cut; k--) {
			off = rnd() % 2 ? rnd() % (cut < 500 ? cut : 500) :
					  rnd() % cut;
			b[off] ^= (unsigned char)(1 + rnd() % 255);
		}
		if (rnd() % 2)
			fix_crc(b, cut);
		r = vmi_modsites_check(b, cut, rnd() % 2 ? REL : NULL,
				       rnd() % 2 ? 84 : 0, &info);
		if (r > 0 || r < VMI_MODSITES_ERROR_LAST ||
		    info.bad_module >= (int32_t)NMOD * 4096)
			bad++;
		accepted += !r;
		free(b);
	}
	snprintf(t, sizeof(t),
		 "modsites: %s: every prefix rejected, %d random corruptions checked in bounds (%d harmless)",
		 name, iters, accepted);
	result(!bad, t, "a prefix accepted or a bad code returned");
}

static int read_all(const char *path, unsigned char **buf, size_t *len)
{
	FILE *f = fopen(path, "rb");
	long n;

	if (!f)
		return -1;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	*buf = malloc(n ? n : 1);
	*len = fread(*buf, 1, n, f);
	fclose(f);
	return *len == (size_t)n ? 0 : -1;
}

int main(int argc, char **argv)
{
	unsigned char *b;
	size_t len;
	int i;

	test_messages();
	test_mutations();
	test_empty();
	b = synth(&len);
	fuzz("synthetic table", b, len, 20000);
	free(b);
	for (i = 1; i < argc; i++) {
		char name[300];

		if (read_all(argv[i], &b, &len) < 0) {
			snprintf(name, sizeof(name), "modsites: read %s", argv[i]);
			result(0, name, "cannot read");
			continue;
		}
		snprintf(name, sizeof(name), "table %s",
			 strrchr(argv[i], '/') ? strrchr(argv[i], '/') + 1 : argv[i]);
		result(vmi_modsites_check(b, len, NULL, 0, NULL) == 0, name,
		       "real table rejected");
		fuzz(name, b, len, 3000);
		free(b);
	}
	return failed;
}
