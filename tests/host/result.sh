# SPDX-License-Identifier: GPL-2.0
# Sourced by the host shell tests: unnumbered TAP ("ok - name"), which
# run-tap.sh numbers; $fail is 1 once any result failed.
fail=0

result() {	# result CONDITION-EXIT-CODE NAME
	if [ "$1" -eq 0 ]; then
		echo "ok - $2"
	else
		echo "not ok - $2"
		fail=1
	fi
}
