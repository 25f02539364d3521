# SPDX-License-Identifier: GPL-2.0
# The version matrix's checks (source after tap.sh and shim.sh), shared
# by rom_matrix.sh (this module with ROMs of older minors and one from
# the future) and release_pairs.sh (the previous release's module and ROM
# against the current ones); docs/abi.md "Versions" says what they prove.
# The caller sets mode (full|accelerate) and calls matrix_setup first;
# matrix_current loads the current module with the current ROM, the
# reference every other pair is compared with; matrix_rom checks the
# current module with another ROM; unload_proven proves a restore.
calls=$SHIM_DBG/calls
ops=$SHIM_DBG/ops
feats=$SHIM_DBG/features
fw=vmi-matrix
w=/tmp/rom_matrix
api_minor=15	# the module's VMI_API_MINOR, as docs/abi.md numbers the calls

# matrix_setup: the work and firmware directories, the matrix's ROMs
# ($VMI_ROMS/matrix) in $SHIM_FW/$fw, and the baseline CRCs
matrix_setup() {
	rm -rf "$w" "${SHIM_FW:?}/$fw" && mkdir -p "$w" "$SHIM_FW/$fw" || exit 1
	cp "$VMI_ROMS"/matrix/*.bin "$SHIM_FW/$fw/" 2>/dev/null
	matrix_baseline
}

# ncalls MINOR: how many calls 3.MINOR defines (docs/abi.md's numbering)
ncalls() {
	if [ "$1" -le 13 ]; then echo $((74 + $1))
	elif [ "$1" -eq 14 ]; then echo 87
	else echo 88
	fi
}
# call_minor NR: the minor that introduced call NR
call_minor() {
	if [ "$1" -lt 74 ]; then echo 0
	elif [ "$1" -le 86 ]; then echo $(($1 - 73))
	else echo 15
	fi
}
# The newest call a feature cannot be had without: its own, or steal
# time's (RegisterStealTime, 81) for those that read the preempted flag
# or the steal records (module/retrofit: steal_clock, the PV TLB flush,
# sched yield), so that one on with a ROM older than either is caught.
feature_call() {
	case $1 in
	steal_time) echo 81 ;;
	steal_clock) echo 81 ;;		# StealClock 80, RegisterStealTime 81
	pv_tlb_flush | pv_tlb_rcu_tables) echo 81 ;;	# FlushTLBOthers 74, 81
	pv_ipi | pv_ipi_apic) echo 75 ;;
	sched_yield) echo 81 ;;		# SchedYield 77, 81
	pv_spinlocks) echo 79 ;;
	pv_eoi) echo 83 ;;
	kvm_clock) echo 86 ;;
	steal_time_shared) echo 87 ;;
	*) echo -1 ;;
	esac
}

# snapshot TAG: what the loaded shim shows, into $w/TAG.*
#   .calls "nr name type backend", .ops "name call routed why",
#   .feat "name on|off reason", .sys "name value" (sysfs features/),
#   .src the module's srcversion
snapshot() {
	grep -v '^#' "$calls" | awk '{ print $1, $2, $3, $4 }' >"$w/$1.calls"
	grep -v '^#' "$ops" |
		awk '{ why = $7; for (i = 8; i < NF; i++) why = why " " $i
		       print $1, $3, $5, why }' >"$w/$1.ops"
	# the features, not the counters (two fields, a number)
	awk '$2 == "on" || $2 == "off"' "$feats" >"$w/$1.feat"
	# which build of the module this is (a hash of its sources)
	cat /sys/module/vmi_shim/srcversion >"$w/$1.src" 2>/dev/null
	for f in "$SHIM_SYS"/features/*; do
		echo "${f##*/} $(cat "$f")"
	done >"$w/$1.sys"
	tap_diag "$1: ops routed $(cat "$SHIM_SYS/ops_routed"); features on:" \
		"$(awk '$2 == "on" { printf "%s ", $1 }' "$w/$1.feat")"
}

# The kernel as it is: pv_ops and text CRCs, read through mode=off loads.
matrix_baseline() {
	base_ops=$(shim_pv_ops_crc)
	base_text=$(shim_text_crc)
	[ -n "$base_ops" ] && [ -n "$base_text" ]
	tap_ok $? "baseline: pv_ops CRC $base_ops, kernel text CRC $base_text"
}

# matrix_insmod NAME KO ROM: KO with firmware ROM (under $SHIM_FW) in
# $mode, as one result (the log marked first); on failure the shim's log
# lines and status 1.
matrix_insmod() {
	klog_mark
	if insmod "$2" rom=firmware rom_file="$3" mode="$mode"; then
		tap_ok 0 "$1: insmod $2 rom=firmware rom_file=$3 mode=$mode"
		return 0
	fi
	tap_ok 1 "$1: insmod $2 rom=firmware rom_file=$3 mode=$mode"
	klog_since | grep vmi_shim | sed 's/^/#   /'
	return 1
}

# unload_proven NAME: shim_unload, then pv_ops and text as before the load
unload_proven() {
	klog_mark
	shim_unload
	tap_ok $? "$1: unloaded (routing off, rmmod)"
	! klog_since | grep -qE 'vmi_shim: (pv_ops differ|restore not|routing stays on)'
	tap_ok $? "$1: the restore reported nothing left undone"
	tap_eq "$(shim_pv_ops_crc) $(shim_text_crc)" "$base_ops $base_text" \
		"$1: pv_ops and kernel text as before the load"
	[ ! -e "$SHIM_SYS" ] && ! grep -q '^vmi_shim ' /proc/modules
	tap_ok $? "$1: nothing of the shim left"
}

# matrix_current [--expect-kernel pv|nopv]: the current module with the
# current ROM as a firmware file, the reference (snapshot "ref"), and its
# unload proven. Exits the test (tap_done) if it does not load.
matrix_current() {
	expect_kernel=
	[ "${1:-}" = --expect-kernel ] && expect_kernel=$2
	if ! insmod "$SHIM_MOD" rom=firmware rom_file=$fw/vmi-rom.bin mode="$mode"; then
		tap_ok 1 "current ROM: insmod rom=firmware rom_file=$fw/vmi-rom.bin mode=$mode"
		tap_done
	fi
	tap_ok 0 "current ROM: insmod rom=firmware rom_file=$fw/vmi-rom.bin mode=$mode"
	tap_eq "$(cat "$SHIM_SYS/rom/version")" "3.$api_minor" "current ROM: speaks 3.$api_minor"
	snapshot ref
	tap_eq "$(wc -l <"$w/ref.calls")" 88 "current ROM: 88 calls listed"
	case $expect_kernel in
	pv) tap_eq "$(feature steal_time)" "off kernel-pv" "current ROM: the kernel runs KVM's guest code (steal_time off kernel-pv)" ;;
	nopv) tap_eq "$(feature steal_time)" on "current ROM: the retrofit is on (steal_time on)" ;;
	esac
	unload_proven "current ROM"
}

# matrix_rom NAME ROM MINOR: the current module with $SHIM_FW/$fw/ROM,
# whose header says 3.MINOR, against the reference: the calls both know
# resolved as there, nothing past them asked or used, the restore proven.
matrix_rom() {
	name=$1 rom=$2 m=$3
	n=$(ncalls "$m")
	matrix_insmod "$name" "$SHIM_MOD" "$fw/$rom" || return
	tap_eq "$(cat "$SHIM_SYS/rom/version")" "3.$m" "$name: rom/version"
	log=$(klog_since)
	if [ "$m" -gt "$api_minor" ]; then
		echo "$log" | grep -q "vmi_shim: rom 3.$m, using 3.$api_minor\$" &&
			! echo "$log" | grep -q 'came later'
		tap_ok $? "$name: the log says 'rom 3.$m, using 3.$api_minor'"
	elif [ "$m" -eq "$api_minor" ]; then
		! echo "$log" | grep -qE 'vmi_shim: rom 3\.[0-9]+(: calls .* came later|, using 3)'
		tap_ok $? "$name: the log says no call came later and none is left unused"
	else
		echo "$log" | grep -q "vmi_shim: rom 3.$m: calls $n-87 came later and stay native\$" &&
			! echo "$log" | grep -q ', using 3'
		tap_ok $? "$name: the log says 'rom 3.$m: calls $n-87 came later and stay native'"
	fi
	# Before 3.14 a kernel that clears CPU buffers before HLT keeps
	# Halt and SpinWait native, and says so (docs/abi.md, "Versions").
	verw=
	if [ "$m" -lt 14 ] && echo "$log" | grep -q 'vmi_shim: the kernel clears CPU buffers before HLT and this ROM (VMI < 3.14) cannot'; then
		verw=1
		tap_diag "$name: the kernel clears CPU buffers before HLT: Halt and SpinWait stay native"
	fi
	snapshot "m$m"

	# calls: 0..n-1 as the current ROM's, n.. NONE none, nothing past 87
	bad=$(awk -v n="$n" -v m="$m" '
		NR == FNR { type[$1] = $3; be[$1] = $4; next }
		{
			seen++
			if ($1 >= 88) { print "call " $1 " listed"; next }
			if ($1 >= n) {
				if ($3 != "NONE" || $4 != "none")
					print $1 " " $2 ": " $3 " " $4 ", want NONE none"
				next
			}
			want = be[$1]
			if (m < 9)	# no GetBackend: from the relocation
				want = $3 == "NOP" ? "nop" : $3 == "NONE" ? "none" :
				       $1 >= 74 ? "kvm" : "rom"
			if ($3 != type[$1] || $4 != want)
				print $1 " " $2 ": " $3 " " $4 ", current ROM " type[$1] " " be[$1] " (want " want ")"
		}
		END { if (seen != 88) print seen " calls listed, want 88" }
	' "$w/ref.calls" "$w/m$m.calls") || bad="the check failed to run (awk)"
	[ -z "$bad" ] || echo "$bad" | sed 's/^/# /'
	tap_ok "$([ -z "$bad" ] && echo 0 || echo 1)" \
		"$name: calls 0..$((n - 1)) resolve as with the current ROM, $n..87 NONE, none past 87"

	# ops: by their call; the reason when it is the ROM's age
	bad=$(awk -v n="$n" -v m="$m" -v verw="$verw" '
		FILENAME ~ /calls$/ { nr[$2] = $1; next }
		FILENAME ~ /ref.ops$/ { r = $3; for (i = 4; i <= NF; i++) r = r " " $i
					ref[$1] = r; next }
		{
			name = $1; c = nr[$2]; rest = $3; why = $4
			for (i = 5; i <= NF; i++) why = why " " $i
			k = c < 74 ? 0 : c <= 86 ? c - 73 : 15
			if (c >= n) {
				if (rest != "no" || why != "rom-too-old: needs 3." k " " $2)
					print name " (" c " " $2 "): routed " rest ", " why "; want no, rom-too-old: needs 3." k " " $2
				next
			}
			if ((rest " " why) == ref[name])
				next
			if (rest == "no" && match(why, /^rom-too-old: needs 3\.[0-9]+ /)) {
				split(substr(why, 22), a, " ")
				if (a[1] + 0 > m + 0)
					next
			}
			# VMI_INIT_IDLE_VERW came with 3.14 (no call)
			if (rest == "no" && verw && why ~ /^cpu-buffer-clear:/)
				next
			print name " (" c " " $2 "): routed " rest ", " why "; current ROM " ref[name]
		}
	' "$w/m$m.calls" "$w/ref.ops" "$w/m$m.ops") || bad="the check failed to run (awk)"
	[ -z "$bad" ] || echo "$bad" | sed 's/^/# /'
	tap_ok "$([ -z "$bad" ] && echo 0 || echo 1)" \
		"$name: ops of calls $n.. not routed (rom-too-old, naming the call); the others as with the current ROM or off rom-too-old for a later call"

	# features
	bad=
	while read -r f state why; do
		refl=$(awk -v f="$f" '$1 == f { $1 = ""; sub(/^ /, ""); print }' "$w/ref.feat")
		fc=$(feature_call "$f")
		k=$(echo "$why" | sed -n 's/^rom-too-old: needs 3\.\([0-9]*\) .*/\1/p')
		if [ "$state" = on ]; then
			# on: as with the current ROM, and its own call announced
			[ "$refl" = on ] && [ "$fc" -lt "$n" ] && continue
		elif [ -n "$k" ] && [ "$k" -gt "$m" ]; then
			continue	# off for a later call
		elif [ -n "$verw" ] && [ "${why%%:*}" = cpu-buffer-clear ]; then
			continue	# for the later VMI_INIT_IDLE_VERW
		elif [ "$state $why" = "$refl" ]; then
			# off as with the current ROM: for a reason not the
			# ROM's, if the feature's own call is not announced
			[ "$fc" -lt "$n" ] && continue
			case $why in rom-*) ;; *) continue ;; esac
		fi
		bad="$bad
$f: $state $why; current ROM: $refl (own call $fc)"
	done <"$w/m$m.feat"
	while read -r f v; do
		t=$(awk -v f="$f" '$1 == f { print $2 ($2 == "off" ? " " substr($3, 1, index($3 ":", ":") - 1) : "") }' "$w/m$m.feat")
		[ "$v" = "$t" ] || bad="$bad
sysfs features/$f: '$v', debugfs: '$t'"
	done <"$w/m$m.sys"
	[ -z "$bad" ] || echo "$bad" | sed '/^$/d; s/^/# /'
	tap_ok "$([ -z "$bad" ] && echo 0 || echo 1)" \
		"$name: features as with the current ROM, or off rom-too-old for a later call; sysfs says the same"
	unload_proven "$name"
}
