#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# run_kselftest.sh: run the installed vmi-shim selftests (make -C selftests
# install INSTALL_PATH=DIR puts this at DIR/run_kselftest.sh), the way the
# kernel's own kselftest runner does, and print KTAP: one result per test,
# its own output as "# " diagnostics under the "# selftests: ..." line.
#   -l, --list          print the tests of kselftest-list.txt
#   -t, --test C:T      run only test T of collection C (repeatable)
#   -c, --collection C  run only the tests of collection C (repeatable)
#   --tools DIR         vmictl and vmi-sites from DIR (default: PATH, then
#                       /usr/sbin, where the vmi-shim package puts them)
#   --shim FILE.ko      test this vmi_shim.ko (default: the one built with
#                       the tests; "installed": modinfo -n vmi_shim, the
#                       module of the vmi-shim-dkms package)
#   --timeout SEC       per test (default 900; 0: none)
# A test the system cannot run is "ok N ... # SKIP reason" (its exit status
# 4, kselftest's KSFT_SKIP). Exit status: 0 only if no test failed.
# Needs root; the vmi_shim module must not be loaded (stop its service).
# POSIX sh: Debian's dash, or busybox.
cd "$(dirname "$0")" || exit 1
BASE_DIR=$(pwd)
usage() {
	sed -n '5,18s/^# \{0,1\}//p' "$0" >&2
	exit 2
}

tests='' colls='' list='' timeout=900
while [ $# -gt 0 ]; do
	case $1 in
	-l | --list) list=1 ;;
	-t | --test) [ $# -ge 2 ] || usage; tests="$tests $2"; shift ;;
	-c | --collection) [ $# -ge 2 ] || usage; colls="$colls $2"; shift ;;
	--tools) [ $# -ge 2 ] || usage; VMI_TOOLS_DIR=$2; export VMI_TOOLS_DIR; shift ;;
	--shim) [ $# -ge 2 ] || usage; VMI_SHIM_MOD=$2; shift ;;
	--timeout) [ $# -ge 2 ] || usage; timeout=$2; shift ;;
	*) usage ;;
	esac
	shift
done
if [ "${VMI_SHIM_MOD:-}" = installed ]; then
	VMI_SHIM_MOD=$(modinfo -n vmi_shim 2>/dev/null) || {
		echo "run_kselftest.sh: no vmi_shim module installed for $(uname -r) (modinfo -n vmi_shim)" >&2
		exit 2
	}
fi
[ -n "${VMI_SHIM_MOD:-}" ] && export VMI_SHIM_MOD

selected() { # selected COLLECTION:TEST
	[ -z "$tests$colls" ] && return 0
	case " $tests " in *" $1 "*) return 0 ;; esac
	case " $colls " in *" ${1%%:*} "*) return 0 ;; esac
	return 1
}
all=$(grep -v '^[[:space:]]*\(#\|$\)' kselftest-list.txt | tr '\n' ' ')
if [ -z "$all" ]; then
	echo "run_kselftest.sh: no tests in $BASE_DIR/kselftest-list.txt" >&2
	exit 2
fi
run=
for t in $all; do
	selected "$t" && run="$run $t"
done
for t in $tests; do
	case " $all " in *" $t "*) ;; *) echo "run_kselftest.sh: no test $t" >&2; exit 2 ;; esac
done
if [ -n "$list" ]; then
	for t in $run; do echo "$t"; done
	exit 0
fi

# The hypervisor, found once for every test (vmi_shim/lib/ksft_env.sh).
if [ -z "${VMI_EXPECT_HV:-}" ] && [ -r vmi_shim/lib/ksft_env.sh ]; then
	# shellcheck disable=SC1091
	VMI_EXPECT_HV=$(. vmi_shim/lib/ksft_env.sh >/dev/null 2>&1; ksft_hypervisor)
	export VMI_EXPECT_HV
fi
# The tests write their tables under /lib/firmware/vmi-test: gone again
# at the end, unless it was there before.
fw_made=
[ -e /lib/firmware/vmi-test ] || fw_made=1

[ "$timeout" = 0 ] || command -v timeout >/dev/null 2>&1 || timeout=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kselftest.XXXXXX") || exit 1
echo "TAP version 13"
echo "1..$(echo "$run" | wc -w)"
n=0 failed=0
for t in $run; do
	n=$((n + 1))
	c=${t%%:*} name=${t#*:}
	echo "# selftests: $c: $name"
	if [ ! -x "$c/$name" ]; then
		echo "not ok $n selftests: $c: $name # no such test"
		failed=$((failed + 1))
		continue
	fi
	{
		if [ "$timeout" = 0 ]; then
			(cd "$c" && ./"$name") </dev/null 2>&1
		else
			(cd "$c" && timeout "$timeout" ./"$name") </dev/null 2>&1
		fi
		echo $? >"$tmp/rc"
	} | tee "$tmp/out" | sed 's/^/# /'
	rc=$(cat "$tmp/rc")
	# coreutils' timeout exits 124, busybox's with the signal's 143
	[ "$timeout" != 0 ] && [ "$rc" = 143 ] && rc=124
	case $rc in
	0)
		# a test that said "not ok" failed, whatever its exit status
		if grep -q '^not ok' "$tmp/out"; then
			echo "not ok $n selftests: $c: $name # exit 0 after a failed result"
			failed=$((failed + 1))
		else
			echo "ok $n selftests: $c: $name"
		fi
		;;
	4)
		why=$(sed -n 's/^1\.\.0 # SKIP //p' "$tmp/out" | head -1)
		echo "ok $n selftests: $c: $name # SKIP ${why:-exit status 4}"
		;;
	124)
		echo "not ok $n selftests: $c: $name # TIMEOUT ${timeout} seconds"
		failed=$((failed + 1))
		;;
	*)
		echo "not ok $n selftests: $c: $name # exit=$rc"
		failed=$((failed + 1))
		;;
	esac
done
rm -rf "$tmp"
[ -n "$fw_made" ] && rm -rf /lib/firmware/vmi-test
[ "$failed" -eq 0 ]
