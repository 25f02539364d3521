// SPDX-License-Identifier: GPL-2.0
/*
 * ko_rename IN OUT OLD NEW: copy the module file IN to OUT with every
 * occurrence of the name OLD replaced by NEW, of the same length (the
 * name in .gnu.linkonce.this_module and in .modinfo, and any symbol or
 * string holding it). Gives a test many distinct modules from one .ko.
 * A signature appended to IN (scripts/sign-file) cannot cover the renamed
 * copy, and a kernel refuses a module whose signature does not verify
 * even when it does not enforce signatures, without a word: the copy is
 * written unsigned. Linked with common/sigtrailer.c.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../include/vmi/sigtrailer.h"

int main(int argc, char **argv)
{
	size_t len, n = 0, i, olen, data_len, sig_len;
	FILE *in, *out;
	char *buf;
	long size;

	if (argc != 5 || strlen(argv[3]) != strlen(argv[4]) || !*argv[3]) {
		fprintf(stderr, "usage: ko_rename IN OUT OLD NEW (OLD, NEW of the same length)\n");
		return 2;
	}
	olen = strlen(argv[3]);
	in = fopen(argv[1], "rb");
	if (!in || fseek(in, 0, SEEK_END) || (size = ftell(in)) < 0 ||
	    fseek(in, 0, SEEK_SET)) {
		perror(argv[1]);
		return 1;
	}
	len = size;
	buf = malloc(len ? len : 1);
	if (!buf || fread(buf, 1, len, in) != len) {
		perror(argv[1]);
		return 1;
	}
	fclose(in);
	switch (vmi_sig_split((const uint8_t *)buf, len, &data_len, &sig_len)) {
	case VMI_SIG_FOUND:
		len = data_len;
		break;
	case VMI_SIG_NONE:
		break;
	default:
		fprintf(stderr, "ko_rename: %s: malformed signature trailer\n", argv[1]);
		return 1;
	}
	for (i = 0; i + olen <= len; i++) {
		if (memcmp(buf + i, argv[3], olen))
			continue;
		memcpy(buf + i, argv[4], olen);
		n++;
	}
	if (!n) {
		fprintf(stderr, "ko_rename: '%s' not found in %s\n", argv[3], argv[1]);
		return 1;
	}
	out = fopen(argv[2], "wb");
	if (!out || fwrite(buf, 1, len, out) != len || fclose(out)) {
		perror(argv[2]);
		return 1;
	}
	free(buf);
	return 0;
}
