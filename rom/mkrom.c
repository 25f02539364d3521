// SPDX-License-Identifier: GPL-2.0
/*
 * mkrom: turn the linked ROM (ELF, linked at 0) into vmi-rom.bin.
 *
 *  - refuses an ELF with dynamic relocations, GOT/PLT entries or writable
 *    data: the ROM must run wherever it is copied, unmodified;
 *  - pads to a multiple of 512 with one spare byte for the checksum;
 *  - sets rom_length, the PCI image length and the PnP header checksum;
 *  - makes the 8-bit sum of the whole image 0;
 *  - validates the result with the shared validator.
 *
 * Usage: mkrom ROM.elf OUT.bin
 */
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../include/vmi/abi.h"
#include "../include/vmi/romcheck.h"

static const char *prog = "mkrom";

static void die(const char *fmt, const char *arg)
{
	fprintf(stderr, "%s: ", prog);
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	exit(1);
}

static unsigned char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf;
	long n;

	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET))
		die("cannot read %s", path);
	buf = malloc(n ? n : 1);
	if (!buf || fread(buf, 1, n, f) != (size_t)n)
		die("cannot read %s", path);
	fclose(f);
	*len = n;
	return buf;
}

/* Sections a PIE link may leave that carry no code or data of ours. */
static int is_link_metadata(const char *name)
{
	static const char * const ok[] = {
		".dynamic", ".dynsym", ".dynstr", ".hash", ".gnu.hash",
		".shstrtab", ".symtab", ".strtab", "",
	};
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (!strcmp(name, ok[i]))
			return 1;
	return 0;
}

/* Find .rom and check nothing position-dependent or writable came along. */
static const Elf64_Shdr *find_rom(const unsigned char *elf, size_t len)
{
	const Elf64_Ehdr *eh = (const void *)elf;
	const Elf64_Shdr *sh, *rom = NULL;
	const char *names;
	int i;

	if (len < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_machine != EM_X86_64)
		die("%s", "input is not an x86-64 ELF64 file");
	if (eh->e_shoff > len || eh->e_shnum > (len - eh->e_shoff) / sizeof(*sh) ||
	    eh->e_shstrndx >= eh->e_shnum)
		die("%s", "bad section header table");
	sh = (const void *)(elf + eh->e_shoff);
	if (sh[eh->e_shstrndx].sh_offset > len)
		die("%s", "bad section name table");
	names = (const char *)elf + sh[eh->e_shstrndx].sh_offset;

	for (i = 0; i < eh->e_shnum; i++) {
		const char *name = names + sh[i].sh_name;

		if (!strcmp(name, ".rom")) {
			rom = &sh[i];
			continue;
		}
		if (!sh[i].sh_size || is_link_metadata(name))
			continue;
		if (sh[i].sh_type == SHT_RELA || sh[i].sh_type == SHT_REL)
			die("dynamic relocations in %s: ROM code is not position independent", name);
		if (sh[i].sh_flags & SHF_ALLOC)
			die("unexpected section %s: the ROM is code and constants only", name);
	}
	if (!rom || rom->sh_type != SHT_PROGBITS || rom->sh_addr != 0 ||
	    rom->sh_offset > len || rom->sh_size > len - rom->sh_offset)
		die("%s", "no .rom section linked at 0");
	return rom;
}

static uint16_t get16(const unsigned char *p)
{
	return p[0] | p[1] << 8;
}

static unsigned char sum8(const unsigned char *p, size_t n)
{
	unsigned char s = 0;

	while (n--)
		s += *p++;
	return s;
}

int main(int argc, char **argv)
{
	const Elf64_Shdr *rom;
	struct vmi_rom_info info;
	unsigned char *elf, *img;
	size_t len, size, pcir, pnp;
	FILE *out;
	int ret;

	if (argc != 3) {
		fprintf(stderr, "usage: %s ROM.elf OUT.bin\n", prog);
		return 2;
	}
	elf = read_file(argv[1], &len);
	rom = find_rom(elf, len);

	/* One spare byte at the end always exists for the checksum. */
	size = (rom->sh_size + 1 + VMI_ROM_BLOCK - 1) / VMI_ROM_BLOCK * VMI_ROM_BLOCK;
	if (size / VMI_ROM_BLOCK > VMI_ROM_MAX_BLOCKS)
		die("%s", "ROM larger than 255 * 512 bytes");
	if (rom->sh_size < VMI_HEADER_SIZE)
		die("%s", "ROM shorter than its header");
	img = calloc(1, size);
	if (!img)
		die("%s", "out of memory");
	memcpy(img, elf + rom->sh_offset, rom->sh_size);

	img[VMI_OFF_ROM_LENGTH] = size / VMI_ROM_BLOCK;
	pcir = get16(img + VMI_OFF_PCI_HEADER);
	pnp = get16(img + VMI_OFF_PNP_HEADER);
	if (pcir + VMI_PCIR_SIZE > rom->sh_size || pnp + VMI_PNP_SIZE > rom->sh_size)
		die("%s", "PCI or PnP header outside the linked ROM");
	img[pcir + VMI_PCIR_OFF_IMAGE_LEN] = size / VMI_ROM_BLOCK;
	img[pcir + VMI_PCIR_OFF_IMAGE_LEN + 1] = 0;
	img[pnp + VMI_PNP_OFF_CHECKSUM] = 0;
	img[pnp + VMI_PNP_OFF_CHECKSUM] = -sum8(img + pnp, VMI_PNP_SIZE);
	img[size - 1] = 0;
	img[size - 1] = -sum8(img, size);

	ret = vmi_rom_check(img, size, &info);
	if (ret)
		die("result does not validate: %s", vmi_rom_strerror(ret));

	out = fopen(argv[2], "wb");
	if (!out || fwrite(img, 1, size, out) != size || fclose(out))
		die("cannot write %s", argv[2]);
	printf("%s: %zu bytes (%zu used), VMI %u.%u\n", argv[2], size,
	       (size_t)rom->sh_size, info.api_major, info.api_minor);
	free(img);
	free(elf);
	return 0;
}
