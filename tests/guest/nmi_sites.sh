#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# nmi_sites.sh: NMIs that enter inline sites while the shim writes them
# whole never run a half-written site (docs/sites.md): each site carries
# an INT3 on its first byte while its other bytes change, and a CPU that
# meets it is sent through the site's CALL form whole. The nmi_test=1
# test hook NMIs every other CPU while the INT3s are in place; their
# handler prints, and printk runs inline sites (local_irq_save). Loaded
# in full mode with the kernel's site table and unloaded again:
#   - every other CPU took the NMI, at the load and at the restore;
#   - NMIs did enter sites being written and were sent through the INT3
#     handler (the kernel log counts them);
#   - the kernel lived, and kernel text is byte-exact after the unload.
# Needs vmi-run --boot-image (the site table) and 2 or more CPUs.
. "$(dirname "$0")/lib/tap.sh"
. "$(dirname "$0")/lib/shim.sh"

tbl=$SHIM_FW/vmi-test/nmi-sites.bin
cpus=$(grep -c '^processor' /proc/cpuinfo)
if [ "$cpus" -lt 2 ]; then
	tap_skip "NMIs during whole-site writes" "one CPU: no other CPU to NMI"
	tap_done
fi

shim_kernel_sites "$tbl"
tap_ok $? "the kernel's site table (vmi-sites, once per boot)"
crc0=$(shim_text_crc)
# Up to 5.10 printk in an NMI only stores into a per-CPU buffer
# (printk_safe_log_store(), gone since 5.15) and runs
# no inline site: the hook's NMIs then have nothing to enter.
nmi_printk_buffered=
grep -q ' printk_safe_log_store$' /proc/kallsyms && nmi_printk_buffered=1

# check WHAT: the NMI and INT3 lines of the step just run.
check() {
	log=$(klog_since)
	echo "$log" | grep -q "nmi_test: $((cpus - 1)) of $((cpus - 1)) other CPUs took an NMI"
	tap_ok $? "$1: every other CPU took an NMI while the sites held their INT3s"
	n=$(echo "$log" | sed -n 's/.*inline sites entered while they were written: \([0-9][0-9]*\) times in an NMI.*/\1/p' | head -1)
	if [ "${n:-0}" -eq 0 ] && [ -n "$nmi_printk_buffered" ]; then
		tap_skip "$1: NMIs entered sites being written and were sent through their CALL form" "this kernel's printk from an NMI only fills a per-CPU buffer (printk_safe_log_store): the hook's NMIs run no inline site"
	else
		[ "${n:-0}" -gt 0 ]
		tap_ok $? "$1: NMIs entered sites being written and were sent through their CALL form (${n:-0} times)"
	fi
	echo "$log" | grep -E 'vmi_shim: (nmi_test|inline sites entered)' | sed 's/^/#   /'
}

klog_mark
insmod "$SHIM_MOD" mode=full sites="${tbl#$SHIM_FW/}" nmi_test=1
tap_ok $? "insmod mode=full sites=${tbl#$SHIM_FW/} nmi_test=1"
klog_since | grep -q ", 0 inline kept)"
tap_ok $? "inline sites written whole (none kept)"
check "load"

klog_mark
shim_unload
tap_ok $? "routing off and rmmod"
check "restore"
tap_eq "$(shim_text_crc)" "$crc0" "kernel text identical to before the load"
tap_done
