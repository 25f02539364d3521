#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# rom_swap.sh [--mode accelerate|full] [--swaps N] [--check-every K] MINOR...
# The platform layer replaced while the kernel runs on it (issue 16,
# docs/abi.md "Swapping the ROM live"). The shim is loaded by vmictl with
# its built-in ROM (3.15) and the site tables; then:
# - bad swaps are refused, each saying why, with the ROM, the swap count,
#   every feature and the kernel's text as they were: an unknown source,
#   a missing file, a malformed ROM, another major, a ROM whose VMI_Init
#   declines, a name outside /lib/firmware, rom/image empty, malformed,
#   taken by a refused swap, written out of order or too long (the write
#   refused, the image begun dropped), a write by another user, and
#   (fail_verify=swap_cpu) a good ROM that one CPU reports refusing its
#   areas with every CPU stopped, which every CPU then moves back from;
# - N rounds while threads fork, fault, unmap and yield on every CPU
#   (pv_exercise): each round swaps to the matrix ROM of each MINOR
#   (make rom-matrix; the first by "vmictl rom swap FILE") and back to
#   the built-in one. After each swap: rom/version is the new ROM's; a
#   feature the load switched on is on exactly when the ROM announces
#   every call it needs (matrix.sh's feature_call), else off saying
#   "rom-too-old" (PV spinlocks before 3.14 may say "cpu-buffer-clear");
#   one the load left off keeps its reason; the kernel is off the ROM's
#   clocksource while the ROM has no clock and back on it after; the
#   ops' entry counters kept counting; uptime went forward by less than
#   a minute and each CPU's steal time never back, nor by more than the
#   time that passed. The second swap is made with the last CPU offline
#   (brought back after), where CPU hotplug can.  With --check-every K, swaps between every K-th
#   (and all of the first two rounds and the last) are checked for the
#   write's success and rom/version only: a check costs seconds in a
#   nested guest, a swap about one;
# - no oops, BUG or WARN in the log; rom/swaps and vmictl rom history
#   count every swap; the unload restores and proves every byte.
. "$(dirname "$0")/lib/tap.sh"
. "$(dirname "$0")/lib/shim.sh"
. "$(dirname "$0")/lib/matrix.sh"

mode=accelerate swaps=1 every=1
while [ $# -gt 0 ]; do
	case $1 in
	--mode) mode=$2; shift ;;
	--swaps) swaps=$2; shift ;;
	--check-every) every=$2; shift ;;
	*) break ;;
	esac
	shift
done
ops=$SHIM_DBG/ops
cs_dir=/sys/devices/system/clocksource/clocksource0
uptime_cs() { awk '{ split($1, a, "."); print a[1] * 100 + a[2] }' /proc/uptime; }
steal() { awk '$1 == "cpu" { print $9 }' /proc/stat; }
# Each CPU's steal ticks, "cpuN:T ...".
steal_cpus() { awk '$1 ~ /^cpu[0-9]/ { printf "%s:%s ", $1, $9 }' /proc/stat; }
# steal_bad BEFORE AFTER CS: a CPU whose steal went back or grew by more
# than CS centiseconds (plus one second); prints it.
steal_bad() {
	echo "$1 $2" | awk -v cs="$3" '{
		for (i = 1; i <= NF; i++) { split($i, a, ":")
			if (a[1] in b) { d = a[2] - b[a[1]]
				if (d < 0 || d > cs + 100) printf "%s steal %d ticks in %d cs; ", a[1], d, cs }
			else b[a[1]] = a[2] } }'
}
entries() { awk '!/^#/ { n += $6 } END { print n + 0 }' "$ops"; }
# The CPU taken offline for one swap (none on one CPU).
hot=/sys/devices/system/cpu/cpu$(($(grep -c '^processor' /proc/cpuinfo) - 1))

matrix_setup
cp "$VMI_ROMS"/*.bin "$SHIM_FW/vmi-test/"
log0=$(dmesg | wc -l)
kmod=
[ -d "$VMI_DIR/kmod" ] && kmod=1
vmictl load --mode "$mode" --rom builtin --param fail_verify=swap_cpu \
	${kmod:+--ko-dir "$VMI_DIR/kmod"} >/dev/null
tap_ok $? "vmictl load --mode $mode --rom builtin --param fail_verify=swap_cpu"
tap_eq "$(cat "$SHIM_SYS/rom/version") $(cat "$SHIM_SYS/rom/swaps")" "3.$api_minor 0" \
	"the built-in ROM (3.$api_minor) installed, no swap yet"
snapshot load
cs_load=$(cat "$cs_dir/current_clocksource")
tap_diag "clocksource at the load: $cs_load"

# ---- bad swaps: refused, nothing changed ---------------------------------
state() {
	echo "$(cat "$SHIM_SYS/rom/version") $(cat "$SHIM_SYS/rom/swaps")"
	cat "$SHIM_SYS"/features/* "$SHIM_SYS/ops_routed" "$cs_dir/current_clocksource"
	grep -v '^#' "$ops" | awk '{ print $1, $5 }'
}
text0=$(shim_text_crc_loaded)
tap_ok $? "the kernel text's CRC before the bad swaps ($text0)"
bad_swap() { # SPEC NAME LOG
	before=$(state)
	klog_mark
	if printf '%s\n' "$1" 2>/dev/null >"$SHIM_SYS/rom/swap"; then
		tap_ok 1 "$2: refused"
	else
		tap_ok 0 "$2: refused"
	fi
	klog_since | grep -q "vmi_shim: .*$3"
	tap_ok $? "$2: the log says why ($3)"
	tap_eq "$(state)" "$before" "$2: ROM, swap count, features and ops as before"
}
bad_swap bogus "an unknown source" "swap: 'bogus': want builtin, option, image or firmware"
bad_swap "firmware vmi-test/missing.bin" "a missing file" "swap: no ROM from firmware"
bad_swap "firmware vmi-test/bad-checksum.bin" "a malformed ROM" "rejected: bad checksum"
bad_swap "firmware vmi-test/bad-major.bin" "another VMI major" "rejected: unsupported VMI major"
bad_swap "firmware vmi-test/init-declines.bin" "a ROM whose VMI_Init declines" "declined in VMI_Init"
bad_swap "firmware ../../etc/passwd" "a name outside /lib/firmware" "want a relative name under /lib/firmware"
# rom/image: refused by the swap as a file is; the swap takes it either
# way. A refused write (dd_refused ERROR NAME DD-ARGS: dd must fail with
# that error) drops the image begun: no swap may take a part.
dd_refused() {
	want=$1 name=$2
	shift 2
	err=$(dd of="$SHIM_SYS/rom/image" "$@" 2>&1 >/dev/null)
	r=$?
	[ $r -ne 0 ] && case $err in *"$want"*) true ;; *) false ;; esac
	tap_ok $? "$name ($(echo "$err" | head -1))"
}
bad_swap image "an image before any was written" "rom/image is empty: write a ROM image to it first"
cat "$SHIM_FW/vmi-test/bad-checksum.bin" >"$SHIM_SYS/rom/image"
tap_ok $? "a malformed ROM written to rom/image (the write checks nothing)"
bad_swap image "a malformed image" "ROM from image of $(wc -c <"$SHIM_FW/vmi-test/bad-checksum.bin") bytes in rom/image rejected: bad checksum"
bad_swap image "the same image again: the refused swap took it" "rom/image is empty"
dd_refused "Illegal seek" "a write into rom/image past 0 with no image begun is refused (ESPIPE)" \
	if="$VMI_ROMS/good.bin" bs=512 seek=1
dd if="$VMI_ROMS/good.bin" of="$SHIM_SYS/rom/image" bs=512 count=1 2>/dev/null
tap_ok $? "512 bytes of a ROM written to rom/image"
dd_refused "Illegal seek" "the next 512 through another open file are refused (ESPIPE)" \
	if="$VMI_ROMS/good.bin" bs=512 skip=1 seek=1 count=1 conv=notrunc
bad_swap image "... and that refusal dropped the image begun" "rom/image is empty"
dd_refused "File too large" "an image over 128 KiB is refused (EFBIG)" \
	if=/dev/zero bs=4096 count=33
bad_swap image "... and that refusal dropped the image begun" "rom/image is empty"
# A good ROM that a CPU refuses with every CPU stopped (the test hook):
# every CPU moves back, steal time goes on from where it stood.
up=$(uptime_cs) sc=$(steal_cpus)
bad_swap "firmware $fw/vmi-rom-3.8.bin" "a ROM one CPU refuses (fail_verify=swap_cpu)" \
	"the new ROM refused a CPU's per-CPU areas (-5): every CPU moved back"
sleep 1
bad=$(steal_bad "$sc" "$(steal_cpus)" $(($(uptime_cs) - up)))
tap_eq "$bad" "" "... and each CPU's steal time went on from where it stood"
before=$(state)
! "$VMI_SELFTESTS"/as_nobody sh -c "echo builtin >$SHIM_SYS/rom/swap" 2>/dev/null
tap_ok $? "a swap written by another user is refused"
tap_eq "$(state)" "$before" "... and changed nothing"
tap_eq "$(shim_text_crc_loaded)" "$text0" "kernel text unchanged by every refused swap"

# ---- swaps under load ----------------------------------------------------
# expect MINOR: the features as they must be with ROM 3.MINOR installed
# (debugfs features, against the load's); prints what differs. One awk:
# under nested emulation every process a check starts costs.
fcalls=
for f in $(awk '{ print $1 }' "$w/load.feat"); do
	fcalls="$fcalls $f=$(call_minor "$(feature_call "$f")")"
done
expect() {
	awk -v m="$1" -v fcalls="$fcalls" '
		BEGIN { n = split(fcalls, a, " ")
			for (i = 1; i <= n; i++) { split(a[i], kv, "="); need[kv[1]] = kv[2] } }
		FILENAME ~ /load.feat$/ { st[$1] = $2; tok[$1] = $3; sub(/:$/, "", tok[$1]); next }
		$2 != "on" && $2 != "off" { next }
		{
			f = $1; now = $2; t = $3; sub(/:$/, "", t)
			if (!(f in st)) next
			if (st[f] != "on") {
				if (now != "off" || t != tok[f])
					print f ": " now " " t ", want off " tok[f] " (as at the load)"
				next
			}
			if (need[f] <= m) {
				if (now != "on") print f ": off " t ", want on (3." m " has its calls)"
				next
			}
			if (now == "off" && (t == "rom-too-old" ||
			    (t == "cpu-buffer-clear" && f == "pv_spinlocks" && m < 14)))
				next
			print f ": " now " " t ", want off rom-too-old (3." m " lacks a call it needs)"
		}' "$w/load.feat" "$SHIM_DBG/features"
	if [ "$cs_load" = vmi-kvm-clock ]; then
		cs=$(cat "$cs_dir/current_clocksource")
		if [ "$(call_minor 86)" -le "$1" ]; then
			[ "$cs" = vmi-kvm-clock ] || echo "clocksource $cs, want vmi-kvm-clock back"
		else
			[ "$cs" != vmi-kvm-clock ] || echo "clocksource still vmi-kvm-clock, which 3.$1 lacks"
		fi
	fi
}

# The swaps' trace events (vmi_shim:vmi_rom_swap), one per swap.
T=/sys/kernel/tracing
[ -d "$T/events" ] || mount -t tracefs nodev "$T" 2>/dev/null
tev=$T/events/vmi_shim/vmi_rom_swap
if [ -e "$tev/enable" ]; then
	echo 0 >"$T/tracing_on"
	: >"$T/trace"
	echo 1 >"$tev/enable"
	echo 1 >"$T/tracing_on"
fi
"$VMI_SELFTESTS"/pv_exercise 100000 >/dev/null 2>&1 &
load=$!
sleep 1
n=0 round=0 bad_rounds=0 light=0
up0=$(uptime_cs) st0=$(steal)
while [ $round -lt "$swaps" ]; do
	round=$((round + 1))
	for m in "$@" "$api_minor"; do
		rom=$fw/vmi-rom-3.$m.bin spec="firmware $rom" want=3.$m
		if [ "$m" = "$api_minor" ]; then
			spec=builtin
		fi
		full=
		if [ "$round" -le 2 ] || [ "$round" -eq "$swaps" ] ||
		   [ $((n % every)) -eq 0 ]; then
			full=1
		fi
		if [ -z "$full" ]; then
			printf '%s\n' "$spec" >"$SHIM_SYS/rom/swap"
			rc=$? n=$((n + 1)) light=$((light + 1))
			v=$(cat "$SHIM_SYS/rom/version")
			if [ $rc -ne 0 ] || [ "$v" != "$want" ]; then
				bad_rounds=$((bad_rounds + 1))
				tap_ok 1 "swap $n (round $round) to 3.$m: write status $rc, rom/version $v"
			fi
			continue
		fi
		up=$(uptime_cs) sc=$(steal_cpus) cnt=$(entries)
		klog_mark
		if [ $n -eq 0 ]; then
			vmictl rom swap "$VMI_ROMS/matrix/vmi-rom-3.$m.bin" >/dev/null
			rc=$?
			img_src="$(cat "$SHIM_SYS/rom/source") $(cat "$SHIM_SYS/rom/location")"
			(exit $rc)
		elif [ $n -eq 1 ] && [ -w "$hot/online" ] && echo 0 >"$hot/online"; then
			printf '%s\n' "$spec" >"$SHIM_SYS/rom/swap"
			rc=$?
			echo 1 >"$hot/online" || rc=99
			tap_diag "swap 2 made with ${hot##*/} offline"
			(exit $rc)
		else
			printf '%s\n' "$spec" >"$SHIM_SYS/rom/swap"
		fi
		rc=$?
		n=$((n + 1))
		sleep 0.2
		up2=$(uptime_cs) sc2=$(steal_cpus) cnt2=$(entries)
		bad=$(expect "$m")
		[ $rc -eq 0 ] || bad="$bad${bad:+; }the swap failed ($rc)"
		[ "$(cat "$SHIM_SYS/rom/version")" = "$want" ] ||
			bad="$bad${bad:+; }rom/version $(cat "$SHIM_SYS/rom/version"), want $want"
		[ "$cnt2" -gt "$cnt" ] ||
			bad="$bad${bad:+; }the ops' entries stopped counting ($cnt, then $cnt2)"
		[ "$up2" -ge "$up" ] && [ $((up2 - up)) -lt 6000 ] ||
			bad="$bad${bad:+; }uptime went from $up to $up2 cs"
		sbad=$(steal_bad "$sc" "$sc2" $((up2 - up)))
		[ -z "$sbad" ] || bad="$bad${bad:+; }$sbad"
		klog_since | grep -q "vmi_shim: ROM swapped: .* -> 3.$m " ||
			bad="$bad${bad:+; }the log does not say 'ROM swapped: ... -> 3.$m'"
		if [ -n "$bad" ]; then
			bad_rounds=$((bad_rounds + 1))
			tap_ok 1 "swap $n (round $round) to 3.$m: $bad"
			klog_since | grep vmi_shim | sed 's/^/#   /'
		elif [ "$round" -le 2 ] || [ "$round" -eq "$swaps" ]; then
			# every swap is checked; the first rounds and the last say so
			tap_ok 0 "swap $n (round $round) to 3.$m: version, features, clocksource, counters, uptime and steal as expected"
		fi
	done
done
tap_eq "$bad_rounds" 0 "$n swaps in $swaps rounds, every one as expected ($light checked for status and version only)"
kill "$load" 2>/dev/null
wait "$load" 2>/dev/null
tap_diag "uptime $(((($(uptime_cs) - up0)) / 100)) s, steal $(($(steal) - st0)) ticks over the swaps"
tap_eq "$img_src" "image rom/image" "vmictl rom swap FILE went through rom/image (rom/source, rom/location after it)"
tap_eq "$(cat "$SHIM_SYS/rom/swaps")" "$n" "rom/swaps counts every swap"
if [ -e "$tev/enable" ]; then
	echo 0 >"$tev/enable"
	tap_eq "$(grep -c 'vmi_rom_swap: old_minor=' "$T/trace")" "$n" \
		"one vmi_shim:vmi_rom_swap trace event per swap"
	grep 'vmi_rom_swap:' "$T/trace" | tail -1 | sed 's/^ */# /'
else
	tap_skip "one vmi_shim:vmi_rom_swap trace event per swap" "no tracefs here (CONFIG_EVENT_TRACING)"
fi
tap_eq "$(vmictl rom history | grep -c '^[0-9].* -> ')" "$([ "$n" -gt 16 ] && echo 16 || echo "$n")" \
	"vmictl rom history lists the last swaps (at most 16)"
! dmesg | tail -n +$((log0 + 1)) |
	grep -E 'Oops|BUG:|WARNING:|general protection|stack segment' | sed 's/^/# /' | grep .
tap_ok $? "no oops, BUG or WARN in the log since the load"
unload_proven "after $n swaps"
tap_done
