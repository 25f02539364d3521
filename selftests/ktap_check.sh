#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# ktap_check.sh FILE RC: check what run_kselftest.sh printed (FILE) and its
# exit status (RC), as TAP of its own on stdout, after FILE itself (whose
# top-level results then count too). Exit status 0 only if every check
# passed. The checks:
#   - it starts with "TAP version 13" or "KTAP version 1";
#   - every top-level line is a result, the plan or a diagnostic ("#...");
#   - one plan, 1..N, with N results numbered 1 to N in order;
#   - no "not ok" anywhere: no test failed, nor any result a test printed
#     (its lines are "# " diagnostics under the test);
#   - RC is 0;
#   - at least MIN results passed without SKIP (default 1, KSFT_MIN_PASS):
#     a run where nothing could run proves nothing.
# POSIX sh and awk (busybox).
[ $# -eq 2 ] || { echo "usage: ktap_check.sh FILE RC" >&2; exit 2; }
file=$1 rc=$2 min=${KSFT_MIN_PASS:-1}
cat "$file"
awk -v rc="$rc" -v min="$min" '
function res(ok, name) {
	n++
	if (ok) print "ok " n " kselftest: " name
	else { print "not ok " n " kselftest: " name; bad++ }
}
NR == 1 { first = $0 }
/not ok/ { notok++ }
/^(not )?ok [0-9]+( |$)/ {
	split($0, w, " ")
	num = ($1 == "not") ? w[3] : w[2]
	results++
	if (num != results && !misnumbered) misnumbered = $0
	if ($0 !~ /^not / && $0 !~ / # [Ss][Kk][Ii][Pp]( |$)/) passed++
	next
}
/^1\.\.[0-9]+$/ { plans++; plan = substr($0, 4) + 0; next }
/^#/ || /^$/ { next }
/^(TAP version 13|KTAP version 1)$/ && NR == 1 { next }
{ if (!stray) stray = $0 }
END {
	print "TAP version 13"
	res(first == "TAP version 13" || first == "KTAP version 1",
	    "starts with a version line (" first ")")
	res(stray == "", "every line a result, the plan or a diagnostic" \
	    (stray == "" ? "" : " (not: " stray ")"))
	res(plans == 1 && plan == results && !misnumbered && results > 0,
	    "one plan (1.." plan "), " results " results numbered 1.." results \
	    (misnumbered ? " (out of order: " misnumbered ")" : ""))
	res(notok == 0, "no \"not ok\", top level or nested (" notok + 0 " found)")
	res(rc == 0, "run_kselftest.sh exited 0 (" rc ")")
	res(passed >= min, passed + 0 " tests passed without SKIP (at least " min ")")
	print "1.." n
	exit bad ? 1 : 0
}
' "$file"
