# SPDX-License-Identifier: GPL-2.0
# Minimal kselftest-style TAP 13 for busybox sh selftests. Sourced.
#   tap_ok COND-STATUS NAME   (use: cmd; tap_ok $? "name")
#   tap_skip NAME REASON
#   tap_done                  (prints the plan, exits 1 if anything failed)
_tap_n=0
_tap_fail=0
echo "TAP version 13"

tap_ok() {
	_tap_n=$((_tap_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $_tap_n $2"
	else
		echo "not ok $_tap_n $2"
		_tap_fail=$((_tap_fail + 1))
	fi
}

tap_skip() {
	_tap_n=$((_tap_n + 1))
	echo "ok $_tap_n $1 # SKIP $2"
}

tap_diag() {
	echo "# $*"
}

tap_done() {
	echo "1..$_tap_n"
	[ "$_tap_fail" -eq 0 ]
	exit $?
}

# Expect two strings equal; print both on mismatch.
tap_eq() {
	if [ "$1" = "$2" ]; then
		tap_ok 0 "$3"
	else
		tap_diag "$3: got '$1', want '$2'"
		tap_ok 1 "$3"
	fi
}
