#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The ROM's code under kernel IBT and the return-thunk/SLS rules: mkrom
# decodes every instruction of the linked ROM and refuses any indirect
# jmp/call, any NOTRACK prefix and any ret outside the ROM's return thunk,
# and lists every jump to that thunk in the image's return-site table.
# Checks that the real ROM passes (by mkrom and, independently, by
# objdump), that its table holds exactly the sites objdump sees, that
# mkrom's decoder agrees with objdump instruction for instruction (in
# the i386 ROM and insns32.S too, in 32-bit mode), and that ROMs with a NOTRACK jump, a plain indirect call, an indirect jump
# hidden from a linear sweep, or a bare ret are refused.
# TAP through tests/lib/tap.sh; run-tap.sh numbers it into one stream.
#
#   test_code.sh MKROM ROM_ELF ROM_BIN TEST_ELF_DIR WORK_DIR

MKROM=$1 ELF=$2 BIN=$3 TDIR=$4 WORK=$5
. "$(dirname "$0")/../lib/tap.sh"

sym() {		# sym ELF NAME: the symbol's value, hex without 0x
	nm "$1" | awk -v n="$2" '$3 == n { print $1 }'
}

# objdump's disassembly of ELF's code, one instruction per line
disasm() {
	objdump -d --insn-width=16 --start-address=0x"$(sym "$1" __rom_text_start)" \
		--stop-address=0x"$(sym "$1" __rom_text_end)" "$1"
}

# mkrom's and objdump's instruction starts over ELF's code are the same
same_insns() {	# same_insns ELF TAG; sets n to objdump's count
	disasm "$1" | awk -F: '/^ *[0-9a-f]+:\t/ { gsub(/ /, "", $1); print $1 }' \
		>"$WORK/$2.objdump"
	n=$(wc -l <"$WORK/$2.objdump")
	"$MKROM" --insns "$1" >"$WORK/$2.mkrom" 2>"$WORK/$2.err" || return 1
	[ "$n" -gt 100 ] && awk '{ print $1 }' "$WORK/$2.mkrom" |
		cmp -s - "$WORK/$2.objdump"
}

if ! command -v objdump >/dev/null; then
	tap_skip "ROM code checks" "objdump (binutils) not installed"
	tap_done
fi

# The real ROM
"$MKROM" "$ELF" "$WORK/rom.bin" >"$WORK/rom.out" 2>&1 && cmp -s "$WORK/rom.bin" "$BIN"
tap_ok $? "mkrom accepts the real ROM's code and rebuilds the same image ($(cat "$WORK/rom.out"))"

disasm "$ELF" >"$WORK/rom.dis"
bad=$(grep -cE 'notrack|(jmp|call)q? +\*|(ljmp|lcall)|\(bad\)' "$WORK/rom.dis")
[ "$bad" -eq 0 ] && [ "$(wc -l <"$WORK/rom.dis")" -gt 100 ]
tap_ok $? "objdump: no indirect jmp/call and no notrack in the real ROM's code ($bad found)"
[ "$bad" -eq 0 ] || grep -E 'notrack|(jmp|call)q? +\*|(ljmp|lcall)|\(bad\)' "$WORK/rom.dis" | head -5 | sed 's/^/# /'

# Returns: one ret in the code, the thunk's; the table lists every jump
# to the thunk (objdump's view) and nothing else
thunk=$(sym "$ELF" __x86_return_thunk)
tab=$(printf '\t')
rets=$(grep -E "${tab}ret *\$" "$WORK/rom.dis" | awk -F: '{ gsub(/ /, "", $1); print $1 }')
[ -n "$thunk" ] && [ "$rets" = "$(printf '%x' 0x"$thunk")" ]
tap_ok $? "objdump: the only ret in the real ROM's code is __x86_return_thunk's (rets at: $(echo $rets))"
# (objdump lines: "addr:<TAB>bytes<TAB>mnemonic operands")
grep -E '<__x86_return_thunk>$' "$WORK/rom.dis" |
	awk -F'\t' '$NF !~ /^j[a-z]* / { print "# not a jmp/jcc: " $0 }' >"$WORK/thunk-other"
grep -E '<__x86_return_thunk>$' "$WORK/rom.dis" |
	awk -F'\t' '$NF ~ /^j[a-z]* / { sub(/:.*/, "", $1); gsub(/ /, "", $1); print $1 }' \
	>"$WORK/sites.objdump"
u32() {		# u32 FILE OFFSET: little-endian u32 at OFFSET, decimal
	od -An -tu4 -j "$2" -N4 "$1" | tr -d ' '
}
table=0 count=0
if [ -s "$BIN" ]; then
	table=$(u32 "$BIN" 36)
	count=$(u32 "$BIN" $((table + 8)))
fi
i=0
: >"$WORK/sites.table"
while [ "$i" -lt "$count" ]; do
	printf '%x\n' "$(u32 "$BIN" $((table + 12 + 4 * i)))" >>"$WORK/sites.table"
	i=$((i + 1))
done
[ "$table" -gt 0 ] && [ "$(u32 "$BIN" "$table")" -eq 1398031698 ] &&
	[ "$(printf '%x' "$(u32 "$BIN" $((table + 4)))")" = "$(printf '%x' 0x"$thunk")" ] &&
	[ "$count" -gt 50 ] && [ ! -s "$WORK/thunk-other" ] &&
	cmp -s "$WORK/sites.table" "$WORK/sites.objdump"
tap_ok $? "the image's return-site table lists the $count jmp/jcc to __x86_return_thunk objdump finds, and only those"
cat "$WORK/thunk-other"

# SpinWait clears CPU buffers before each of its two HLTs (the flag is
# tested at run time; test_rom.c checks Halt's bytes)
objdump -d --insn-width=16 --disassemble=vmi_kvm_spin_wait "$ELF" >"$WORK/spin.dis"
verws=$(grep -cE "${tab}verw .*<vmi_verw_sel>\$" "$WORK/spin.dis")
hlts=$(grep -cE "${tab}hlt *\$" "$WORK/spin.dis")
awk -F'\t' '$NF ~ /^(verw|hlt)/ { print substr($NF, 1, 4) }' "$WORK/spin.dis" | tr '\n' ' ' >"$WORK/spin.seq"
[ "$verws" -eq 2 ] && [ "$hlts" -eq 2 ] && [ "$(cat "$WORK/spin.seq")" = "verw hlt verw hlt " ]
tap_ok $? "objdump: SpinWait has a VERW of vmi_verw_sel before each HLT ($(cat "$WORK/spin.seq"))"

same_insns "$ELF" rom
tap_ok $? "mkrom's decoder finds objdump's $n instruction boundaries in the real ROM"
same_insns "$TDIR/insns.elf" zoo
tap_ok $? "mkrom's decoder finds objdump's $n instruction boundaries in insns.S (every form it accepts)"
# The same in 32-bit mode: the i386 ROM and insns32.S
ELF32=$(dirname "$ELF")/vmi-rom-i386.elf
same_insns "$ELF32" rom32
tap_ok $? "mkrom's decoder finds objdump's $n instruction boundaries in the i386 ROM"
same_insns "$TDIR/insns32.elf" zoo32
tap_ok $? "mkrom's decoder finds objdump's $n instruction boundaries in insns32.S (32-bit forms)"

# ROMs mkrom must refuse: exit 1, the reason on stderr, no image written
refused() {	# refused NAME MESSAGE-REGEX DESCRIPTION
	rm -f "$WORK/$1.bin"
	"$MKROM" "$TDIR/$1.elf" "$WORK/$1.bin" >/dev/null 2>"$WORK/$1.err"; rc=$?
	[ $rc -eq 1 ] && grep -qE "$2" "$WORK/$1.err" && [ ! -e "$WORK/$1.bin" ]
	tap_ok $? "mkrom refuses $3 ($(cat "$WORK/$1.err"))"
}
refused notrack 'NOTRACK prefix at 0x[0-9a-f]+ \(bad_notrack\+0x4\)' \
	"a ROM with 'notrack jmp *%rax'"
refused indirect 'indirect call/jmp at 0x[0-9a-f]+ \(bad_indirect\+0x4\)' \
	"a ROM with a plain 'call *%rax'"
refused desync 'branch at 0x[0-9a-f]+ \(bad_desync\+0x4\) goes to 0x[0-9a-f]+, which is not an instruction' \
	"a ROM whose 'jmp *%rax' hides inside a data byte's mov"
refused bareret 'bare ret at 0x[0-9a-f]+ \(bad_bareret\+0x6\)' \
	"a ROM with a plain 'ret' outside its return thunk"
tap_done
