#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# pv_suspend.sh: while the shim has anything of the KVM PV retrofit on
# (steal time, PV EOI and KVM clock areas registered with the host per
# vCPU, the IPI and APIC hooks), suspend must be refused, whether or not
# any op is routed: the areas do not survive the vCPU reset of a suspend
# and the shim has no resume path. The attempt runs with pm_test=freezer
# (tasks frozen and thawed at once, pm_test_delay=0: the default 5 s is
# an mdelay that a nested guest stretches into a soft lockup; nothing
# suspended), and the same attempt must go through once the shim is
# unloaded, so that a refusal is the shim's. Run it on a nopv KVM guest whose host offers nothing an
# op could be routed for (vmi-run --qemu-opt '-cpu host,kvm-steal-time=off,
# kvm-pv-unhalt=off,kvm-nopiodelay=off') to test the retrofit alone;
# where nothing of the retrofit comes on, a SKIP.
. "$(dirname "$0")/lib/tap.sh"
. "$(dirname "$0")/lib/shim.sh"

pmt=/sys/power/pm_test

if [ ! -w $pmt ] || ! grep -qw freeze /sys/power/state; then
	tap_skip "suspend refused while KVM PV is retrofitted" "no $pmt (CONFIG_PM_DEBUG) or no suspend-to-idle here"
	tap_done
fi
vmictl load --mode accelerate >/dev/null
tap_ok $? "vmictl load --mode accelerate"
shim_features_diag
on=$(grep -lx on "$SHIM_SYS"/features/* | sed 's,.*/,,' | tr '\n' ' ')
routed=$(cat "$SHIM_SYS/ops_routed")
tap_diag "on: ${on:-nothing}; ops routed: $routed"
# What this job is for: the retrofit on with no op routed (the old code
# refused suspend only while routed, so with one routed it would pass).
tap_eq "$routed" 0 "no op routed: only the retrofit can refuse suspend"
if [ -z "$on" ]; then
	tap_skip "suspend refused while KVM PV is retrofitted" "nothing of the retrofit is on here"
	vmictl unload >/dev/null
	tap_ok $? "vmictl unload"
	tap_done
fi

dly=/sys/module/suspend/parameters/pm_test_delay
dly0=$(cat $dly 2>/dev/null)
[ -w $dly ] && echo 0 >$dly
echo freezer >$pmt
tap_ok $? "pm_test=freezer (pm_test_delay ${dly0:-?} -> $(cat $dly 2>/dev/null))"
klog_mark
echo freeze >/sys/power/state 2>/dev/null
rc=$?
[ $rc -ne 0 ]
tap_ok $? "suspend refused with ${on% } on and $routed ops routed"
klog_since | grep -q 'vmi_shim: suspend refused while ops are routed through the ROM or KVM PV is retrofitted'
tap_ok $? "the kernel log says why"
grep -qx on "$SHIM_SYS"/features/*
tap_ok $? "the retrofit is still on"
vmictl unload >/dev/null
tap_ok $? "vmictl unload (restore proven)"
echo freeze >/sys/power/state
tap_ok $? "without vmi_shim the same attempt goes through"
echo none >$pmt
[ -n "$dly0" ] && echo "$dly0" >$dly
tap_done
