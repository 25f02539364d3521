# SPDX-License-Identifier: GPL-2.0
# What a guest's QMP event log says about how it ended. Sourced by
# tools/vmi-run, which watches QEMU under -action reboot=shutdown,
# shutdown=pause, and by tools/guest/l2-watch in a nested L1 (as
# /vmi/lib/qmp.sh), which watches the L2's QEMU the same way: POSIX sh,
# as the L1's busybox runs it.

# qmp_end LOG -> "" (still running), "poweroff", "reset" or "stopped"
#
# Decided on one snapshot of the log: QEMU sends SHUTDOWN, then STOP, a
# millisecond apart, and the log grows while it is read. Two separate
# reads could see no SHUTDOWN in the first and the STOP in the second,
# and call an ordinary power-off "QEMU stopped the VM".
qmp_end() {
	local log
	log=$(cat "$1" 2>/dev/null)
	if printf '%s\n' "$log" | grep -q '"SHUTDOWN"'; then
		if printf '%s\n' "$log" | grep -q '"guest-shutdown"'; then
			echo poweroff
		else
			echo reset
		fi
	elif printf '%s\n' "$log" | grep -q '"STOP"'; then
		# paused without a shutdown: QEMU stopped the VM itself (an
		# emulation or KVM internal error)
		echo stopped
	fi
}
