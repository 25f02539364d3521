#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# run.sh "TEST ARGS" ...: run several selftests in one guest boot; fails if
# any failed. Each prints its own TAP; run.sh adds how long each took (the
# guest's uptime, which under TCG follows the host's clock), so that a
# job's time in make check's table can be taken apart.
cd "$(dirname "$0")" || exit 1
rc=0
for t in "$@"; do
	echo "# selftest: $t"
	s=$(cut -d' ' -f1 /proc/uptime)
	sh -c "./$t" || rc=1
	e=$(cut -d' ' -f1 /proc/uptime)
	awk -v s="$s" -v e="$e" -v t="$t" 'BEGIN { printf "# selftest took %.1fs: %s\n", e - s, t }'
done
exit $rc
