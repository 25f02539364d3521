#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# pv_realtime.sh: a host that hints KVM_HINTS_REALTIME (dedicated physical
# CPUs, QEMU's -cpu ...,kvm-hint-dedicated=on) gets what KVM's guest code
# would set up (arch/x86/kernel/kvm.c): no PV spinlocks, no PV TLB flush,
# no PV sched yield, each off saying "host hints realtime"; steal time,
# vcpu_is_preempted, PV IPIs and PV EOI as without the hint. Needs a KVM
# guest booted with nopv whose host gives the hint; elsewhere a SKIP.
. "$(dirname "$0")/lib/tap.sh"
. "$(dirname "$0")/lib/shim.sh"

ops=/sys/kernel/debug/vmi_shim/ops
state() { feature_state "$1"; }
routed() { awk -v n="$1" '$1 == n { print $5 }' "$ops"; }

vmictl load --mode accelerate >/dev/null
tap_ok $? "vmictl load --mode accelerate"
shim_features_diag
features=$(($(cat "$SHIM_SYS/kvm_features")))
hints=$(($(cat "$SHIM_SYS/kvm_hints")))
has() { [ $((features >> $1 & 1)) -eq 1 ]; }
why=
[ "$(cat "$SHIM_SYS/kvm_base")" = 0x00000000 ] && why="no KVM underneath"
[ -z "$why" ] && [ "$(cat "$SHIM_SYS/pv_info")" = KVM ] &&
	why="the kernel runs KVM's own guest code"
[ -z "$why" ] && [ $((hints & 1)) -eq 0 ] &&
	why="host gives no KVM_HINTS_REALTIME (kvm_hints $(cat "$SHIM_SYS/kvm_hints"); vmi-run --qemu-opt '-cpu host,kvm-hint-dedicated=on')"
if [ -n "$why" ]; then
	tap_skip "KVM_HINTS_REALTIME honoured" "$why"
	vmictl unload >/dev/null
	tap_ok $? "vmictl unload"
	tap_done
fi

# What kvm.c leaves off with the hint, when the host offers the rest.
off_rt() { # feature bit...
	f=$1
	shift
	for b in "$@"; do
		has "$b" || { tap_skip "$f off: host hints realtime" "host does not offer bit $b"; return; }
	done
	tap_eq "$(feature "$f")" "off realtime" "$f off: host hints realtime"
}
off_rt pv_spinlocks 7
off_rt pv_tlb_flush 9 5
off_rt sched_yield 13 5
for op in lock.queued_spin_lock_slowpath lock.queued_spin_unlock lock.wait lock.kick mmu.flush_tlb_multi; do
	tap_eq "$(routed $op)" no "$op stays native"
done
# What it keeps.
if has 5; then
	tap_eq "$(state steal_time)" on "steal_time on (not affected by the hint)"
	tap_eq "$(routed lock.vcpu_is_preempted)" yes "vcpu_is_preempted routed (kvm.c sets it with steal time, hint or not)"
fi
if has 11; then
	tap_eq "$(state pv_ipi)" on "pv_ipi on (not affected by the hint)"
fi
if has 6; then
	tap_eq "$(state pv_eoi)" on "pv_eoi on (not affected by the hint)"
fi
vmictl unload >/dev/null
tap_ok $? "vmictl unload (restore proven)"
tap_done
