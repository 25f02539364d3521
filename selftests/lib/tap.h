/* SPDX-License-Identifier: GPL-2.0 */
/* Minimal kselftest-style TAP 13 for C selftests (static, busybox guests). */
#ifndef VMI_SELFTEST_TAP_H
#define VMI_SELFTEST_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static int tap_n, tap_failed;

static inline void tap_header(void)
{
	printf("TAP version 13\n");
}

static inline void tap_diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

static inline int tap_result(int pass, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d ", pass ? "" : "not ", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!pass)
		tap_failed++;
	fflush(stdout);
	return pass;
}

static inline void tap_skip(const char *name, const char *reason)
{
	printf("ok %d %s # SKIP %s\n", ++tap_n, name, reason);
}

static inline int tap_finish(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif /* VMI_SELFTEST_TAP_H */
