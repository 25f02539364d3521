#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# kprobe_entries.sh: the ROM's copy, the per-op entries and the module's
# functions on a routed op's path are kept out of kprobes and ftrace, as
# the kernel keeps its own entry code: they run inside pv ops (interrupts
# in whatever state the op leaves them), and the ROM's copy and the
# entries are rewritten by the shim itself. With the shim loaded
# (mode=full):
#   - sysfs kprobe_blacklist says who keeps them off kprobes: the kernel
#     (5.5+) or the shim (older kernels), "none TOKEN" only where the
#     kernel's list cannot be found (not where /proc/kallsyms has it);
#   - the kernel's kprobe blacklist lists the ROM area, the entry area,
#     the ROM trampolines, the C adapters and the INT3 handler; where the
#     shim added them, as many entries as its log says;
#   - a kprobe on the ROM trampoline and on a routed op's entry is
#     refused (-EINVAL, the blacklist's answer);
#   - ftrace cannot trace the C adapters;
#   - the unload takes every entry off the blacklist again;
#   - where the shim adds them: a load that cannot find the kernel's list
#     (fail_verify=kprobe_bl_symbols) goes on, reads "none no-symbols",
#     warns, and adds nothing.
. "$(dirname "$0")/lib/tap.sh"
. "$(dirname "$0")/lib/shim.sh"

kp=$VMI_MODULES/vmi_test_kprobe.ko
dbg=/sys/kernel/debug
[ -d $dbg/kprobes ] || mount -t debugfs none $dbg 2>/dev/null
bl=$dbg/kprobes/blacklist
bl_lines() { wc -l <$bl; }
[ -r $bl ] && n_before=$(bl_lines)

klog_mark
insmod "$SHIM_MOD" mode=full
tap_ok $? "insmod mode=full"

kbl=$(cat "$SHIM_SYS/kprobe_blacklist")
case $kbl in
kernel | shim)
	guarded=1
	tap_ok 0 "the shim's code is kept off kprobes (kprobe_blacklist: $kbl)"
	;;
'none no-kprobes')
	guarded=
	tap_skip "the shim's code is kept off kprobes" "a kernel without kprobes (kprobe_blacklist: $kbl)"
	;;
*)
	guarded=
	# Only where the kernel's list cannot be found, and said so.
	if grep -q ' kprobe_blacklist$' /proc/kallsyms &&
		grep -q ' kprobe_mutex$' /proc/kallsyms; then
		tap_diag "kprobe_blacklist reads '$kbl', but /proc/kallsyms has kprobe_blacklist and kprobe_mutex"
		tap_ok 1 "the shim's code is kept off kprobes (kprobe_blacklist: $kbl)"
	else
		klog_since | grep -q 'vmi_shim: this kernel does not blacklist'
		tap_ok $? "kprobe_blacklist reads '$kbl' and the load warned"
	fi
	;;
esac
why_not="kprobe_blacklist reads '$kbl': nothing keeps the shim's code off kprobes on this kernel"

if [ -z "$guarded" ]; then
	tap_skip "kprobe blacklist entries" "$why_not"
elif [ -r $bl ]; then
	for s in vmi_rom_area vmi_thunk_area vmi_rom_call_init vmi_rom_call_reloc \
		vmi_adapt_flush_tlb_user vmi_adapt_flush_tlb_kernel vmi_int3_notify; do
		grep -q "[[:space:]]$s \[vmi_shim\]" $bl
		tap_ok $? "$s is on the kprobe blacklist"
	done
	if [ "$kbl" = shim ]; then
		said=$(klog_since | sed -n 's/.*vmi_shim: \([0-9]*\) entries of the module.s own added.*/\1/p')
		got=$(grep -c '\[vmi_shim\]' $bl)
		[ -n "$said" ] && [ "$said" = "$got" ] && [ $((n_before + got)) -eq "$(bl_lines)" ]
		tap_ok $? "the blacklist has the $said entries the shim says it added ($got found)"
	fi
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
if [ -z "$guarded" ]; then
	tap_skip "kprobes on the ROM trampoline and an op entry" "$why_not"
else
	probe vmi_rom_call_init 0 "a kprobe on the ROM trampoline is refused (-EINVAL)"
	if [ -n "$idx" ]; then
		probe vmi_thunk_area $((idx * 64)) "a kprobe on a routed op's entry (op $idx) is refused (-EINVAL)"
	else
		tap_skip "kprobe on an op entry" "no op routed"
	fi
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

if [ -r $bl ]; then
	[ "$(bl_lines)" -eq "$n_before" ]
	tap_ok $? "the unload took the module's entries off the kprobe blacklist ($n_before lines before the load, $(bl_lines) after)"
fi

# The fallback where the shim blacklists its code itself: without the
# kernel's list the load goes on, says so, and changes nothing there.
if [ "$kbl" = shim ]; then
	klog_mark
	insmod "$SHIM_MOD" mode=off fail_verify=kprobe_bl_symbols
	tap_ok $? "insmod fail_verify=kprobe_bl_symbols: the load goes on"
	state=$(cat "$SHIM_SYS/kprobe_blacklist")
	[ "$state" = "none no-symbols" ] &&
		klog_since | grep -q 'vmi_shim: this kernel does not blacklist.*the shim cannot (no-symbols' &&
		{ [ ! -r $bl ] || [ "$(bl_lines)" -eq "$n_before" ]; }
	tap_ok $? "without the kernel's list: kprobe_blacklist reads '$state', a warning, no entry added"
	shim_unload
	tap_ok $? "rmmod"
else
	tap_skip "a load without the kernel's kprobe blacklist" "kprobe_blacklist read '$kbl': the shim adds no entries of its own here"
fi
tap_done
