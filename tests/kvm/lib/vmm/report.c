// SPDX-License-Identifier: GPL-2.0
/*
 * The VMM's TAP output.  tests/lib/tap.h keeps its counters in static
 * variables, one set per file that includes it: this is the one file that
 * does, so that the results every other file and every vCPU thread
 * reports are numbered in one sequence.  tap.h prints each line whole
 * under stdout's lock.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/tap.h"
#include "vmm.h"

/* Longer than any result or diagnostic the harness prints. */
#define LINE_MAX_LEN	2048

void report_header(void)
{
	tap_header();
}

int report_ok(int pass, const char *fmt, ...)
{
	char line[LINE_MAX_LEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	return tap_ok(pass, "%s", line);
}

void report_skip(const char *reason, const char *fmt, ...)
{
	char line[LINE_MAX_LEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	tap_skip(reason, "%s", line);
}

void report_diag(const char *fmt, ...)
{
	char line[LINE_MAX_LEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	tap_diag("%s", line);
}

/* The totals, the plan; the exit status: failure if any test failed. */
int report_finish(double secs)
{
	tap_diag("%d tests, %d failed, %d skipped, %.1fs", tap_n, tap_failed,
		 tap_skipped, secs);
	return tap_finish();
}

void die(const char *fmt, ...)
{
	int err = errno;
	va_list ap;

	printf("Bail out! ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(" (%s)\n", strerror(err));
	exit(2);
}
