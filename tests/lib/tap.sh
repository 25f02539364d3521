# SPDX-License-Identifier: GPL-2.0
# The project's one shell TAP library (tests/README.md), TAP 13 in the
# conventions of the kernel's ktap_helpers.sh, for busybox sh in guests and
# sh/bash on the host. Sourced; prints the version line.
#   tap_ok COND-STATUS NAME   (use: cmd; tap_ok $? "name")
#   tap_eq GOT WANT NAME      (both printed on a mismatch)
#   tap_skip NAME REASON
#   tap_diag TEXT
#   tap_done                  (the counts and the plan; exits 1 if anything
#                             failed)
_tap_n=0
_tap_fail=0
_tap_skip=0
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
	_tap_skip=$((_tap_skip + 1))
	echo "ok $_tap_n $1 # SKIP $2"
}

tap_diag() {
	echo "# $*"
}

tap_done() {
	echo "# $((_tap_n - _tap_fail - _tap_skip)) passed, $_tap_fail failed, $_tap_skip skipped"
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
