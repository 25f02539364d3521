#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# pv_mwait.sh: on a CPU that reports MWAIT, KVM's guest code takes the
# vCPUs for dedicated ones and sets up no PV TLB flush and no PV sched
# yield (arch/x86/kernel/kvm.c); the retrofit must do the same, saying
# "the CPU has MWAIT (dedicated CPUs)", and keep the rest. No CPU model
# of the rig gives a guest MWAIT, so the kernel is made to report it by
# vmi_test_mwait.ko (X86_FEATURE_MWAIT set in boot_cpu_data while it is
# loaded). Needs a KVM guest booted with nopv on a host that offers steal
# time, PV TLB flush and PV sched yield, without KVM_HINTS_REALTIME, with
# more than one possible CPU; elsewhere a SKIP.
. "$(dirname "$0")/lib/tap.sh"
. "$(dirname "$0")/lib/shim.sh"

ops=/sys/kernel/debug/vmi_shim/ops
fake=$VMI_MODULES/vmi_test_mwait.ko
state() { feature_state "$1"; }
routed() { awk -v n="$1" '$1 == n { print $5 }' "$ops"; }
why=mwait

skip_all() {
	tap_skip "the retrofit's MWAIT rule" "$1"
	tap_done
}
grep -Eq '^flags[[:space:]]*:.* monitor( |$)' /proc/cpuinfo &&
	skip_all "the CPU has MWAIT itself (pv_retrofit.sh checks the rule there)"
[ "$(cat /sys/devices/system/cpu/possible)" = 0 ] &&
	skip_all "one possible CPU: PV IPIs and spinlocks are off anyway (the onecpu job's pv_retrofit.sh covers that guest)"

# Nothing else may load, and no CPU come online, until rmmod below
# (vmi_test_mwait.c says why).
insmod "$fake"
rc=$?
tap_ok $rc "insmod vmi_test_mwait (the kernel now reports MWAIT)"
[ $rc -eq 0 ] || tap_done
# (vmi_test_mwait.ko sits beside vmi_shim.ko, where vmictl looks for the
# .ko of each loaded module: its lock sites are known, as PV spinlocks need)
vmictl load --mode accelerate >/dev/null
rc=$?
tap_ok $rc "vmictl load --mode accelerate, with MWAIT reported"
if [ $rc -ne 0 ]; then
	rmmod vmi_test_mwait
	tap_done
fi
shim_features_diag
features=$(($(cat "$SHIM_SYS/kvm_features")))
hints=$(($(cat "$SHIM_SYS/kvm_hints")))
has() { [ $((features >> $1 & 1)) -eq 1 ]; }
skip=
[ "$(cat "$SHIM_SYS/kvm_base")" = 0x00000000 ] && skip="no KVM underneath"
[ -z "$skip" ] && [ "$(cat "$SHIM_SYS/pv_info")" = KVM ] &&
	skip="the kernel runs KVM's own guest code"
[ -z "$skip" ] && [ $((hints & 1)) -eq 1 ] &&
	skip="host hints realtime (that rule comes first: pv_realtime.sh)"
for b in 5 9 13; do
	[ -z "$skip" ] && ! has $b && skip="host does not offer KVM feature bit $b"
done
if [ -n "$skip" ]; then
	tap_skip "the retrofit's MWAIT rule" "$skip"
else
	for f in pv_tlb_flush sched_yield; do
		tap_eq "$(feature "$f")" "off $why" "$f off: the CPU has MWAIT (dedicated CPUs)"
	done
	tap_eq "$(routed mmu.flush_tlb_multi)" no "mmu.flush_tlb_multi stays native"
	# what kvm.c keeps on dedicated CPUs
	tap_eq "$(state steal_time)" on "steal_time on (not affected by MWAIT)"
	tap_eq "$(routed lock.vcpu_is_preempted)" yes "vcpu_is_preempted routed (not affected by MWAIT)"
	for fb in pv_ipi:11 pv_spinlocks:7 pv_eoi:6; do
		f=${fb%:*}
		if has "${fb#*:}"; then
			tap_eq "$(state "$f")" on "$f on (not affected by MWAIT)"
		else
			tap_skip "$f on (not affected by MWAIT)" "host does not offer KVM feature bit ${fb#*:}"
		fi
	done
fi
vmictl unload >/dev/null
tap_ok $? "vmictl unload (restore proven)"
rmmod vmi_test_mwait
tap_ok $? "rmmod vmi_test_mwait (MWAIT no longer reported)"
# Unloading it took the bit away: the same load now switches them on.
if [ -z "$skip" ]; then
	vmictl load --mode accelerate >/dev/null
	tap_ok $? "vmictl load --mode accelerate, MWAIT no longer reported"
	shim_features_diag
	tap_eq "$(state pv_tlb_flush)" on "pv_tlb_flush on again"
	tap_eq "$(state sched_yield)" on "sched_yield on again"
	vmictl unload >/dev/null
	tap_ok $? "vmictl unload (restore proven)"
fi
tap_done
