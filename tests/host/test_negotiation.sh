#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Version negotiation (docs/abi.md, "Versions") as vmirom does it, and the
# ROMs of older minors (make rom VMI_ROM_MINOR=n):
# - vmirom info on the ROM built for each MINOR lists exactly the calls
#   that minor defines (docs/abi.md's numbering: 3.0 has 0-73, 3.n adds
#   73 + n), says the later ones are not asked, and its probe asked the
#   ROM for nothing past them;
# - the code of a later call is not in that ROM's image (its ELF has no
#   such function), and is in the newest;
# - a copy of the newest ROM whose header says another minor (the byte
#   at 0x0C changed, the checksum fixed: vmirom check accepts it) makes
#   vmirom ask nothing past that minor's calls; one that says a minor
#   newer than vmirom knows gets the calls vmirom knows, and says so;
#   another major is refused as before;
# - a MINOR past 15 is a ROM from the future (make rom VMI_ROM_FUTURE=m),
#   whose GetRelocationInfo answers two numbers past the last call:
#   vmirom lists and asks the calls it knows and nothing past them, and
#   says so;
# - make rom refuses a minor it cannot build, building nothing.
# Prints unnumbered "ok - name" lines; run-tap.sh numbers them.
#
#   test_negotiation.sh VMIROM ROM_BUILD_DIR WORK_DIR TOP MINOR...

VMIROM=$1 RB=$2 WORK=$3 TOP=$4
shift 4
. "$(dirname "$0")/../lib/tap.sh"
rm -rf "$WORK" && mkdir -p "$WORK" || exit 2

# calls MINOR: how many calls docs/abi.md's numbering gives 3.MINOR
calls() {
	if [ "$1" -le 13 ]; then echo $((74 + $1))
	elif [ "$1" -eq 14 ]; then echo 87
	else echo 88
	fi
}

# info_lists FILE N MINOR-SHOWN: vmirom info FILE, exit 0, rows exactly
# 0..N-1, its calls line, and asked for 0..N-1 only
info_lists() {
	"$VMIROM" info "$1" >"$WORK/info" 2>&1 || return 1
	rows=$(grep -cE '^ +[0-9]+  ' "$WORK/info")
	first=$(grep -E '^ +[0-9]+  ' "$WORK/info" | head -1 | awk '{print $1}')
	last=$(grep -E '^ +[0-9]+  ' "$WORK/info" | tail -1 | awk '{print $1}')
	[ "$rows" -eq "$2" ] && [ "$first" -eq 0 ] && [ "$last" -eq $(($2 - 1)) ] &&
		grep -qE "^calls: +0-$(($2 - 1)), those VMI 3\\.$3 defines" "$WORK/info" &&
		grep -qE "^asked: +GetRelocationInfo( and GetBackend)? for 0-$(($2 - 1)) only$" "$WORK/info"
}

# with_minor IN OUT MINOR [MAJOR]: IN with header byte 0x0C (and 0x0D)
# changed and the checksum (the last byte) fixed
with_minor() {
	perl -e '
		local $/; open(my $f, "<:raw", $ARGV[0]) or die; my $b = <$f>;
		substr($b, 0x0C, 1) = chr($ARGV[2]);
		substr($b, 0x0D, 1) = chr($ARGV[3]) if defined $ARGV[3];
		substr($b, -1, 1) = chr(0);
		my $s = 0; $s += $_ for unpack("C*", $b);
		substr($b, -1, 1) = chr((256 - $s % 256) % 256);
		open(my $o, ">:raw", $ARGV[1]) or die; print $o $b;
	' "$@"
}

# Symbols of calls the older ROMs leave out: "number symbol".
syms="74 vmi_kvm_flush_tlb_others
75 vmi_kvm_send_ipi_mask
81 vmi_kvm_register_steal_time
82 vmi_get_backend
83 vmi_kvm_register_pv_eoi
86 vmi_kvm_system_time
87 vmi_kvm_adopt_steal_time"

# code_left_out ELF N: the functions of calls N.. absent, the others there
code_left_out() {
	nm "$1" >"$WORK/nm" 2>&1 || return 1
	bad=
	echo "$syms" | { while read -r nr sym; do
		if [ "$nr" -lt "$2" ]; then
			grep -q " $sym\$" "$WORK/nm" || bad="$bad -$sym"
		else
			! grep -q " $sym\$" "$WORK/nm" || bad="$bad +$sym"
		fi
	done; [ -z "$bad" ] || { tap_diag "$1:$bad"; exit 1; }; }
}

for m in "$@"; do
	n=$(calls "$m")
	rom=$RB/vmi-rom-3.$m.bin
	if [ "$m" -gt 15 ]; then
		info_lists "$rom" 88 "$m" &&
			grep -qE "^calls: .*\(rom 3\.$m, using 3\.15: vmirom knows no later call\)\$" "$WORK/info"
		tap_ok $? "vmirom info, ROM built for the future 3.$m: the 88 calls of 3.15 listed, nothing past them asked"
		nm "$RB/3.$m/vmi-rom.elf" 2>/dev/null | grep -q ' vmi_future_call$' &&
			code_left_out "$RB/3.$m/vmi-rom.elf" 88
		tap_ok $? "ROM built for the future 3.$m: the code of every call and of the appended ones"
		continue
	fi
	info_lists "$rom" "$n" "$m"
	tap_ok $? "vmirom info, ROM built for 3.$m: calls 0..$((n - 1)) listed, nothing past them asked"
	ok=0
	if [ "$m" -lt 9 ]; then
		# no GetBackend before 3.9: no backend column, GetBackend never asked
		grep -qE '^ +0  CPUID +CALL_REL +0x[0-9a-f]{4} +-$' "$WORK/info" &&
			grep -q '^asked: *GetRelocationInfo for' "$WORK/info" || ok=1
	else
		grep -qE '^ +0  CPUID +CALL_REL +0x[0-9a-f]{4} +native$' "$WORK/info" &&
			grep -qE '^ +82  GetBackend +CALL_REL +0x[0-9a-f]{4} +rom$' "$WORK/info" || ok=1
	fi
	tap_ok $ok "vmirom info, 3.$m: the backend column $([ "$m" -lt 9 ] && echo "is - (no GetBackend before 3.9)" || echo "from GetBackend")"
	later=$n-87
	[ "$n" -eq 87 ] && later=87
	grep -qE "^calls: .*; $later came later: not asked$" "$WORK/info"
	tap_ok $? "vmirom info, 3.$m: says calls $later came later and were not asked"
	code_left_out "$RB/3.$m/vmi-rom.elf" "$n"
	tap_ok $? "ROM built for 3.$m: the code of calls $n.. is left out, that of the others is there"
done
code_left_out "$RB/vmi-rom.elf" 88
tap_ok $? "the newest ROM has the code of every call"

# Header-edited copies of the newest ROM
for m in 0 9; do
	n=$(calls "$m")
	with_minor "$RB/vmi-rom.bin" "$WORK/edit-3.$m.bin" "$m" &&
		[ "$("$VMIROM" check "$WORK/edit-3.$m.bin" 2>&1)" = OK ]
	tap_ok $? "the newest ROM with its header saying 3.$m passes vmirom check"
	info_lists "$WORK/edit-3.$m.bin" "$n" "$m"
	tap_ok $? "vmirom info, newest ROM saying 3.$m: calls 0..$((n - 1)) listed, nothing past them asked"
done
with_minor "$RB/vmi-rom.bin" "$WORK/edit-3.20.bin" 20 &&
	[ "$("$VMIROM" check "$WORK/edit-3.20.bin" 2>&1)" = OK ] &&
	info_lists "$WORK/edit-3.20.bin" 88 20 &&
	grep -qE '^calls: .*\(rom 3\.20, using 3\.15: vmirom knows no later call\)$' "$WORK/info"
tap_ok $? "a ROM saying 3.20: vmirom uses the 88 calls of 3.15 and says so"
with_minor "$RB/vmi-rom.bin" "$WORK/edit-4.15.bin" 15 4 &&
	"$VMIROM" info "$WORK/edit-4.15.bin" >"$WORK/info" 2>&1
rc=$?
[ $rc -eq 1 ] && grep -q 'major' "$WORK/info" && ! grep -q '^relocations' "$WORK/info"
tap_ok $? "a ROM saying 4.15 is refused and never run (exit $rc)"

# make rom refuses a minor it cannot build, before building anything
for bad in 16 x; do
	make -C "$TOP/rom" BUILD="$WORK/b-$bad" VMI_ROM_MINOR=$bad >"$WORK/make" 2>&1
	rc=$?
	[ $rc -ne 0 ] && grep -q "VMI_ROM_MINOR=$bad: the x86-64 ROM implements a minor from 0 to 15" "$WORK/make" &&
		[ ! -e "$WORK/b-$bad" ]
	tap_ok $? "make rom VMI_ROM_MINOR=$bad: refused, nothing built"
done
for bad in 15 256; do
	make -C "$TOP/rom" BUILD="$WORK/b-f$bad" VMI_ROM_FUTURE=$bad >"$WORK/make" 2>&1
	rc=$?
	[ $rc -ne 0 ] && grep -q "VMI_ROM_FUTURE=$bad: a future minor is past 15, up to 255" "$WORK/make" &&
		[ ! -e "$WORK/b-f$bad" ]
	tap_ok $? "make rom VMI_ROM_FUTURE=$bad: refused, nothing built"
done
make -C "$TOP/rom" BUILD="$WORK/b-both" VMI_ROM_MINOR=3 VMI_ROM_FUTURE=20 >"$WORK/make" 2>&1
rc=$?
[ $rc -ne 0 ] && grep -q "VMI_ROM_MINOR and VMI_ROM_FUTURE: one ROM at a time" "$WORK/make" &&
	[ ! -e "$WORK/b-both" ]
tap_ok $? "make rom with both VMI_ROM_MINOR and VMI_ROM_FUTURE: refused, nothing built"
rm -rf "$WORK"
tap_done
