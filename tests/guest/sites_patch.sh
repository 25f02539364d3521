#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# sites_patch.sh --mode full|accelerate [--expect-hv none|kvm]
# Extract the site table from /boot/vmlinuz-$(uname -r) (vmi-run
# --boot-image), load the shim with it, drive paravirt ops from userspace
# and check that the ROM's counters move; unload and check that kernel text
# is byte-for-byte what it was. Then feed defective tables: each load must
# be refused with its own message and change zero bytes.
. "$(dirname "$0")/lib/tap.sh"
. "$(dirname "$0")/lib/shim.sh"

mode=full expect_hv=none
while [ $# -gt 0 ]; do
	case $1 in
	--mode) mode=$2; shift ;;
	--expect-hv) expect_hv=$2; shift ;;
	esac
	shift
done
mod=$SHIM_MOD
sys=/sys/kernel/vmi_shim
dbg=/sys/kernel/debug/vmi_shim
tbl=$SHIM_FW/vmi-test/sites.bin
count() { awk -v n="$1" '$1 == n { print $6 }' "$dbg/ops"; }
sites() { awk -v n="$1" '$1 == n { print $NF }' "$dbg/ops"; }
# An i386 kernel (686-pae) has no PARAVIRT_XXL: its routed ops are
# io_delay and the TLB flushes (no cpuid, halt or interrupt-flag ops),
# and its guest has no vmi-sites (tests/lib/shim.sh: the host's table).
xxl=1
[ "$(uname -m)" = x86_64 ] || xxl=
op=$(shim_routed_op)

# The full-mode run tests the extraction itself; the accelerate run takes
# the boot's shared copy (shim_kernel_sites), which the build ID check
# below still holds to the running kernel.
if [ "$mode" = full ] && shim_have_vmi_sites; then
	vmi-sites extract -q -o "$tbl"
	tap_ok $? "vmi-sites extracts the table from /boot/vmlinuz-$(uname -r)"
elif [ "$mode" = full ]; then
	tap_skip "vmi-sites extracts the table from /boot/vmlinuz-$(uname -r)" "$SHIM_NO_VMI_SITES"
	shim_kernel_sites "$tbl"
	tap_ok $? "the kernel's site table (the host's vmi-sites, from this boot's image)"
else
	shim_kernel_sites "$tbl"
	tap_ok $? "the kernel's site table (extracted once per boot)"
fi
if shim_have_vmi_sites; then
	vmi-sites check --build-id running "$tbl" >/dev/null
	tap_ok $? "the table matches the running kernel's build ID"
else
	tap_skip "the table matches the running kernel's build ID (vmi-sites check)" \
		"$SHIM_NO_VMI_SITES; the module checks the build ID at every load"
fi
crc0=$(shim_text_crc)
tap_diag "kernel text crc before: $crc0"

klog_mark
insmod "$mod" mode=$mode sites=${tbl#$SHIM_FW/}
tap_ok $? "insmod mode=$mode sites=${tbl#$SHIM_FW/}"
klog_since >/tmp/sites-load.log
# cpu.cpuid's pv_ops slot on this kernel (22 on 6.1; the layout differs;
# i386: cpu.io_delay's)
op_slot=$(awk -v n="$op" '$1 == n { print $2 }' "$dbg/ops")
[ -n "$op_slot" ]
tap_ok $? "$op's pv_ops slot on this kernel (${op_slot:-unknown})"
for f in table total patched init entry unrouted inline_kept crc; do
	tap_diag "sites/$f: $(cat $sys/sites/$f)"
done
patched=$(cat $sys/sites/patched)
nopv=0
grep -qw nopv /proc/cmdline && nopv=1
if [ "$mode" = accelerate ] && [ "$expect_hv" = kvm ] && [ $nopv = 1 ]; then
	# nopv: io_delay is native (an exit per port delay); the ROM's KVM
	# answer is a no-op.
	[ "$(sites cpu.io_delay)" -gt 0 ]
	tap_ok $? "accelerate on a nopv KVM guest routes io_delay sites ($(sites cpu.io_delay))"
elif [ "$mode" = accelerate ] && [ "$expect_hv" = kvm ]; then
	# PV boot: the kernel keeps its own PV; only a PV TLB flush it lacks
	# (4.14) is added, with its page-table free. Nothing else.
	tlb=0
	for op in mmu.flush_tlb_others mmu.flush_tlb_multi mmu.tlb_remove_table; do
		n=$(sites $op)
		tlb=$((tlb + ${n:-0}))
	done
	tap_eq "$patched" "$tlb" "accelerate re-patches only the PV TLB flush the kernel lacks ($tlb sites; PV boot)"
elif [ "$mode" = accelerate ]; then
	# No KVM: nothing beats native.
	tap_eq "$patched" 0 "accelerate re-patches nothing here (hv=$expect_hv, nopv=$nopv)"
else
	[ "$patched" -gt 0 ]
	tap_ok $? "call sites re-patched ($patched)"
fi
if [ -n "$xxl" ]; then
	[ "$(cat $sys/sites/init)" -gt 0 ]
	tap_ok $? "sites in freed init text reported as skipped ($(cat $sys/sites/init))"
else
	# 686-pae's table has none there: as many as the table has.
	n=$(shim_sites_info "$tbl" | sed -n 's/^init .*(\([0-9]*\) sites inside)$/\1/p')
	tap_eq "$(cat $sys/sites/init)" "${n:-unknown}" "sites in freed init text reported as skipped, as many as the table lists there (${n:-unknown})"
fi
sum=0
for f in patched init entry unrouted inline_kept; do
	sum=$((sum + $(cat $sys/sites/$f)))
done
tap_eq "$sum" "$(cat $sys/sites/total)" "every site of the table is patched or skipped for one reason"

if [ "$mode" = full ] && [ -z "$xxl" ]; then
	before_flush=$(($(count mmu.flush_tlb_one_user) + $(count mmu.flush_tlb_user)))
	out=$("$VMI_SELFTESTS"/pv_exercise 2)
	echo "$out" | sed 's/^/#   /'
	after_flush=$(($(count mmu.flush_tlb_one_user) + $(count mmu.flush_tlb_user)))
	[ "$after_flush" -gt "$before_flush" ]
	tap_ok $? "TLB flushes from mprotect/munmap entered the ROM ($before_flush -> $after_flush)"
	[ "$(sites mmu.flush_tlb_user)" -gt 0 ] && [ "$(sites mmu.flush_tlb_one_user)" -gt 0 ]
	tap_ok $? "the TLB flush sites were re-patched ($(sites mmu.flush_tlb_user) user, $(sites mmu.flush_tlb_one_user) one-page)"
	[ "$(sites cpu.io_delay)" -gt 0 ]
	tap_ok $? "io_delay sites re-patched ($(sites cpu.io_delay))"
	tap_skip "safe_halt, cpuid and cli/sti/pushf entered the ROM" "no PARAVIRT_XXL: the kernel has no such pv ops"
elif [ "$mode" = full ]; then
	kmod-load cpuid 2>/dev/null
	before_halt=$(count irq.safe_halt)
	before_flush=$(($(count mmu.flush_tlb_one_user) + $(count mmu.flush_tlb_user)))
	before_cpuid=$(count cpu.cpuid)
	before_cli=$(count irq.irq_disable) before_sti=$(count irq.irq_enable)
	before_pushf=$(count irq.save_fl)
	out=$("$VMI_SELFTESTS"/pv_exercise 2)
	echo "$out" | sed 's/^/#   /'
	after_flush=$(($(count mmu.flush_tlb_one_user) + $(count mmu.flush_tlb_user)))
	[ "$(count irq.safe_halt)" -gt "$before_halt" ]
	tap_ok $? "safe_halt entered the ROM while idle ($before_halt -> $(count irq.safe_halt))"
	[ "$after_flush" -gt "$before_flush" ]
	tap_ok $? "TLB flushes from mprotect/munmap entered the ROM ($before_flush -> $after_flush)"
	if [ -e /dev/cpu/0/cpuid ]; then
		[ "$(count cpu.cpuid)" -gt "$before_cpuid" ]
		tap_ok $? "reads of /dev/cpu/0/cpuid entered the ROM's CPUID"
	else
		tap_skip "reads of /dev/cpu/0/cpuid entered the ROM's CPUID" "no cpuid module"
	fi
	# Inline cli/sti/pushf sites are replaced whole with every CPU
	# stopped, unless the shim says why it keeps them (a kernel that
	# preempts on interrupt return; lockdep or irq-flags tracing).
	kept=$(sed -n 's/.*inline sites kept: //p' /tmp/sites-load.log | head -1)
	if [ -n "$kept" ]; then
		tap_skip "inline interrupt-flag sites replaced" "the shim keeps them: $kept"
	else
		[ "$(sites irq.irq_enable)" -gt 0 ] &&
			[ "$(sites irq.irq_disable)" -gt 0 ] &&
			[ "$(sites irq.save_fl)" -gt 0 ]
		tap_ok $? "inline cli/sti/pushf sites replaced ($(sites irq.irq_disable)/$(sites irq.irq_enable)/$(sites irq.save_fl))"
		[ "$(count irq.irq_disable)" -gt "$before_cli" ] &&
			[ "$(count irq.irq_enable)" -gt "$before_sti" ] &&
			[ "$(count irq.save_fl)" -gt "$before_pushf" ]
		tap_ok $? "cli/sti/pushf from the exercise entered the ROM ($before_cli -> $(count irq.irq_disable) cli)"
	fi
fi
tap_diag "counters:"
grep -v '^#' "$dbg/ops" | awk '{ print "#   " $1, "routed=" $5, "count=" $6, "sites=" $NF }'

klog_mark
shim_unload
tap_ok $? "unload vmi_shim (routing off, then rmmod)"
klog_since >/tmp/sites-unload.log
if [ -d /sys/module/cpuid ]; then
	grep -q "cpuid: [0-9]* call sites restored" /tmp/sites-unload.log
	tap_ok $? "cpuid.ko (loaded after the shim) had its call sites put back"
	dd if=/dev/cpu/0/cpuid bs=16 count=1 2>/dev/null | wc -c | grep -qx 16
	tap_ok $? "cpuid.ko still works after the shim is gone"
	rmmod cpuid
fi
grep -q "call sites restored in .* (crc" /tmp/sites-unload.log
tap_ok $? "the module verified its restore by CRC"
tap_eq "$(shim_text_crc)" "$crc0" "kernel text identical after unload"

# Defective tables: refused, with their own message, nothing changed.
m=$SHIM_FW/vmi-test/bad.bin
sites-mutate "$tbl" $m hdr magic XMISITES
shim_refused "mode=full sites=${m#$SHIM_FW/}" "rejected: .*magic" "table with a bad magic refused"
sites-mutate "$tbl" $m trunc -40
shim_refused "mode=full sites=${m#$SHIM_FW/}" "rejected: .*trunc" "truncated table refused"
sites-mutate "$tbl" $m site 3 orig5 0x99
shim_refused "mode=full sites=${m#$SHIM_FW/}" "rejected: .*CRC" "corrupted table (CRC mismatch) refused"
sites-mutate "$tbl" $m hdr build_id_len 19 fixcrc
shim_refused "mode=full sites=${m#$SHIM_FW/}" "rejected: .*build ID" "table for another kernel (build ID) refused"
# A self-consistent table whose site is one byte off: the call it
# describes still reads the same pv_ops slot, but the running kernel's
# bytes there are not a boot-time form. cpu.cpuid's slot (routed in full
# mode): the site's type in a .parainstructions table, pv_ops + slot * 8
# as target in an ALTCALL one. "call *disp32(%rip)" (ff 15) gets its
# displacement compensated; "call *abs32" (ff 14 25, kernels up to
# 5.10) reads the same slot from any address.
# On i386 (a .parainstructions table) "call *abs32" is "ff 15": io_delay's
# slot, the same from any address.
base=$(shim_sites_info "$tbl" | awk '$1 == "targets" { split($2, r, "[.]"); print r[1] }')
want=$(printf '0x%x' $((${base:-0} + ${op_slot:-0} * 8)))
line=$(shim_sites_list "$tbl" | awk -v want="$want" -v slot="${op_slot:-none}" -v xxl="$xxl" \
	'xxl == "" && $3 == slot && substr($5, 1, 4) == "ff15" { print NR - 1, $1, "abs32"; exit }
	 xxl != "" && ($3 == slot || $4 == want) && (substr($5, 1, 6) == "ff1425" ||
	 substr($5, 5, 2) != "00") { print NR - 1, $1, substr($5, 1, 6), substr($5, 5, 2); exit }')
set -- $line
if [ "$3" = ff1425 ] || [ "$3" = abs32 ]; then
	sites-mutate "$tbl" $m site "$1" addr "$(printf '0x%x' $(($2 + 1)))" fixcrc
else
	sites-mutate "$tbl" $m site "$1" addr "$(printf '0x%x' $(($2 + 1)))" \
		site "$1" orig2 "$(printf '0x%x' $((0x$4 - 1)))" fixcrc
fi
shim_refused "mode=full sites=${m#$SHIM_FW/}" "not a form boot patching produces" "site whose bytes are not a boot-time form refused"
shim_refused "mode=full sites=vmi-test/nonexistent.bin" "cannot read the site table" "missing table file refused"
shim_refused "mode=full sites=$tbl" "want a file name under /lib/firmware" "a path instead of a firmware name refused"
shim_refused "mode=full sites=vmi-test/../vmi-test/bad.bin" "want a file name under /lib/firmware" "a name that climbs out of /lib/firmware refused"
tap_eq "$(shim_text_crc)" "$crc0" "kernel text unchanged by every refused load"
tap_done
