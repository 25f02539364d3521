// SPDX-License-Identifier: GPL-2.0
/*
 * vmi-sites: messages and output, shared by the commands (main.c,
 * modules.c) and linked alone with the readers into the fuzz targets
 * (tests/host/fuzz_sites_*.c), which bring their own main().
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "vmi-sites.h"

int verbose;

static void vmsg(const char *kind, const char *fmt, va_list ap)
{
	fprintf(stderr, "vmi-sites: %s", kind);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void errmsg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("", fmt, ap);
	va_end(ap);
}

void warnmsg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("warning: ", fmt, ap);
	va_end(ap);
}

void hex(char *out, const uint8_t *p, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", p[i]);
	out[2 * n] = 0;
}

static int write_all(int fd, const void *p, size_t n)
{
	const uint8_t *b = p;
	ssize_t w;

	while (n) {
		w = write(fd, b, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		b += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Write to @path atomically (temp file + rename), or stdout for NULL/"-". */
int write_out(const char *path, const void *a, size_t alen, const void *b,
	      size_t blen)
{
	char tmp[4096];
	int fd;

	if (!path || !strcmp(path, "-")) {
		if (isatty(STDOUT_FILENO)) {
			errmsg("refusing to write a binary table to a terminal: use -o FILE");
			return -1;
		}
		if (write_all(STDOUT_FILENO, a, alen) < 0 ||
		    write_all(STDOUT_FILENO, b, blen) < 0) {
			errmsg("standard output: %s", strerror(errno));
			return -1;
		}
		return 0;
	}
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp%d", path,
			     (int)getpid()) >= sizeof(tmp)) {
		errmsg("%s: path too long", path);
		return -1;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		errmsg("%s: %s", tmp, strerror(errno));
		return -1;
	}
	if (write_all(fd, a, alen) < 0 || write_all(fd, b, blen) < 0 ||
	    fsync(fd) < 0) {
		errmsg("%s: %s", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		return -1;
	}
	if (close(fd) < 0 || rename(tmp, path) < 0) {
		errmsg("%s: %s", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}
