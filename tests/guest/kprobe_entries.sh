#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# kprobe_entries.sh: the ROM's copy, the per-op entries and the module's
# functions on a routed op's path are kept out of kprobes and ftrace, as
# the kernel keeps its own entry code: they run inside pv ops (interrupts
# in whatever state the op leaves them), and the ROM's copy and the
# entries are rewritten by the shim itself. With the shim loaded
# (mode=full):
#   - the kernel's kprobe blacklist lists the ROM area, the entry area,
#     the ROM trampolines and the C adapters;
#   - a kprobe on the ROM trampoline and on a routed op's entry is
#     refused (-EINVAL, the blacklist's answer);
#   - ftrace cannot trace the C adapters.
. "$(dirname "$0")/lib/tap.sh"
. "$(dirname "$0")/lib/shim.sh"

kp=/vmi/modules/vmi_test_kprobe.ko
dbg=/sys/kernel/debug
[ -d $dbg/kprobes ] || mount -t debugfs none $dbg 2>/dev/null

insmod "$SHIM_MOD" mode=full
tap_ok $? "insmod mode=full"

bl=$dbg/kprobes/blacklist
if [ -r $bl ]; then
	for s in vmi_rom_area vmi_thunk_area vmi_rom_call_init vmi_rom_call_reloc \
		vmi_adapt_flush_tlb_user vmi_adapt_flush_tlb_kernel; do
		grep -q "[[:space:]]$s \[vmi_shim\]" $bl
		tap_ok $? "$s is on the kprobe blacklist"
	done
else
	tap_skip "kprobe blacklist" "no $bl"
fi

# A kprobe where a routed op's entry starts: the first routed op's slot
# in the entry area (64 bytes each, in the order of debugfs "ops"), past
# an ENDBR64 if the kernel has IBT (a kprobe on sym+0 skips it itself).
idx=$(awk '!/^#/ { if ($5 == "yes") { print n + 0; exit } n++ }' $dbg/vmi_shim/ops)
probe() {
	klog_mark
	if insmod "$kp" symbol="$1" offset="$2" 2>/dev/null; then
		tap_diag "a kprobe was armed at $1+$2: $(klog_since | sed -n 's/.*vmi_test_kprobe: //p')"
		rmmod vmi_test_kprobe
		tap_ok 1 "$3"
		return
	fi
	klog_since | grep -q "vmi_test_kprobe: cannot probe $1+0x[0-9a-f]*: -22"
	tap_ok $? "$3"
	klog_since | grep vmi_test_kprobe | sed 's/^/#   /'
}
probe vmi_rom_call_init 0 "a kprobe on the ROM trampoline is refused (-EINVAL)"
if [ -n "$idx" ]; then
	probe vmi_thunk_area $((idx * 64)) "a kprobe on a routed op's entry (op $idx) is refused (-EINVAL)"
else
	tap_skip "kprobe on an op entry" "no op routed"
fi

tr=/sys/kernel/tracing
[ -r $tr/available_filter_functions ] ||
	mount -t tracefs nodev $tr 2>/dev/null
if [ -r $tr/available_filter_functions ]; then
	traced=$(grep -E '^vmi_(adapt_|int3_notify|rom_call)' $tr/available_filter_functions)
	[ -z "$traced" ]
	tap_ok $? "ftrace cannot trace the adapters on the routed path"
	[ -n "$traced" ] && echo "$traced" | sed 's/^/#   traceable: /'
else
	tap_skip "ftrace" "no tracefs"
fi

shim_unload
tap_ok $? "routing off and rmmod"
tap_done
