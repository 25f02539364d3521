// SPDX-License-Identifier: GPL-2.0
/*
 * as_nobody CMD [ARG...]: run CMD as an unprivileged user (uid and gid
 * 65534, no supplementary groups), for the selftests of what such a user
 * may read. Setting every uid away from 0 clears the capability sets, so
 * CMD runs without CAP_DAC_OVERRIDE or CAP_SYSLOG. Exits 126 if the
 * privileges cannot be dropped for good, 127 if CMD cannot be run.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define NOBODY 65534

int main(int argc, char **argv)
{
	uid_t r, e, s;
	gid_t rg, eg, sg;

	if (argc < 2) {
		fprintf(stderr, "usage: as_nobody CMD [ARG...]\n");
		return 2;
	}
	if (setgroups(0, NULL) || setresgid(NOBODY, NOBODY, NOBODY) ||
	    setresuid(NOBODY, NOBODY, NOBODY)) {
		fprintf(stderr, "as_nobody: cannot drop privileges: %s\n",
			strerror(errno));
		return 126;
	}
	/* For good: every id is nobody's and there is no way back. */
	if (getresuid(&r, &e, &s) || getresgid(&rg, &eg, &sg) ||
	    r != NOBODY || e != NOBODY || s != NOBODY || rg != NOBODY ||
	    eg != NOBODY || sg != NOBODY || getgroups(0, NULL) != 0 ||
	    setuid(0) == 0) {
		fprintf(stderr, "as_nobody: privileges not dropped for good\n");
		return 126;
	}
	execvp(argv[1], argv + 1);
	fprintf(stderr, "as_nobody: %s: %s\n", argv[1], strerror(errno));
	return 127;
}
