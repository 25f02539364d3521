#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# rom_install.sh --expect-hv none|kvm --expect-source builtin|option
# The shim finds, validates and installs a ROM: from the platform's
# option-ROM area when there is one, else the built-in copy; firmware
# files on request. Defective ROMs and bad parameters are refused with
# their own message and leave nothing loaded.
. "$(dirname "$0")/lib/tap.sh"
. "$(dirname "$0")/lib/shim.sh"

expect_hv=none expect_src=builtin
while [ $# -gt 0 ]; do
	case $1 in
	--expect-hv) expect_hv=$2; shift ;;
	--expect-source) expect_src=$2; shift ;;
	esac
	shift
done
mod=$SHIM_MOD
sys=/sys/kernel/vmi_shim
calls=/sys/kernel/debug/vmi_shim/calls
rd() { cat "$sys/$1" 2>/dev/null; }
# An i386 kernel installs VMI 3.0's i386 image (docs/abi.md section 9):
# API 3.0, no GetBackend, no flags, firmware file vmi-rom-i386.bin.
i386=
[ "$(uname -m)" = x86_64 ] || i386=1
backend() { awk -v n="$1" '$1 == n { print $4 }' "$calls"; }
unload() { shim_unload 2>/dev/null; }

insmod "$mod"
tap_ok $? "insmod with the default ROM search"
tap_diag "rom/source: $(rd rom/source), rom/location: $(rd rom/location)"
tap_eq "$(rd rom/source)" "$expect_src" "ROM taken from the $expect_src source"
if [ -n "$i386" ]; then
	tap_eq "$(rd rom/version)" 3.0 "ROM speaks VMI 3.0 (the i386 image)"
else
	tap_eq "$(rd rom/version)" 3.15 "ROM speaks VMI 3.15"
fi
tap_eq "$(rd rom/pci_id) $(rd rom/revision)" "15ad:0801 1.0" "ROM PCI identity and revision"
case $(rd rom/checksum) in 0x[0-9a-f][0-9a-f]) r=0 ;; *) r=1 ;; esac
tap_ok $r "ROM checksum byte shown (the sum was verified at install)"
tap_eq "$(grep -vc '^#' "$calls")" 88 "all 88 call numbers resolved"
if [ -n "$i386" ]; then
	# Without GetBackend every call the ROM resolves runs in the ROM.
	tap_eq "$(backend 82)" none "GetBackend absent from a VMI 3.0 ROM"
	tap_eq "$(backend 0)" rom "CPUID runs in the ROM (no GetBackend to say native)"
	# (KVM with NOP_IO_DELAY: a NOP relocation instead)
	[ "$expect_hv" = kvm ] ||
		tap_eq "$(backend 65)" rom "IODelay runs in the ROM"
	tap_eq "$(backend 74)" none "no call past VMI 3.0's 74 is resolved (FlushTLBOthers)"
else
	tap_eq "$(backend 82)" rom "GetBackend answered by the ROM itself"
	tap_eq "$(backend 0)" native "CPUID runs natively"
fi
if [ "$expect_hv" = kvm ] && [ -z "$i386" ]; then
	for n in 75 76 77 79; do
		tap_eq "$(backend $n)" kvm "call $n uses the KVM backend"
	done
else
	for n in 75 76 77 79; do
		tap_eq "$(backend $n)" none "call $n has no backend without KVM"
	done
fi
unload
tap_ok $? "rmmod"

if [ -n "$i386" ]; then
	shim_refused "rom_native=1" "rom_native=1: a VMI 3.0 i386 ROM takes no flags" \
		"rom_native=1 refused: a VMI 3.0 ROM takes no flags"
else
	insmod "$mod" rom_native=1
	tap_ok $? "insmod rom_native=1"
	tap_eq "$(backend 75)" none "rom_native=1: SendIPIMask falls back to none"
	tap_eq "$(backend 0)" native "rom_native=1: CPUID still native"
	unload
fi

insmod "$mod" rom=none
tap_ok $? "insmod rom=none"
tap_eq "$(rd rom/source)" "none rom-none" "rom=none installs no ROM"
tap_eq "$(ls "$sys/rom")" source "... and rom/ holds only source"
if [ "$(uname -m)" = x86_64 ]; then
	tap_eq "$(cat "$sys/features/steal_time")" "off rom-none" "... and the features say why they are off"
fi
unload

crc0=$(shim_text_crc)

# Refusals: the load fails, says why, and leaves nothing behind.
shim_refused "rom=bogus" "rom=bogus: want" "bad rom= parameter refused"
shim_refused "rom=image" "rom=image: want auto, option, firmware, builtin or none" \
	"rom=image refused at load (rom/image is a swap's source only)"
if [ "$expect_src" != option ]; then
	shim_refused "rom=option" "no ROM found (rom=option)" "rom=option without a platform ROM refused"
fi
shim_refused "rom=firmware rom_file=vmi-test/missing.bin" "no ROM found" "missing firmware file refused"
# MODULE_FIRMWARE: what initramfs builders and packages read to carry the
# ROM file (modinfo's "firmware" field, from the module's .modinfo).
fw=vmi-shim/vmi-rom.bin
[ -n "$i386" ] && fw=vmi-shim/vmi-rom-i386.bin
tr '\0' '\n' <"$mod" | grep -qx "firmware=$fw"
tap_ok $? "the module names its ROM firmware file (modinfo firmware=$fw)"
# SEV/TDX cannot be booted here: the test hook makes the check report one.
shim_refused "fail_verify=cc_guest" "confidential-computing guest (encrypted memory).*refused" \
	"a confidential-computing guest is refused"

mkdir -p /lib/firmware/vmi-test
cp "$VMI_ROMS"/*.bin /lib/firmware/vmi-test/
shim_refused "rom=firmware rom_file=vmi-test/bad-checksum.bin" "rejected: bad checksum" "ROM with a bad checksum refused"
shim_refused "rom=firmware rom_file=vmi-test/non-gpl.bin" 'rejected: license is not "GPL"' "ROM with a non-GPL license refused"
shim_refused "rom=firmware rom_file=vmi-test/bad-major.bin" "rejected: unsupported VMI major" "ROM with VMI major 4 refused"
shim_refused "rom=firmware rom_file=vmi-test/bad-signature.bin" "rejected: bad VMI signature" "ROM without cVmi refused"
shim_refused "rom=firmware rom_file=vmi-test/truncated.bin" "rejected: image truncated" "truncated ROM refused"
# A valid image whose VMI_Init declines (x86-64 images: tools/mkbadroms).
if [ -e /lib/firmware/vmi-test/init-declines.bin ]; then
	shim_refused "rom=firmware rom_file=vmi-test/init-declines.bin" \
		"declined in VMI_Init" "ROM whose VMI_Init declines refused"
fi

shim_refused "rom=firmware rom_file=vmi-test/sig-malformed.bin" \
	"sig-malformed.bin: malformed appended signature: refused" \
	"ROM with a malformed signature trailer refused"
if [ -n "$i386" ]; then
	shim_refused "rom=firmware rom_file=vmi-test/other-arch.bin" \
		"other-arch.bin is an x86-64 ROM, not for this i386 kernel" \
		"the x86-64 ROM refused by an i386 kernel"
	shim_refused "rom=firmware rom_file=vmi-test/foreign-maker.bin" \
		"is a VMI 3.0 ROM by other VMI vendor: such ROMs run in place, and only vmi-shim's i386 image is known to run copied" \
		"another maker's VMI 3.0 ROM refused (it would run as a copy)"
fi

tap_eq "$(shim_text_crc)" "$crc0" "kernel text unchanged by every refused ROM"

# Not locked down: a signature that cannot verify is reported, the ROM
# (without its trailer) used, as for modules when signatures are not
# enforced. Under lockdown it is refused (lockdown.sh).
[ -e /sys/kernel/security/lockdown ] ||
	mount -t securityfs securityfs /sys/kernel/security 2>/dev/null
case $(cat /sys/kernel/security/lockdown 2>/dev/null) in
*"[integrity]"* | *"[confidentiality]"*)
	tap_skip "ROM with an unverifiable signature used when not locked down" \
		"the kernel is locked down (lockdown.sh tests that case)"
	;;
*)
	klog_mark
	insmod "$mod" rom=firmware rom_file=vmi-test/sig-unverifiable.bin
	tap_ok $? "ROM with an unverifiable signature used when not locked down"
	klog_since | grep -q 'sig-unverifiable.bin: signature does not verify (-[0-9]*); used anyway, as the kernel is not locked down'
	tap_ok $? "... and the kernel log says its signature does not verify"
	unload
	;;
esac

insmod "$mod" rom=firmware rom_file=vmi-test/good.bin
tap_ok $? "good ROM accepted from a firmware file"
tap_eq "$(rd rom/source) $(rd rom/location)" "firmware vmi-test/good.bin" "ROM source is the firmware file"
unload
tap_done
