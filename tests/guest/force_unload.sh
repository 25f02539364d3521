#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# force_unload.sh: rmmod -f (CONFIG_MODULE_FORCE_UNLOAD, on in Debian's
# kernels) gets past the shim's pin while ops are routed; module_exit must
# then do the full restore itself and prove it before the module's text,
# which holds the ROM and the op entries, is freed.
#   - routed, kernel sites re-patched, vmi_test_pvops bound: rmmod -f;
#     every byte is back and the module still works (it would call freed
#     memory otherwise: an oops fails the run);
#   - the same with the first restore attempt at exit failing for a
#     transient reason (fail_verify=unbind_busy): exit tries again.
# Kernel text and pv_ops are what they were before, at the end.
. "$(dirname "$0")/lib/tap.sh"
. "$(dirname "$0")/lib/shim.sh"

tm=$VMI_MODULES/vmi_test_pvops.ko
run=/sys/module/vmi_test_pvops/parameters/run
tbl=$SHIM_FW/vmi-test/fu-sites.bin

shim_kernel_sites "$tbl"
tap_ok $? "the kernel's site table (vmi-sites, once per boot)"
crc0=$(shim_text_crc)
pv0=$(shim_pv_ops_crc)

for hook in "" unbind_busy; do
	what="rmmod -f${hook:+ (first restore fails: $hook)}"
	insmod "$SHIM_MOD" mode=full sites="${tbl#$SHIM_FW/}" ${hook:+fail_verify=$hook}
	tap_ok $? "insmod mode=full sites=${hook:+ fail_verify=$hook}"
	insmod "$tm" rounds=10
	tap_ok $? "vmi_test_pvops loaded after the shim (bound: $(cat "$SHIM_SYS/modules_bound"))"
	rmmod vmi_shim 2>/dev/null
	[ $? -ne 0 ]
	tap_ok $? "plain rmmod refused while routed"
	klog_mark
	rmmod -f vmi_shim
	tap_ok $? "$what"
	klog_since >/tmp/fu.log
	grep vmi_shim /tmp/fu.log | sed 's/^/#   /'
	! grep -q '^vmi_shim ' /proc/modules
	tap_ok $? "$what: the module is gone"
	grep -q "forced unload: every routed op and call site restored and proven" /tmp/fu.log &&
		grep -q "call sites restored in .* (crc" /tmp/fu.log &&
		grep -q "vmi_test_pvops: [0-9]* call sites restored" /tmp/fu.log
	tap_ok $? "$what: module_exit restored and proved every site (kernel log)"
	echo 100 >"$run"
	tap_ok $? "$what: vmi_test_pvops still works (no call into freed memory)"
	rmmod vmi_test_pvops
	tap_eq "$(shim_text_crc)" "$crc0" "$what: kernel text identical to before"
	tap_eq "$(shim_pv_ops_crc)" "$pv0" "$what: pv_ops identical to before"
done
tap_done
