# SPDX-License-Identifier: GPL-2.0
# What a guest's QMP event log says about how it ended. Sourced by
# tools/vmi-run, which watches QEMU under -action reboot=shutdown,
# shutdown=pause, and by tools/guest/l2-watch in a nested L1 (as
# /vmi/lib/qmp.sh), which watches the L2's QEMU the same way: POSIX sh,
# as the L1's busybox runs it.

# qmp_end_var LOG: sets QMP_END to "" (still running), "poweroff",
# "reset" or "stopped". It starts no process: the runner asks several
# times a second, and each process started costs a host without spare
# cores about 10 ms (a nested L1 under TCG far more).
#
# Decided in one pass over the log: QEMU writes SHUTDOWN, then STOP, a
# millisecond apart, and the log grows while it is read. Two separate
# reads could see no SHUTDOWN in the first and the STOP in the second,
# and call an ordinary power-off "QEMU stopped the VM"; one pass that
# reaches the STOP line has read the SHUTDOWN line before it.
qmp_end_var() {
	_qe_sd= _qe_gs= _qe_st= _qe_l= QMP_END=
	[ -r "$1" ] || return 0
	while IFS= read -r _qe_l || [ -n "$_qe_l" ]; do
		case $_qe_l in *'"SHUTDOWN"'*) _qe_sd=1 ;; esac
		case $_qe_l in *'"guest-shutdown"'*) _qe_gs=1 ;; esac
		case $_qe_l in *'"STOP"'*) _qe_st=1 ;; esac
		_qe_l=
	done <"$1"
	if [ -n "$_qe_sd" ]; then
		if [ -n "$_qe_gs" ]; then QMP_END=poweroff; else QMP_END=reset; fi
	elif [ -n "$_qe_st" ]; then
		# paused without a shutdown: QEMU stopped the VM itself (an
		# emulation or KVM internal error)
		QMP_END=stopped
	fi
}

# qmp_end LOG -> the same, printed
qmp_end() {
	qmp_end_var "$1"
	[ -z "$QMP_END" ] || echo "$QMP_END"
}
