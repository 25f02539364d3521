/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The project's one TAP library for C, after the kernel's kselftest.h:
 * TAP 13 results numbered in order, "# SKIP reason" for a test that
 * cannot run, "# " diagnostics and a closing plan. Used by the in-guest
 * selftests (static, busybox guests), the KVM conformance VMM (from
 * several threads: each line is printed whole under stdout's lock) and
 * the host tests (tests/host, whose run-tap.sh merges several programs'
 * results into one stream).
 */
#ifndef VMI_TAP_H
#define VMI_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static int tap_n, tap_failed, tap_skipped;

static inline void tap_header(void)
{
	printf("TAP version 13\n");
}

static inline void tap_vline(const char *status, const char *reason,
			     const char *fmt, va_list ap)
{
	flockfile(stdout);
	printf("%s %d ", status, ++tap_n);
	vprintf(fmt, ap);
	if (reason)
		printf(" # SKIP %s", reason);
	printf("\n");
	fflush(stdout);
	funlockfile(stdout);
}

/* One result: @pass true is "ok". Returns @pass. */
__attribute__((format(printf, 2, 3)))
static inline int tap_ok(int pass, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tap_vline(pass ? "ok" : "not ok", NULL, fmt, ap);
	va_end(ap);
	if (!pass)
		__atomic_add_fetch(&tap_failed, 1, __ATOMIC_RELAXED);
	return pass;
}

/* A test that cannot run here, and why. */
__attribute__((format(printf, 2, 3)))
static inline void tap_skip(const char *reason, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tap_vline("ok", reason, fmt, ap);
	va_end(ap);
	__atomic_add_fetch(&tap_skipped, 1, __ATOMIC_RELAXED);
}

__attribute__((format(printf, 1, 2)))
static inline void tap_diag(const char *fmt, ...)
{
	va_list ap;

	flockfile(stdout);
	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	funlockfile(stdout);
}

/* The plan; the exit status: failure if any test failed. */
static inline int tap_finish(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif /* VMI_TAP_H */
