#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# stress.sh [CYCLES] [MODE]: load and unload the shim CYCLES times (default
# 100, mode full, with the site table from /boot) while other CPUs fork and
# exec, run threads churning mmap/mprotect/munmap, and load and unload
# another module. The runner fails the run on any oops or WARN; here the
# kernel text CRC must be identical before and after.
. "$(dirname "$0")/lib/tap.sh"
. "$(dirname "$0")/lib/shim.sh"

cycles=${1:-100}
mode=${2:-full}
mod=$SHIM_MOD
other=$VMI_MODULES/vmi_test_pvops.ko
tbl=$SHIM_FW/vmi-test/stress-sites.bin

shim_kernel_sites "$tbl"
tap_ok $? "site table extracted"
crc0=$(shim_text_crc)
tap_ok $? "kernel text crc before: $crc0"

# Stressors, until /tmp/stop exists.
rm -f /tmp/stop
(while [ ! -e /tmp/stop ]; do /bin/true; sh -c 'exit 0'; done) &
p1=$!
(while [ ! -e /tmp/stop ]; do "$VMI_SELFTESTS"/pv_exercise 1 >/dev/null; done) &
p2=$!
(while [ ! -e /tmp/stop ]; do
	insmod "$other" rounds=50 2>/dev/null
	echo 50 >/sys/module/vmi_test_pvops/parameters/run 2>/dev/null
	sleep 0.05
	echo 50 >/sys/module/vmi_test_pvops/parameters/run 2>/dev/null
	rmmod vmi_test_pvops 2>/dev/null
done) &
p3=$!

klog_mark
loads=0 unloads=0 bad=0 waited=0
i=0
while [ $i -lt "$cycles" ]; do
	i=$((i + 1))
	if insmod "$mod" mode=$mode sites=${tbl#$SHIM_FW/}; then
		loads=$((loads + 1))
	else
		tap_diag "cycle $i: insmod failed"
		bad=$((bad + 1))
		continue
	fi
	# Modules bound meanwhile are put back by the unload itself.
	if shim_unload; then
		unloads=$((unloads + 1))
	elif dmesg | tail -n 30 | grep -q 'loaded although refused (this kernel cannot refuse a load)'; then
		# Before 5.10 a load the shim refuses (one that began before
		# its tracker was armed) goes on, and the shim stays until
		# that module is gone: the stressor removes it within a moment.
		n=0
		until shim_unload 2>/dev/null; do
			n=$((n + 1))
			[ $n -ge 100 ] && break
			sleep 0.1
		done
		if [ $n -lt 100 ]; then
			unloads=$((unloads + 1))
			waited=$((waited + 1))
		else
			tap_diag "cycle $i: unload still refused after 10 s"
			bad=$((bad + 1))
		fi
	else
		tap_diag "cycle $i: rmmod failed"
		bad=$((bad + 1))
	fi
done
touch /tmp/stop
wait $p1 $p2 $p3 2>/dev/null
rmmod vmi_test_pvops 2>/dev/null

tap_diag "$loads loads, $unloads unloads; $(klog_since | grep -c 'vmi_test_pvops: [0-9]* call sites restored') times the other module's sites were put back"
[ "$waited" -gt 0 ] && tap_diag "$waited unloads waited for a module that loaded although refused"
tap_eq "$bad" 0 "$cycles load/unload cycles under stress without a failure"
tap_eq "$unloads" "$cycles" "every load was matched by an unload"
crc1=$(shim_text_crc)
tap_eq "$crc1" "$crc0" "kernel text identical after $cycles cycles"
tap_done
