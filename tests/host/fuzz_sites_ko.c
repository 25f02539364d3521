// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for vmi-sites' kernel module reader (tools/vmi-sites/
 * ko.c; decompression in image.c, ELF in extract.c): a .ko, plain or xz,
 * zstd or gzip compressed, as `vmi-sites modules` reads it from
 * /lib/modules; its name, build ID and pv call sites, then their running
 * addresses (modsysfs.c) with every section loaded at 0xffffffffc0000000
 * plus its sh_addr, so the input chooses overlaps and wraps too.  The
 * sites found must hold what the module site table promises.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../include/vmi/modsites_check.h"
#include "../../tools/vmi-sites/modules.h"

#define REQUIRE(c)	do { if (!(c)) abort(); } while (0)
#define LOAD_BASE	0xffffffffc0000000ULL

/*
 * Each site a pv call inside an executable section: "ff 15" (call
 * *pv_ops+slot*8(%rip)) or, up to 5.10, "ff 14 25" (call *abs32).
 */
static void check_places(const struct ko *k, const struct modres *m)
{
	uint32_t i;

	for (i = 0; i < m->nr; i++) {
		const struct msite *s = &m->sites[i];
		const struct section *sec;

		REQUIRE(s->sec < k->e.nsecs);
		sec = &k->e.secs[s->sec];
		REQUIRE(sec->data && (sec->flags & SHF_EXECINSTR));
		REQUIRE(s->len >= 6 && s->len <= VMI_MODSITE_MAX_LEN);
		REQUIRE(s->off < sec->size && s->len <= sec->size - s->off);
		REQUIRE(sec->data[s->off] == 0xff &&
			(sec->data[s->off + 1] == 0x15 ||
			 (s->len >= 7 && sec->data[s->off + 1] == 0x14 &&
			  sec->data[s->off + 2] == 0x25)));
		REQUIRE(s->slot < VMI_SITE_SLOT_UNKNOWN);
		REQUIRE(strncmp(sec->name, ".init", 5));
	}
}

static void check_addresses(const struct modres *m)
{
	uint32_t i;

	for (i = 0; i < m->nr; i++) {
		const struct msite *s = &m->sites[i];

		REQUIRE(s->addr >= VMI_MODSITES_ADDR_MIN);
		REQUIRE(s->addr + s->len > s->addr);
		REQUIRE(!i || s->addr >= m->sites[i - 1].addr +
			m->sites[i - 1].len);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	char name[NAME_LEN];
	const uint8_t *id;
	uint64_t *bases;
	struct modres m;
	uint32_t id_len;
	unsigned int i;
	struct ko k;
	int r;

	/* what load_ko() has once it read the file */
	memset(&k, 0, sizeof(k));
	k.path = "fuzz.ko";
	k.file.data = malloc(n ? n : 1);
	if (!k.file.data)
		return 0;
	memcpy(k.file.data, d, n);
	k.file.len = n;
	if (parse_ko(&k) < 0)
		return 0;

	if (modinfo_name(&k, name) == 0)
		REQUIRE(name[0] && strlen(name) < NAME_LEN &&
			!strpbrk(name, "-/"));
	r = ko_build_id(&k, &id, &id_len);
	REQUIRE(r >= -1 && r <= 1);
	if (r == 1)
		REQUIRE(id_len >= 1 && id_len <= BUILD_ID_MAX &&
			id >= k.e.data && id + id_len <= k.e.data + k.e.len);

	memset(&m, 0, sizeof(m));
	strcpy(m.name, "fuzz");
	if (ko_sites(&k, &m) == 0 && m.nr) {
		check_places(&k, &m);
		bases = calloc(k.e.nsecs, sizeof(*bases));
		if (bases) {
			for (i = 0; i < k.e.nsecs; i++)
				bases[i] = LOAD_BASE + k.e.secs[i].addr;
			if (set_addresses("fuzz-sysfs", &k, &m, bases) == MOD_OK)
				check_addresses(&m);
			free(bases);
		}
	}
	free(m.sites);
	free_ko(&k);
	return 0;
}
