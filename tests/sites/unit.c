// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of common/sites_check.c (built with ASan/UBSan by the
 * Makefile): the CRC against zlib, the messages, and the validator on
 * synthetic tables, every truncation and random corruptions of them and
 * of real tables given as arguments.  "unit --synth parainstr|altcall OUT"
 * writes a synthetic table instead.  Prints "ok - name" /
 * "not ok - name" lines; run.sh numbers them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "../../include/vmi/sites.h"
#include "../../include/vmi/sites_check.h"

static int failed;

static void result(int ok, const char *name, const char *detail)
{
	printf("%sok - %s\n", ok ? "" : "not ", name);
	if (!ok) {
		printf("# %s\n", detail);
		failed = 1;
	}
}

static uint32_t rnd_state = 12345;

static uint32_t rnd(void)
{
	rnd_state = rnd_state * 1103515245u + 12345u;
	return rnd_state >> 8;
}

static void test_crc(void)
{
	static unsigned char data[100000];
	uint32_t a, b;
	size_t i, n;
	int ok = 1;

	ok &= vmi_crc32(0, "123456789", 9) == 0xcbf43926;
	ok &= vmi_crc32(0, "", 0) == 0;
	for (i = 0; i < sizeof(data); i++)
		data[i] = (unsigned char)rnd();
	for (n = 0; n < sizeof(data) && ok; n = n * 3 + 1) {
		a = vmi_crc32(0, data, n);
		b = (uint32_t)crc32(0, data, (uInt)n);
		ok &= a == b;
		/* incremental use gives the same */
		ok &= vmi_crc32(vmi_crc32(0, data, n / 2), data + n / 2,
				n - n / 2) == a;
	}
	result(ok, "crc32 equals zlib crc32 (check value, random data, incremental)",
	       "vmi_crc32 differs from zlib");
}

static void test_messages(void)
{
	int i, j, ok = 1;

	for (i = VMI_SITES_ERROR_LAST; i <= 0; i++) {
		const char *m = vmi_sites_strerror(i);

		ok &= m && strcmp(m, "unknown site table error");
		for (j = i + 1; j <= 0; j++)
			ok &= strcmp(m, vmi_sites_strerror(j)) != 0;
	}
	ok &= !strcmp(vmi_sites_strerror(1), "unknown site table error");
	ok &= !strcmp(vmi_sites_strerror(VMI_SITES_ERROR_LAST - 1),
		      "unknown site table error");
	result(ok, "every error code has its own message", "duplicate or missing");
}

/* A valid table of @nr sites in exactly-sized heap memory. */
static unsigned char *synth(uint32_t kind, uint32_t ptr_size, uint32_t nr,
			    size_t *len)
{
	struct vmi_sites_header h;
	struct vmi_site *s;
	uint64_t text = ptr_size == 8 ? 0xffffffff81000000ull : 0xc1000000ull;
	uint64_t pv = text + 0x1000000, addr, target;
	unsigned char *buf;
	uint32_t i, slot, disp;

	*len = sizeof(h) + nr * sizeof(*s);
	buf = calloc(1, *len);
	s = (struct vmi_site *)(buf + sizeof(h));
	memset(&h, 0, sizeof(h));
	memcpy(h.magic, VMI_SITES_MAGIC, 8);
	h.version = VMI_SITES_VERSION;
	h.header_size = sizeof(h);
	h.entry_size = sizeof(*s);
	h.nr_sites = nr;
	h.kind = kind;
	h.ptr_size = ptr_size;
	h.link_text = text;
	h.init_begin = text + 0x2000000;
	h.init_end = text + 0x2400000;
	h.build_id_len = 20;
	for (i = 0; i < 20; i++)
		h.build_id[i] = (uint8_t)i;
	strcpy(h.release, "6.99.0-test");
	for (i = 0; i < nr; i++) {
		addr = text + 0x1000 + i * 64 + (rnd() % 32);
		if (i == nr - 1)
			addr = h.init_begin + 16;	/* one init site */
		slot = rnd() % 80;
		target = pv + slot * ptr_size;
		disp = ptr_size == 8 ? (uint32_t)(target - addr - 6) :
				       (uint32_t)target;
		s[i].addr = addr;
		s[i].len = 6;
		s[i].orig_len = 6;
		s[i].orig[0] = 0xff;
		s[i].orig[1] = 0x15;
		memcpy(s[i].orig + 2, &disp, 4);
		if (kind == VMI_SITES_KIND_PARAINSTR) {
			s[i].slot = (uint16_t)slot;
		} else {
			s[i].slot = VMI_SITE_SLOT_UNKNOWN;
			s[i].target = target;
		}
	}
	h.entries_crc32 = vmi_crc32(0, s, nr * sizeof(*s));
	memcpy(buf, &h, sizeof(h));
	return buf;
}

static void fix_crc(unsigned char *buf, size_t len)
{
	struct vmi_sites_header *h = (void *)buf;
	size_t n = len - sizeof(*h);

	if (len >= sizeof(*h) && n / sizeof(struct vmi_site) >= h->nr_sites)
		h->entries_crc32 = vmi_crc32(0, buf + sizeof(*h),
					     (size_t)h->nr_sites *
					     sizeof(struct vmi_site));
}

/*
 * Prefixes (each one up to 400 bytes, then sparser), then @iters random
 * corruptions (CRC fixed up half of the time so the entry checks run),
 * each in a buffer of exactly the tested size so ASan catches any read
 * past it.  Returns the number of prefixes accepted or invalid codes.
 */
static int fuzz(const unsigned char *good, size_t len, int iters,
		int *accepted, int *codes)
{
	struct vmi_sites_expect exp = { 0 };
	struct vmi_sites_info info;
	unsigned char *b;
	size_t n, cut, off;
	int i, k, r, bad = 0;

	for (n = 0; n < len; n += (n < 400 ? 1 : n < 4000 ? 37 : 1009)) {
		b = malloc(n ? n : 1);
		memcpy(b, good, n);
		r = vmi_sites_check(b, n, NULL, &info);
		if (r == 0)
			bad++;
		free(b);
	}
	for (i = 0; i < iters; i++) {
		cut = rnd() % 8 ? len : rnd() % (len + 1);
		b = malloc(cut ? cut : 1);
		memcpy(b, good, cut);
		for (k = 1 + rnd() % 4; k > 0 && cut; k--) {
			/* mostly the header and the first entries */
			off = rnd() % 2 ? rnd() % (cut < 300 ? cut : 300) :
					  rnd() % cut;
			b[off] ^= (unsigned char)(1 + rnd() % 255);
		}
		if (rnd() % 2)
			fix_crc(b, cut);
		exp.nr_slots = rnd() % 2 ? 84 : 0;
		exp.ptr_size = rnd() % 3 ? 0 : 8;
		r = vmi_sites_check(b, cut, rnd() % 2 ? &exp : NULL, &info);
		if (r > 0 || r < VMI_SITES_ERROR_LAST)
			bad++;
		if (r == 0)
			(*accepted)++;
		else
			codes[-r] = 1;
		free(b);
	}
	return bad;
}

static void test_table(const char *name, unsigned char *buf, size_t len,
		       int iters)
{
	struct vmi_sites_info info;
	int r, accepted = 0, codes[64] = { 0 }, bad, i, nc = 0;
	char t[512], d[256];

	r = vmi_sites_check(buf, len, NULL, &info);
	snprintf(t, sizeof(t), "%s: valid table accepted", name);
	snprintf(d, sizeof(d), "rejected: %s (site %d)", vmi_sites_strerror(r),
		 info.bad_site);
	result(r == 0, t, d);
	bad = fuzz(buf, len, iters, &accepted, codes);
	for (i = 0; i < 64; i++)
		nc += codes[i];
	snprintf(t, sizeof(t),
		 "%s: prefixes and %d random corruptions checked in bounds (%d error classes seen, %d harmless)",
		 name, iters, nc, accepted);
	result(!bad, t, "a prefix was accepted or a bad code returned");
}

/*
 * A PARAINSTR x86_64 table of @nr calls, @slot[i] reading @target[i]
 * (ff 15 rip-relative), the link address of 4.14.170's image.
 */
static unsigned char *split_table(const uint16_t *slot,
				  const uint64_t *target, uint32_t nr,
				  size_t *len)
{
	unsigned char *buf = synth(VMI_SITES_KIND_PARAINSTR, 8, nr, len);
	struct vmi_site *s = (struct vmi_site *)(buf + sizeof(struct vmi_sites_header));
	uint32_t i, disp;

	for (i = 0; i < nr; i++) {
		disp = (uint32_t)(target[i] - s[i].addr - 6);
		memcpy(s[i].orig + 2, &disp, 4);
		s[i].slot = slot[i];
	}
	fix_crc(buf, *len);
	return buf;
}

/*
 * Up to 4.19 the calls read the members of struct
 * paravirt_patch_template, separate globals: 4.14.170's System.map has
 * pv_mmu_ops at ...bedd60, pv_cpu_ops ...e2d820, pv_irq_ops ...e2d940,
 * pv_time_ops ...e2d970, pv_lock_ops ...e2da00, at template slots 43, 3,
 * 37, 1 and 83.
 */
#define MMU	0xffffffff81bedd60ull
#define CPU	0xffffffff81e2d820ull
#define IRQ	0xffffffff81e2d940ull
#define TIME	0xffffffff81e2d970ull
#define LOCK	0xffffffff81e2da00ull

struct split_case {
	const char *name;
	int want;		/* error, or 0 */
	uint32_t max_globals;
	int bad_site;		/* the site it names, or -1 */
	uint32_t nr;
	uint16_t slot[8];
	uint64_t target[8];
};

static const struct split_case split_cases[] = {
	{ "4.14's five globals, read at their own slots", 0, 0, -1, 8,
	  { 3, 43, 1, 37, 83, 36, 81, 2 },
	  { CPU, MMU, TIME, IRQ, LOCK, CPU + 33 * 8, MMU + 38 * 8, TIME + 8 } },
	{ "the same where the kernel has one pv_ops (max_globals 1)",
	  VMI_SITES_ESITE_INSN, 1, 1, 8,
	  { 3, 43, 1, 37, 83, 36, 81, 2 },
	  { CPU, MMU, TIME, IRQ, LOCK, CPU + 33 * 8, MMU + 38 * 8, TIME + 8 } },
	{ "max_globals 3 allows 3 of them", VMI_SITES_ESITE_INSN, 3, 3, 4,
	  { 3, 43, 1, 37 }, { CPU, MMU, TIME, IRQ } },
	{ "seven globals, one more than the template has members",
	  VMI_SITES_ESITE_INSN, 0, 6, 7, { 1, 2, 3, 4, 5, 6, 7 },
	  { TIME, CPU, IRQ, MMU, LOCK, TIME + 0x100, CPU + 0x200 } },
	{ "two globals' slot runs meet", VMI_SITES_ESITE_INSN, 0, 2, 3,
	  { 3, 37, 40 }, { CPU, IRQ, CPU + 37 * 8 } },
	{ "a slot in one global's run read through another",
	  VMI_SITES_ESITE_INSN, 0, 2, 3, { 3, 10, 5 },
	  { CPU, CPU + 7 * 8, IRQ } },
	{ "two globals share a pointer", VMI_SITES_ESPLIT, 0, 2, 3,
	  { 3, 4, 40 }, { CPU, CPU + 8, CPU + 8 } },
	{ "a second global outside the image", VMI_SITES_ESPLIT, 0, 1, 2,
	  { 3, 37 }, { CPU, 0xffffffffc2000000ull } },
	{ "the first global outside the image, once there are two",
	  VMI_SITES_ESPLIT, 0, 1, 2, { 3, 37 },
	  { 0xffffffffc2000000ull, IRQ } },
};

static void test_split(void)
{
	const struct split_case *c;
	struct vmi_sites_expect exp;
	struct vmi_sites_info info;
	unsigned char *b;
	char t[256], d[256];
	size_t len, i;
	int r;

	for (i = 0; i < sizeof(split_cases) / sizeof(split_cases[0]); i++) {
		c = &split_cases[i];
		b = split_table(c->slot, c->target, c->nr, &len);
		memset(&exp, 0, sizeof(exp));
		exp.max_globals = c->max_globals;
		r = vmi_sites_check(b, len, &exp, &info);
		snprintf(t, sizeof(t), "split pv ops: %s: %s", c->name,
			 vmi_sites_strerror(c->want));
		snprintf(d, sizeof(d), "got %s (site %d), want site %d",
			 vmi_sites_strerror(r), info.bad_site, c->bad_site);
		result(r == c->want && info.bad_site == c->bad_site, t, d);
		free(b);
	}

	/* what the first case tells */
	c = &split_cases[0];
	b = split_table(c->slot, c->target, c->nr, &len);
	r = vmi_sites_check(b, len, NULL, &info);
	result(!r && info.nr_globals == 5 && !info.pv_ops &&
	       info.globals[0].base == CPU - 3 * 8 &&
	       info.globals[0].slot_lo == 3 && info.globals[0].slot_hi == 36 &&
	       info.globals[1].base == MMU - 43 * 8 &&
	       info.globals[1].slot_hi == 81 && info.max_slot == 83,
	       "split pv ops: info has each global's base and slot range, no pv_ops",
	       "wrong info");
	test_table("synthetic split parainstr x86_64", b, len, 20000);
	free(b);
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
	FILE *f;
	int i;

	/* unit --synth parainstr|altcall OUT: write a synthetic table */
	if (argc == 4 && !strcmp(argv[1], "--synth")) {
		b = synth(strcmp(argv[2], "altcall") ? VMI_SITES_KIND_PARAINSTR :
			  VMI_SITES_KIND_ALTCALL, 8, 50, &len);
		f = fopen(argv[3], "wb");
		if (!f || fwrite(b, 1, len, f) != len || fclose(f))
			return 1;
		free(b);
		return 0;
	}
	test_crc();
	test_messages();
	b = synth(VMI_SITES_KIND_PARAINSTR, 8, 50, &len);
	test_table("synthetic parainstr x86_64", b, len, 20000);
	free(b);
	b = synth(VMI_SITES_KIND_PARAINSTR, 4, 50, &len);
	test_table("synthetic parainstr i386", b, len, 20000);
	free(b);
	test_split();
	b = synth(VMI_SITES_KIND_ALTCALL, 8, 50, &len);
	test_table("synthetic altcall x86_64", b, len, 20000);
	free(b);
	b = synth(VMI_SITES_KIND_ALTCALL, 4, 50, &len);
	test_table("synthetic altcall i386", b, len, 20000);
	free(b);
	for (i = 1; i < argc; i++) {
		char name[300];

		if (read_all(argv[i], &b, &len) < 0) {
			snprintf(name, sizeof(name), "read %s", argv[i]);
			result(0, name, "cannot read");
			continue;
		}
		snprintf(name, sizeof(name), "table of %s",
			 ((struct vmi_sites_header *)b)->release);
		test_table(name, b, len, 2000);
		free(b);
	}
	return failed;
}
