#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# load_unload.sh [N]: load and unload vmi_shim.ko N times (default 20);
# every cycle must succeed and leave no trace behind.
. "$(dirname "$0")/lib/tap.sh"
. "$(dirname "$0")/lib/shim.sh"

n=${1:-20}
mod=$SHIM_MOD
klog_mark
bad=0
i=0
while [ $i -lt "$n" ]; do
	i=$((i + 1))
	if ! insmod "$mod"; then
		tap_diag "cycle $i: insmod failed"
		bad=$((bad + 1))
		continue
	fi
	if [ ! -r /sys/kernel/vmi_shim/hypervisor ]; then
		tap_diag "cycle $i: sysfs missing after load"
		bad=$((bad + 1))
	fi
	if ! shim_unload; then
		tap_diag "cycle $i: rmmod failed"
		bad=$((bad + 1))
	fi
	if [ -e /sys/kernel/vmi_shim ]; then
		tap_diag "cycle $i: sysfs left behind after unload"
		bad=$((bad + 1))
	fi
	# A file left there would open into the unloaded module.
	if [ -e "$SHIM_DBG" ]; then
		tap_diag "cycle $i: debugfs directory left behind after unload"
		bad=$((bad + 1))
	fi
done
! klog_since | grep -q "debugfs: Directory 'vmi_shim' with parent '/' already present"
tap_ok $? "each load found no debugfs directory of an earlier one"
tap_eq "$bad" 0 "$n load/unload cycles without a failure"
tap_eq "$(klog_since | grep -c 'vmi_shim: unloaded in')" "$n" "module exit ran $n times"
! grep -q '^vmi_shim ' /proc/modules
tap_ok $? "not loaded at the end"
tap_done
