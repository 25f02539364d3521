/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The malformed-image classes: each mutation of the real, valid ROM and the
 * vmi_rom_check() result it must produce.  Shared by test_romcheck (unit
 * tests), the CLI tests (via --write-mutants) and the fuzz seed corpus.
 */
#ifndef VMI_TESTS_MUTANTS_H
#define VMI_TESTS_MUTANTS_H

#include <stddef.h>
#include <stdint.h>

struct image {
	uint8_t *b;
	size_t len;
	size_t cap;
};

struct mutant {
	const char *name;	/* also the file name stem */
	int expect;		/* enum vmi_rom_error */
	void (*mutate)(struct image *im);
};

extern const struct mutant mutants[];
extern const size_t nr_mutants;

#endif
