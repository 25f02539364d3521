#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# run.sh "TEST ARGS" ...: run several selftests in one guest boot; fails if
# any failed. Each prints its own TAP.
cd "$(dirname "$0")" || exit 1
rc=0
for t in "$@"; do
	echo "# selftest: $t"
	sh -c "./$t" || rc=1
done
exit $rc
