// SPDX-License-Identifier: GPL-2.0
/* The ROM file under test, read once; every VM gets its own copy. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "vmi/abi.h"
#include "vmm.h"

uint8_t *rom_img;
size_t rom_len;

void rom_load(const char *path)
{
	struct stat st;
	FILE *f = fopen(path, "rb");

	if (!f || fstat(fileno(f), &st))
		die("open %s", path);
	rom_len = (size_t)st.st_size;
	rom_img = malloc(rom_len);
	if (!rom_img || fread(rom_img, 1, rom_len, f) != rom_len)
		die("read %s", path);
	fclose(f);
	if (rom_len < VMI_HEADER_SIZE || rom_img[0] != 0x55 ||
	    rom_img[1] != 0xaa ||
	    memcmp(rom_img + VMI_OFF_VROM_SIGNATURE, "cVmi", 4))
		die("%s is not a VMI ROM", path);
}
