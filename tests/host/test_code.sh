#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The ROM's code under kernel IBT: mkrom decodes every instruction of the
# linked ROM and refuses any indirect jmp/call and any NOTRACK prefix.
# Checks that the real ROM passes (by mkrom and, independently, by
# objdump), that mkrom's decoder agrees with objdump instruction for
# instruction, and that ROMs with a NOTRACK jump, a plain indirect call,
# or an indirect jump hidden from a linear sweep are refused.
# Prints unnumbered "ok - name" lines; run-tap.sh numbers them.
#
#   test_code.sh MKROM ROM_ELF ROM_BIN TEST_ELF_DIR WORK_DIR

MKROM=$1 ELF=$2 BIN=$3 TDIR=$4 WORK=$5
fail=0

result() {	# result CONDITION-EXIT-CODE NAME
	if [ "$1" -eq 0 ]; then
		echo "ok - $2"
	else
		echo "not ok - $2"
		fail=1
	fi
}

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
	echo "ok - ROM code checks # SKIP objdump (binutils) not installed"
	exit 0
fi

# The real ROM
"$MKROM" "$ELF" "$WORK/rom.bin" >"$WORK/rom.out" 2>&1 && cmp -s "$WORK/rom.bin" "$BIN"
result $? "mkrom accepts the real ROM's code and rebuilds the same image ($(cat "$WORK/rom.out"))"

disasm "$ELF" >"$WORK/rom.dis"
bad=$(grep -cE 'notrack|(jmp|call)q? +\*|(ljmp|lcall)|\(bad\)' "$WORK/rom.dis")
[ "$bad" -eq 0 ] && [ "$(wc -l <"$WORK/rom.dis")" -gt 100 ]
result $? "objdump: no indirect jmp/call and no notrack in the real ROM's code ($bad found)"
[ "$bad" -eq 0 ] || grep -E 'notrack|(jmp|call)q? +\*|(ljmp|lcall)|\(bad\)' "$WORK/rom.dis" | head -5 | sed 's/^/# /'

same_insns "$ELF" rom
result $? "mkrom's decoder finds objdump's $n instruction boundaries in the real ROM"
same_insns "$TDIR/insns.elf" zoo
result $? "mkrom's decoder finds objdump's $n instruction boundaries in insns.S (every form it accepts)"

# ROMs mkrom must refuse: exit 1, the reason on stderr, no image written
refused() {	# refused NAME MESSAGE-REGEX DESCRIPTION
	rm -f "$WORK/$1.bin"
	"$MKROM" "$TDIR/$1.elf" "$WORK/$1.bin" >/dev/null 2>"$WORK/$1.err"; rc=$?
	[ $rc -eq 1 ] && grep -qE "$2" "$WORK/$1.err" && [ ! -e "$WORK/$1.bin" ]
	result $? "mkrom refuses $3 ($(cat "$WORK/$1.err"))"
}
refused notrack 'NOTRACK prefix at 0x[0-9a-f]+ \(bad_notrack\+0x4\)' \
	"a ROM with 'notrack jmp *%rax'"
refused indirect 'indirect call/jmp at 0x[0-9a-f]+ \(bad_indirect\+0x4\)' \
	"a ROM with a plain 'call *%rax'"
refused desync 'branch at 0x[0-9a-f]+ \(bad_desync\+0x4\) goes to 0x[0-9a-f]+, which is not an instruction' \
	"a ROM whose 'jmp *%rax' hides inside a data byte's mov"
exit $fail
