// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for common/modsites_check.c, the validator the module
 * runs on the module site table (modsites=), and for what vmi-sites does
 * with such a table (check, info, list: tools/vmi-sites/modules.c), which
 * reads it through the validator's verdict.  A valid verdict must imply
 * include/vmi/modsites.h's promises, re-checked here independently.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../include/vmi/le.h"
#include "../../include/vmi/modsites.h"
#include "../../include/vmi/modsites_check.h"
#include "../../include/vmi/sites_check.h"
#include "../../tools/vmi-sites/vmi-sites.h"

#define REQUIRE(c)	do { if (!(c)) abort(); } while (0)
#define HOFF(f)		offsetof(struct vmi_modsites_header, f)
#define MOFF(f)		offsetof(struct vmi_modsites_module, f)
#define SOFF(f)		offsetof(struct vmi_modsite, f)
#define HSIZE		sizeof(struct vmi_modsites_header)
#define MSIZE		sizeof(struct vmi_modsites_module)
#define SSIZE		sizeof(struct vmi_modsite)

/* vmi-sites info and list print to stdout: not into the fuzzer's log */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (!freopen("/dev/null", "w", stdout))
		abort();
	return 0;
}

/* The independent re-check of a table the validator accepted; max slot. */
static uint32_t check_valid(const uint8_t *d, size_t n)
{
	uint32_t nm = vmi_get32(d + HOFF(nr_modules));
	uint32_t ns = vmi_get32(d + HOFF(nr_sites));
	const uint8_t *mods = d + HSIZE, *sites = mods + (size_t)nm * MSIZE;
	uint32_t i, j, k, next = 0, max_slot = 0;

	REQUIRE(!memcmp(d, VMI_MODSITES_MAGIC, 8));
	REQUIRE(nm <= VMI_MODSITES_MAX_MODULES && ns <= VMI_MODSITES_MAX_SITES);
	REQUIRE(n == HSIZE + (size_t)nm * MSIZE + (size_t)ns * SSIZE);
	REQUIRE(vmi_crc32(0, mods, n - HSIZE) == vmi_get32(d + HOFF(crc32)));
	REQUIRE(d[HOFF(release)] && memchr(d + HOFF(release), 0, 64));
	for (i = 0; i < nm; i++) {
		const uint8_t *m = mods + (size_t)i * MSIZE;
		uint32_t first = vmi_get32(m + MOFF(first_site));
		uint32_t nr = vmi_get32(m + MOFF(nr_sites));
		uint64_t prev_end = 0;

		REQUIRE(m[MOFF(name)]);
		REQUIRE(memchr(m + MOFF(name), 0, VMI_MODULE_NAME_LEN));
		for (k = 0; k < i; k++)
			REQUIRE(strcmp((const char *)m + MOFF(name),
				       (const char *)mods + (size_t)k * MSIZE +
				       MOFF(name)));
		REQUIRE(first == next && nr <= ns - next);
		REQUIRE(vmi_get32(m + MOFF(build_id_len)) <= 40);
		for (j = first; j < first + nr; j++) {
			const uint8_t *s = sites + (size_t)j * SSIZE;
			uint64_t addr = vmi_get64(s + SOFF(addr));
			uint8_t len = s[SOFF(len)];

			REQUIRE(len >= VMI_MODSITE_MIN_LEN &&
				len <= VMI_MODSITE_MAX_LEN);
			REQUIRE(addr >= VMI_MODSITES_ADDR_MIN &&
				addr + len > addr && addr >= prev_end);
			prev_end = addr + len;
			if (vmi_get16(s + SOFF(slot)) > max_slot)
				max_slot = vmi_get16(s + SOFF(slot));
		}
		next += nr;
	}
	REQUIRE(next == ns);
	return max_slot;
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct vmi_modsites_info in;
	uint32_t max_slot;
	struct buf b;
	int ret;

	ret = vmi_modsites_check(d, n, NULL, 0, &in);
	REQUIRE(ret <= 0 && ret >= VMI_MODSITES_ERROR_LAST);
	REQUIRE(vmi_modsites_strerror(ret) && *vmi_modsites_strerror(ret));
	REQUIRE(in.bad_module >= -1 && in.bad_site >= -1);
	REQUIRE(in.bad_module < 0 || (uint32_t)in.bad_module < in.nr_modules);
	REQUIRE(in.bad_site < 0 || (uint32_t)in.bad_site < in.nr_sites);
	if (!ret) {
		REQUIRE(in.bad_module == -1 && in.bad_site == -1);
		max_slot = check_valid(d, n);
		REQUIRE(!vmi_modsites_check(d, n, (const char *)d + HOFF(release),
					    max_slot + 1, NULL));
		if (max_slot)
			REQUIRE(vmi_modsites_check(d, n, NULL, max_slot, NULL) ==
				VMI_MODSITES_ESITE_SLOT);
	}

	/* the tool reads a table file into malloc()ed memory */
	b.len = n;
	b.data = malloc(n ? n : 1);
	if (!b.data)
		return 0;
	memcpy(b.data, d, n);
	if (is_modsites(&b)) {
		REQUIRE(modsites_check("fuzz.modsites", &b, "6.1.0-fuzz", 84) <= 1);
		REQUIRE(modsites_info("fuzz.modsites", &b) == !!ret);
		REQUIRE(modsites_list("fuzz.modsites", &b) == !!ret);
	}
	free(b.data);
	return 0;
}
