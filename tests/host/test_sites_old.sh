#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# vmi-sites on the tables of kernels older than 6.1, from tiny synthetic
# objects (fake_vmlinux.S, fake_ko.S): up to 5.10 the last
# .parainstructions entry is 12 bytes on x86_64 and a call is
# "ff 14 25" (call *abs32, R_X86_64_32S); up to 4.19 the calls, an
# image's and a module's, read pv_time_ops / pv_cpu_ops / pv_irq_ops ...
# instead of pv_ops. Each old form must give the table its 6.1 twin
# gives, and each malformed one a clear refusal. Prints unnumbered
# "ok - name" lines.
#
#   test_sites_old.sh VMI_SITES SRC_DIR WORK_DIR

VS=$1 SRC=$2 W=$3
. "$(dirname "$0")/../lib/tap.sh"

rm -rf "$W" && mkdir -p "$W" || exit 1
OUT=$W/out

# vmlinux VARIANT CC-FLAGS...: link fake_vmlinux.S as fuzz-seeds.sh does
vmlinux() {
	v=$1
	shift
	case " $* " in
	*" -m32 "*) base=0xc1000000 emu=elf_i386 ;;
	*) base=0xffffffff81000000 emu=elf_x86_64 ;;
	esac
	cc "$@" -c -o "$W/$v.o" "$SRC/fake_vmlinux.S" &&
	sed "s/LINK_BASE/$base/" "$SRC/fake_vmlinux.lds" >"$W/$v.lds" &&
	ld -m $emu -s -T "$W/$v.lds" -o "$W/$v" "$W/$v.o" 2>>"$W/ld.log"
}
# hexsize FILE SECTION: its size, hex digits
hexsize() { readelf -SW "$1" | awk -v s="$2" '{ for (i = 1; i < NF; i++) if ($i == s) print $(i + 4) }'; }
# resize FILE SECTION BYTES: the section cut (or zero-extended) to BYTES
resize() {
	objcopy -O binary --only-section="$2" "$1" "$W/sec.bin" &&
	head -c "$3" "$W/sec.bin" >"$W/sec.cut" &&
	if [ "$(stat -c %s "$W/sec.cut")" -lt "$3" ]; then
		head -c $(($3 - $(stat -c %s "$W/sec.cut"))) /dev/zero >>"$W/sec.cut"
	fi &&
	objcopy --update-section "$2=$W/sec.cut" "$1" "$W/resized"
}
# refused NAME MESSAGE CMD...: exit 1 and MESSAGE on stderr
refused() {
	name=$1 msg=$2
	shift 2
	"$@" >/dev/null 2>"$OUT"
	rc=$?
	[ $rc -eq 1 ] && grep -qF -- "$msg" "$OUT"
	r=$?
	[ $r -eq 0 ] || { echo "# exit $rc, want 1 and '$msg':"; sed 's/^/#   /' "$OUT"; }
	tap_ok $r "$name: $(head -1 "$OUT" | sed 's/^vmi-sites: [^:]*: //')"
}

# --- vmlinux -----------------------------------------------------------------
vmlinux new64 && vmlinux old64 -DUNPADDED -DABS_CALL &&
	vmlinux new32 -m32 && vmlinux old32 -m32 -DUNPADDED
tap_ok $? "fake vmlinux built: 6.1 and <= 5.10 forms, x86_64 and i386"

for a in 64 32; do
	es=$((a == 64 ? 16 : 8))
	sz=$((0x$(hexsize "$W/old$a" .parainstructions)))
	want=$((a == 64 ? 5 * 16 - 4 : 5 * 8))
	[ "$sz" = "$want" ]
	tap_ok $? "i$a <= 5.10 .parainstructions: $sz bytes (5 entries, the last unpadded)"
	"$VS" extract -o "$W/new$a.sites" "$W/new$a" >/dev/null 2>"$OUT" &&
		"$VS" extract -o "$W/old$a.sites" "$W/old$a" >/dev/null 2>>"$OUT" &&
		"$VS" list "$W/new$a.sites" | awk '{print $3}' >"$W/new$a.list" &&
		"$VS" list "$W/old$a.sites" | awk '{print $3}' >"$W/old$a.list" &&
		cmp -s "$W/new$a.list" "$W/old$a.list" && [ "$(wc -l <"$W/old$a.list")" = 5 ]
	r=$?
	[ $r -eq 0 ] || sed 's/^/#   /' "$OUT"
	tap_ok $r "i$a: the <= 5.10 layout gives the 6.1 table's slots, site by site ($es-byte stride)"
done

"$VS" extract -o "$W/old64.sites" "$W/old64" 2>"$OUT" >/dev/null
pv=$("$VS" info "$W/old64.sites" | awk '$1 == "pv_ops" {print $2}')
# no warning: the calls' pv_ops is the one in __ksymtab
[ -n "$pv" ] && [ "$pv" != 0 ] && ! grep -q warning "$OUT" &&
	grep -q "1 not calls" "$OUT" &&
	"$VS" check --kind parainstr --ptr-size 8 "$W/old64.sites" >/dev/null 2>&1
tap_ok $? "x86_64 ff 14 25 calls: decoded, pv_ops $pv as in __ksymtab, check ok"

# set_type IMAGE OCTAL: $W/badtype, IMAGE with the type byte of site 1
# (the second 16-byte entry; the type at offset 8) made OCTAL
set_type() {
	objcopy -O binary --only-section=.parainstructions "$1" "$W/pi.bin" &&
		printf "\\$2" | dd of="$W/pi.bin" bs=1 seek=$((16 + 8)) conv=notrunc status=none &&
		objcopy --update-section ".parainstructions=$W/pi.bin" "$1" "$W/badtype"
}

# a type byte that disagrees with its ff 14 25 call: the check sees it
set_type "$W/old64" 004
refused "x86_64: a type that is not the slot an ff 14 25 call reads" \
	"site bytes are not the pv_ops call" "$VS" extract -o "$W/x" "$W/badtype"

# --- up to 4.19: the calls read the template's members -----------------------
vmlinux split64 -DUNPADDED -DSPLIT_PV
"$VS" extract -o "$W/split64.sites" "$W/split64" >/dev/null 2>"$OUT" &&
	"$VS" list "$W/split64.sites" | awk '{print $3}' | cmp -s "$W/new64.list" - &&
	! grep -q warning "$OUT" &&
	grep -q "calls read 3 globals" "$OUT" &&
	grep -q ": pv_time_ops at 0x[0-9a-f]*, template slot 1$" "$OUT" &&
	grep -q ": pv_cpu_ops at 0x[0-9a-f]*, template slot 3$" "$OUT" &&
	grep -q ": pv_irq_ops at 0x[0-9a-f]*, template slot 7$" "$OUT"
r=$?
[ $r -eq 0 ] || sed 's/^/#   /' "$OUT"
tap_ok $r "x86_64 <= 4.19: calls through pv_time_ops, pv_cpu_ops, pv_irq_ops give the 6.1 table's slots, each global named from __ksymtab's { value, name }"
"$VS" info "$W/split64.sites" >"$OUT" &&
	grep -q "^globals     3," "$OUT" && ! grep -q "^pv_ops" "$OUT" &&
	"$VS" check --kind parainstr "$W/split64.sites" | grep -q "ok: 5 parainstr sites for 6.1.0-fuzz, calls read 3 globals$"
tap_ok $? "x86_64 <= 4.19: info lists the 3 globals, check says ok"

# site 1's type 3 (pv_cpu_ops) made 1, the slot pv_time_ops' call has
set_type "$W/split64" 001
refused "x86_64 <= 4.19: a type in another global's slots" \
	"site bytes are not the pv_ops call" "$VS" extract -o "$W/x" "$W/badtype"

for cut in 4 8 11 13; do
	resize "$W/old64" .parainstructions $((4 * 16 + cut))
	refused "x86_64: .parainstructions of 4 entries + $cut bytes" \
		"not whole 16-byte struct paravirt_patch_site entries (the last one 16 or 12 bytes)" \
		"$VS" extract -o "$W/x" "$W/resized"
done
resize "$W/old32" .parainstructions 36
refused "i386: .parainstructions of 36 bytes (no short last entry on i386)" \
	"not a multiple of the 8-byte struct paravirt_patch_site" \
	"$VS" extract -o "$W/x" "$W/resized"
resize "$W/old64" .parainstructions 12
"$VS" extract -o "$W/x" "$W/resized" >/dev/null 2>"$OUT"
r=$?
[ $r -eq 0 ] && [ "$("$VS" list "$W/x" | wc -l)" = 1 ]
tap_ok $? "x86_64: a 12-byte .parainstructions is one entry (exit $r)"

# --- modules -----------------------------------------------------------------
# ko VARIANT CC-FLAGS...: fake_ko.S as a module named fake_para, with a
# fake /sys/module/fake_para like fuzz-seeds.sh's
SYS=$W/sys
mkdir -p "$SYS/module/fake_para/sections" "$SYS/module/fake_para/notes" "$W/none"
echo 0xffffffffc0002000 >"$SYS/module/fake_para/sections/.text"
echo 0xffffffffc0003000 >"$SYS/module/fake_para/sections/.text.unlikely"
ko() {
	v=$1
	shift
	cc "$@" -c -o "$W/$v.ko" "$SRC/fake_ko.S" &&
	objcopy -O binary -j .note.gnu.build-id "$W/$v.ko" \
		"$SYS/module/fake_para/notes/.note.gnu.build-id"
}
# mods KO OUT: vmi-sites modules on one .ko
mods() {
	objcopy -O binary -j .note.gnu.build-id "$1" \
		"$SYS/module/fake_para/notes/.note.gnu.build-id"
	"$VS" modules -q --sysfs "$SYS" --release 6.1.0-fuzz --ko-dir "$W/none" \
		--ko "$1" -o "$2" fake_para
}
ko new && ko old510 -DUNPADDED -DABS_CALL && ko old419 -DUNPADDED -DSPLIT_PV
tap_ok $? "fake modules built: 6.1, 5.10 (pv_ops, ff 14 25), 4.19 (pv_cpu_ops ..., ff 14 25)"
[ "$((0x$(hexsize "$W/old419.ko" .parainstructions)))" = $((6 * 16 - 4)) ] &&
	readelf -rW "$W/old419.ko" | grep -q 'R_X86_64_32S.*pv_cpu_ops + 0' &&
	readelf -rW "$W/old419.ko" | grep -q 'R_X86_64_32S.*pv_irq_ops + 0' &&
	readelf -rW "$W/old419.ko" | grep -q 'R_X86_64_32S.*pv_time_ops + 8'
tap_ok $? "4.19 module: 6 entries in 92 bytes, calls relocated against pv_time_ops, pv_cpu_ops, pv_irq_ops"

mods "$W/new.ko" "$W/new.modsites" 2>"$OUT" && "$VS" list "$W/new.modsites" >"$W/new.mlist"
for v in old510 old419; do
	mods "$W/$v.ko" "$W/$v.modsites" 2>"$OUT" &&
		"$VS" list "$W/$v.modsites" | awk '{print $1, $4}' >"$W/$v.mlist" &&
		awk '{print $1, $4}' "$W/new.mlist" | cmp -s - "$W/$v.mlist" &&
		[ "$(wc -l <"$W/$v.mlist")" = 4 ] &&
		! "$VS" list "$W/$v.modsites" | awk '$3 != 7' | grep -q .
	r=$?
	[ $r -eq 0 ] || sed 's/^/#   /' "$OUT"
	tap_ok $r "$v module: the 6.1 module's slots, site by site, 7-byte calls"
done

# mutate NAME MESSAGE OBJCOPY-ARGS: the 4.19 module changed, refused
mutate() {
	name=$1 msg=$2
	shift 2
	objcopy "$@" "$W/old419.ko" "$W/bad.ko" || { tap_ok 1 "$name: objcopy $*"; return; }
	refused "4.19 module: $name" "$msg" mods "$W/bad.ko" "$W/x"
}
mutate "a call through pv_info" "no R_X86_64_32S relocation against" \
	--redefine-sym pv_irq_ops=pv_info
mutate "a call through pv_init_ops" "no R_X86_64_32S relocation against" \
	--redefine-sym pv_irq_ops=pv_init_ops
mutate "pv_cpu_ops at two slots" "put pv_cpu_ops at slot 7, other sites at slot 3" \
	--redefine-sym pv_irq_ops=pv_cpu_ops
mutate "pv_irq_ops before the slots of its members" \
	"pointer 0 of pv_irq_ops, member 3 of struct paravirt_patch_template" \
	--redefine-sym pv_time_ops=pv_irq_ops --redefine-sym pv_irq_ops=pv_time_ops
mutate "globals out of the template's order" \
	"sites through pv_cpu_ops reach slot 7, but pv_irq_ops starts at slot 3" \
	--redefine-sym pv_cpu_ops=pv_irq_ops --redefine-sym pv_irq_ops=pv_cpu_ops
mutate "pv_ops and pv_cpu_ops in one module" "calls through both" \
	--redefine-sym pv_time_ops=pv_ops

# an addend that is not a pointer: +4 on the first R_X86_64_32S
python3 - "$W/old419.ko" "$W/bad.ko" <<'EOF' || tap_ok 1 "4.19 module: addend patch"
import struct, sys
d = bytearray(open(sys.argv[1], 'rb').read())
shoff, = struct.unpack_from('<Q', d, 40)
shnum, = struct.unpack_from('<H', d, 60)
for i in range(shnum):
    typ, = struct.unpack_from('<I', d, shoff + i * 64 + 4)
    off, size = struct.unpack_from('<QQ', d, shoff + i * 64 + 24)
    if typ != 4:                                    # SHT_RELA
        continue
    for o in range(off, off + size, 24):
        info, add = struct.unpack_from('<Qq', d, o + 8)
        if info & 0xffffffff == 11 and add == 0:    # R_X86_64_32S
            struct.pack_into('<q', d, o + 16, add + 4)
            open(sys.argv[2], 'wb').write(d)
            sys.exit(0)
sys.exit(1)
EOF
refused "4.19 module: a call into the middle of a pointer" "not a pointer in it" \
	mods "$W/bad.ko" "$W/x"

for cut in 88 94; do
	resize "$W/old510.ko" .parainstructions $cut
	refused "5.10 module: .parainstructions of $cut bytes" \
		"not whole 16-byte struct paravirt_patch_site entries" mods "$W/resized" "$W/x"
done

rm -f "$W"/*.o "$W"/*.lds
tap_done
