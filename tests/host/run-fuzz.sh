#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# One TAP line for a bounded libFuzzer run of one fuzz target.
#   run-fuzz.sh FUZZER SEED_DIR WORK_DIR SECONDS [RUNS]
# Stops after SECONDS (0: no time limit) or RUNS inputs, whichever comes
# first; the corpus grows in WORK_DIR/corpus, crashes land in
# WORK_DIR/artifacts. The target's own messages are discarded
# (-close_fd_mask=3); libFuzzer's and the sanitizers' go to WORK_DIR/fuzz.log.
# FUZZER missing: a SKIP with the reason the build left in FUZZER.skip (no
# libFuzzer in the toolchain); a failure if the build left the compiler's
# complaint in FUZZER.fail (the target does not build) or no reason at all.

FUZZER=$1 SEEDS=$2 WORK=$3 SECONDS_=$4 RUNS=${5:-}
target=$(basename "$FUZZER")
limit="${SECONDS_}s"
[ -n "$RUNS" ] && limit="$RUNS inputs or $limit"
[ "$SECONDS_" = 0 ] && limit="${RUNS:-0} inputs"
name="$target for $limit (libFuzzer, ASan+UBSan)"

if [ ! -x "$FUZZER" ]; then
	if [ -s "$FUZZER.fail" ]; then
		echo "# the fuzz target does not build; the compiler said:"
		tail -20 "$FUZZER.fail" | sed 's/^/#   /'
		echo "not ok - $name: the fuzz target does not build"
		exit 1
	fi
	if [ -s "$FUZZER.skip" ]; then
		echo "ok - $name # SKIP $(head -1 "$FUZZER.skip")"
		exit 0
	fi
	echo "not ok - $name: no fuzzer at $FUZZER, and the build left no reason"
	exit 1
fi
mkdir -p "$WORK/corpus" "$WORK/artifacts"
start=$(date +%s)
"$FUZZER" -max_total_time="$SECONDS_" ${RUNS:+-runs="$RUNS"} -timeout=10 \
	-rss_limit_mb=2048 -max_len=131072 -close_fd_mask=3 -print_final_stats=1 \
	-artifact_prefix="$WORK/artifacts/" "$WORK/corpus" "$SEEDS" \
	>"$WORK/fuzz.log" 2>&1
rc=$?
took=$(($(date +%s) - start))
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$WORK/fuzz.log")
if [ $rc -eq 0 ] && [ -n "$runs" ] && [ "$runs" -gt 0 ]; then
	echo "ok - $name: $runs inputs in ${took}s"
else
	echo "# fuzzer exit $rc after ${took}s, last lines of $WORK/fuzz.log:"
	tail -20 "$WORK/fuzz.log" | sed 's/^/#   /'
	ls "$WORK/artifacts" 2>/dev/null | sed 's/^/#   artifact: /'
	echo "not ok - $name"
	exit 1
fi
