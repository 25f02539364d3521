// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for what vmi-sites reads of the running system
 * (tools/vmi-sites/modsysfs.c): /proc/modules, a /sys/module/NAME/sections
 * file, a /sys/module/NAME/notes build ID note, and a module file's name.
 * Each parser gets the whole input; what they accept must be what their
 * callers rely on.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../tools/vmi-sites/modules.h"

#define REQUIRE(c)	do { if (!(c)) abort(); } while (0)

static void check_name(const char *name)
{
	REQUIRE(name[0] && strlen(name) < NAME_LEN && !strpbrk(name, "-/"));
}

/* /proc/modules: the Live modules, each once, normalised */
static void proc_modules(const uint8_t *d, size_t n)
{
	struct modres *v = NULL;
	uint32_t nr = 0, i, j;
	char *copy;
	FILE *f;

	copy = malloc(n ? n : 1);
	if (!copy)
		return;
	memcpy(copy, d, n);
	f = fmemopen(copy, n ? n : 1, "r");
	if (f) {
		if (parse_proc_modules(f, "fuzz-proc-modules", &v, &nr) == 0)
			REQUIRE(nr <= VMI_MODSITES_MAX_MODULES);
		for (i = 0; i < nr; i++) {
			check_name(v[i].name);
			for (j = 0; j < i; j++)
				REQUIRE(strcmp(v[i].name, v[j].name));
		}
		fclose(f);
	}
	free(v);
	free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	char text[64], *path;
	const uint8_t *id;
	char name[NAME_LEN];
	uint32_t id_len;
	uint64_t base;
	int r;

	proc_modules(d, n);

	/* a sections file: section_base() reads at most 63 bytes */
	memcpy(text, d, n < sizeof(text) - 1 ? n : sizeof(text) - 1);
	text[n < sizeof(text) - 1 ? n : sizeof(text) - 1] = 0;
	r = parse_section_base("fuzz-section", text, &base);
	REQUIRE(r == MOD_OK || r == MOD_ERROR || r == MOD_FATAL);
	if (r == MOD_OK)
		REQUIRE(base && !strncmp(text, "0x", 2));

	/* a notes file, as sysfs_build_id() uses it */
	if (vmi_find_build_id(d, n, &id, &id_len) == 0)
		REQUIRE(id >= d && id_len <= n && id - d <= (ptrdiff_t)(n - id_len));

	/* a module file name */
	path = malloc(n + 1);
	if (!path)
		return 0;
	memcpy(path, d, n);
	path[n] = 0;
	if (ko_basename(name, path) == 0)
		check_name(name);
	free(path);
	return 0;
}
