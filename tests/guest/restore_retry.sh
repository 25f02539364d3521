#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# restore_retry.sh: a restore that fails for a reason that may pass is
# tried again by the next "routing off" (fail_verify= test hook,
# docs/sysfs.md). The shim is loaded in full mode with the kernel's site
# table and vmi_test_pvops is loaded after it (its sites bind to the ROM).
#   - unbind_busy: at the restore, the module's sites no longer hold what
#     the shim wrote (as a kprobe armed that instant would); nothing is
#     written there. "routing off" fails, routing says the failure is
#     transient, rmmod is refused, and nothing the module's sites still
#     reach is freed: the module keeps calling the ROM. The second
#     "routing off" restores it, proves everything, and rmmod works.
#   - unbind_wait: the wait for module loads in flight times out; the
#     retry goes through.
# Kernel text and pv_ops are what they were before, at the end.
. "$(dirname "$0")/lib/tap.sh"
. "$(dirname "$0")/lib/shim.sh"

tm=$VMI_MODULES/vmi_test_pvops.ko
run=/sys/module/vmi_test_pvops/parameters/run
tbl=$SHIM_FW/vmi-test/rr-sites.bin
dbg=/sys/kernel/debug/vmi_shim
count() { awk -v n="$1" '$1 == n { print $6 }' "$dbg/ops"; }

shim_kernel_sites "$tbl"
tap_ok $? "the kernel's site table (vmi-sites, once per boot)"
crc0=$(shim_text_crc)
pv0=$(shim_pv_ops_crc)

insmod "$SHIM_MOD" mode=full sites="${tbl#$SHIM_FW/}" fail_verify=unbind_busy
tap_ok $? "insmod mode=full sites= fail_verify=unbind_busy"
insmod "$tm" rounds=10
tap_ok $? "vmi_test_pvops loaded after the shim"
tap_eq "$(cat "$SHIM_SYS/modules_bound")" 1 "its call sites are bound to the ROM"

# (bare guests: the retrofit never comes on, each feature says why)
features() {
	for f in "$SHIM_SYS"/features/*; do
		printf '%s=%s;' "${f##*/}" "$(cat "$f")"
	done
}
feat0=$(features)
shim_routing_off_refused "routing off fails when a bound module's sites changed under the shim"
routing=$(cat "$SHIM_SYS/routing")
case $routing in "retry module-sites-busy") r=0 ;; *) r=1 ;; esac
tap_ok $r "routing says the failure is transient: '$routing'"
klog_since | grep -q "restore not complete (.*): vmi_shim stays loaded for now; write off again to retry"
tap_ok $? "the kernel log says to retry"
tap_eq "$(features)" "$feat0" \
	"features that never came on keep their reason through the refused restore"
rmmod vmi_shim 2>/dev/null
[ $? -ne 0 ] && grep -q '^vmi_shim ' /proc/modules
tap_ok $? "rmmod refused meanwhile"
# (cpu.cpuid; i386, without PARAVIRT_XXL: cpu.io_delay)
op=$(shim_routed_op)
c0=$(count $op)
echo 200 >"$run"
tap_ok $? "vmi_test_pvops still runs (its sites still call the ROM)"
[ $(($(count $op) - c0)) -ge 200 ]
tap_ok $? "... and its calls still enter the ROM (+$(($(count $op) - c0)))"

klog_mark
echo off >"$SHIM_SYS/routing"
tap_ok $? "routing off again: the retry restores and proves everything"
klog_since >/tmp/rr-retry.log
grep -q "vmi_test_pvops: [0-9]* call sites restored" /tmp/rr-retry.log
tap_ok $? "the retry put the module's call sites back"
grep -q "released: every routed op and call site restored" /tmp/rr-retry.log
tap_ok $? "the release was proven"
tap_eq "$(cat "$SHIM_SYS/routing")" off "routing reads off"
tap_eq "$(features)" "$feat0" "... and the features that never came on still say why"
rmmod vmi_shim
tap_ok $? "rmmod"
echo 50 >"$run"
tap_ok $? "vmi_test_pvops works after the shim is gone"
rmmod vmi_test_pvops

insmod "$SHIM_MOD" mode=full sites="${tbl#$SHIM_FW/}" fail_verify=unbind_wait
tap_ok $? "insmod mode=full sites= fail_verify=unbind_wait"
shim_routing_off_refused "routing off fails while a module load is (said to be) in flight"
case $(cat "$SHIM_SYS/routing") in "retry "?*) r=0 ;; *) r=1 ;; esac
tap_ok $r "... transient"
shim_unload
tap_ok $? "the retry and rmmod go through"

tap_eq "$(shim_text_crc)" "$crc0" "kernel text identical to before"
tap_eq "$(shim_pv_ops_crc)" "$pv0" "pv_ops identical to before"
tap_done
