# SPDX-License-Identifier: GPL-2.0
# known_races.awk: a guest console on stdin, the same lines on stdout with
# the reports of one known Linux race blanked (line numbers are kept), and
# the WARNING line of each blanked report appended to the file -v known=.
#
# The race (docs/testing.md, "A WARN after 'reboot: Power down'"): at
# power-off, native_stop_other_cpus() stops the other CPUs with an IPI,
# and each marks itself offline when it gets there, but stays active. A
# CPU that has not got there yet and wakes a task in an interrupt
# (try_to_wake_up from a timer) may place it on a CPU already stopped:
# set_task_cpu()'s WARN_ON_ONCE(!cpu_online(new_cpu)). Seen upstream on
# bare hardware too; no code of the project runs in that path. Only
# that report is blanked, and only after the kernel's own last line
# "reboot: Power down": a report before it, any other report after it,
# or one cut short, stays as it is.
function flush(blank,   i) {
	for (i = 1; i <= n; i++)
		print (blank ? "" : buf[i])
	n = 0
}
{
	if (n) {
		buf[++n] = $0
		if ($0 ~ /WARNING: CPU: [0-9]+ PID: [0-9]+ at kernel\/sched\/core\.c:[0-9]+ set_task_cpu\+/)
			warn = $0
		else if ($0 ~ /(WARNING|BUG|Oops|Kernel panic|general protection|KASAN|UBSAN)/)
			other = 1
		if ($0 ~ /try_to_wake_up\+/)
			ttwu = 1
		if ($0 ~ /---\[ end trace/) {
			ok = warn != "" && ttwu && !other
			if (ok && known != "") {
				sub(/^.*WARNING: /, "WARNING: ", warn)
				print warn >>known
			}
			flush(ok)
		}
		next
	}
	if (down && $0 ~ /------------\[ cut here \]------------/) {
		buf[n = 1] = $0
		warn = ""
		ttwu = other = 0
		next
	}
	if ($0 ~ /reboot: Power down/)
		down = 1
	print
}
END { flush(0) }
