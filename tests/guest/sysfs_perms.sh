#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# sysfs_perms.sh: what an unprivileged user may read (docs/sysfs.md, "Who
# may read what"). With the shim loaded in full mode and the kernel's call
# sites re-patched, so that every file has its content, uid/gid 65534 reads
# every file of /sys/kernel/vmi_shim, /sys/kernel/debug/vmi_shim and the
# module's parameters: a file whose content derives from kernel addresses
# (CRCs over pointers or text) must be refused with EACCES, an input with
# nothing to read (rom/image) must be 0200 and refuse another user's
# write, every other file must read, and a file in none of the lists fails
# the test until it is classified. Root still reads everything readable.
# Needs vmi-run --boot-image.
. "$(dirname "$0")/lib/tap.sh"
. "$(dirname "$0")/lib/shim.sh"

nobody=$VMI_SELFTESTS/as_nobody
dbgfs=/sys/kernel/debug
dbg=$dbgfs/vmi_shim
par=/sys/module/vmi_shim/parameters
tbl=$SHIM_FW/vmi-test/perms-sites.bin
# Root-only: derived from kernel addresses.
secret="$SHIM_SYS/pv_ops_crc $SHIM_SYS/sites/crc $dbg/text_crc"
# Everyone: names, versions, CPUID values, counts, the ROM image's own
# layout and identity.
public=""
for f in version kernel_release built_for arch pv_ops_flavour pv_ops_slots \
	pv_site_section pv_info hypervisor kvm_base kvm_features kvm_hints \
	kvm_feature_names mode routing ops_routed modules_bound kprobe_blacklist \
	rom/source rom/location rom/version rom/pci_id rom/revision \
	rom/manufacturer rom/product rom/size rom/checksum rom/swap rom/swaps \
	sites/table sites/total sites/patched sites/init sites/entry sites/unrouted \
	sites/inline_kept module_sites/table module_sites/total \
	module_sites/patched module_sites/modules module_sites/unrouted \
	module_sites/inline_kept module_sites/modules_gone \
	features/steal_time features/steal_clock features/pv_tlb_flush \
	features/pv_ipi features/sched_yield features/pv_spinlocks \
	features/pv_eoi features/kvm_clock features/pv_tlb_rcu_tables \
	features/pv_ipi_apic features/steal_time_shared counters/tlb_skipped \
	counters/tlb_all_cpus \
	counters/ipi_hypercalls counters/ipi_fallbacks counters/yields \
	counters/spin_waits counters/spin_kicks counters/eoi_completed; do
	public="$public $SHIM_SYS/$f"
done
public="$public $dbg/calls $dbg/ops $dbg/features $dbg/swaps"
# Root-only inputs with nothing to read.
writeonly="$SHIM_SYS/rom/image"
for f in rom rom_file rom_native mode sites modsites fail_verify max_loads coming_delay_ms \
	route_hold_ms nmi_test; do
	public="$public $par/$f"
done

in_list() { case " $2 " in *" $1 "*) return 0 ;; esac; return 1; }

tap_eq "$("$nobody" id -u):$("$nobody" id -g)" 65534:65534 "as_nobody runs commands as uid/gid 65534"
tap_eq "$("$nobody" sed -n 's/^CapEff:[[:space:]]*//p' /proc/self/status)" \
	0000000000000000 "... with no capabilities"

shim_kernel_sites "$tbl"
tap_ok $? "the kernel's site table (vmi-sites, once per boot)"
insmod "$SHIM_MOD" mode=full sites="${tbl#$SHIM_FW/}"
tap_ok $? "insmod mode=full sites=${tbl#$SHIM_FW/}"
[ "$(cat "$SHIM_SYS/ops_routed")" -gt 0 ] && [ "$(cat "$SHIM_SYS/sites/patched")" -gt 0 ]
tap_ok $? "ops routed ($(cat "$SHIM_SYS/ops_routed")) and call sites patched ($(cat "$SHIM_SYS/sites/patched"))"

# A new file must be classified here (and in docs/ABI) first.
unknown=""
for f in $(find "$SHIM_SYS" "$dbg" "$par" -type f); do
	in_list "$f" "$secret $public $writeonly" || unknown="$unknown $f"
done
tap_eq "${unknown# }" "" "every file the shim creates is classified"

# debugfs is mounted root-only (0700) here, as on most systems: the files'
# own modes are what is tested, so let others in for the test.
dbg_mode=$(stat -c %a "$dbgfs")
if [ "$dbg_mode" != 755 ]; then
	mount -o remount,mode=0755 "$dbgfs"
	tap_eq "$(stat -c %a "$dbgfs")" 755 "debugfs remounted 0755 (was $dbg_mode): its files' own modes count"
fi
if ! "$nobody" ls "$dbg" >/dev/null 2>&1; then
	tap_skip "debugfs files read as uid 65534" "$dbg cannot be reached by others here"
	secret=$(echo " $secret " | sed "s# $dbg/[^ ]*##g")
	public=$(echo " $public " | sed "s# $dbg/[^ ]*##g")
fi

for f in $secret; do
	v=$(cat "$f")
	[ -n "$v" ]
	tap_ok $? "root reads ${f##*/} ($(echo "$v" | cut -c1-50))"
	err=$("$nobody" cat "$f" 2>&1 >/dev/null)
	r=$?
	[ $r -ne 0 ] && case $err in *"Permission denied"*) true ;; *) false ;; esac
	tap_ok $? "uid 65534 refused $f with EACCES (${err:-it read the file})"
done
for f in $public; do
	v=$("$nobody" cat "$f" 2>/tmp/perms.err)
	r=$?
	[ $r -ne 0 ] && tap_diag "$(cat /tmp/perms.err)"
	tap_ok $r "uid 65534 reads $f ($(echo "$v" | head -1 | cut -c1-50))"
done

for f in $writeonly; do
	tap_eq "$(stat -c %a "$f")" 200 "${f#$SHIM_SYS/} is mode 0200"
	err=$("$nobody" sh -c "echo x >$f" 2>&1)
	r=$?
	[ $r -ne 0 ] && case $err in *"Permission denied"*) true ;; *) false ;; esac
	tap_ok $? "uid 65534 may not write $f (${err:-the write went through})"
done

out=$(vmictl status 2>&1)
! echo "$out" | grep -q 'rom/image' && echo "$out" | grep -q '^  rom/swaps '
tap_ok $? "root's vmictl status shows rom/ but not the input rom/image"

# vmictl status, run by another user, says which values it may not see.
out=$("$nobody" vmictl status 2>&1)
tap_ok $? "vmictl status runs as uid 65534"
echo "$out" | grep -q '^  pv_ops_crc  *(root only)$' &&
	echo "$out" | grep -q '^  sites/crc  *(root only)$' &&
	echo "$out" | grep -q '^  ops_routed  *[0-9]'
tap_ok $? "... and shows pv_ops_crc and sites/crc as (root only)"
out=$("$nobody" vmictl status --json 2>&1)
case $out in *pv_ops_crc* | *sites/crc*) r=1 ;; '{"version": '*'}') r=0 ;; *) r=1 ;; esac
tap_ok $r "... and leaves them out of --json"

if [ "$dbg_mode" != 755 ]; then
	mount -o remount,mode=0$dbg_mode "$dbgfs"
	tap_eq "$(stat -c %a "$dbgfs")" "$dbg_mode" "debugfs back to mode $dbg_mode"
fi
shim_unload
tap_ok $? "unload vmi_shim (routing off, then rmmod)"
tap_done
