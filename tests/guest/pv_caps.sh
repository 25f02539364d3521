#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# pv_caps.sh: the PV spinlock retrofit sets X86_FEATURE_PVUNLOCK and
# X86_FEATURE_VCPUPREEMPT before it routes the lock ops (so alternatives
# in modules loaded meanwhile leave their lock calls to pv_ops), and
# clears them at unload. With mode=off the shim routes nothing and must
# leave them alone. The bits have no name in /proc/cpuinfo:
# vmi_test_caps.ko reports them as parameters when it loads. Meant for a
# KVM guest booted with nopv (where the retrofit applies); on a kernel
# that sets the bits itself, a SKIP.
. "$(dirname "$0")/lib/tap.sh"
. "$(dirname "$0")/lib/shim.sh"

caps=$VMI_MODULES/vmi_test_caps.ko
# caps_now: "PVUNLOCK VCPUPREEMPT" as 0/1, read by loading the module
caps_now() {
	insmod "$caps" || { echo "? ?"; return; }
	p=/sys/module/vmi_test_caps/parameters
	echo "$(tr YN 10 <"$p/pvunlock") $(tr YN 10 <"$p/vcpupreempt")"
	rmmod vmi_test_caps
}

if [ ! -f "$caps" ]; then
	tap_skip "the lock feature bits" "no $caps (kernel without X86_FEATURE_PVUNLOCK: paravirt patching alone keeps lock calls, there is no bit to set)"
	tap_done
fi
# (pv_retrofit.sh leaves the shim loaded for the power-off: run before it)
if [ -e "$SHIM_SYS" ]; then
	tap_skip "the lock feature bits" "the shim is loaded already"
	tap_done
fi
before=$(caps_now)
tap_diag "before the shim: PVUNLOCK VCPUPREEMPT = $before"
if [ "$before" != "0 0" ]; then
	tap_skip "the lock feature bits" "the kernel has them already ($before)"
	tap_done
fi

insmod "$SHIM_MOD" mode=off
rc=$?
tap_ok $rc "insmod mode=off"
if [ $rc -eq 0 ]; then
	tap_eq "$(caps_now)" "0 0" "mode=off leaves PVUNLOCK and VCPUPREEMPT clear"
	shim_unload
	tap_ok $? "unload after mode=off"
fi

vmictl load --mode accelerate >/dev/null
rc=$?
tap_ok $rc "vmictl load --mode accelerate"
if [ $rc -eq 0 ]; then
	pvs=$(feature_state pv_spinlocks)
	now=$(caps_now)
	tap_diag "pv_spinlocks $pvs; PVUNLOCK VCPUPREEMPT = $now"
	if [ "$pvs" = on ]; then
		tap_eq "$now" "1 1" "PV spinlocks on: PVUNLOCK and VCPUPREEMPT set"
	else
		tap_skip "PV spinlocks on: PVUNLOCK and VCPUPREEMPT set" \
			"pv_spinlocks is $pvs here (pv_retrofit.sh says why)"
	fi
	vmictl unload >/dev/null
	tap_ok $? "vmictl unload"
	tap_eq "$(caps_now)" "0 0" "after unload: PVUNLOCK and VCPUPREEMPT clear again"
fi
tap_done
