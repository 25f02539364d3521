#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# fail_verify.sh [--stay sites|modsites|none]: a load that fails halfway must
# prove its own undo before the module goes (fail_verify= test hook,
# docs/sysfs.md).
#   - the read-back of the re-patched kernel call sites (sites_apply), or
#     of the re-pointed sites of a module loaded before the shim
#     (modsites_apply), fails: the load is rolled back, the rollback is
#     proven by read-back and CRC (the kernel log says so), the load is
#     refused and the module freed, and no byte of kernel text changed;
#   - last, since the module then stays loaded for the rest of the boot:
#     the proof of that rollback fails too (--stay sites: sites_rollback,
#     --stay modsites: modsites_rollback). The load fails but the module
#     stays, pinned: `routing` says why, rmmod and "routing off" are
#     refused, and the kernel log shows the CRC proof that failed; then
#     rmmod -f: module_exit cannot prove the restore either, leaks the
#     ROM's state and says so. --stay none (an operator's VM, the
#     installed selftests: selftests/tests.list) ends before this part,
#     which taints the kernel (rmmod -f) and leaks the ROM's state.
# Needs vmi-run --boot-image.
. "$(dirname "$0")/lib/tap.sh"
. "$(dirname "$0")/lib/shim.sh"

stay=sites
while [ $# -gt 0 ]; do
	case $1 in
	--stay) stay=$2; shift ;;
	esac
	shift
done
tm=$VMI_MODULES/vmi_test_pvops.ko
run=/sys/module/vmi_test_pvops/parameters/run
tbl=$SHIM_FW/vmi-test/fv-sites.bin
mt=$SHIM_FW/vmi-test/fv-modsites.bin

shim_kernel_sites "$tbl"
tap_ok $? "the kernel's site table (vmi-sites, once per boot)"
crc0=$(shim_text_crc)
tap_diag "kernel text crc before: $crc0"

shim_refused "mode=full sites=${tbl#$SHIM_FW/} fail_verify=sites_apply" \
	"rollback of [0-9]* call sites proven (crc \([0-9a-f]*\), was \1)" \
	"failed read-back of the kernel's sites: rolled back, proven by CRC, load refused"
tap_eq "$(shim_text_crc)" "$crc0" "kernel text identical after the rolled-back load"

insmod "$tm" rounds=10
tap_ok $? "vmi_test_pvops loaded before the shim"
if [ "$(uname -m)" = x86_64 ]; then
	vmi-sites modules -q -o "$mt" --ko-dir "$VMI_MODULES"
	tap_ok $? "vmi-sites modules builds the table of the loaded modules"
	shim_refused "mode=full sites=${tbl#$SHIM_FW/} modsites=${mt#$SHIM_FW/} fail_verify=modsites_apply" \
		"rollback of [0-9]* module call sites proven (crc \([0-9a-f]*\), was \1)" \
		"failed read-back of a module's sites: rolled back, proven by CRC, load refused"
	echo 10 >"$run"
	tap_ok $? "vmi_test_pvops works after the rolled-back load"
	tap_eq "$(shim_text_crc)" "$crc0" "kernel text identical after the rolled-back load"
else
	tap_skip "failed read-back of a module's sites: rolled back, proven by CRC, load refused" \
		"module site tables are x86-64 only"
	[ "$stay" = modsites ] && { tap_skip "--stay modsites" "module site tables are x86-64 only"; tap_done; }
fi

if [ "$stay" = none ]; then
	rmmod vmi_test_pvops
	tap_ok $? "vmi_test_pvops unloads"
	tap_done
fi

# The rollback itself cannot be proven: the module must stay.
case $stay in
modsites) params="mode=full sites=${tbl#$SHIM_FW/} modsites=${mt#$SHIM_FW/} fail_verify=modsites_apply,modsites_rollback"
	proof="rollback of [0-9]* module call sites not proven (crc [0-9a-f]*, was [0-9a-f]*)" ;;
*) params="mode=full sites=${tbl#$SHIM_FW/} fail_verify=sites_apply,sites_rollback"
	proof="rollback of [0-9]* call sites not proven (crc [0-9a-f]*, was [0-9a-f]*)" ;;
esac
klog_mark
# shellcheck disable=SC2086
insmod "$SHIM_MOD" $params
r=$?
klog_since >/tmp/fv-stay.log
grep vmi_shim /tmp/fv-stay.log | sed 's/^/#   /'
# A module whose init fails is freed by the kernel at once: a load that
# must stay loaded returns success and says it failed.
tap_eq "$r" 0 "insmod returns 0: the kernel would free a module whose init failed"
grep -q '^vmi_shim ' /proc/modules
tap_ok $? "vmi_shim stays loaded"
grep -q "$proof" /tmp/fv-stay.log
tap_ok $? "the rollback's CRC proof ran and failed (kernel log)"
grep -q "load failed (-[0-9]*) and the undo was not proven (.*): staying loaded" /tmp/fv-stay.log
tap_ok $? "the kernel log says the load failed and the module stays"
routing=$(cat "$SHIM_SYS/routing" 2>/dev/null)
case $routing in "failed failed-load-unproven") r=0 ;; *) r=1 ;; esac
tap_ok $r "routing says why: '$routing'"
echo off >"$SHIM_SYS/routing" 2>/dev/null
[ $? -ne 0 ]
tap_ok $? "routing off refused"
rmmod vmi_shim 2>/dev/null
[ $? -ne 0 ] && grep -q '^vmi_shim ' /proc/modules
tap_ok $? "rmmod refused"

# rmmod -f gets past the pin, and module_exit cannot fail: it tries the
# restore once more, cannot prove it, leaks what the ROM and the host may
# still use, taints and says so. (The hook only faked the failed proof:
# every byte is back, so the kernel survives the module's text going.)
klog_mark
rmmod -f vmi_shim
tap_ok $? "rmmod -f"
klog_since >/tmp/fv-force.log
grep vmi_shim /tmp/fv-force.log | sed 's/^/#   /'
! grep -q '^vmi_shim ' /proc/modules
tap_ok $? "the module is gone"
grep -q "forced unload without a proven restore (.*): the ROM's state is leaked" /tmp/fv-force.log
tap_ok $? "module_exit could not prove the restore and says what it leaked"
echo 10 >"$run"
tap_ok $? "vmi_test_pvops works"
tap_eq "$(shim_text_crc)" "$crc0" "kernel text identical to before (the failed proof was injected)"
tap_done
