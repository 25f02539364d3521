#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# One TAP line for a bounded libFuzzer run of the validator.
#   run-fuzz.sh FUZZER SEED_DIR WORK_DIR SECONDS
# FUZZER missing: a SKIP with the reason the build left in FUZZER.skip (no
# libFuzzer in the toolchain); a failure if the build left the compiler's
# complaint in FUZZER.fail (the target does not build) or no reason at all.

FUZZER=$1 SEEDS=$2 WORK=$3 SECONDS_=$4
name="fuzz vmi_rom_check for ${SECONDS_}s (libFuzzer, ASan+UBSan)"

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
"$FUZZER" -max_total_time="$SECONDS_" -timeout=10 -rss_limit_mb=2048 \
	-max_len=131072 -print_final_stats=1 \
	-artifact_prefix="$WORK/artifacts/" "$WORK/corpus" "$SEEDS" \
	>"$WORK/fuzz.log" 2>&1
rc=$?
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$WORK/fuzz.log")
if [ $rc -eq 0 ] && [ -n "$runs" ] && [ "$runs" -gt 0 ]; then
	echo "ok - $name: $runs inputs"
else
	echo "# fuzzer exit $rc, last lines of $WORK/fuzz.log:"
	tail -20 "$WORK/fuzz.log" | sed 's/^/#   /'
	echo "not ok - $name"
	exit 1
fi
