// SPDX-License-Identifier: GPL-2.0
/*
 * vmi-sites: usage, messages and output, shared by the commands (main.c,
 * modules.c) and linked alone with the readers into the fuzz targets
 * (tests/host/fuzz_sites_*.c), which bring their own main().
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vmi-sites.h"

int verbose;

/*
 * Here, not in main.c: cmd_getopt() prints it for modules.c too, and the
 * fuzz targets link modules.c without main.c.
 */
const char vmi_sites_usage[] =
"usage: vmi-sites extract [-q] [-o OUT] [--elf VMLINUX_OUT] [IMAGE]\n"
"       vmi-sites modules [-q] [-o OUT] [--sysfs DIR] [--proc-modules FILE]\n"
"                 [--release R] [--ko-dir DIR]... [--ko FILE]... [NAME...]\n"
"       vmi-sites info FILE\n"
"       vmi-sites list FILE\n"
"       vmi-sites check [EXPECTATIONS] FILE\n"
"       vmi-sites [COMMAND] -h|--help\n"
"\n"
"extract  read IMAGE (a bzImage, default /boot/vmlinuz-$(uname -r), or an\n"
"         ELF vmlinux) and write its paravirt call-site table to OUT\n"
"         (default: standard output, unless it is a terminal);\n"
"         --elf also writes the decompressed vmlinux\n"
"modules  write the call-site table of loaded modules (NAMEs, default: the\n"
"         Live ones in /proc/modules) from their .ko files (--ko, else\n"
"         NAME.ko[.xz|.zst|.gz] under each --ko-dir, default\n"
"         /lib/modules/RELEASE) and /sys/module/NAME/{sections,notes} (as\n"
"         root); RELEASE defaults to uname -r\n"
"info     print a table's header and its sites per slot / call target\n"
"         (module tables: per module)\n"
"list     print every site: address, length, slot, target, original bytes\n"
"         (module tables: module, address, length, slot)\n"
"check    validate a table as the kernel module does; EXPECTATIONS:\n"
"           --build-id HEX|running   --release REL|running\n"
"           --ptr-size 4|8   --kind parainstr|altcall   --slots N\n"
"         (\"running\": from /sys/kernel/notes and uname -r); module\n"
"         tables take --release and --slots only\n"
"Exit status: 0 ok, 1 bad input or table, 2 usage error.\n";

int cmd_getopt(int argc, char **argv, const char *shortopts,
	       const struct option *longopts)
{
	int c = getopt_long(argc, argv, shortopts, longopts, NULL);

	if (c == 'h' || c == '?') {
		fputs(vmi_sites_usage, c == 'h' ? stdout : stderr);
		exit(c == 'h' ? 0 : 2);
	}
	return c;
}

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
