// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of common/romcheck.c against the real built ROM: the valid
 * image passes with the documented fields, every mutation in mutants.c
 * gets its own error code, every prefix of the image is rejected without
 * reading past it (the tests run under ASan with exact-size buffers).
 *
 *   test_romcheck ROM                      run the tests
 *   test_romcheck ROM --write-mutants DIR  write DIR/<name>.bin + manifest
 */
#include <stdlib.h>
#include <string.h>

#include "../../include/vmi/abi.h"
#include "../../include/vmi/romcheck.h"
#include "mutants.h"
#include "../lib/tap.h"

static struct image load(const char *path)
{
	struct image im = { 0 };
	FILE *f = fopen(path, "rb");

	if (!f) {
		perror(path);
		exit(2);
	}
	im.cap = 256 * VMI_ROM_BLOCK;
	im.b = calloc(1, im.cap);
	im.len = fread(im.b, 1, im.cap - 2 * VMI_ROM_BLOCK, f);
	fclose(f);
	return im;
}

/* The mutated image in a buffer of exactly its size, for ASan. */
static uint8_t *mutate(const struct image *orig, const struct mutant *m,
		       size_t *len)
{
	struct image im = *orig;
	uint8_t *exact;

	im.b = malloc(orig->cap);
	memcpy(im.b, orig->b, orig->cap);
	m->mutate(&im);
	exact = malloc(im.len ? im.len : 1);
	memcpy(exact, im.b, im.len);
	free(im.b);
	*len = im.len;
	return exact;
}

static void test_valid_fields(const struct image *im)
{
	struct vmi_rom_info in;
	int ret = vmi_rom_check(im->b, im->len, &in);

	tap_ok(ret == 0, "real ROM validates (%s)", vmi_rom_strerror(ret));
	tap_ok(in.api_major == VMI_API_MAJOR && in.api_minor == VMI_API_MINOR,
	       "header carries VMI %d.%d", VMI_API_MAJOR, VMI_API_MINOR);
	tap_ok(in.size % VMI_ROM_BLOCK == 0 && in.rom_length * VMI_ROM_BLOCK == in.size,
	       "size %zu is rom_length %u * 512", in.size, in.rom_length);
	tap_ok(in.license && !strcmp(in.license, "GPL v2"), "license is \"GPL v2\"");
	tap_ok(in.pci_vendor == VMI_PCI_VENDOR && in.pci_device == VMI_PCI_DEVICE,
	       "PCI ids %04x:%04x", in.pci_vendor, in.pci_device);
	tap_ok(in.manufacturer && in.product && *in.manufacturer && *in.product,
	       "PnP manufacturer and product strings present");
	tap_ok(in.init_target >= VMI_HEADER_SIZE && in.init_target < in.size &&
	       in.reloc_target >= VMI_HEADER_SIZE && in.reloc_target < in.size,
	       "entry slots jump into the image code");
	tap_ok(in.state_size && in.state_align >= 64 && in.state_percpu >= 64,
	       "state block %u bytes + %u per CPU, align %u", in.state_size,
	       in.state_percpu, in.state_align);
}

static void test_mutants(const struct image *im)
{
	size_t i, len;

	for (i = 0; i < nr_mutants; i++) {
		uint8_t *img = mutate(im, &mutants[i], &len);
		int ret = vmi_rom_check(img, len, NULL);

		tap_ok(ret == mutants[i].expect, "%s: got %d (%s), want %d",
		       mutants[i].name, ret, vmi_rom_strerror(ret),
		       mutants[i].expect);
		free(img);
	}
}

static void test_every_error_class_covered(void)
{
	int code, missing = 0;
	size_t i;

	for (code = -1; code >= VMI_ROM_ERROR_LAST; code--) {
		for (i = 0; i < nr_mutants; i++)
			if (mutants[i].expect == code)
				break;
		if (i == nr_mutants) {
			tap_diag("no mutant produces %d", code);
			missing++;
		}
	}
	tap_ok(!missing, "every error code has a mutant that produces it");
}

static void test_messages(void)
{
	int a, b, distinct = 1;

	for (a = 0; a >= VMI_ROM_ERROR_LAST; a--)
		for (b = a - 1; b >= VMI_ROM_ERROR_LAST; b--)
			if (!strcmp(vmi_rom_strerror(a), vmi_rom_strerror(b)))
				distinct = 0;
	tap_ok(distinct, "one distinct message per error code");
	tap_ok(!strcmp(vmi_rom_strerror(0), "OK"), "code 0 reads OK");
	tap_ok(vmi_rom_strerror(VMI_ROM_ERROR_LAST - 1) != NULL &&
	       vmi_rom_strerror(1) != NULL && vmi_rom_strerror(-1000) != NULL,
	       "out-of-range codes still get a message");
}

static void test_prefixes(const struct image *im)
{
	size_t n, bad = 0;

	for (n = 0; n < im->len; n++) {
		uint8_t *p = malloc(n ? n : 1);

		memcpy(p, im->b, n);
		if (vmi_rom_check(p, n, NULL) >= 0)
			bad++;
		free(p);
	}
	tap_ok(!bad, "all %zu proper prefixes rejected in bounds", im->len);
}

static void test_null_info(const struct image *im)
{
	tap_ok(vmi_rom_check(im->b, im->len, NULL) == 0, "NULL info pointer accepted");
}

static int write_mutants(const struct image *im, const char *dir)
{
	char path[4096];
	FILE *man, *f;
	size_t i, len;

	snprintf(path, sizeof(path), "%s/manifest", dir);
	man = fopen(path, "w");
	if (!man) {
		perror(path);
		return 2;
	}
	for (i = 0; i < nr_mutants; i++) {
		uint8_t *img = mutate(im, &mutants[i], &len);

		snprintf(path, sizeof(path), "%s/%s.bin", dir, mutants[i].name);
		f = fopen(path, "wb");
		if (!f || fwrite(img, 1, len, f) != len || fclose(f)) {
			perror(path);
			return 2;
		}
		fprintf(man, "%s\t%d\t%s\n", mutants[i].name, mutants[i].expect,
			vmi_rom_strerror(mutants[i].expect));
		free(img);
	}
	return fclose(man) ? 2 : 0;
}

int main(int argc, char **argv)
{
	struct image im;

	if (argc != 2 && !(argc == 4 && !strcmp(argv[2], "--write-mutants"))) {
		fprintf(stderr, "usage: %s ROM [--write-mutants DIR]\n", argv[0]);
		return 2;
	}
	im = load(argv[1]);
	if (argc == 4) {
		int ret = write_mutants(&im, argv[3]);

		free(im.b);
		return ret;
	}

	test_valid_fields(&im);
	test_null_info(&im);
	test_mutants(&im);
	test_every_error_class_covered();
	test_messages();
	test_prefixes(&im);
	free(im.b);
	return tap_failed;
}
