#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Tests of the fuzz step itself: it may pass only when a fuzzer ran, skip
# only when the toolchain has no libFuzzer (saying so), and must fail when
# our fuzz target does not build or the fuzzer vanished without a reason.
# Stand-in compilers and fuzzers, so it runs in a second whatever clang
# is installed. Prints unnumbered "ok - name" lines; run-tap.sh numbers them.
#
#   test_fuzz_step.sh WORK_DIR

SRC=$(cd "$(dirname "$0")" && pwd)
WORK=$1
. "$(dirname "$0")/../lib/tap.sh"

rm -rf "$WORK" && mkdir -p "$WORK/bin" || exit 1

# A compiler stand-in: FAKE_CLANG=nofuzzer fails on every input (no
# libFuzzer runtime), broken fails only on fuzz_romcheck.c, ok builds all.
cat >"$WORK/bin/fake-clang" <<'EOF'
#!/bin/sh
out= romcheck=
while [ $# -gt 0 ]; do
	case $1 in
	-o) out=$2; shift ;;
	*fuzz_romcheck.c) romcheck=1 ;;
	esac
	shift
done
case $FAKE_CLANG in
nofuzzer) echo "ld: cannot find libclang_rt.fuzzer" >&2; exit 1 ;;
broken) [ -n "$romcheck" ] && { echo "fuzz_romcheck.c:1:1: error: deliberate" >&2; exit 1; } ;;
esac
printf '#!/bin/sh\necho "stat::number_of_executed_units: 42"\n' >"$out"
chmod +x "$out"
EOF
chmod +x "$WORK/bin/fake-clang"

# build CASE [CLANG]: run the Makefile's fuzzer rule into $WORK/CASE.
# Not the calling make's flags and variables (BUILD): a build of its own.
build() {
	FAKE_CLANG=$1 env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$SRC" BUILD="$WORK/$1" CLANG="${2-$WORK/bin/fake-clang}" \
		"$WORK/$1/tests/host/fuzz_romcheck" >"$WORK/$1.make" 2>&1
}
fuzz() {	# fuzz CASE: run-fuzz.sh on what the build of CASE left
	f=$WORK/$1/tests/host/fuzz_romcheck
	mkdir -p "$WORK/seeds"
	out=$(sh "$SRC/run-fuzz.sh" "$f" "$WORK/seeds" "$WORK/$1.fuzz" 1)
	rc=$?
}

build none ""
fuzz none
[ $rc -eq 0 ] && echo "$out" | grep -qx 'ok - .* # SKIP clang not installed .*'
tap_ok $? "no clang: the fuzz step is a SKIP saying so"

build nofuzzer
fuzz nofuzzer
[ $rc -eq 0 ] && echo "$out" | grep -qx 'ok - .* # SKIP .*cannot build a libFuzzer target.*'
tap_ok $? "clang without libFuzzer: a SKIP saying so"

build broken
fuzz broken
[ $rc -ne 0 ] && echo "$out" | grep -q '^not ok - .*does not build' &&
	echo "$out" | grep -q '^#.*error: deliberate' && ! echo "$out" | grep -q '^ok'
tap_ok $? "fuzz target that does not compile: a failure with the compiler's words"

build ok
fuzz ok
[ $rc -eq 0 ] && echo "$out" | grep -qx 'ok - .*: 42 inputs in [0-9]*s'
tap_ok $? "built fuzzer that ran: ok with its count of inputs"

rm -f "$WORK/ok/tests/host/fuzz_romcheck"*
fuzz ok
[ $rc -ne 0 ] && echo "$out" | grep -q '^not ok - .*no fuzzer' && ! echo "$out" | grep -q '^ok'
tap_ok $? "fuzzer missing and no reason left by the build: a failure"

printf '#!/bin/sh\nexit 0\n' >"$WORK/ok/tests/host/fuzz_romcheck"
chmod +x "$WORK/ok/tests/host/fuzz_romcheck"
fuzz ok
[ $rc -ne 0 ] && echo "$out" | grep -q '^not ok'
tap_ok $? "fuzzer that exits 0 without running an input: a failure"

# The suite's summary counts a skip as a skip.
out=$(sh "$SRC/run-tap.sh" "echo 'ok - a'" "echo 'ok - b # SKIP no tool'")
rc=$?
[ $rc -eq 0 ] && echo "$out" | grep -qx 'ok 2 - b # SKIP no tool' &&
	echo "$out" | grep -qx '# 1 passed, 0 failed, 1 skipped'
tap_ok $? "run-tap.sh: a SKIP is counted as skipped, not passed"

tap_done
