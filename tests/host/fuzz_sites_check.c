// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for common/sites_check.c, the validator the module runs
 * on the vmlinux site table (sites=) before it writes kernel text.  ASan
 * catches any read outside the input; a valid verdict must imply what
 * include/vmi/sites.h promises, re-checked here independently, and the
 * table's own build ID, release, kind and pointer size must then satisfy
 * the expectations, while another build ID must not.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../include/vmi/le.h"
#include "../../include/vmi/sites.h"
#include "../../include/vmi/sites_check.h"

#define REQUIRE(c)	do { if (!(c)) abort(); } while (0)
#define HOFF(f)		offsetof(struct vmi_sites_header, f)
#define SOFF(f)		offsetof(struct vmi_site, f)
#define HSIZE		sizeof(struct vmi_sites_header)
#define SSIZE		sizeof(struct vmi_site)

/* Every entry inside [link_text, +1 GiB), sorted, apart, with a sane length. */
static void check_entries(const uint8_t *d, uint32_t nr, uint64_t text)
{
	uint64_t prev_end = 0, addr;
	uint32_t i;
	uint8_t len;

	for (i = 0; i < nr; i++) {
		const uint8_t *s = d + HSIZE + (size_t)i * SSIZE;

		addr = vmi_get64(s + SOFF(addr));
		len = s[SOFF(len)];
		REQUIRE(len >= 1 && len <= VMI_SITE_MAX_LEN);
		REQUIRE(s[SOFF(orig_len)] == len);
		REQUIRE(addr >= text && addr - text + len <= VMI_SITES_IMAGE_SPAN);
		REQUIRE(!i || addr >= prev_end);
		prev_end = addr + len;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct vmi_sites_expect exp;
	struct vmi_sites_info in, in2;
	uint8_t other_id[40];
	uint64_t span;
	uint32_t nr;
	int ret;

	ret = vmi_sites_check(d, n, NULL, &in);
	REQUIRE(ret <= 0 && ret >= VMI_SITES_ERROR_LAST);
	REQUIRE(vmi_sites_strerror(ret) && *vmi_sites_strerror(ret));
	REQUIRE(in.bad_site >= -1);
	if (ret) {
		REQUIRE(in.bad_site < 0 || (uint32_t)in.bad_site < in.nr_sites);
		return 0;
	}

	REQUIRE(in.bad_site == -1);
	nr = vmi_get32(d + HOFF(nr_sites));
	REQUIRE(nr == in.nr_sites && nr >= 1 && nr <= VMI_SITES_MAX);
	REQUIRE(n == HSIZE + (size_t)nr * SSIZE);
	REQUIRE(!memcmp(d, VMI_SITES_MAGIC, 8));
	REQUIRE(vmi_crc32(0, d + HSIZE, n - HSIZE) ==
		vmi_get32(d + HOFF(entries_crc32)));
	REQUIRE(in.ptr_size == 4 || in.ptr_size == 8);
	REQUIRE(in.kind == VMI_SITES_KIND_PARAINSTR ||
		in.kind == VMI_SITES_KIND_ALTCALL);
	REQUIRE(memchr(d + HOFF(release), 0, 64));
	REQUIRE(in.init_begin < in.init_end);
	check_entries(d, nr, in.link_text);

	/* its own identity, and enough slots for what it uses, pass */
	memset(&exp, 0, sizeof(exp));
	exp.kind = in.kind;
	exp.ptr_size = in.ptr_size;
	exp.build_id_len = vmi_get32(d + HOFF(build_id_len));
	exp.build_id = d + HOFF(build_id);
	exp.release = (const char *)d + HOFF(release);
	/* several globals (up to 4.19): no window across them */
	span = in.nr_globals > 1 ? 0 : (in.call_max - in.call_min) / in.ptr_size;
	exp.nr_slots = in.max_slot + 1 > span + 1 ? in.max_slot + 1 :
		       (uint32_t)span + 1;
	exp.max_globals = in.nr_globals;
	REQUIRE(vmi_sites_check(d, n, &exp, &in2) == VMI_SITES_OK);
	REQUIRE(!memcmp(&in, &in2, sizeof(in)));

	/* another build ID does not */
	memcpy(other_id, d + HOFF(build_id), sizeof(other_id));
	other_id[0] ^= 1;
	exp.build_id = other_id;
	REQUIRE(vmi_sites_check(d, n, &exp, NULL) == VMI_SITES_EWRONG_BUILD_ID);
	return 0;
}
