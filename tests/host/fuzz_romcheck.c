// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for common/romcheck.c.  ASan catches any read outside
 * the input (libFuzzer hands over exactly-sized buffers); on top of that,
 * a "valid" verdict must imply the properties docs/abi.md promises, which
 * are re-checked here independently of the validator's code.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../include/vmi/abi.h"
#include "../../include/vmi/romcheck.h"

#define REQUIRE(c)	do { if (!(c)) abort(); } while (0)

static unsigned int le16(const uint8_t *p)
{
	return p[0] | p[1] << 8;
}

static int string_inside(const uint8_t *d, size_t n, const char *s)
{
	const uint8_t *p = (const uint8_t *)s;

	return p >= d && p < d + n && memchr(p, 0, d + n - p);
}

static int jump_inside(const uint8_t *d, size_t n, size_t slot, uint32_t target)
{
	int64_t t;

	if (d[slot] == 0xe9)
		t = (int64_t)slot + 5 + (int32_t)(d[slot + 1] | d[slot + 2] << 8 |
						  d[slot + 3] << 16 |
						  (uint32_t)d[slot + 4] << 24);
	else if (d[slot] == 0xeb)
		t = (int64_t)slot + 2 + (int8_t)d[slot + 1];
	else
		return 0;
	return t == target && t >= VMI_HEADER_SIZE && (uint64_t)t < n;
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct vmi_rom_info in;
	int ret = vmi_rom_check(d, n, &in);
	uint8_t sum = 0;
	size_t i;

	REQUIRE(ret <= 0 && ret >= VMI_ROM_ERROR_LAST);
	REQUIRE(vmi_rom_strerror(ret) && *vmi_rom_strerror(ret));
	if (ret)
		return 0;

	REQUIRE(n >= VMI_HEADER_SIZE && n % VMI_ROM_BLOCK == 0);
	REQUIRE(n == (size_t)d[VMI_OFF_ROM_LENGTH] * VMI_ROM_BLOCK);
	REQUIRE(le16(d) == VMI_ROM_SIGNATURE);
	REQUIRE(!memcmp(d + VMI_OFF_VROM_SIGNATURE, "cVmi", 4));
	REQUIRE(d[VMI_OFF_API_MAJOR] == VMI_API_MAJOR);
	for (i = 0; i < n; i++)
		sum += d[i];
	REQUIRE(sum == 0);
	REQUIRE(in.license && string_inside(d, n, in.license));
	REQUIRE(!strcmp(in.license, "GPL") || !strcmp(in.license, "GPL v2"));
	REQUIRE(le16(d + VMI_OFF_PCI_HEADER) &&
		le16(d + VMI_OFF_PCI_HEADER) + VMI_PCIR_SIZE <= n &&
		!memcmp(d + le16(d + VMI_OFF_PCI_HEADER), "PCIR", 4));
	REQUIRE(le16(d + VMI_OFF_PNP_HEADER) &&
		le16(d + VMI_OFF_PNP_HEADER) + VMI_PNP_SIZE <= n &&
		!memcmp(d + le16(d + VMI_OFF_PNP_HEADER), "$PnP", 4));
	REQUIRE(!in.manufacturer || string_inside(d, n, in.manufacturer));
	REQUIRE(!in.product || string_inside(d, n, in.product));
	REQUIRE(jump_inside(d, n, VMI_OFF_INIT, in.init_target));
	REQUIRE(jump_inside(d, n, VMI_OFF_GET_RELOC, in.reloc_target));
	/* No state block: a VMI 3.0 image (the i386 ROM), nothing else. */
	if (in.state_size)
		REQUIRE(in.state_align >= 8 && in.state_align <= 4096 &&
			in.state_size % in.state_align == 0);
	else
		REQUIRE(d[VMI_OFF_API_MINOR] == 0 && !in.state_align &&
			!in.state_percpu);
	return 0;
}
