#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# check-log.sh native|rom|rom-pae CONSOLE_LOG: the assertions of a VMI client's
# boot (tests/jobs/vmi.list), on the guest kernel's console as vmi-run
# hands it over (nested: the L2's lines, unprefixed). TAP on stdout;
# exit 1 if any fails.
#   native  no VMI ROM: the kernel boots on bare hardware, not on VMI, and
#           the workload of tests/vmi-client/init passes
#   rom     the client finds the ROM and initialises it, boots on VMI,
#           registers and uses its VMI clocksource and clock event
#           device on every CPU, and the workload passes
#   rom-pae as rom, and the kernel runs with PAE (2.6.32-vmi-pae): it says
#           "NX (Execute Disable) protection: active", which 2.6.32 on
#           i386 prints only with CONFIG_X86_PAE (set_nx() is empty
#           without it) on a CPU with NX, as QEMU's qemu64 and the nested
#           rig's are. That the client bound SetPxELong (39) and
#           UpdatePxELong (41) to the ROM's code is not in the log:
#           2.6.32 prints nothing per call it binds (vmi_get_function),
#           so only "booted on VMI" with PAE and the workload say so.
# All: no Oops, BUG, panic or WARN (tools/lib/problems.sh).
. "$(dirname "$0")/../../tools/lib/problems.sh"
mode=$1 log=$2
case $mode in native | rom | rom-pae) ;; *) echo "usage: $0 native|rom|rom-pae LOG" >&2; exit 2 ;; esac
[ -r "$log" ] || { echo "check-log.sh: cannot read $log" >&2; exit 2; }
n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
has() { grep -aqE "$1" "$log"; }
# expect DESCRIPTION yes|no ERE: the log has (or has not) a line matching
expect() {
	if has "$3"; then
		[ "$2" = yes ] && ok "$1" || { notok "$1"; grep -aE "$3" "$log" | head -3 | sed 's/^/# /'; }
	else
		[ "$2" = no ] && ok "$1" || notok "$1"
	fi
}
# every per-CPU clock event device is NAME, and there is one
clockevents_are() {
	c=$(grep -ac '^clockevent cpu[0-9]*: ' "$log")
	o=$(grep -a '^clockevent cpu[0-9]*: ' "$log" | grep -avc ": $1\$")
	grep -a '^clockevent' "$log" | sed 's/^/# /'
	[ "$c" -gt 0 ] && [ "$o" -eq 0 ]
}

echo "TAP version 13"
expect "log: the workload ran to its summary with 0 failed" yes \
	'^vmi-client: [1-9][0-9]* passed, 0 failed'
expect "log: no Oops, BUG, panic or WARN" no "$VMI_PROBLEM_RE"
if [ "$mode" = native ]; then
	expect "log: no VMI ROM found" no '(^|\] )VMI: Found '
	expect "log: booted on bare hardware" yes \
		'Booting paravirtualized kernel on bare hardware'
	expect "log: not on VMI" no 'Booting paravirtualized kernel on vmi'
	if clockevents_are vmi-timer; then
		notok "log: no VMI clock event device"
	else
		ok "log: no VMI clock event device"
	fi
else
	expect "log: the client found a VMI ROM" yes '(^|\] )VMI: Found '
	expect "log: no \"VMI ROM failed to initialize\"" no 'VMI ROM failed to initialize'
	expect "log: booted on VMI" yes 'Booting paravirtualized kernel on vmi'
	expect "log: vmi: registering clock source" yes 'vmi: registering clock source'
	expect "log: vmi: registering clock event vmi-timer" yes \
		'vmi: registering clock event vmi-timer'
	expect "log: clocksource vmi-timer in use" yes '^clocksource: vmi-timer$'
	if clockevents_are vmi-timer; then
		ok "log: clock event vmi-timer on every CPU"
	else
		notok "log: clock event vmi-timer on every CPU"
	fi
fi
if [ "$mode" = rom-pae ]; then
	expect "log: the kernel runs with PAE (NX protection active)" yes \
		'(^|\] )NX \(Execute Disable\) protection: active'
fi
echo "1..$n"
[ $failed -eq 0 ]
