#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# module_sites.sh: the call sites of a module loaded BEFORE the shim.
# vmi_test_pvops is loaded first (its sites bound to the kernel's
# implementations); `vmi-sites modules` builds their table from the .ko and
# /sys/module/*/sections; the shim (mode=full) re-patches them, the ROM's
# counters move when the module calls its ops, and unload puts them back
# (the module still works and unloads). A stale table (every site one byte
# off) and a table naming a module that is gone are handled, with the
# kernel text unchanged throughout. Needs vmi-run --boot-image.
. "$(dirname "$0")/lib/tap.sh"
. "$(dirname "$0")/lib/shim.sh"

tm=$VMI_MODULES/vmi_test_pvops.ko
run=/sys/module/vmi_test_pvops/parameters/run
dbg=/sys/kernel/debug/vmi_shim
tbl=$SHIM_FW/vmi-test/sites.bin
mt=$SHIM_FW/vmi-test/modsites.bin
count() { awk -v n="$1" '$1 == n { print $6 }' "$dbg/ops"; }

# Module tables (include/vmi/modsites.h) describe x86-64 modules only:
# vmi-sites reads their R_X86_64_* relocations, the module refuses any
# other pointer size.
if [ "$(uname -m)" != x86_64 ]; then
	tap_skip "call sites of a module loaded before the shim" \
		"module site tables are x86-64 only (vmi-sites modules reads R_X86_64 relocations)"
	tap_done
fi

shim_kernel_sites "$tbl"
tap_ok $? "the kernel's site table (vmi-sites, once per boot)"
crc0=$(shim_text_crc)
insmod "$tm" rounds=10
tap_ok $? "vmi_test_pvops loaded before the shim"

vmi-sites modules -o "$mt" --ko-dir "$VMI_MODULES" >/tmp/modsites.out 2>&1
tap_ok $? "vmi-sites modules builds the table of the loaded modules"
sed 's/^/#   /' /tmp/modsites.out
vmi-sites check "$mt" >/dev/null
tap_ok $? "the module table passes vmi-sites check"

klog_mark
insmod "$SHIM_MOD" mode=full sites="${tbl#$SHIM_FW/}" modsites="${mt#$SHIM_FW/}"
tap_ok $? "insmod mode=full sites= modsites="
tap_diag "module_sites: $(grep . $SHIM_SYS/module_sites/* | sed "s,.*/,,")"
n=$(klog_since | sed -n 's/.*vmi_test_pvops: \([0-9]*\) call sites re-patched (loaded before the shim).*/\1/p')
[ "${n:-0}" -gt 0 ]
tap_ok $? "vmi_test_pvops's call sites re-patched (${n:-none})"
tap_eq "$(cat $SHIM_SYS/modules_bound)" 1 "the module is tracked for restore"

c0=$(count cpu.cpuid) r0=$(count cpu.read_cr0)
echo 500 >"$run"
c1=$(count cpu.cpuid) r1=$(count cpu.read_cr0)
[ $((c1 - c0)) -ge 500 ] && [ $((r1 - r0)) -ge 500 ]
tap_ok $? "its cpuid and read_cr0 calls enter the ROM (+$((c1 - c0)), +$((r1 - r0)) for 500 rounds)"

klog_mark
shim_unload
tap_ok $? "unload vmi_shim (routing off, then rmmod)"
klog_since | grep -q "vmi_test_pvops: ${n:-x} call sites restored"
tap_ok $? "its ${n:-?} call sites restored and read back"
echo 100 >"$run"
tap_ok $? "vmi_test_pvops still works after the shim is gone"
tap_eq "$(shim_text_crc)" "$crc0" "kernel text identical after unload"

# A stale table: the module's sections one byte off (what a table made
# for an earlier load of the module could say). Self-consistent, so only
# the shim's check of each site's bytes can catch it.
fake=/tmp/fakesys
rm -rf $fake
mkdir -p $fake/module/vmi_test_pvops/sections $fake/module/vmi_test_pvops/notes
for f in /sys/module/vmi_test_pvops/sections/.[a-z]*; do
	a=$(cat "$f")
	printf '%s%08x\n' "$(addr_hi "$a")" $(($(addr_lo "$a") + 1)) \
		>"$fake/module/vmi_test_pvops/sections/${f##*/}"
done
cp /sys/module/vmi_test_pvops/notes/.[a-z]* $fake/module/vmi_test_pvops/notes/
grep '^vmi_test_pvops ' /proc/modules >$fake/modules
vmi-sites modules -q -o $SHIM_FW/vmi-test/stale.bin --sysfs $fake --proc-modules $fake/modules \
	--ko-dir "$VMI_MODULES"
tap_ok $? "a stale table (sections one byte off) can be built"
shim_refused "mode=full sites=${tbl#$SHIM_FW/} modsites=vmi-test/stale.bin" \
	"vmi_test_pvops.*refusing" "stale module table refused, naming the module"
echo 10 >"$run"
tap_ok $? "vmi_test_pvops unharmed by the refused load"

# The table names a module that has gone since: skipped, the rest loads.
rmmod vmi_test_pvops
tap_ok $? "rmmod vmi_test_pvops"
klog_mark
insmod "$SHIM_MOD" mode=full sites="${tbl#$SHIM_FW/}" modsites="${mt#$SHIM_FW/}"
tap_ok $? "a table naming an unloaded module still loads"
klog_since | grep -q "vmi_test_pvops: not loaded now"
tap_ok $? "the gone module is reported and skipped"
shim_unload
shim_refused "mode=full sites=${tbl#$SHIM_FW/} modsites=vmi-test/nonexistent.bin" \
	"cannot read the site table" "missing module table refused"
tap_eq "$(shim_text_crc)" "$crc0" "kernel text unchanged by the refused loads"
tap_done
