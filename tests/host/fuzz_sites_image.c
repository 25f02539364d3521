// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for vmi-sites' kernel image reader and site extractor
 * (tools/vmi-sites/image.c, extract.c): a bzImage (setup header, every
 * payload compression) or an ELF vmlinux, as `vmi-sites extract` reads it
 * from /boot.  ASan/UBSan watch the parsers; a table extracted without
 * error must hold what the tool promises, re-checked here.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../tools/vmi-sites/vmi-sites.h"

#define REQUIRE(c)	do { if (!(c)) abort(); } while (0)

static void check_table(const struct kimage *img, const struct table *tab)
{
	const struct vmi_sites_header *h = &tab->hdr;
	uint32_t i;

	REQUIRE(tab->nr && h->nr_sites == tab->nr && tab->nr <= VMI_SITES_MAX);
	REQUIRE(h->kind == VMI_SITES_KIND_PARAINSTR ||
		h->kind == VMI_SITES_KIND_ALTCALL);
	REQUIRE(h->ptr_size == 4 || h->ptr_size == 8);
	REQUIRE(h->build_id_len >= 1 && h->build_id_len <= sizeof(h->build_id));
	REQUIRE(memchr(h->release, 0, sizeof(h->release)) && h->release[0]);
	REQUIRE(strlen(img->release) < sizeof(img->release));
	REQUIRE(h->entries_crc32 ==
		vmi_crc32(0, tab->sites, (size_t)tab->nr * sizeof(*tab->sites)));
	for (i = 0; i < tab->nr; i++) {
		const struct vmi_site *s = &tab->sites[i];

		REQUIRE(s->len >= 1 && s->len <= VMI_SITE_MAX_LEN);
		REQUIRE(s->orig_len == s->len);
		if (h->kind == VMI_SITES_KIND_ALTCALL)
			REQUIRE(s->len == 6 && s->orig[0] == 0xff &&
				s->orig[1] == 0x15 &&
				s->slot == VMI_SITE_SLOT_UNKNOWN);
		REQUIRE(!i || s->addr >= tab->sites[i - 1].addr +
			tab->sites[i - 1].len);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct kimage img;
	struct table tab;

	/* what load_image() has once it read the file */
	memset(&img, 0, sizeof(img));
	img.path = "fuzz-image";
	img.file.data = malloc(n ? n : 1);
	if (!img.file.data)
		return 0;
	memcpy(img.file.data, d, n);
	img.file.len = n;
	if (parse_image(&img) < 0)
		return 0;
	/* a bzImage's payload may unpack to anything: extract_table() checks */
	REQUIRE(img.elf.data || !img.elf.len);
	if (!img.is_bzimage)
		REQUIRE(img.elf.len >= 4 &&
			!memcmp(img.elf.data, "\x7f" "ELF", 4));
	if (extract_table(&img, &tab) == 0)
		check_table(&img, &tab);
	free(tab.sites);
	free_image(&img);
	return 0;
}
