#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# ops_route.sh --mode full|accelerate --expect-hv none|kvm
# Route pv_ops through the ROM and check that a module loaded afterwards
# enters the ROM exactly as often as it calls the ops; that the shim cannot
# be unloaded while that module is bound to it; and that unloading puts
# every pv_ops pointer back (CRC equal to the one before load).
. "$(dirname "$0")/lib/tap.sh"
. "$(dirname "$0")/lib/shim.sh"

mode=full expect_hv=none
while [ $# -gt 0 ]; do
	case $1 in
	--mode) mode=$2; shift ;;
	--expect-hv) expect_hv=$2; shift ;;
	esac
	shift
done
mod=$SHIM_MOD
ops=/sys/kernel/debug/vmi_shim/ops
sys=/sys/kernel/vmi_shim
rounds=500
count() { awk -v n="$1" '$1 == n { print $6 }' "$ops"; }
routed() { awk -v n="$1" '$1 == n { print $5 }' "$ops"; }
why() { awk -v n="$1" '$1 == n { sub(/:$/, "", $7); print $7 }' "$ops"; }
# An i386 kernel (686-pae) has no PARAVIRT_XXL: of vmi_test_pvops' calls
# only io_delay goes through pv_ops there, and the module flushes a TLB
# entry too (mmu.flush_tlb_one_user), which the rest of the kernel also
# does: that count is a lower bound.
xxl=1
[ "$(uname -m)" = x86_64 ] || xxl=
tlb_op=

# The baseline: pv_ops as the kernel has them (mode=off changes nothing).
insmod "$mod" mode=off && crc_before=$(cat $sys/pv_ops_crc) && shim_unload
tap_ok $? "baseline pv_ops CRC with mode=off ($crc_before)"

klog_mark
insmod "$mod" mode=$mode
tap_ok $? "insmod mode=$mode"
tap_eq "$(cat $sys/mode)" "$mode" "mode reported"
tap_diag "ops routed: $(cat $sys/ops_routed)"
grep -v '^#' "$ops" | sed 's/^/#   /'
# Retbleed/SRSO/ITS mitigations: the kernel returns through a thunk, and
# so must every op entry that runs ROM code (its own ret is not one).
if [ "$(cat $sys/ops_routed)" -gt 0 ] &&
	cat /sys/devices/system/cpu/vulnerabilities/* 2>/dev/null |
	grep -qE 'return thunk|safe RET|Mitigation: Aligned branch/return thunks'; then
	klog_since | grep -q "ops routed through the ROM; returns via .*thunk"
	tap_ok $? "the kernel uses a return thunk: ROM entries return through it"
fi

case $mode in
full)
	exercised="cpu.read_cr0 cpu.cpuid cpu.get_debugreg cpu.io_delay"
	if [ -z "$xxl" ]; then
		exercised="cpu.io_delay"
		if [ "$(why mmu.flush_tlb_one_user)" = pti ]; then
			tap_skip "mmu.flush_tlb_one_user routed in $mode mode" "page-table isolation is on (the shim keeps TLB flushes native)"
		else
			tlb_op=mmu.flush_tlb_one_user
		fi
	fi
	;;
*)
	# Accelerate replaces only native ops the ROM beats: io_delay under
	# KVM, and only when the kernel did not set up its own PV (nopv).
	exercised=""
	if [ "$expect_hv" = kvm ] && grep -qw nopv /proc/cmdline; then
		exercised="cpu.io_delay"
	fi
	;;
esac
for op in $exercised $tlb_op; do
	tap_eq "$(routed $op)" yes "$op routed in $mode mode"
done
if [ -n "$xxl" ]; then
	if [ "$mode" = accelerate ]; then
		tap_eq "$(routed cpu.read_cr0)" no "cpu.read_cr0 stays native in accelerate mode"
	fi
	tap_eq "$(routed cpu.write_cr0)" no "cpu.write_cr0 never routed (CR0 pinning)"
	tap_eq "$(routed cpu.read_msr)" no "cpu.read_msr never routed (the kernel survives MSR faults, the ROM cannot)"
else
	if [ "$mode" = accelerate ] && [ -z "$exercised" ]; then
		# No GetBackend: only a NOP (KVM's NOP_IO_DELAY) beats native.
		tap_eq "$(routed cpu.io_delay) $(why cpu.io_delay)" "no backend-unknown" \
			"cpu.io_delay stays native in accelerate mode: a VMI 3.0 ROM cannot say it beats native (hv=$expect_hv)"
	fi
	grep -q '^cpu.io_delay ' "$ops" && ! grep -q '^cpu.read_cr0 ' "$ops"
	tap_ok $? "cpu.io_delay listed, no cpu.read_cr0 op without PARAVIRT_XXL"
	tap_eq "$(routed lock.wait) $(why lock.wait)" "no rom-too-old" "lock.wait stays native: SpinWait is past a VMI 3.0 ROM's calls"
fi

before=""
for op in $exercised; do before="$before $(count $op)"; done
[ -n "$tlb_op" ] && tlb_before=$(count $tlb_op)
insmod "$VMI_MODULES"/vmi_test_pvops.ko rounds=$rounds
tap_ok $? "a module loaded afterwards runs with routed ops"
set -- $before
for op in $exercised; do
	tap_eq "$(($(count $op) - $1))" "$rounds" "$op: ROM entered exactly $rounds times from the new module"
	shift
done
if [ -n "$tlb_op" ]; then
	n=$(($(count $tlb_op) - tlb_before))
	[ "$n" -ge "$rounds" ]
	tap_ok $? "$tlb_op: ROM entered at least $rounds times from the new module (+$n)"
fi

if [ "$(cat $sys/ops_routed)" -gt 0 ] && [ -n "$exercised" ]; then
	tap_eq "$(cat $sys/modules_bound)" 1 "the new module is tracked as bound to the shim"
fi
# What the release and unload log, and only that, is checked below.
klog_mark
if [ "$(cat $sys/ops_routed)" -gt 0 ]; then
	# Pinned while routed: a plain rmmod must fail and change nothing.
	rmmod vmi_shim 2>/dev/null
	r=$?
	[ $r -ne 0 ] && grep -q '^vmi_shim ' /proc/modules &&
		[ "$(cat $sys/routing)" = on ]
	tap_ok $? "plain rmmod refused while ops are routed (shim stays, routing on)"
	echo off >$sys/routing
	tap_ok $? "routing off: restore proven"
	tap_eq "$(cat $sys/routing)" off "sysfs routing reads off"
	tap_eq "$(cat $sys/ops_routed)" 0 "no op routed after release"
fi
shim_unload
tap_ok $? "unload vmi_shim while the bound module stays loaded"
if [ -n "$exercised" ]; then
	klog_since | grep -q "vmi_test_pvops: [0-9]* call sites restored"
	tap_ok $? "the bound module's call sites were put back"
fi
echo $rounds >/sys/module/vmi_test_pvops/parameters/run
tap_ok $? "the module still works after the shim is gone (its sites call the kernel again)"
rmmod vmi_test_pvops
tap_ok $? "rmmod the module"
klog_since | grep -q "pv_ops restored (crc"
tap_ok $? "pv_ops restored and verified by CRC"
insmod "$mod" mode=off
tap_eq "$(cat $sys/pv_ops_crc)" "$crc_before" "pv_ops CRC after unload equals the one before load"
shim_unload
klog_mark
insmod "$mod" mode=bogus 2>/dev/null
r=$?
[ $r -ne 0 ] && klog_since | grep -q "mode=bogus: want"
tap_ok $? "bad mode= parameter refused with its message"
tap_done
