#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The i386 ROM's image and build guards: the validator and vmirom accept
# it, it carries no relocation, bad images get a clear message, and mkrom
# refuses i386 code that would break in place (an absolute reference),
# break the caller-pops convention (ret imm16) or touch the clients' FS
# and GS (a segment prefix, a load, push and pop).
#
#   test_rom32.sh VMIROM ROM32 MKROM ROM32_ELF WORK_DIR

VMIROM=$1 ROM=$2 MKROM=$3 ELF=$4 WORK=$5
T=$(dirname "$WORK")
. "$(dirname "$0")/../lib/tap.sh"
mkdir -p "$WORK"

out=$("$VMIROM" check "$ROM" 2>&1)
[ $? -eq 0 ] && [ "$out" = "OK" ]
tap_ok $? "vmirom check accepts the i386 ROM"

out=$("$VMIROM" info "$ROM" 2>&1)
rc=$?
printf '%s\n' "$out" | grep -q '^state block: *none' &&
	printf '%s\n' "$out" | grep -q 'not probed: 32-bit code' && [ $rc -eq 0 ]
tap_ok $? "vmirom info shows the i386 header and does not run its code"

out=$(LC_ALL=C readelf -r "$ELF" 2>&1)
printf '%s\n' "$out" | grep -q 'There are no relocations in this file'
tap_ok $? "the linked i386 ROM has no relocations"

head -c 1024 "$ROM" >"$WORK/trunc.bin"
out=$("$VMIROM" check "$WORK/trunc.bin" 2>&1)
[ $? -eq 1 ] && printf '%s' "$out" | grep -q 'image truncated'
tap_ok $? "truncated i386 image: $out"

cp "$ROM" "$WORK/sum.bin"
printf '\377' | dd of="$WORK/sum.bin" bs=1 seek=600 conv=notrunc 2>/dev/null
out=$("$VMIROM" check "$WORK/sum.bin" 2>&1)
[ $? -eq 1 ] && printf '%s' "$out" | grep -q 'bad checksum'
tap_ok $? "corrupt i386 image: $out"

"$MKROM" "$ELF" "$WORK/again.bin" >/dev/null 2>&1 && cmp -s "$ROM" "$WORK/again.bin"
tap_ok $? "mkrom rebuilds the same i386 image"

for t in absref32:'dynamic relocations' retimm32:'ret imm16' \
	fsprefix32:'FS/GS use' gsmov32:'FS/GS use' pushfs32:'FS/GS use' lgs32:'FS/GS use'; do
	name=${t%%:*} msg=${t#*:}
	out=$("$MKROM" "$T/$name.elf" "$WORK/$name.bin" 2>&1)
	[ $? -ne 0 ] && printf '%s' "$out" | grep -q "$msg"
	tap_ok $? "mkrom refuses $name: $out"
done

tap_done
