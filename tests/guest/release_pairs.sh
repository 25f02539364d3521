#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# release_pairs.sh [--mode full|accelerate] [--expect-kernel pv|nopv]
# The cross-release pairs of the version matrix (issue 16, docs/abi.md
# "Versions"): the previous release's module and ROM, built from its git
# tag by tools/prev-release into $VMI_DIR/prev (make guest-files), against
# the current ones, in one boot, after the current pair as the reference
# (tests/lib/matrix.sh, as rom_matrix.sh):
# - the current module with the previous release's ROM (its header's
#   minor m): exactly matrix_rom's checks for a ROM of 3.m;
# - the previous module (its VMI_API_MINOR p, from the tag's
#   include/vmi/abi.h) with the current ROM (3.15): it loads, the ROM
#   says 3.15, the log says "rom 3.15, using 3.p" when p < 15 (nothing
#   when equal); the calls below N(min(p, 15)) resolve as the current
#   module resolves them with this ROM (the backend from 3.9), none from
#   there on is anything but NONE none; every routed op's call and every
#   feature on has its call below it; every op or feature left off says
#   why;
# - each unload restores and proves it: pv_ops and kernel text CRCs as
#   before the first load (read through the current module, mode=off).
# No previous release (no older v* tag, a shallow clone, no git): one
# SKIP saying so. A previous release that did not build: a failure.
. "$(dirname "$0")/lib/tap.sh"
. "$(dirname "$0")/lib/shim.sh"
. "$(dirname "$0")/lib/matrix.sh"

mode=full expect_kernel=
while [ $# -gt 0 ]; do
	case $1 in
	--mode) mode=$2; shift ;;
	--expect-kernel) expect_kernel=$2; shift ;;
	*) break ;;
	esac
	shift
done
prev=$VMI_DIR/prev
if [ -e "$prev/none" ]; then
	tap_skip "the previous release's module and ROM against the current ones" "$(cat "$prev/none")"
	tap_done
fi
if [ -e "$prev/error" ]; then
	tap_ok 1 "the previous release's module and ROM built: $(cat "$prev/error")"
	tap_done
fi
if [ ! -s "$prev/release" ] || [ ! -s "$prev/vmi_shim.ko" ] || [ ! -s "$prev/vmi-rom.bin" ]; then
	tap_ok 1 "the previous release's module and ROM staged in $prev (make guest-files: tools/prev-release)"
	tap_done
fi
tag=$(sed -n 's/^tag=//p' "$prev/release")
commit=$(sed -n 's/^commit=//p' "$prev/release")
pm=$(sed -n 's/^api_minor=//p' "$prev/release")
rom_minor=$(od -An -tu1 -j12 -N1 "$prev/vmi-rom.bin" | tr -d ' ')
tap_diag "previous release: $tag ($commit), its module knows 3.$pm, its ROM says 3.$rom_minor"

matrix_setup
cp "$prev/vmi-rom.bin" "$SHIM_FW/$fw/prev-rom.bin" || exit 1
matrix_current ${expect_kernel:+--expect-kernel "$expect_kernel"}

# The current module with the previous release's ROM.
matrix_rom "current module, $tag's ROM 3.$rom_minor" prev-rom.bin "$rom_minor"

# The previous release's module with the current ROM.
name="$tag's module, current ROM"
both=$pm
[ "$pm" -gt "$api_minor" ] && both=$api_minor
n=$(ncalls "$both")
matrix_insmod "$name" "$prev/vmi_shim.ko" "$fw/vmi-rom.bin" || tap_done
tap_eq "$(cat "$SHIM_SYS/rom/version")" "3.$api_minor" "$name: rom/version"
log=$(klog_since)
if [ "$api_minor" -gt "$pm" ]; then
	echo "$log" | grep -q "vmi_shim: rom 3.$api_minor, using 3.$pm\$"
	tap_ok $? "$name: the log says 'rom 3.$api_minor, using 3.$pm'"
else
	! echo "$log" | grep -qE 'vmi_shim: rom 3\.[0-9]+(: calls .* came later|, using 3)'
	tap_ok $? "$name: the log says no call came later and none is left unused"
fi
snapshot prev
# A release whose module sources nothing has changed since (a commit of
# tests or docs after the tag) is the same build: nothing to tell apart.
if [ -s "$w/prev.src" ] && cmp -s "$w/prev.src" "$w/ref.src"; then
	tap_skip "$name: a module of other sources than the current one" \
		"the previous release's module sources are the current ones (srcversion $(cat "$w/ref.src"))"
else
	[ -s "$w/prev.src" ] && ! cmp -s "$w/prev.src" "$w/ref.src"
	tap_ok $? "$name: a module of other sources than the current one (srcversion $(cat "$w/prev.src" 2>/dev/null), current $(cat "$w/ref.src" 2>/dev/null))"
fi

# calls: 0..n-1 as the current module has them with this ROM, n.. NONE
bad=$(awk -v n="$n" -v pm="$pm" '
	NR == FNR { type[$1] = $3; be[$1] = $4; next }
	{
		seen[$1] = 1
		if ($1 >= n) {
			if ($3 != "NONE" || $4 != "none")
				print $1 " " $2 ": " $3 " " $4 ", want NONE none"
			next
		}
		# before 3.9 (no GetBackend) the module takes the backend
		# from the relocation: only the type is the ROM'"'"'s answer
		if ($3 != type[$1] || (pm >= 9 && $4 != be[$1]))
			print $1 " " $2 ": " $3 " " $4 ", current module " type[$1] " " be[$1]
	}
	END { for (i = 0; i < n; i++) if (!(i in seen)) print "call " i " not listed" }
' "$w/ref.calls" "$w/prev.calls") || bad="the check failed to run (awk)"
[ -z "$bad" ] || echo "$bad" | sed 's/^/# /'
tap_ok "$([ -z "$bad" ] && echo 0 || echo 1)" \
	"$name: calls 0..$((n - 1)) resolve as the current module resolves them, none from $n on"

# ops: routed only through a call both know; any other says why
bad=$(awk -v n="$n" '
	FILENAME ~ /calls$/ { nr[$2] = $1; next }
	{
		if (!($2 in nr)) { print $1 ": call " $2 " unknown to this ROM"; next }
		c = nr[$2]
		if ($3 != "no" && c >= n)
			print $1 " (" c " " $2 "): routed " $3 " through a call from " n " on"
		if ($3 == "no" && ($4 == "" || $4 == "-"))
			print $1 " (" c " " $2 "): not routed, no reason given"
	}
' "$w/ref.calls" "$w/prev.ops") || bad="the check failed to run (awk)"
[ -z "$bad" ] || echo "$bad" | sed 's/^/# /'
[ -s "$w/prev.ops" ] || bad="no ops listed"
tap_ok "$([ -z "$bad" ] && echo 0 || echo 1)" \
	"$name: every routed op through a call below $n; every other op says why"
diff "$w/ref.ops" "$w/prev.ops" | sed -n 's/^\([<>]\)/#   \1/p' |
	sed '1i # ops that differ from the current module (< current, > previous):'

# features: on only through a call both know; off says why
bad=
while read -r f state why; do
	fc=$(feature_call "$f")
	if [ "$state" = on ] && [ "$fc" -ge "$n" ]; then
		bad="$bad
$f: on, its call $fc is not below $n"
	elif [ "$state" = off ] && [ -z "$why" ]; then
		bad="$bad
$f: off, no reason given"
	fi
done <"$w/prev.feat"
[ -z "$bad" ] || echo "$bad" | sed '/^$/d; s/^/# /'
tap_ok "$([ -z "$bad" ] && echo 0 || echo 1)" \
	"$name: every feature on has its call below $n; every one off says why"
unload_proven "$name"
tap_done
