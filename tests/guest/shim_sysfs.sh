#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# shim_sysfs.sh --expect-hv none|kvm
# Load vmi_shim.ko and check that /sys/kernel/vmi_shim reports this guest
# truthfully: the running kernel, the pv_ops layout it was built for, the
# hypervisor underneath and (under KVM) its PV feature bits, which are also
# checked against CPUID from userspace and against what the kernel itself
# set up at boot. Unload and check that everything is gone.
. "$(dirname "$0")/lib/tap.sh"
. "$(dirname "$0")/lib/shim.sh"

expect=none
[ "$1" = --expect-hv ] && expect=$2
mod=$SHIM_MOD
sys=/sys/kernel/vmi_shim
rd() { cat "$sys/$1" 2>/dev/null; }

insmod "$mod"
tap_ok $? "insmod vmi_shim.ko"
[ -d "$sys" ]
tap_ok $? "$sys exists"
[ -n "$(rd version)" ]
tap_ok $? "version reported ($(rd version))"
tap_eq "$(rd kernel_release)" "$(uname -r)" "kernel_release is the running kernel"
tap_eq "$(rd built_for)" "$(uname -r)" "module was built for the running kernel"

case $(uname -m) in
x86_64) arch=x86_64 ;;
*) arch=i386 ;;
esac
tap_eq "$(rd arch)" "$arch" "pv_ops layout is for $arch"
slots=$(rd pv_ops_slots)
[ -n "$slots" ] && [ "$slots" -gt 0 ]
tap_ok $? "pv_ops slot count reported ($slots)"
# The probe decides the site table from the headers; check its verdict
# against what is known of these kernels: .parainstructions until 6.7
# (every paravirt kernel before it, 2.6.x to 5.x).
case $(uname -r) in
6.[0-7].* | [2-5].*) want=.parainstructions ;;
*) want=.altinstructions ;;
esac
tap_eq "$(rd pv_site_section)" "$want" "pv site table probe ($want)"
case $arch in
x86_64) tap_eq "$(rd pv_ops_flavour)" xxl "Debian amd64 has PARAVIRT_XXL" ;;
*) tap_eq "$(rd pv_ops_flavour)" minimal "686-pae has PARAVIRT without XXL" ;;
esac

# Userspace CPUID must agree with what the module read in the kernel.
# (kvm_cpuid's own TAP is folded into diagnostics: one result here)
out=$("$VMI_SELFTESTS"/kvm_cpuid "$expect")
r=$?
echo "$out" | sed 's/^/#   /'
tap_ok $r "userspace CPUID agrees with the module (expect $expect)"

if [ "$expect" = kvm ]; then
	tap_eq "$(rd hypervisor)" KVMKVMKVM "hypervisor is KVM"
	tap_eq "$(rd pv_info)" KVM "pv_info.name is KVM"
	names=$(rd kvm_feature_names)
	tap_diag "KVM features: $(rd kvm_features) $names"
	# The kernel's own boot-time PV setup must match the bits we report:
	# this reads the boot log, which no step may have cleared (else
	# "absent" would match every bit that is not offered).
	boot_log | grep -q "Linux version $(uname -r)"
	tap_ok $? "the kernel's boot log is intact"
	# (A kernel older than the feature has no code for it: 4.14 has no
	# PV TLB flush, PV IPIs or sched yield, 4.19 no sched yield.)
	for pair in "pv_tlb_flush:KVM setup pv remote TLB flush:kvm_flush_tlb_(others|multi)" \
		"pv_send_ipi:setup PV IPIs:kvm_send_ipi_mask" \
		"pv_sched_yield:setup PV sched yield:kvm_smp_send_call_func_ipi"; do
		bit=${pair%%:*}
		rest=${pair#*:}
		msg=${rest%%:*}
		code=${rest#*:}
		if ! grep -Eq " ($code)\$" /proc/kallsyms; then
			tap_skip "$bit reported iff the kernel did '$msg'" "this kernel has no code for it ($code)"
			continue
		fi
		has_bit=0 has_msg=0
		echo " $names " | grep -q " $bit " && has_bit=1
		# 5.4 says "KVM setup pv IPIs", 5.10 on "setup PV IPIs"
		boot_log | grep -qi "$msg" && has_msg=1
		tap_eq "$has_bit" "$has_msg" "$bit reported iff the kernel did '$msg'"
	done
else
	tap_eq "$(rd hypervisor)" none "no hypervisor visible"
	tap_eq "$(rd kvm_features)" 0x00000000 "no KVM features"
	tap_eq "$(rd pv_info)" "bare hardware" "pv_info.name is bare hardware"
fi
if [ "$arch" = i386 ]; then
	# The i386 ROM routes there too (docs/abi.md section 9): the
	# routing files exist as on x86-64.
	for f in mode routing ops_routed modules_bound sites/patched; do
		[ -r "$sys/$f" ]
		tap_ok $? "$sys/$f present on i386"
	done
fi
tap_eq "$(rd sites/patched)" 0 "nothing in the kernel is patched yet"

shim_unload
tap_ok $? "unload vmi_shim (routing off, then rmmod)"
[ ! -e "$sys" ] && ! grep -q '^vmi_shim ' /proc/modules
tap_ok $? "sysfs directory and module gone"
tap_done
