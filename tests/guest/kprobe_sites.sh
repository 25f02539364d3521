#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# kprobe_sites.sh: the shim never overwrites another writer's bytes on a
# call site. A kprobe (vmi_test_kprobe) is armed on a kernel call site of
# cpu.cpuid (i386: cpu.io_delay), which mode=full re-patches:
#   - armed before the load: the load is refused, saying a breakpoint is
#     armed there, and no byte of kernel text changes;
#   - armed after the load, on the CALL the shim wrote: "routing off" is
#     refused (EBUSY), routing stays on and the kprobe's INT3 stays; once
#     the kprobe is gone the restore goes through and kernel text is what
#     it was.
# Needs vmi-run --boot-image (the site table).
. "$(dirname "$0")/lib/tap.sh"
. "$(dirname "$0")/lib/shim.sh"

tbl=$SHIM_FW/vmi-test/kprobe-sites.bin
kp=$VMI_MODULES/vmi_test_kprobe.ko
par=/sys/module/vmi_test_kprobe/parameters

shim_kernel_sites "$tbl"
tap_ok $? "the kernel's site table (vmi-sites, once per boot)"
shim_sites_info "$tbl" >/tmp/kprobe-sites.info
# Offsets from the low 32 bits of each address (lib/shim.sh: addr_lo).
link=$(awk '$1 == "link_text" { print $2 }' /tmp/kprobe-sites.info)
init=$(awk '$1 == "init" { print $2 }' /tmp/kprobe-sites.info)
ilo=$(addr_lo "${init%%..*}") ihi=$(addr_lo "${init##*..}") link_lo=$(addr_lo "$link")
# cpu.cpuid's slot (22 on 6.1; the layout differs between kernels) is
# the site's type in a .parainstructions table, pv_ops + slot * 8 its
# target in an ALTCALL one. (i386: cpu.io_delay, the only cpu.* op of a
# kernel without PARAVIRT_XXL.)
op=$(shim_routed_op)
base=$(awk '$1 == "targets" { split($2, r, "[.]"); print r[1] }' /tmp/kprobe-sites.info)
slot=$(shim_op_slot $op)
[ -n "$slot" ]
tap_ok $? "$op's pv_ops slot on this kernel (${slot:-unknown})"
# (no targets: a .parainstructions table, whose target column is 0x0)
want=none
[ -n "$base" ] && want=$(printf '%s%08x' "$(addr_hi "$base")" $(($(addr_lo "$base") + ${slot:-0} * 8)))

# The first of those sites outside init text that can be probed (some are
# in code kprobes refuse). Offsets from _text: no 64-bit address math.
off=
tries=0
for a in $(shim_sites_list "$tbl" | awk -v want="$want" -v slot="${slot:-none}" '$3 == slot || $4 == want { print $1 }'); do
	a=$(addr_lo "$a")
	[ $((a - ilo)) -ge 0 ] && [ $((ihi - a)) -gt 0 ] && continue
	tries=$((tries + 1))
	[ $tries -gt 20 ] && break
	if insmod "$kp" offset=$((a - link_lo)) 2>/dev/null; then
		off=$((a - link_lo))
		break
	fi
done
[ -n "$off" ]
tap_ok $? "a kprobe armed on a $op call site ($(dmesg | sed -n 's/.*vmi_test_kprobe: armed at //p' | tail -1))"
if [ -z "$off" ]; then
	tap_done
fi
tap_eq "$(cat $par/byte)" 0xcc "its breakpoint is in place"
rmmod vmi_test_kprobe
crc0=$(shim_text_crc)
tap_diag "kernel text crc without the kprobe: $crc0"

# Armed before the load: refused, nothing written.
insmod "$kp" offset="$off"
crc1=$(shim_text_crc)
shim_refused "mode=full sites=${tbl#$SHIM_FW/}" "a breakpoint is armed there" \
	"load with a kprobe on a site it would patch refused, saying so"
tap_eq "$(cat $par/byte)" 0xcc "the kprobe's breakpoint is still there"
tap_eq "$(shim_text_crc)" "$crc1" "no byte of kernel text changed by the refused load"
rmmod vmi_test_kprobe

# Armed after the load, on the shim's CALL: the restore must not erase it.
insmod "$SHIM_MOD" mode=full sites="${tbl#$SHIM_FW/}"
tap_ok $? "insmod mode=full sites=${tbl#$SHIM_FW/}"
insmod "$kp" offset="$off"
tap_ok $? "a kprobe armed on the re-patched site"
tap_eq "$(cat $par/byte)" 0xcc "its breakpoint is in place"
shim_routing_off_refused "routing off refused while the kprobe is armed there"
tap_eq "$(cat "$SHIM_SYS/routing")" on "routing stays on (nothing restored, can be retried)"
klog_since | grep -q "routing stays on: call sites changed under the shim"
tap_ok $? "the kernel log says why"
klog_since | grep vmi_shim | sed 's/^/#   /'
tap_eq "$(cat $par/byte)" 0xcc "the kprobe's breakpoint survived"
out=$(vmictl unload 2>&1)
r=$?
[ $r -ne 0 ] && echo "$out" | grep -q "routing stays on. Remove it and run vmictl unload again"
tap_ok $? "vmictl unload refuses too, saying it can be retried"
tap_eq "$(cat "$SHIM_SYS/routing")" on "... and routing is still on"

rmmod vmi_test_kprobe
tap_ok $? "the kprobe removed"
shim_unload
tap_ok $? "routing off and rmmod once it is gone"
tap_eq "$(shim_text_crc)" "$crc0" "kernel text identical to before the first load"
tap_done
