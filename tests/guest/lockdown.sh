#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# lockdown.sh --expect-module refused|signed | --raise [--option-rom]
# On a kernel locked down for integrity (booted with lockdown=integrity),
# the shim runs only authenticated code and obeys only authenticated
# tables (module/romload/trust.c):
#   refused  the module itself is unsigned (any Debian kernel: only Debian
#            holds its key): the kernel must refuse it, and nothing loads.
#   signed   the module was signed with the kernel's own key
#            (tools/sign-guest-files, kernel 6.1-debug): it loads with the
#            built-in ROM; an unsigned ROM file, an option-less rom=auto
#            with an unsigned file, a ROM signed by an unknown key, a
#            tampered or malformed signed ROM and an unsigned site table
#            are refused with zero bytes of kernel text changed; a ROM and
#            a site table signed with the trusted key are accepted.
#   --raise  the kernel boots unlocked and the (unsigned) shim loads with
#            its built-in ROM and routes ops; then lockdown is raised to
#            integrity, as an administrator may at any time, and a live
#            ROM swap must obey it: an unsigned firmware file, an unsigned
#            image written to rom/image ("vmictl rom swap FILE") and, with
#            --option-rom (the job gives the guest one), the option ROM
#            are refused with the ROM, the swap count, the ops and the
#            kernel text unchanged; the built-in ROM, part of the module
#            the kernel accepted, is swapped to; the unload restores and
#            proves every byte. Lockdown cannot be lowered until the next
#            boot: for the rig's throwaway guests only (the selftests on
#            an operator's VM never raise it).
. "$(dirname "$0")/lib/tap.sh"
. "$(dirname "$0")/lib/shim.sh"

expect= option_rom=
while [ $# -gt 0 ]; do
	case $1 in
	--expect-module) expect=$2; shift ;;
	--raise) expect=raise ;;
	--option-rom) option_rom=1 ;;
	esac
	shift
done
sys=$SHIM_SYS
signed=$VMI_DIR/signed
rd() { cat "$sys/$1" 2>/dev/null; }

# --raise: lockdown raised under a loaded shim; a swap must obey it.
lockdown_raise() {
	lk=/sys/kernel/security/lockdown
	case $level in
	*"[none]"*) ;;
	*)
		tap_skip "lockdown raised under a loaded shim" \
			"the kernel is already locked down or has no lockdown LSM (${level:-no $lk})"
		return
		;;
	esac
	insmod "$SHIM_MOD" rom=builtin mode=full
	tap_ok $? "insmod rom=builtin mode=full, before lockdown"
	routed=$(rd ops_routed)
	[ "${routed:-0}" -gt 0 ]
	tap_ok $? "ops routed ($routed)"
	mkdir -p /lib/firmware/vmi-test
	cp "$VMI_ROMS"/good.bin /lib/firmware/vmi-test/good.bin
	echo integrity >$lk
	tap_ok $? "lockdown raised to integrity"
	tap_eq "$(grep -o '\[[a-z]*\]' $lk)" "[integrity]" "the kernel is now locked down for integrity"
	state() {
		echo "$(rd rom/source) $(rd rom/version) $(rd rom/swaps) $(rd ops_routed) $(rd routing)"
		grep -v '^#' "$SHIM_DBG/ops" | awk '{ print $1, $3, $5 }'
	}
	before=$(state)
	text0=$(shim_text_crc_loaded)
	tap_ok $? "the kernel text's CRC, read from the loaded shim ($text0)"
	refused() { # NAME LOG CMD...
		name=$1 log=$2
		shift 2
		klog_mark
		! "$@" >/dev/null 2>&1
		tap_ok $? "$name: refused"
		klog_since | grep -q "vmi_shim: .*$log"
		tap_ok $? "$name: the log says why ($log)"
		tap_eq "$(state)" "$before" "$name: ROM, swap count and ops as before"
	}
	swap_w() { printf '%s\n' "$1" >"$SHIM_SYS/rom/swap"; }
	refused "a swap to an unsigned firmware file under lockdown" \
		"firmware vmi-test/good.bin is not signed and the kernel is locked down: not used" \
		swap_w "firmware vmi-test/good.bin"
	refused "vmictl rom swap FILE (an unsigned image in rom/image) under lockdown" \
		"image of [0-9]* bytes in rom/image is not signed and the kernel is locked down: not used" \
		vmictl rom swap "$VMI_ROMS/good.bin"
	if [ -n "$option_rom" ]; then
		refused "a swap to the option ROM under lockdown" \
			"option ROM at 0x[0-9a-f]* cannot carry a signature and the kernel is locked down: not used" \
			swap_w option
	else
		tap_skip "a swap to the option ROM under lockdown" "the job gives the guest no option ROM (--option-rom)"
	fi
	tap_eq "$(shim_text_crc_loaded)" "$text0" "kernel text unchanged by the refused swaps"
	klog_mark
	swap_w builtin
	tap_ok $? "a swap to the built-in ROM under lockdown is accepted"
	tap_eq "$(rd rom/source) $(rd rom/swaps)" "builtin 1" "... it is in force (rom/source, rom/swaps)"
	klog_since | grep -q 'vmi_shim: ROM swapped: '
	tap_ok $? "... and the log says the ROM swapped"
	tap_eq "$(rd ops_routed)" "$routed" "... with every op still routed"
	shim_unload
	tap_ok $? "unload under lockdown (routing off, proven; then rmmod)"
	! grep -q '^vmi_shim ' /proc/modules
	tap_ok $? "nothing of the shim is left"
}

[ -e /sys/kernel/security/lockdown ] ||
	mount -t securityfs securityfs /sys/kernel/security 2>/dev/null
level=$(cat /sys/kernel/security/lockdown 2>/dev/null)
if [ -z "$level" ]; then
	# No securityfs in this kernel: the lockdown LSM said it at boot.
	level=$(dmesg | sed -n 's/.*\(Kernel is locked down from .*\); see.*/\1/p' | head -1)
	grep -qw 'lockdown=\(integrity\|confidentiality\)' /proc/cmdline &&
		[ -n "$level" ] && level="[integrity] ($level)"
fi
tap_diag "lockdown: ${level:-not locked down}"
if [ "$expect" = raise ]; then
	lockdown_raise
	tap_done
fi
case $level in *"[integrity]"* | *"[confidentiality]"*) r=0 ;; *) r=1 ;; esac
tap_ok $r "the kernel is locked down for integrity"

if [ "$expect" = refused ]; then
	klog_mark
	insmod "$SHIM_MOD" 2>/tmp/insmod.err
	r=$?
	tap_diag "insmod: $(cat /tmp/insmod.err)"
	[ $r -ne 0 ]
	tap_ok $? "the kernel refuses the unsigned vmi_shim.ko"
	! grep -q '^vmi_shim ' /proc/modules && [ ! -e "$sys" ]
	tap_ok $? "nothing of the shim is loaded"
	klog_since | grep -q 'Lockdown: .*unsigned module loading is restricted'
	tap_ok $? "the kernel log names lockdown as the reason"
	tap_done
fi

# The module is signed: it must load, with what may be trusted.
crc0=$(shim_text_crc)
tap_ok $? "the signed shim loads (mode=off reads the text crc: $crc0)"
# a refusal must leave every byte of kernel text as it was
unchanged() {
	crc=$(shim_text_crc)
	[ "$crc" = "$crc0" ]
	tap_ok $? "$1: kernel text unchanged (crc $crc)"
}

insmod "$SHIM_MOD" rom=builtin
tap_ok $? "insmod rom=builtin"
tap_eq "$(rd rom/source)" builtin "the built-in ROM is installed"
shim_unload
tap_ok $? "unload"

mkdir -p /lib/firmware/vmi-test
cp "$VMI_ROMS"/good.bin /lib/firmware/vmi-test/good.bin
shim_refused "rom=firmware rom_file=vmi-test/good.bin" \
	"firmware vmi-test/good.bin is not signed and the kernel is locked down: not used" \
	"an unsigned ROM file is refused"
unchanged "after the unsigned ROM"

# rom=auto passes over the unsigned file (the default rom_file, where
# the vmi-shim package installs it: a file already there, on a system
# with the package, is the same unsigned ROM and is left as it is) to
# the built-in copy
pkg_rom=/lib/firmware/vmi-shim/vmi-rom.bin
made_rom=
if [ ! -e $pkg_rom ]; then
	mkdir -p /lib/firmware/vmi-shim
	cp "$VMI_ROMS"/good.bin $pkg_rom
	made_rom=1
fi
klog_mark
insmod "$SHIM_MOD" rom=auto
tap_ok $? "insmod rom=auto with an unsigned vmi-rom.bin"
tap_eq "$(rd rom/source)" builtin "rom=auto uses the built-in ROM"
klog_since | grep -q 'rom=auto: the kernel is locked down, going on to the next source'
tap_ok $? "rom=auto says why it passed over the file"
shim_unload
[ -n "$made_rom" ] && rm -f $pkg_rom

for f in rom-trusted rom-untrusted rom-tampered rom-badtrailer sites-trusted; do
	[ -e "$signed/$f.bin" ] && cp "$signed/$f.bin" /lib/firmware/vmi-test/
done
if [ -e "$signed/rom-trusted.bin" ]; then
	klog_mark
	insmod "$SHIM_MOD" rom=firmware rom_file=vmi-test/rom-trusted.bin
	tap_ok $? "a ROM file signed with the trusted key is accepted"
	tap_eq "$(rd rom/source)" firmware "it is the ROM installed"
	klog_since | grep -q 'firmware vmi-test/rom-trusted.bin: signature verified by a trusted key'
	tap_ok $? "the kernel log says its signature verified"
	shim_unload
	tap_ok $? "unload"

	shim_refused "rom=firmware rom_file=vmi-test/rom-untrusted.bin" \
		"rom-untrusted.bin: signature does not verify .* locked down: refused" \
		"a ROM signed with an unknown key is refused"
	shim_refused "rom=firmware rom_file=vmi-test/rom-tampered.bin" \
		"rom-tampered.bin: signature does not verify .* locked down: refused" \
		"a signed ROM changed after signing is refused"
	shim_refused "rom=firmware rom_file=vmi-test/rom-badtrailer.bin" \
		"rom-badtrailer.bin: malformed appended signature: refused" \
		"a malformed signature trailer is refused"
	unchanged "after the refused signed ROMs"
else
	for t in "a ROM file signed with the trusted key is accepted" \
		"a ROM signed with an unknown key is refused" \
		"a signed ROM changed after signing is refused" \
		"a malformed signature trailer is refused"; do
		tap_skip "$t" "no signed ROMs in $signed (tools/sign-guest-files: this kernel's key is not here)"
	done
fi

vmi-sites extract -q -o $SHIM_FW/vmi-test/sites.bin
tap_ok $? "vmi-sites extracts the table from /boot/vmlinuz-$(uname -r)"
shim_refused "mode=full sites=vmi-test/sites.bin" \
	"site table vmi-test/sites.bin is not signed and the kernel is locked down: not used" \
	"an unsigned site table is refused"
vmi-sites modules -q -o $SHIM_FW/vmi-test/modsites.bin --ko-dir "$VMI_MODULES" >/dev/null 2>&1
shim_refused "mode=full modsites=vmi-test/modsites.bin" \
	"site table vmi-test/modsites.bin is not signed and the kernel is locked down: not used" \
	"an unsigned module site table is refused"
unchanged "after the refused tables"

if [ -e /lib/firmware/vmi-test/sites-trusted.bin ]; then
	t=$SHIM_FW/vmi-test/sites-trusted.bin
	klog_mark
	insmod "$SHIM_MOD" mode=full sites=${t#$SHIM_FW/}
	tap_ok $? "a site table signed with the trusted key is accepted"
	klog_since | grep -q "site table ${t#$SHIM_FW/}: signature verified by a trusted key"
	tap_ok $? "the kernel log says its signature verified"
	p=$(rd sites/patched)
	[ "${p:-0}" -gt 0 ]
	tap_ok $? "its call sites are re-patched ($p)"
	shim_unload
	tap_ok $? "unload (routing off, then rmmod)"
	unchanged "after the signed table's load and unload"
else
	tap_skip "a site table signed with the trusted key is accepted" \
		"no signed table in $signed"
fi
tap_done
