#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# pvspin_cover.sh: the PV spinlock slow path needs every unlock site of
# every loaded module to be the PV unlock, and that is judged by the
# unlock sites themselves, not by whether some other site of the module
# calls the shim. vmi_test_unlock has a native unlock site beside a lock
# slow-path site that binds to the shim: what a module gets whose load
# read pv_ops while the shim wrote them slot by slot. It must not load
# while PV spinlocks are on, and loaded in the middle of the shim's own
# load (route_hold_ms=, a test hook) it must keep the switch from
# happening, while vmi_test_nosites, with no paravirt site at all, loaded
# there must not. Each refusal says why and changes nothing. Needs a KVM guest
# booted with nopv (PV spinlocks must be able to come on; elsewhere this
# is a SKIP, and with --expect-on a failure) and /boot/vmlinuz (vmi-run
# --boot-image).
. "$(dirname "$0")/lib/tap.sh"
. "$(dirname "$0")/lib/shim.sh"

expect_on=
[ "${1:-}" = --expect-on ] && expect_on=1

tm=$VMI_MODULES/vmi_test_unlock.ko
tbl=$SHIM_FW/vmi-test/pvspin-cover-sites.bin
state() { feature_state "$1"; }
pvline() { grep '^pv_spinlocks ' "$SHIM_DBG/features"; }
loaded() { grep -q "^$1 " /proc/modules; }

if [ ! -f "$tm" ]; then
	tap_skip "PV spinlocks and native unlock sites" "no $tm (kernel without PARAVIRT_SPINLOCKS, or without the PVOP_ALT_ macros that make a native unlock site)"
	tap_done
fi

vmictl load --mode accelerate >/dev/null
tap_ok $? "vmictl load --mode accelerate"
if [ "$(state pv_spinlocks)" != on ]; then
	if [ -n "$expect_on" ]; then
		tap_diag "$(pvline)"
		tap_ok 1 "PV spinlocks come on (--expect-on: this guest must allow them)"
	else
		tap_skip "PV spinlocks and native unlock sites" "PV spinlocks do not come on here: $(pvline)"
	fi
	vmictl unload >/dev/null
	tap_ok $? "vmictl unload"
	tap_done
fi
tap_diag "$(pvline)"

# Once PV spinlocks are on: refused at its load, nothing else changes.
bound=$(cat "$SHIM_SYS/modules_bound")
klog_mark
insmod "$tm" 2>/dev/null
rc=$?
[ $rc -ne 0 ] && ! loaded vmi_test_unlock
tap_ok $? "a module with a native unlock site is refused while PV spinlocks are on"
klog_since | grep -q 'vmi_shim: vmi_test_unlock: 1 unlock sites do not call the PV unlock while PV spinlocks are on; load refused'
tap_ok $? "the kernel log names it and says why"
tap_eq "$(state pv_spinlocks)" on "PV spinlocks still on"
tap_eq "$(cat "$SHIM_SYS/modules_bound")" "$bound" "modules_bound unchanged ($bound)"
[ $rc -eq 0 ] && rmmod vmi_test_unlock
insmod "$VMI_MODULES"/vmi_test_pvops.ko rounds=1 && rmmod vmi_test_pvops
tap_ok $? "a module without native unlock sites still loads and unloads"
vmictl unload >/dev/null
tap_ok $? "vmictl unload"

# held_load KO: load the shim, holding its load once pv_ops are routed
# (before the PV spinlock switch), and insmod KO meanwhile.
held_load() {
	klog_mark
	insmod "$SHIM_MOD" mode=accelerate sites="${tbl#$SHIM_FW/}" route_hold_ms=6000 &
	pid=$!
	i=0
	until klog_since 2>/dev/null | grep -q 'route_hold_ms=.*holding the load'; do
		i=$((i + 1))
		[ $i -gt 200 ] && break
		usleep 100000
	done
	insmod "$1"
	rc=$?
	wait $pid
	tap_ok $? "insmod vmi_shim route_hold_ms=6000"
	tap_ok $rc "${1##*/} loaded while the shim's load was held"
	tap_diag "$(pvline)"
}

# Loaded while the shim holds its load with pv_ops routed: its slow-path
# site calls the shim, its unlock site does not. The switch is refused.
crc0=$(shim_text_crc)
shim_kernel_sites "$tbl"
tap_ok $? "the kernel's site table for the held loads"
held_load "$tm"
tap_eq "$(feature pv_spinlocks)" "off module-unlock-native" "PV spinlocks refused: a loaded module's unlock sites are not PV"
klog_since | grep -q "PV spinlocks stay off: module-unlock-native: a loaded module's unlock sites are not PV (module vmi_test_unlock)"
tap_ok $? "the kernel log names vmi_test_unlock"
loaded vmi_test_unlock && rmmod vmi_test_unlock
tap_ok $? "vmi_test_unlock unloads"
shim_unload
tap_ok $? "unload (restore proven)"
tap_eq "$(shim_text_crc)" "$crc0" "kernel text as before"

# A module with no paravirt site, hence no unlock site, loaded in the
# same window: nothing of it calls the shim, and that is known, so the
# switch goes ahead. The shim then unloads with it still loaded.
held_load "$VMI_MODULES"/vmi_test_nosites.ko
tap_eq "$(feature pv_spinlocks)" on "PV spinlocks on with a module without unlock sites loaded meanwhile"
! klog_since | grep -q "vmi_test_nosites: .*call sites bound"
tap_ok $? "the kernel log counts no call site of it as bound"
shim_unload
tap_ok $? "unload with it still loaded (restore proven)"
rmmod vmi_test_nosites
tap_ok $? "vmi_test_nosites unloads"
tap_eq "$(shim_text_crc)" "$crc0" "kernel text as before"
tap_done
