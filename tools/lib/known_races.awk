# SPDX-License-Identifier: GPL-2.0
# known_races.awk: a guest console on stdin, the same lines on stdout with
# the reports of one known Linux race blanked (line numbers are kept), and
# the WARNING line of each blanked report appended to the file -v known=.
# ENVIRON["VMI_PROBLEM_RE"] is the runner's pattern of a kernel problem
# (tools/lib/problems.sh).
#
# The race (HISTORY.md, "A WARN after 'reboot: Power down'"): at
# power-off, native_stop_other_cpus() stops the other CPUs with an IPI,
# and each marks itself offline when it gets there, but stays active. A
# CPU that has not got there yet and wakes a task in an interrupt
# (try_to_wake_up from a timer) may place it on a CPU already stopped:
# set_task_cpu()'s WARN_ON_ONCE(!cpu_online(new_cpu)). A report is
# blanked only if all of this holds:
#   - it starts after the kernel's own timestamped "reboot: Power down";
#   - its one WARNING is in set_task_cpu() (which of set_task_cpu's
#     checks, the console does not say: its other WARN_ON_ONCEs would
#     pass too; docs/testing.md);
#   - the first frame of its one call trace is try_to_wake_up();
#   - nothing else in it, not even the rest of one of those lines,
#     matches the problem pattern (a second report, an RCU stall, a
#     lockup);
#   - it is complete, up to "---[ end trace".
# Anything else stays as it is.
function flush(blank,   i) {
	for (i = 1; i <= n; i++)
		print (blank ? "" : buf[i])
	n = 0
}
BEGIN {
	problems = ENVIRON["VMI_PROBLEM_RE"]
	# without the pattern, nothing can be shown clean: blank nothing
	if (problems == "")
		problems = "."
}
{
	if (n) {
		buf[++n] = $0
		rest = $0
		if (sub(/WARNING: CPU: [0-9]+ PID: [0-9]+ at kernel\/sched\/core\.c:[0-9]+ set_task_cpu\+0x[0-9a-f]+\/0x[0-9a-f]+/, "", rest)) {
			if (warn != "")
				other = 1
			warn = $0
		} else if (sub(/Call Trace:/, "", rest)) {
			if (trace)
				other = 1
			trace = 1
		}
		# what else the line says (two messages can merge into one line)
		if (rest ~ problems) {
			other = 1
		} else if (trace && !frame && rest ~ /[A-Za-z0-9_.]+\+0x[0-9a-f]+\/0x[0-9a-f]+/ &&
			rest !~ /(^|[] ]) *\? /) {
			frame = 1
			ttwu = rest ~ /(^|[] ])try_to_wake_up\+0x/
		}
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
	rest = $0
	if (down && sub(/------------\[ cut here \]------------/, "", rest)) {
		buf[n = 1] = $0
		warn = ""
		trace = frame = ttwu = 0
		other = rest ~ problems
		next
	}
	if ($0 ~ /\[ *[0-9]+\.[0-9]+\] reboot: Power down$/)
		down = 1
	print
}
END { flush(0) }
