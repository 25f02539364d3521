#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh BUILD: the tests of tools/vmi-sites, common/sites_check.c and
# common/modsites_check.c as
# flat TAP 13 (called by `make -C tests/sites check`). Exit status 1 if any
# test failed. Real kernels come from tools/vmi-kernel; one that cannot be
# obtained turns its tests into SKIPs, never passes.
set -u -o pipefail
export LC_ALL=C

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
B=${1:-$ROOT/build}
T=$B/tests/sites
VS=$B/tools/vmi-sites
MUT=$T/sites-mutate
mkdir -p "$T/work" || exit 1
W=$T/work
OUT=$W/out

. "$HERE/../lib/tap.sh"
ok() { tap_ok 0 "$1"; }
skip() { tap_skip "$1" "$2"; }
notok() {
	tap_ok 1 "$1"
	shift
	[ $# -gt 0 ] && printf '%s\n' "$@" | head -30 | sed 's/^/#   /'
	return 0
}
note() { echo "# $*"; }
# t NAME CMD...: ok if CMD succeeds, else not ok with its output
t() {
	local name=$1
	shift
	if "$@" >"$OUT" 2>&1; then ok "$name"; else notok "$name" "$(cat "$OUT")"; fi
}

t0=$(date +%s)

# --- build -------------------------------------------------------------------
if make -s -C "$HERE" tools BUILD="$B" >"$OUT" 2>&1 && [ -x "$VS" ]; then
	if readelf -d "$VS" 2>&1 | grep -q 'no dynamic section'; then
		ok "vmi-sites builds with -Wall -Wextra -Werror, statically linked"
	else
		notok "vmi-sites builds with -Wall -Wextra -Werror, statically linked" \
			"$VS has a dynamic section"
	fi
else
	notok "vmi-sites builds with -Wall -Wextra -Werror, statically linked" "$(cat "$OUT")"
	tap_done
fi
t "unit tests (ASan/UBSan), mutation helper, i386 (-m32) build of sites_check.c, vmi-sites under ASan" \
	make -s -C "$HERE" helpers BUILD="$B"

cp_name="checkpatch.pl clean: sites_check.c, sites_check.h, sites.h, modsites_check.c, modsites_check.h, modsites.h, le.h"
if [ -x "$ROOT/tools/checkpatch" ]; then
	if out=$("$ROOT/tools/checkpatch" common/sites_check.c \
		include/vmi/sites_check.h include/vmi/sites.h \
		common/modsites_check.c include/vmi/modsites_check.h \
		include/vmi/modsites.h include/vmi/le.h 2>&1) && [ -z "$out" ]; then
		ok "$cp_name"
	else
		notok "$cp_name" "$out"
	fi
else
	skip "$cp_name" "tools/checkpatch missing"
fi

# --- kernels -----------------------------------------------------------------
declare -A REL KARCH VMLINUZ KDIR MODDIR WHY
for spec in 6.1 6.12 686-pae; do
	if info=$("$ROOT/tools/vmi-kernel" info "$spec" 2>"$OUT"); then
		REL[$spec]=$(awk '$1 == "release" {print $2}' <<<"$info")
		KARCH[$spec]=$(awk '$1 == "arch" {print $2}' <<<"$info")
		VMLINUZ[$spec]=$(awk '$1 == "vmlinuz" {print $2}' <<<"$info")
		KDIR[$spec]=$(awk '$1 == "kdir" {print $2}' <<<"$info")
		MODDIR[$spec]=$(awk '$1 == "modules" {print $2}' <<<"$info")
		[ -f "${VMLINUZ[$spec]}" ] || WHY[$spec]="vmi-kernel gave no vmlinuz for $spec"
	else
		WHY[$spec]="kernel $spec unavailable: $(tail -1 "$OUT")"
	fi
done

# sites_check.c as kernel code: one module per architecture
for spec in 6.1 686-pae; do
	name="sites_check.c and modsites_check.c build into a module for $spec (${KARCH[$spec]:-?}) with -Werror, no 64-bit division"
	if [ -n "${WHY[$spec]:-}" ] || [ ! -d "${KDIR[$spec]:-}" ]; then
		skip "$name" "${WHY[$spec]:-no kdir}"
		continue
	fi
	km=$W/kmod-$spec
	rm -rf "$km"
	mkdir -p "$km/common" "$km/include"
	cp "$ROOT/common/sites_check.c" "$ROOT/common/modsites_check.c" "$km/common/"
	cp -r "$ROOT/include/vmi" "$km/include/"
	printf 'obj-m += sctest.o\nsctest-y := main.o common/sites_check.o common/modsites_check.o\nccflags-y += -Werror\n' >"$km/Kbuild"
	cat >"$km/main.c" <<'EOF'
#include <linux/module.h>
#include "include/vmi/sites_check.h"
#include "include/vmi/modsites_check.h"
static int __init t_init(void)
{
	return vmi_sites_check(NULL, 0, NULL, NULL) + vmi_crc32(0, "", 0) +
	       (vmi_sites_strerror(-1) ? 0 : 1) +
	       vmi_modsites_check(NULL, 0, NULL, 0, NULL) +
	       (vmi_modsites_strerror(-1) ? 0 : 1);
}
module_init(t_init);
MODULE_LICENSE("GPL");
EOF
	t "$name" make -s -C "${KDIR[$spec]}" M="$km" modules
done

# scripts/extract-vmlinux from Debian's linux-source-6.1 (cached)
EV=$T/extract-vmlinux
if [ ! -s "$EV" ]; then
	tarball=$(ls /usr/src/linux-source-6.1.tar.xz 2>/dev/null | head -1)
	if [ -n "$tarball" ] && tar -xJf "$tarball" -O --wildcards \
		'*/scripts/extract-vmlinux' >"$EV.tmp" 2>/dev/null && [ -s "$EV.tmp" ]; then
		mv "$EV.tmp" "$EV"
	else
		rm -f "$EV.tmp"
	fi
fi
have_ev=; [ -s "$EV" ] && have_ev=1
have_py=; command -v python3 >/dev/null && python3 -c 'import struct' 2>/dev/null && have_py=1

hdr_u32() { od -An -tu4 -j "$2" -N4 "$1" | tr -d ' '; }
# field value from `vmi-sites info`
infof() { awk -v k="$2" '$1 == k {print $2}' "$1"; }

TABLE_PARA= TABLE_ALT= ELF_SMALL= VMLINUZ_SMALL= TABLE_SMALL=
for spec in 6.1 6.12 686-pae; do
	names=(
		"$spec: extract the table from the bzImage"
		"$spec: check accepts it with this kernel's build ID, release, ptr_size, kind"
		"$spec: figures"
		"$spec: sites equal an independent Python parse of the vmlinux (tests/sites/xcheck.py)"
		"$spec: build ID equals readelf -n of the vmlinux from scripts/extract-vmlinux"
		"$spec: decompressed vmlinux byte-identical to scripts/extract-vmlinux"
		"$spec: the ELF vmlinux as input gives the identical table"
	)
	if [ -n "${WHY[$spec]:-}" ]; then
		for nm in "${names[@]}"; do skip "$nm" "${WHY[$spec]}"; done
		continue
	fi
	rel=${REL[$spec]}
	tab=$W/$rel.sites elf=$W/$rel.elf
	if ! "$VS" extract -o "$tab" --elf "$elf" "${VMLINUZ[$spec]}" >"$OUT" 2>&1; then
		notok "${names[0]}" "$(cat "$OUT")"
		for nm in "${names[@]:1}"; do notok "$nm" "no table extracted"; done
		continue
	fi
	ok "${names[0]} ($rel)"
	sed 's/^vmi-sites: /  /' "$OUT" | grep -v '^  /' | sed 's/^/# /'
	"$VS" info "$tab" >"$W/$rel.info" 2>&1
	kind=$(infof "$W/$rel.info" kind)
	psize=$(infof "$W/$rel.info" ptr_size)
	nr=$(infof "$W/$rel.info" nr_sites)
	bid=$(infof "$W/$rel.info" build_id)
	text=$(infof "$W/$rel.info" link_text)
	"$VS" list "$tab" >"$W/$rel.list" 2>&1

	t "${names[1]}" "$VS" check --build-id "$bid" --release "$rel" \
		--ptr-size "$psize" --kind "$kind" --slots 84 "$tab"

	# figures, from `list`: addr len slot target orig
	lens=$(awk '{print $2}' "$W/$rel.list" | sort -u | tr '\n' ' ')
	notcall=$(awk '$5 !~ /^ff15/' "$W/$rel.list" | wc -l)
	maxslot=$(awk '$3 != 65535 {print $3}' "$W/$rel.list" | sort -n | tail -1)
	secsize=$(readelf -SW "$elf" 2>/dev/null |
		awk '{ for (i = 1; i < NF; i++) if ($i == ".parainstructions") print $(i + 4) }')
	[ -n "$secsize" ] && secsize=$((16#$secsize))
	case $spec in
	6.1)
		want=3848
		[ "$rel" = 6.1.0-56-amd64 ] || want=$((secsize / 16))
		fig="$nr parainstr sites (want $want), lengths { $lens}, $notcall not ff 15, highest slot $maxslot (< 84), link_text $text"
		if [ "$kind" = parainstr ] && [ "$psize" = 8 ] && [ "$nr" = "$want" ] &&
			[ "$nr" = "$((secsize / 16))" ] && [ "$lens" = "6 " ] &&
			[ "$notcall" = 0 ] && [ "$maxslot" -lt 84 ] &&
			[ "$text" = 0xffffffff81000000 ]; then
			ok "${names[2]}: $fig"
		else
			notok "${names[2]}: $fig" ".parainstructions is $secsize bytes"
		fi
		TABLE_PARA=$tab
		;;
	6.12)
		tmin=$(awk '{print $4}' "$W/$rel.list" | sort | head -1)
		tmax=$(awk '{print $4}' "$W/$rel.list" | sort | tail -1)
		span=$(( tmax - tmin + 8 ))
		ntgt=$(awk '{print $4}' "$W/$rel.list" | sort -u | wc -l)
		fig="$nr altcall sites (> 1000), lengths { $lens}, $notcall not ff 15, targets $tmin..$tmax = $span bytes, $ntgt distinct"
		if [ "$kind" = altcall ] && [ "$psize" = 8 ] && [ "$nr" -gt 1000 ] &&
			[ "$lens" = "6 " ] && [ "$notcall" = 0 ] && [ "$span" -le 4096 ] &&
			[ "$text" = 0xffffffff81000000 ]; then
			ok "${names[2]}: $fig"
		else
			notok "${names[2]}: $fig"
		fi
		TABLE_ALT=$tab
		;;
	686-pae)
		fig="$nr parainstr sites (.parainstructions $secsize bytes / 8), ELF32, lengths { $lens}, $notcall not ff 15, highest slot $maxslot, link_text $text"
		if [ "$kind" = parainstr ] && [ "$psize" = 4 ] && [ -n "$secsize" ] &&
			[ "$nr" = "$((secsize / 8))" ] && [ "$notcall" = 0 ] &&
			[ "$text" = 0xc1000000 ]; then
			ok "${names[2]}: $fig"
		else
			notok "${names[2]}: $fig"
		fi
		;;
	esac

	if [ -z "$have_py" ]; then
		skip "${names[3]}" "python3 not available"
	elif python3 "$HERE/xcheck.py" "$elf" >"$W/$rel.py" 2>"$OUT" &&
		cmp -s "$W/$rel.py" "$W/$rel.list"; then
		ok "${names[3]}"
	else
		notok "${names[3]}" "$(cat "$OUT")" "$(diff "$W/$rel.py" "$W/$rel.list" | head -10)"
	fi

	if [ -z "$have_ev" ]; then
		skip "${names[4]}" "scripts/extract-vmlinux unavailable (no /usr/src/linux-source-6.1.tar.xz)"
		skip "${names[5]}" "scripts/extract-vmlinux unavailable"
	else
		sh "$EV" "${VMLINUZ[$spec]}" >"$W/ref.elf" 2>"$OUT"
		ref=$(readelf -n "$W/ref.elf" 2>/dev/null | awk '/Build ID:/ {print $3; exit}')
		if [ -n "$ref" ] && [ "$ref" = "$bid" ]; then
			ok "${names[4]}: $bid"
		else
			notok "${names[4]}" "table $bid, readelf '${ref}'"
		fi
		if cmp -s "$W/ref.elf" "$elf"; then
			ok "${names[5]}"
		else
			notok "${names[5]}" "$(cmp "$W/ref.elf" "$elf" 2>&1)"
		fi
		rm -f "$W/ref.elf"
	fi

	if "$VS" extract -q -o "$W/from-elf.sites" "$elf" >"$OUT" 2>&1 &&
		cmp -s "$W/from-elf.sites" "$tab"; then
		ok "${names[6]}"
	else
		notok "${names[6]}" "$(cat "$OUT")"
	fi
	if [ -z "$ELF_SMALL" ] || [ "$spec" = 686-pae ]; then
		[ -n "$ELF_SMALL" ] && rm -f "$ELF_SMALL"
		ELF_SMALL=$elf VMLINUZ_SMALL=${VMLINUZ[$spec]} TABLE_SMALL=$tab
	else
		rm -f "$elf"
	fi
done

# --- every payload compression, on a synthetic bzImage -------------------------
# The real bzImage's setup code, then a payload recompressed here: the tool
# only follows payload_offset/payload_length, as documented in boot.rst.
le32() { printf "\\x$(printf %02x $(($1 & 255)))\\x$(printf %02x $((($1 >> 8) & 255)))\\x$(printf %02x $((($1 >> 16) & 255)))\\x$(printf %02x $((($1 >> 24) & 255)))"; }
mkbz() { # mkbz PAYLOAD OUT [no-size]
	local setup pm plen
	setup=$(od -An -tu1 -j $((0x1f1)) -N1 "$VMLINUZ_SMALL" | tr -d ' ')
	[ "$setup" = 0 ] && setup=4
	pm=$(( (setup + 1) * 512 ))
	head -c "$pm" "$VMLINUZ_SMALL" >"$2"
	cat "$1" >>"$2"
	[ "${3:-}" = no-size ] || le32 "$(stat -c %s "$ELF_SMALL")" >>"$2"
	plen=$(( $(stat -c %s "$2") - pm ))
	{ le32 0; le32 "$plen"; } | dd of="$2" bs=1 seek=$((0x248)) conv=notrunc status=none
}
declare -A COMP=(
	[gzip]="gzip -n -1"
	[xz]="xz --check=crc32 --x86 --lzma2=preset=0,dict=1MiB"
	[lzma]="xz --format=lzma -0"
	[zstd]="zstd -q -1"
	[lz4]="lz4 -q -l -1"
)
for c in gzip xz lzma zstd lz4; do
	name="$c payload: synthetic bzImage gives the same table"
	tool=${COMP[$c]%% *}
	if [ -z "$ELF_SMALL" ]; then
		skip "$name" "no kernel available"
		continue
	elif ! command -v "$tool" >/dev/null; then
		skip "$name" "$tool not installed"
		continue
	fi
	${COMP[$c]} -c <"$ELF_SMALL" >"$W/payload" 2>"$OUT"
	if [ "$c" = gzip ]; then mkbz "$W/payload" "$W/bz" no-size; else mkbz "$W/payload" "$W/bz"; fi
	if "$VS" extract -o "$W/bz.sites" "$W/bz" >"$OUT" 2>&1 &&
		grep -q ", $c, " "$OUT" && cmp -s "$W/bz.sites" "$TABLE_SMALL"; then
		ok "$name"
	else
		notok "$name" "$(cat "$OUT")"
	fi
done
rm -f "$W/payload"

# --- corrupted tables: one specific message each -------------------------------------
if [ -n "$TABLE_PARA" ] || [ -n "$TABLE_SMALL" ]; then
	base=${TABLE_PARA:-$TABLE_SMALL}
else
	base=$W/synth-parainstr.sites
	"$T/unit" --synth parainstr "$base"
fi
if [ -n "$TABLE_ALT" ]; then
	alt=$TABLE_ALT
else
	alt=$W/synth-altcall.sites
	"$T/unit" --synth altcall "$alt"
fi
note "corruption tests on $("$VS" info "$base" | awk '$1 == "release" {print $2}') and $("$VS" info "$alt" | awk '$1 == "release" {print $2}')"
site() { awk -v i="$2" -v f="$3" 'NR == i + 1 {print $f}' < <("$VS" list "$1"); }
other_id=0123456789abcdef0123456789abcdef01234567
ptr=$("$VS" info "$base" | awk '$1 == "ptr_size" {print $2}')
wrong_ptr=$((ptr == 8 ? 4 : 8))
hexadd() { printf '0x%x' $(($1 + $2)); }
a10=$(site "$base" 10 1)
slot3=$(site "$base" 3 3)
text=$("$VS" info "$base" | awk '$1 == "link_text" {print $2}')

# corrupt NAME TABLE "MUTATIONS" "CHECK OPTIONS" MESSAGE
corrupt() {
	local name=$1 table=$2 muts=$3 opts=$4 msg=$5 rc lines
	# shellcheck disable=SC2086
	if ! "$MUT" "$table" "$W/bad.sites" $muts 2>"$OUT"; then
		notok "check rejects $name" "mutation failed: $(cat "$OUT")"
		return
	fi
	# shellcheck disable=SC2086
	"$VS" check $opts "$W/bad.sites" >/dev/null 2>"$OUT"
	rc=$?
	lines=$(wc -l <"$OUT")
	if [ "$rc" = 1 ] && [ "$lines" = 1 ] && grep -qF -- "$msg" "$OUT"; then
		ok "check rejects $name: $(sed 's/^vmi-sites: [^:]*: //' "$OUT")"
	else
		notok "check rejects $name" "exit $rc, want 1 and one line with '$msg':" "$(cat "$OUT")"
	fi
}
corrupt "an empty file" "$base" "trunc 0" "" "truncated: shorter than the table header"
corrupt "a truncated header" "$base" "trunc 100" "" "truncated: shorter than the table header"
corrupt "truncated entries" "$base" "trunc -10" "" "truncated: fewer bytes than nr_sites entries"
corrupt "trailing bytes" "$base" "append 40" "" "trailing bytes after the last entry"
corrupt "a bad magic" "$base" "hdr magic VMISITEZ" "" "bad magic"
corrupt "a bad version" "$base" "hdr version 2" "" "unsupported table version"
corrupt "a bad header_size" "$base" "hdr header_size 160" "" "bad header_size"
corrupt "a bad entry_size" "$base" "hdr entry_size 32" "" "bad entry_size"
corrupt "nr_sites = 0" "$base" "hdr nr_sites 0" "" "bad nr_sites"
corrupt "nr_sites = 2^32-1 (no overflow)" "$base" "hdr nr_sites 0xffffffff" "" "bad nr_sites"
corrupt "an unknown kind" "$base" "hdr kind 7" "" "unknown table kind"
corrupt "a bad ptr_size" "$base" "hdr ptr_size 5" "" "bad ptr_size"
corrupt "a 41-byte build ID" "$base" "hdr build_id_len 41" "" "bad build ID length"
corrupt "an implausible link_text" "$base" "hdr link_text 0x1234" "" "implausible link address"
corrupt "an empty init range" "$base" "hdr init_end 0" "" "bad init range"
corrupt "a flipped byte in an entry (CRC mismatch)" "$base" "site 5 orig3 0x5a" "" "corrupted table: entry CRC mismatch"
corrupt "another kernel's build ID" "$base" "" "--build-id $other_id" "table is for another kernel (build ID differs)"
corrupt "another kernel's release" "$base" "" "--release 9.9.9-test" "table is for another kernel (release differs)"
corrupt "the other pointer size" "$base" "" "--ptr-size $wrong_ptr" "table is for another architecture"
corrupt "the other table kind" "$base" "" "--kind altcall" "table kind does not match"
corrupt "unsorted entries" "$base" "swap 10 11 fixcrc" "" "sites not sorted by address"
corrupt "overlapping entries" "$base" "site 11 addr $(hexadd "$a10" 2) fixcrc" "" "sites overlap or repeat"
corrupt "a repeated entry" "$base" "copy 10 11 fixcrc" "" "sites overlap or repeat"
corrupt "site len 0" "$base" "site 3 len 0 fixcrc" "" "site length out of range"
corrupt "site len 17" "$base" "site 3 len 17 site 3 orig_len 17 fixcrc" "" "site length out of range"
corrupt "orig_len != len" "$base" "site 3 orig_len 5 fixcrc" "" "site orig_len differs from len"
corrupt "a site before _text" "$base" "site 0 addr $(hexadd "$text" -4096) fixcrc" "" "site outside the kernel image"
corrupt "a slot beyond --slots" "$base" "" "--slots 10" "site slot out of range"
corrupt "a slot that disagrees with the call bytes" "$base" "site 3 slot $((slot3 + 1)) fixcrc" "" "site bytes are not the pv_ops call"
corrupt "an altcall target that disagrees with the call bytes" "$alt" "site 0 target $(hexadd "$(site "$alt" 0 4)" 8) fixcrc" "" "site bytes are not the pv_ops call"
corrupt "an altcall target outside the 4 KiB window" "$alt" "retarget 0 8192 fixcrc" "" "call targets do not fit in one pv_ops window"
corrupt "a parainstr table entry with a target" "$base" "site 2 target 0x1000 fixcrc" "" "site target invalid"

# --- bad input --------------------------------------------------------------------
# want NAME RC MESSAGE CMD...
want() {
	local name=$1 rc=$2 msg=$3 got
	shift 3
	"$@" >/dev/null 2>"$OUT"
	got=$?
	if [ "$got" = "$rc" ] && grep -qF -- "$msg" "$OUT"; then
		ok "$name: $(head -1 "$OUT" | sed 's/^vmi-sites: //')"
	else
		notok "$name" "exit $got, want $rc and '$msg':" "$(cat "$OUT")"
	fi
}
want "extract: missing image" 1 "No such file or directory" "$VS" extract -o "$W/x" "$W/does-not-exist"
printf 'hello, not a kernel\n%.0s' {1..100} >"$W/text-file"
want "extract: non-kernel file" 1 "not a Linux kernel image" "$VS" extract -o "$W/x" "$W/text-file"
want "extract: an ELF that is not a vmlinux" 1 "not a Linux vmlinux" "$VS" extract -o "$W/x" "$VS"
want "extract: a directory" 1 "not a regular file" "$VS" extract -o "$W/x" "$W"
if [ -n "$VMLINUZ_SMALL" ]; then
	head -c 1000000 "$VMLINUZ_SMALL" >"$W/bz-trunc"
	want "extract: truncated bzImage" 1 "truncated bzImage" "$VS" extract -o "$W/x" "$W/bz-trunc"
	cp "$VMLINUZ_SMALL" "$W/bz-corrupt"
	dd if=/dev/zero of="$W/bz-corrupt" bs=4096 seek=200 count=4 conv=notrunc status=none
	want "extract: corrupt payload" 1 "payload" "$VS" extract -o "$W/x" "$W/bz-corrupt"
	bzip2 -1 -c <"$ELF_SMALL" >"$W/payload" 2>/dev/null && mkbz "$W/payload" "$W/bz"
	want "extract: bzip2 payload is refused clearly" 1 "bzip2-compressed payload is not supported" "$VS" extract -o "$W/x" "$W/bz"
	rm -f "$W/payload" "$W/bz" "$W/bz-trunc" "$W/bz-corrupt"
else
	for nm in "truncated bzImage" "corrupt payload" "bzip2 payload is refused clearly"; do
		skip "extract: $nm" "no kernel available"
	done
fi
want "check: missing table" 1 "No such file or directory" "$VS" check "$W/does-not-exist"
want "info: not a table" 1 "bad magic" "$VS" info "$W/text-file"
want "usage error exits 2" 2 "usage:" "$VS" frobnicate
# the command line is getopt_long's: --opt=VALUE too, options after FILE,
# -h/--help everywhere; what it refuses, it names, and exits 2
t "check: --opt=VALUE and options after FILE" "$VS" check --ptr-size="$ptr" "$base" --kind parainstr
want "check: --opt=VALUE reaches the option" 2 "bad kind nope" "$VS" check --kind=nope "$base"
want "check: an unknown option exits 2" 2 "unrecognized option '--bogus'" "$VS" check --bogus "$base"
want "extract: -o without OUT exits 2" 2 "option requires an argument -- 'o'" "$VS" extract -o
want "modules: --release without R exits 2" 2 "option '--release' requires an argument" "$VS" modules --release
want "info: an option exits 2" 2 "invalid option -- 'x'" "$VS" info -x "$base"
bad=
for a in -h --help "extract -h" "modules --help" "info -h" "list --help" "check -h"; do
	# shellcheck disable=SC2086
	out=$("$VS" $a 2>/dev/null) && grep -q '^usage: vmi-sites extract' <<<"$out" || bad="$bad '$a'"
done
if [ -z "$bad" ]; then
	ok "-h, --help, COMMAND -h: the usage on stdout, exit 0"
else
	notok "-h, --help, COMMAND -h: the usage on stdout, exit 0" "failed:$bad"
fi
default=/boot/vmlinuz-$(uname -r)
if [ -f "$default" ]; then
	t "extract without IMAGE reads $default" "$VS" extract -q -o "$W/x" 
else
	want "extract without IMAGE reads $default (absent here)" 1 "$default" "$VS" extract -o "$W/x"
fi
[ -n "$ELF_SMALL" ] && rm -f "$ELF_SMALL"
rm -f "$W/x" "$W/bz.sites" "$W/bad.sites" "$W/from-elf.sites"

# --- module site tables: vmi-sites modules -----------------------------------------
# Real Debian modules with a fake /sys (tests/sites/modxcheck.py gives every
# SHF_ALLOC section a made-up address and copies the build ID note) and a
# fake /proc/modules. modxcheck.py also recomputes the sites independently.
VSA=$T/vmi-sites-asan
MX=$HERE/modxcheck.py
MODTABS=()
# ko SPEC PATH-UNDER-kernel/: the module file (.ko or .ko.xz)
ko() {
	local f
	for f in "${MODDIR[$1]}/kernel/$2.ko" "${MODDIR[$1]}/kernel/$2.ko.xz"; do
		[ -f "$f" ] && echo "$f" && return 0
	done
	return 1
}
# plain SPEC PATH OUT: the .ko decompressed, for readelf
plain() { case $2 in *.xz) xz -dc "$2" >"$3" ;; *) cp "$2" "$3" ;; esac; }
# modrun NAME RC MESSAGE ARGS...: vmi-sites modules, exit status and message
modrun() {
	local name=$1 rc=$2 msg=$3 got
	shift 3
	"$VS" modules "$@" >/dev/null 2>"$OUT"
	got=$?
	if [ "$got" = "$rc" ] && grep -qF -- "$msg" "$OUT"; then
		ok "$name: $(grep -F -- "$msg" "$OUT" | head -1 | sed 's/^vmi-sites: //')"
	else
		notok "$name" "exit $got, want $rc and '$msg':" "$(cat "$OUT")"
	fi
}
for spec in 6.1 6.12; do
	names=(
		"$spec modules: table of the Live modules in a fake /proc/modules"
		"$spec modules: check accepts it (release, --slots 84)"
		"$spec modules: sites, addresses and slots equal an independent parse (tests/sites/modxcheck.py)"
		"$spec modules: kvm sites = readelf's pv_ops relocations in .rela.text (offset - 2 + .text base, slot (addend + 4) / 8)"
		"$spec modules: info gives each module's build ID as readelf -n"
		"$spec modules: a wrong build ID note leaves the module out with a warning"
		"$spec modules: a missing build ID note leaves the module out with a warning"
		"$spec modules: a named module that is not loaded exits 1"
		"$spec modules: a named module without a .ko exits 1"
		"$spec modules: NAMEs given ('-' = '_') take just those"
		"$spec modules: --ko by .modinfo name and by file name gives the same table"
		"$spec modules: section addresses reading 0 (not root) exit 1"
		"$spec modules: no module with sites: an empty table, valid"
		"$spec modules: check names the module and site of a bad entry"
		"$spec modules: truncated .ko: a clear error, exit 1 (ASan build)"
		"$spec modules: 150 corrupted .ko files: exit 0/1, no crash, no sanitizer report (ASan build)"
	)
	why=${WHY[$spec]:-}
	[ -z "$why" ] && [ ! -d "${MODDIR[$spec]:-}" ] && why="no modules directory for $spec"
	[ -z "$why" ] && [ -z "$have_py" ] && why="python3 not available (fake sysfs)"
	if [ -z "$why" ]; then
		k_kvm=$(ko "$spec" arch/x86/kvm/kvm) k_amd=$(ko "$spec" arch/x86/kvm/kvm-amd)
		k_cpuid=$(ko "$spec" arch/x86/kernel/cpuid) k_crc=$(ko "$spec" lib/crc-itu-t)
		k_it87=$(ko "$spec" drivers/hwmon/it87)
		for f in "$k_kvm" "$k_amd" "$k_cpuid" "$k_crc" "$k_it87"; do
			[ -f "$f" ] || why="a module of $spec is missing (kvm, kvm-amd, cpuid, crc-itu-t, it87)"
		done
	fi
	if [ -n "$why" ]; then
		for nm in "${names[@]}"; do skip "$nm" "$why"; done
		continue
	fi
	rel=${REL[$spec]} md=$W/mod-$spec
	rm -rf "$md"
	mkdir -p "$md"
	sys=$md/sys
	python3 "$MX" sysfs "$k_kvm" kvm "$sys" 0xffffffffc0a00000 >"$md/kvm.secs" &&
	python3 "$MX" sysfs "$k_amd" kvm_amd "$sys" 0xffffffffc1200000 >/dev/null &&
	python3 "$MX" sysfs "$k_it87" it87 "$sys" 0xffffffffc1400000 >/dev/null &&
	python3 "$MX" sysfs "$k_cpuid" cpuid "$sys" 0xffffffffc1500000 >/dev/null &&
	python3 "$MX" sysfs "$k_crc" crc_itu_t "$sys" 0xffffffffc1600000 >/dev/null
	mkdir -p "$sys/module/ghost/sections"	# loaded, no .ko anywhere
	echo 0xffffffffc1700000 >"$sys/module/ghost/sections/.text"
	cat >"$md/proc-modules" <<EOF
ghost 16384 0 - Live 0x0000000000000000
crc_itu_t 16384 0 - Live 0x0000000000000000
cpuid 16384 0 - Live 0x0000000000000000
it87 65536 0 - Live 0x0000000000000000
kvm_amd 155648 0 - Live 0x0000000000000000
kvm 1146880 1 kvm_amd, Live 0x0000000000000000
joining 16384 1 - Loading 0x0000000000000000
EOF
	common=(--sysfs "$sys" --release "$rel" --ko-dir "${MODDIR[$spec]}")
	tab=$md/modules.sites
	"$VS" modules "${common[@]}" --proc-modules "$md/proc-modules" -o "$tab" >"$OUT" 2>&1
	rc=$?
	summ=$(grep -v warning "$OUT" | sed 's/^vmi-sites: //')
	if [ "$rc" = 0 ] && grep -qF "warning: ghost: no ghost.ko" "$OUT" &&
		grep -qF "6 modules: 4 in the table with" "$OUT" &&
		grep -qF "1 without pv sites; left out: 1 no .ko found (ghost)" "$OUT"; then
		ok "${names[0]}: $summ"
		MODTABS+=("$tab")
	else
		notok "${names[0]}" "exit $rc" "$(cat "$OUT")"
		for nm in "${names[@]:1}"; do notok "$nm" "no table"; done
		continue
	fi
	t "${names[1]}" "$VS" check --release "$rel" --slots 84 "$tab"

	"$VS" list "$tab" | sort >"$md/got" 2>&1
	: >"$md/want"
	init=0
	for m in cpuid:"$k_cpuid" it87:"$k_it87" kvm_amd:"$k_amd" kvm:"$k_kvm"; do
		python3 "$MX" sites "${m#*:}" "${m%%:*}" "$sys" >>"$md/want" 2>"$OUT"
		init=$((init + $(awk '/^# init/ {print $3}' "$OUT")))
	done
	sort -o "$md/want" "$md/want"
	nsites=$(wc -l <"$md/want")
	if cmp -s "$md/want" "$md/got" && grep -qF "with $nsites pv call sites ($init in .init sections skipped)" <<<"$summ"; then
		ok "${names[2]}: $nsites sites, $init in .init sections"
	else
		notok "${names[2]}" "$(diff "$md/want" "$md/got" | head -10)" "$summ"
	fi

	# readelf: every R_X86_64_PC32/PLT32 pv_ops relocation in .rela.text
	# of kvm is a site's call displacement
	plain "$spec" "$k_kvm" "$md/kvm.ko"
	tbase=$(awk '$1 == ".text" {print $2}' "$md/kvm.secs")
	readelf -rW "$md/kvm.ko" | awk '
		/^Relocation section/ { sec = $3; next }
		sec == "'"'"'.rela.text'"'"'" && $5 == "pv_ops" && ($3 == "R_X86_64_PC32" || $3 == "R_X86_64_PLT32") {
			print $1, $6, $7
		}' | while read -r off sign add; do
		a=$((16#$add)); [ "$sign" = - ] && a=$((-a))
		printf 'kvm 0x%x 6 %d\n' $((tbase + 16#$off - 2)) $(((a + 4) / 8))
	done | sort >"$md/kvm.readelf"
	grep '^kvm ' "$md/got" >"$md/kvm.got"
	if [ -s "$md/kvm.readelf" ] && cmp -s "$md/kvm.readelf" "$md/kvm.got"; then
		ok "${names[3]}: $(wc -l <"$md/kvm.got") sites, e.g. $(head -1 "$md/kvm.got")"
	else
		notok "${names[3]}" "$(diff "$md/kvm.readelf" "$md/kvm.got" | head -10)"
	fi

	"$VS" info "$tab" >"$md/info" 2>&1
	bid=$(readelf -n "$md/kvm.ko" | awk '/Build ID:/ {print $3; exit}')
	if [ -n "$bid" ] && awk '$1 == "kvm" {print $4}' "$md/info" | grep -qx "$bid"; then
		ok "${names[4]}: kvm $bid"
	else
		notok "${names[4]}" "readelf '$bid'" "$(cat "$md/info")"
	fi

	# build ID note: wrong, then missing
	cp -r "$sys" "$md/sys-bad"
	note=$md/sys-bad/module/kvm/notes/.note.gnu.build-id
	printf '\x5a' | dd of="$note" bs=1 seek=$(( $(stat -c %s "$note") - 1 )) conv=notrunc status=none
	rm -f "$md/sys-bad/module/kvm_amd/notes/.note.gnu.build-id"
	"$VS" modules --sysfs "$md/sys-bad" --release "$rel" --ko-dir "${MODDIR[$spec]}" \
		--proc-modules "$md/proc-modules" -o "$md/bad.sites" >"$OUT" 2>&1
	rc=$?
	"$VS" list "$md/bad.sites" 2>/dev/null | awk '{print $1}' | sort -u | tr '\n' ' ' >"$md/bad.mods"
	msg="warning: kvm: the .ko on disk is not the loaded module (build ID differs); its sites are left alone"
	if [ "$rc" = 0 ] && grep -qF "$msg" "$OUT" && [ "$(cat "$md/bad.mods")" = "cpuid it87 " ]; then
		ok "${names[5]}: $(grep -F "$msg" "$OUT" | sed 's/^vmi-sites: //')"
	else
		notok "${names[5]}" "exit $rc, modules in the table: $(cat "$md/bad.mods")" "$(cat "$OUT")"
	fi
	msg="warning: kvm_amd: $md/sys-bad/module/kvm_amd/notes/.note.gnu.build-id missing"
	if [ "$rc" = 0 ] && grep -qF "$msg" "$OUT" && grep -qF "1 no build ID in sysfs (kvm_amd)" "$OUT"; then
		ok "${names[6]}"
	else
		notok "${names[6]}" "exit $rc" "$(cat "$OUT")"
	fi

	modrun "${names[7]}" 1 "nosuch: not loaded" "${common[@]}" -o "$md/x" kvm nosuch
	modrun "${names[8]}" 1 "ghost: no ghost.ko" "${common[@]}" -o "$md/x" ghost
	[ -e "$md/x" ] && notok "$spec modules: no table written after an error" "$md/x exists"

	if "$VS" modules -q "${common[@]}" -o "$md/named.sites" kvm-amd kvm >"$OUT" 2>&1 &&
		[ ! -s "$OUT" ] &&
		"$VS" list "$md/named.sites" | grep -v '^it87 \|^cpuid ' | sort | cmp -s - \
			<(grep '^kvm \|^kvm_amd ' "$md/got"); then
		ok "${names[9]}: kvm-amd kvm"
	else
		notok "${names[9]}" "$(cat "$OUT")"
	fi

	mkdir -p "$md/empty-dir"
	cp "$k_kvm" "$md/renamed-file"
	if "$VS" modules -q --sysfs "$sys" --release "$rel" --ko-dir "$md/empty-dir" \
		--ko "$md/renamed-file" --ko "$k_amd" -o "$md/byko.sites" kvm-amd kvm >"$OUT" 2>&1 &&
		cmp -s "$md/byko.sites" "$md/named.sites"; then
		ok "${names[10]}"
	else
		notok "${names[10]}" "$(cat "$OUT")"
	fi

	cp -r "$sys" "$md/sys-zero"
	find "$md/sys-zero" -path '*/sections/*' -type f -exec sh -c 'echo 0x0000000000000000 >"$1"' _ {} \;
	modrun "${names[11]}" 1 "run vmi-sites modules as root" --sysfs "$md/sys-zero" \
		--release "$rel" --ko-dir "${MODDIR[$spec]}" --proc-modules "$md/proc-modules" -o "$md/x"

	if "$VS" modules "${common[@]}" --proc-modules <(grep '^crc_itu_t' "$md/proc-modules") \
		-o "$md/empty.sites" >"$OUT" 2>&1 && [ "$(stat -c %s "$md/empty.sites")" = $((104 + 112)) ] &&
		"$VS" check --release "$rel" "$md/empty.sites" >>"$OUT" 2>&1 &&
		grep -qF "0 module sites in 1 modules" "$OUT"; then
		ok "${names[12]}: $(tail -1 "$OUT")"
		MODTABS+=("$md/empty.sites")
	else
		notok "${names[12]}" "$(cat "$OUT")"
	fi

	# 6.1's x_tables: no .parainstructions, an 84-byte .altinstructions
	# (7 x 12-byte 6.1 entries, or 6 x 14): the relocations tell which
	if [ "$spec" = 6.1 ] && k_xt=$(ko "$spec" net/netfilter/x_tables) && [ -f "$k_xt" ]; then
		python3 "$MX" sysfs "$k_xt" x_tables "$sys" 0xffffffffc1800000 >/dev/null
		if "$VS" modules "${common[@]}" -o "$md/xt.sites" x_tables >"$OUT" 2>&1 &&
			grep -qF "0 in the table with 0 pv call sites (0 in .init sections skipped), 1 without pv sites" "$OUT"; then
			ok "$spec modules: x_tables (.altinstructions of 84 bytes, 12-byte entries): no sites, no error"
		else
			notok "$spec modules: x_tables (.altinstructions of 84 bytes, 12-byte entries): no sites, no error" "$(cat "$OUT")"
		fi
	fi

	# site #5 (it87's, after cpuid's 1 site): len 4. Modules without
	# sites have records too, so the entries start after nr_modules.
	nrec=$(od -An -tu4 -j24 -N4 "$tab" | tr -d ' ')
	"$MUT" "$tab" "$md/bad.sites" poke $((104 + nrec * 112 + 5 * 16 + 10)) 1 4 fixcrc 2>"$OUT"
	"$VS" check "$md/bad.sites" >/dev/null 2>"$OUT"
	rc=$?
	if [ "$rc" = 1 ] && grep -qE "site length out of range \(5..16\) \(module #[0-9]+ it87, site #5 at 0x" "$OUT"; then
		ok "${names[13]}: $(sed 's/^vmi-sites: [^:]*: //' "$OUT")"
	else
		notok "${names[13]}" "exit $rc" "$(cat "$OUT")"
	fi

	# corrupted module files, under ASan (one cpuid.ko in a directory)
	if [ ! -x "$VSA" ]; then
		skip "${names[14]}" "$VSA was not built"
		skip "${names[15]}" "$VSA was not built"
		continue
	fi
	mkdir -p "$md/trunc"
	plain "$spec" "$k_cpuid" "$md/cpuid.ko"
	head -c $(( $(stat -c %s "$md/cpuid.ko") / 2 )) "$md/cpuid.ko" >"$md/trunc/cpuid.ko"
	# (the end of a .ko is its appended signature: cut in the middle)
	head -c $(( $(stat -c %s "$k_kvm") / 2 )) "$k_kvm" >"$md/trunc/kvm.ko${k_kvm##*.ko}"
	"$VSA" modules --sysfs "$sys" --release "$rel" --ko-dir "$md/trunc" -o "$md/x" cpuid >"$OUT" 2>&1
	rc1=$?
	"$VSA" modules --sysfs "$sys" --release "$rel" --ko-dir "$md/trunc" -o "$md/x" kvm >>"$OUT" 2>&1
	rc2=$?
	if [ "$rc1" = 1 ] && [ "$rc2" = 1 ] && ! grep -q 'Sanitizer\|runtime error' "$OUT" &&
		grep -qF "ELF headers are corrupt or truncated" "$OUT" &&
		grep -qF "cpuid: cannot use $md/trunc/cpuid.ko" "$OUT"; then
		ok "${names[14]}: $(grep -v 'cannot use' "$OUT" | sed 's/^vmi-sites: //' | tr '\n' ' ')"
	else
		notok "${names[14]}" "exit $rc1 $rc2" "$(cat "$OUT")"
	fi
	rm -rf "$md/fuzz"
	mkdir -p "$md/fuzz"
	python3 - "$md/cpuid.ko" "$md/fuzz" <<'EOF'
import os, random, struct, sys
d = open(sys.argv[1], 'rb').read()
rng = random.Random(7)
shoff, = struct.unpack_from('<Q', d, 40)
hot = [(0, 64), (shoff, len(d) - shoff)]          # ELF and section headers
for n in range(150):
    b = bytearray(d)
    if n % 5 == 0:
        b = b[:rng.randrange(len(b))]
    else:
        for k in range(rng.randrange(1, 6)):
            lo, ln = hot[rng.randrange(2)] if rng.random() < 0.6 else (0, len(b))
            b[lo + rng.randrange(ln)] = rng.randrange(256)
    os.makedirs('%s/%d' % (sys.argv[2], n))
    open('%s/%d/cpuid.ko' % (sys.argv[2], n), 'wb').write(b)
EOF
	bad=0 rcs=
	for dir in "$md"/fuzz/*; do
		"$VSA" modules -q --sysfs "$sys" --release "$rel" --ko-dir "$dir" -o "$md/x" cpuid >"$OUT" 2>&1
		rc=$?
		rcs="$rcs $rc"
		if { [ "$rc" != 0 ] && [ "$rc" != 1 ]; } || grep -q 'Sanitizer\|runtime error' "$OUT" ||
			{ [ "$rc" = 1 ] && ! [ -s "$OUT" ]; }; then
			bad=$((bad + 1))
			[ "$bad" = 1 ] && cp "$OUT" "$md/fuzz-first-failure"
		fi
	done
	rc0=$(tr ' ' '\n' <<<"$rcs" | grep -c '^0$')
	if [ "$bad" = 0 ]; then
		ok "${names[15]}: $rc0 still usable, $((150 - rc0)) refused"
	else
		notok "${names[15]}" "$bad failures, first:" "$(cat "$md/fuzz-first-failure")"
	fi
	rm -rf "$md/fuzz" "$md/x"
done

# --- unit tests, renumbered ------------------------------------------------------
if [ -x "$T/unit" ]; then
	tabs=()
	for f in "$W"/*.sites; do [ -f "$f" ] && tabs+=("$f"); done
	while IFS= read -r line; do
		case $line in
		"not ok - "*) notok "unit: ${line#not ok - }" ;;
		"ok - "*) ok "unit: ${line#ok - }" ;;
		"# unit exit 0") ;;
		"# unit exit "*) notok "unit: test program exits 0" "${line#\# }" ;;
		"#"*) echo "$line" ;;
		*) notok "unit: unexpected output" "$line" ;;
		esac
	done < <("$T/unit" "${tabs[@]}" 2>&1; echo "# unit exit $?")
else
	notok "unit tests" "$T/unit was not built"
fi
if [ -x "$T/modunit" ]; then
	while IFS= read -r line; do
		case $line in
		"not ok - "*) notok "unit: ${line#not ok - }" ;;
		"ok - "*) ok "unit: ${line#ok - }" ;;
		"# unit exit 0") ;;
		"# unit exit "*) notok "unit: modsites test program exits 0" "${line#\# }" ;;
		"#"*) echo "$line" ;;
		*) notok "unit: unexpected output" "$line" ;;
		esac
	done < <("$T/modunit" ${MODTABS[@]+"${MODTABS[@]}"} 2>&1; echo "# unit exit $?")
else
	notok "modsites unit tests" "$T/modunit was not built"
fi

tap_diag "$(( $(date +%s) - t0 ))s"
tap_done
