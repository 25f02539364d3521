#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs each argument as a shell command whose stdout carries TAP (the
# shell tests use tests/lib/tap.sh, the C ones tests/lib/tap.h; a line
# "ok - ..." unnumbered is taken too), renumbers the results and prints
# one flat TAP 13 stream: version, plan, numbered results. Each command's
# own version and plan lines are dropped; other output becomes "# "
# diagnostics.
# A command that exits non-zero without reporting a failure counts as one.
# The summary counts "ok ... # SKIP reason" lines as skipped, not passed.
# Exits 1 if anything failed.

out=$(mktemp) || exit 2
trap 'rm -f "$out" "$out.1"' EXIT
for cmd in "$@"; do
	sh -c "$cmd" >"$out.1" 2>&1
	rc=$?
	cat "$out.1" >>"$out"
	if [ $rc -ne 0 ] && ! grep -q '^not ok' "$out.1"; then
		echo "not ok - '$cmd' exited $rc" >>"$out"
	fi
done

awk '
	/^TAP version / || /^1\.\.[0-9]+$/ { next }
	/^ok / || /^not ok / {
		n++
		# numbered (tap.sh, tap.h) or not ("ok - name")
		sub(/^ok( [0-9]+)?( -)?/, "ok " n " -") || sub(/^not ok( [0-9]+)?( -)?/, "not ok " n " -")
		lines[n + d] = $0
		if ($0 ~ /^not ok/) failed++
		else if ($0 ~ / # [Ss][Kk][Ii][Pp]( |$)/) skipped++
		next
	}
	{ d++; lines[n + d] = ($0 ~ /^#/) ? $0 : "# " $0 }
	END {
		print "TAP version 13"
		print "1.." n
		for (i = 1; i <= n + d; i++) print lines[i]
		printf "# %d passed, %d failed", n - failed - skipped, failed
		if (skipped) printf ", %d skipped", skipped
		printf "\n"
		exit failed ? 1 : 0
	}
' "$out"
