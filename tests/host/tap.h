/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test result lines.  Programs print unnumbered "ok - name" lines;
 * run-tap.sh numbers them into one flat TAP 13 stream.
 */
#ifndef VMI_TESTS_TAP_H
#define VMI_TESTS_TAP_H

#include <stdarg.h>
#include <stdio.h>

static int tap_failed;

__attribute__((format(printf, 2, 3)))
static inline int tap_ok(int cond, const char *fmt, ...)
{
	va_list ap;

	printf("%s - ", cond ? "ok" : "not ok");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (!cond)
		tap_failed = 1;
	return cond;
}

__attribute__((format(printf, 2, 3)))
static inline void tap_skip(const char *reason, const char *fmt, ...)
{
	va_list ap;

	printf("ok - ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(" # SKIP %s\n", reason);
	fflush(stdout);
}

#define tap_diag(...) do { printf("# " __VA_ARGS__); printf("\n"); } while (0)

#endif
