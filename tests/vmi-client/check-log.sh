#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# check-log.sh [--cpus N] native|rom|rom-pae|rom-notimer CONSOLE_LOG: the
# assertions of a VMI client's boot (tests/jobs/vmi.list), on the guest
# kernel's console as vmi-run hands it over (nested: the L2's lines,
# unprefixed). TAP on stdout; exit 1 if any fails.
#   native       no VMI ROM: the kernel boots on bare hardware, not on
#                VMI, with a clock event device on every CPU and none
#                the VMI's, and the workload of tests/vmi-client/init
#                passes
#   rom          the client finds the ROM and initialises it, boots on
#                VMI, registers its VMI clocksource (at this machine's
#                TSC rate, 1%) and a VMI clock event device for every
#                CPU, uses them, and the workload passes
#   rom-pae      as rom, and the kernel runs with PAE (2.6.32-vmi-pae): it
#                says "NX (Execute Disable) protection: active", which
#                2.6.32 on i386 prints only with CONFIG_X86_PAE (set_nx()
#                is empty without it) on a CPU with NX. That the client
#                bound SetPxELong (39) and UpdatePxELong (41) is not in
#                the log: 2.6.32 prints nothing per call it binds.
#   rom-notimer  the same ROM with vmi=disable_timer: found, booted on
#                VMI, but no VMI clocksource or clock event: the native
#                local APIC timer ("lapic") on every CPU, through the
#                ROM's APICWrite, and the workload passes
# --cpus N: the guest's CPU count (vmi-run --smp; default 2, its
# default). The init must report "cpus: N" and one clock event device per
# CPU. All: the workload's summary counts every test of its plan
# ("1..T"), none failed, none skipped but smp with one CPU; no Oops,
# BUG, panic or WARN (tools/lib/problems.sh).
# VMI_CLIENT_RESULT: the init's result port (below).
# The host's TSC rate for rom: VMI_HOST_TSC_KHZ, else this machine's
# kernel log (dmesg: "tsc: Refined TSC clocksource calibration", else
# "tsc: Detected ... MHz processor"); without either that one assertion
# is a SKIP saying so. Guests under TCG and nested KVM count the host's
# TSC at its rate.
. "$(dirname "$0")/../../tools/lib/problems.sh"
usage() { echo "usage: $0 [--cpus N] native|rom|rom-pae|rom-notimer LOG" >&2; exit 2; }
cpus=2
while [ $# -gt 2 ]; do
	case $1 in
	--cpus) cpus=$2; shift 2 ;;
	*) usage ;;
	esac
done
mode=$1 log=$2
case $mode in native | rom | rom-pae | rom-notimer) ;; *) usage ;; esac
case $cpus in '' | 0* | *[!0-9]*) usage ;; esac
[ -r "$log" ] || { echo "check-log.sh: cannot read $log" >&2; exit 2; }
# VMI_CLIENT_RESULT=FILE: what the init wrote to its result port (vmi-run
# sets it). The console interleaves the kernel's messages with the init's
# lines, which go out through the tty later and can be cut in two by one
# (seen: "clockevent cpu1: vmi-timer[    5.13] input: ..."); the result
# port has only the init's, whole. Then the init's lines come from there
# and the kernel's from the console: its lines with a printk time stamp,
# from the stamp on.
if [ -n "${VMI_CLIENT_RESULT:-}" ]; then
	[ -r "$VMI_CLIENT_RESULT" ] ||
		{ echo "check-log.sh: cannot read $VMI_CLIENT_RESULT" >&2; exit 2; }
	merged=$(mktemp) || exit 2
	trap 'rm -f "$merged"' EXIT
	trap 'exit 130' INT TERM
	{
		tr -d '\r' <"$log" |
			sed -n 's/^.*\(\[ *[0-9][0-9]*\.[0-9][0-9]*\] \)/\1/p'
		tr -d '\r' <"$VMI_CLIENT_RESULT" | grep -av '^@@VMI-'
	} >"$merged"
	log=$merged
fi
n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
has() { grep -aqE "$1" "$log"; }
# expect DESCRIPTION yes|no ERE: the log has (or has not) a line matching
expect() {
	if has "$3"; then
		[ "$2" = yes ] && ok "$1" || { notok "$1"; grep -aE "$3" "$log" | head -3 | sed 's/^/# /'; }
	else
		[ "$2" = no ] && ok "$1" || notok "$1"
	fi
}
# check DESCRIPTION COMMAND...: ok if the command succeeds
check() {
	d=$1
	shift
	if "$@"; then ok "$d"; else notok "$d"; fi
}
# clockevents_are [!]NAME: $cpus per-CPU clock event devices, each NAME
# (with !: none NAME)
clockevents_are() {
	c=$(grep -ac '^clockevent cpu[0-9]*: ' "$log")
	case $1 in
	!*) o=$(grep -a '^clockevent cpu[0-9]*: ' "$log" | grep -ac ": ${1#!}\$") ;;
	*) o=$(grep -a '^clockevent cpu[0-9]*: ' "$log" | grep -avc ": $1\$") ;;
	esac
	grep -a '^clockevent' "$log" | sed 's/^/# /'
	# one line for each of cpu0..cpuN-1
	ids=$(grep -a '^clockevent cpu[0-9]*: ' "$log" | sed 's/^clockevent cpu\([0-9]*\):.*/\1/' |
		sort -n | tr '\n' ' ')
	[ "$ids" = "$(seq 0 $((cpus - 1)) | tr '\n' ' ')" ] ||
		echo "# per-CPU clock event devices on CPUs ${ids:-none}, want $cpus CPUs"
	[ "$c" -eq "$cpus" ] && [ "$o" -eq 0 ] &&
		[ "$ids" = "$(seq 0 $((cpus - 1)) | tr '\n' ' ')" ]
}
# count_is N ERE: N lines match
count_is() {
	c=$(grep -acE "$2" "$log")
	[ "$c" -eq "$1" ] || echo "# $c lines /$2/, want $1"
	[ "$c" -eq "$1" ]
}
# summary_full: "vmi-client: P passed, F failed, S skipped" with F = 0,
# P + S = T of the init's plan "1..T", S = 0 (1, smp, with one CPU)
summary_full() {
	t=$(sed -n '/^KTAP version 1/{n;s/^1\.\.\([0-9][0-9]*\)$/\1/p;}' "$log" | head -1)
	s=$(grep -a '^vmi-client: [0-9]* passed, ' "$log" | tail -1)
	echo "# plan 1..${t:-?}; ${s:-no summary}"
	p=$(echo "$s" | sed -n 's/^vmi-client: \([0-9]*\) passed, 0 failed, \([0-9]*\) skipped$/\1 \2/p')
	[ -n "$t" ] && [ "$t" -gt 0 ] && [ -n "$p" ] || return 1
	ps=${p#* }
	[ $((${p% *} + ps)) -eq "$t" ] && { [ "$ps" -eq 0 ] || [ "$ps$cpus" = 11 ]; }
}
# host_tsc_khz: this machine's TSC rate in kHz, or nothing
host_tsc_khz() {
	if [ -n "${VMI_HOST_TSC_KHZ:-}" ]; then
		echo "$VMI_HOST_TSC_KHZ"
		return
	fi
	k=$(dmesg 2>/dev/null | sed -n 's/.*tsc: Refined TSC clocksource calibration: \([0-9]*\)\.\([0-9]\{3\}\) MHz.*/\1\2/p' | tail -1)
	[ -n "$k" ] || k=$(dmesg 2>/dev/null | sed -n 's/.*tsc: Detected \([0-9]*\)\.\([0-9]\{3\}\) MHz processor.*/\1\2/p' | tail -1)
	echo "$k"
}
# the client's "registering clock source khz=K" against the host's TSC
clocksource_rate() {
	d="log: the VMI clocksource's rate is this machine's TSC rate (1%)"
	h=$(host_tsc_khz)
	k=$(sed -n 's/.*vmi: registering clock source khz=\([0-9][0-9]*\).*/\1/p' "$log" | tail -1)
	if [ -z "$h" ]; then
		skip "$d" "this machine's TSC rate is unknown (dmesg has no tsc: line; set VMI_HOST_TSC_KHZ)"
		return
	fi
	echo "# clocksource khz=${k:-none}, host TSC ${h} kHz"
	if [ -n "$k" ] && [ $((k * 100)) -ge $((h * 99)) ] && [ $((k * 100)) -le $((h * 101)) ]; then
		ok "$d"
	else
		notok "$d"
	fi
}

echo "TAP version 13"
check "log: the workload ran its whole plan, none failed" summary_full
expect "log: the init saw $cpus CPUs" yes "^cpus: $cpus\$"
expect "log: no Oops, BUG, panic or WARN" no "$VMI_PROBLEM_RE"
case $mode in
native)
	expect "log: no VMI ROM found" no '(^|\] )VMI: Found '
	expect "log: booted on bare hardware" yes \
		'Booting paravirtualized kernel on bare hardware'
	expect "log: not on VMI" no 'Booting paravirtualized kernel on vmi'
	check "log: a clock event device on each of $cpus CPUs, none vmi-timer" \
		clockevents_are '!vmi-timer'
	;;
rom | rom-pae)
	expect "log: the client found a VMI ROM" yes '(^|\] )VMI: Found '
	expect "log: no \"VMI ROM failed to initialize\"" no 'VMI ROM failed to initialize'
	expect "log: booted on VMI" yes 'Booting paravirtualized kernel on vmi'
	expect "log: vmi: registering clock source" yes 'vmi: registering clock source'
	clocksource_rate
	check "log: vmi: registering clock event vmi-timer, once per CPU ($cpus)" \
		count_is "$cpus" 'vmi: registering clock event vmi-timer'
	expect "log: clocksource vmi-timer in use" yes '^clocksource: vmi-timer$'
	check "log: clock event vmi-timer on each of $cpus CPUs" clockevents_are vmi-timer
	;;
rom-notimer)
	expect "log: the client found a VMI ROM" yes '(^|\] )VMI: Found '
	expect "log: no \"VMI ROM failed to initialize\"" no 'VMI ROM failed to initialize'
	expect "log: booted on VMI" yes 'Booting paravirtualized kernel on vmi'
	expect "log: vmi=disable_timer: no VMI clocksource" no \
		'vmi: registering clock source|^clocksource: vmi-timer$'
	expect "log: vmi=disable_timer: no VMI clock event" no \
		'vmi: registering clock event'
	check "log: clock event lapic on each of $cpus CPUs" clockevents_are lapic
	;;
esac
if [ "$mode" = rom-pae ]; then
	expect "log: the kernel runs with PAE (NX protection active)" yes \
		'(^|\] )NX \(Execute Disable\) protection: active'
fi
echo "1..$n"
[ $failed -eq 0 ]
