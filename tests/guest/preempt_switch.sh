#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# preempt_switch.sh: inline sites are written whole on the promise of
# the preemption model in force at the load that no task is parked inside
# one (docs/sites.md). On a PREEMPT_DYNAMIC kernel (Debian's) the model
# can be switched at run time (/sys/kernel/debug/sched/preempt); after a
# switch to "full" a task may be preempted inside an op entry with its
# return address in the middle of what the restore would write back. So:
#   - loaded in full mode with the kernel's site table (inline sites
#     written whole), the model switched to full: "routing off" is
#     refused saying why, routing stays on, rmmod is refused;
#   - the model switched back: the unload goes through and proves a
#     byte-exact restore of kernel text.
# Without PARAVIRT_XXL (686-pae) no site is inline: the unload goes
# through after the switch, with the same proof.
# Needs vmi-run --boot-image (the site table).
. "$(dirname "$0")/lib/tap.sh"
. "$(dirname "$0")/lib/shim.sh"

pre=/sys/kernel/debug/sched/preempt
tbl=$SHIM_FW/vmi-test/preempt-sites.bin

[ -d /sys/kernel/debug/sched ] ||
	mount -t debugfs none /sys/kernel/debug 2>/dev/null
if [ ! -w "$pre" ]; then
	tap_skip "preemption model switch" "no $pre: the kernel is not PREEMPT_DYNAMIC"
	tap_done
fi
# "none (voluntary) full": the model in force is in parentheses.
model=$(sed -n 's/.*(\([a-z]*\)).*/\1/p' "$pre")
tap_diag "preemption model: $model ($(cat "$pre"))"
if [ "$model" = full ]; then
	tap_skip "preemption model switch" "the kernel runs preempt=full: no inline site is written whole"
	tap_done
fi

shim_kernel_sites "$tbl"
tap_ok $? "the kernel's site table (vmi-sites, once per boot)"
crc0=$(shim_text_crc)

klog_mark
insmod "$SHIM_MOD" mode=full sites="${tbl#$SHIM_FW/}"
tap_ok $? "insmod mode=full sites=${tbl#$SHIM_FW/} under preempt=$model"
klog_since | grep -q ", 0 inline kept)"
tap_ok $? "inline sites written whole (none kept)"

echo full >"$pre"
tap_eq "$(sed -n 's/.*(\([a-z]*\)).*/\1/p' "$pre")" full "preemption model switched to full"

# A kernel without PARAVIRT_XXL (686-pae) has no inline op (cli, sti,
# pushf, CR3): every site is a CALL, written with the kernel's INT3
# protocol and never whole, so the switch holds nothing back.
if [ "$(uname -m)" != x86_64 ]; then
	klog_mark
	shim_unload
	tap_ok $? "routing off and rmmod after the switch: no site was written whole"
	klog_since | grep -q "call sites restored"
	tap_ok $? "the kernel log says the call sites were restored"
	# (the switch itself re-patches the kernel's preemption static calls)
	echo "$model" >"$pre"
	tap_eq "$(sed -n 's/.*(\([a-z]*\)).*/\1/p' "$pre")" "$model" "preemption model switched back to $model"
	tap_eq "$(shim_text_crc)" "$crc0" "kernel text identical to before the load"
	tap_done
fi

shim_routing_off_refused "routing off refused after the switch"
tap_eq "$(cat "$SHIM_SYS/routing")" on "routing stays on (nothing restored, can be retried)"
klog_since | grep -q "preemption model changed since the load ($model, now full)"
tap_ok $? "the kernel log says why"
klog_since | grep vmi_shim | sed 's/^/#   /'
rmmod vmi_shim 2>/dev/null
[ $? -ne 0 ] && grep -q '^vmi_shim ' /proc/modules
tap_ok $? "rmmod refused: the module stays loaded"
out=$(vmictl unload 2>&1)
r=$?
[ $r -ne 0 ] && echo "$out" | grep -q "preemption model changed since the load"
tap_ok $? "vmictl unload refuses too, saying why"

echo "$model" >"$pre"
tap_eq "$(sed -n 's/.*(\([a-z]*\)).*/\1/p' "$pre")" "$model" "preemption model switched back to $model"
klog_mark
shim_unload
tap_ok $? "routing off and rmmod once it is back"
klog_since | grep -q "call sites restored"
tap_ok $? "the kernel log says the call sites were restored"
tap_eq "$(shim_text_crc)" "$crc0" "kernel text identical to before the load"
tap_done
