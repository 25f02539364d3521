#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh BUILD: the tests of tools/vmi-sites and common/sites_check.c as
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

n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
notok() {
	n=$((n + 1)); failed=$((failed + 1))
	echo "not ok $n - $1"
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

echo "TAP version 13"
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
	echo "1..$n"
	exit 1
fi
t "unit test (ASan/UBSan), mutation helper and i386 (-m32) build of sites_check.c" \
	make -s -C "$HERE" helpers BUILD="$B"

if [ -x "$ROOT/tools/checkpatch" ]; then
	if out=$("$ROOT/tools/checkpatch" common/sites_check.c \
		include/vmi/sites_check.h include/vmi/sites.h 2>&1) && [ -z "$out" ]; then
		ok "checkpatch.pl clean: sites_check.c, sites_check.h, sites.h"
	else
		notok "checkpatch.pl clean: sites_check.c, sites_check.h, sites.h" "$out"
	fi
else
	skip "checkpatch.pl clean: sites_check.c, sites_check.h, sites.h" "tools/checkpatch missing"
fi

# --- kernels -----------------------------------------------------------------
declare -A REL KARCH VMLINUZ KDIR WHY
for spec in 6.1 6.12 686-pae; do
	if info=$("$ROOT/tools/vmi-kernel" info "$spec" 2>"$OUT"); then
		REL[$spec]=$(awk '$1 == "release" {print $2}' <<<"$info")
		KARCH[$spec]=$(awk '$1 == "arch" {print $2}' <<<"$info")
		VMLINUZ[$spec]=$(awk '$1 == "vmlinuz" {print $2}' <<<"$info")
		KDIR[$spec]=$(awk '$1 == "kdir" {print $2}' <<<"$info")
		[ -f "${VMLINUZ[$spec]}" ] || WHY[$spec]="vmi-kernel gave no vmlinuz for $spec"
	else
		WHY[$spec]="kernel $spec unavailable: $(tail -1 "$OUT")"
	fi
done

# sites_check.c as kernel code: one module per architecture
for spec in 6.1 686-pae; do
	name="sites_check.c builds into a module for $spec (${KARCH[$spec]:-?}) with -Werror, no 64-bit division"
	if [ -n "${WHY[$spec]:-}" ] || [ ! -d "${KDIR[$spec]:-}" ]; then
		skip "$name" "${WHY[$spec]:-no kdir}"
		continue
	fi
	km=$W/kmod-$spec
	rm -rf "$km"
	mkdir -p "$km/common" "$km/include"
	cp "$ROOT/common/sites_check.c" "$km/common/"
	cp -r "$ROOT/include/vmi" "$km/include/"
	printf 'obj-m += sctest.o\nsctest-y := main.o common/sites_check.o\nccflags-y += -Werror\n' >"$km/Kbuild"
	cat >"$km/main.c" <<'EOF'
#include <linux/module.h>
#include "include/vmi/sites_check.h"
static int __init t_init(void)
{
	return vmi_sites_check(NULL, 0, NULL, NULL) + vmi_crc32(0, "", 0) +
	       (vmi_sites_strerror(-1) ? 0 : 1);
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
default=/boot/vmlinuz-$(uname -r)
if [ -f "$default" ]; then
	t "extract without IMAGE reads $default" "$VS" extract -q -o "$W/x" 
else
	want "extract without IMAGE reads $default (absent here)" 1 "$default" "$VS" extract -o "$W/x"
fi
[ -n "$ELF_SMALL" ] && rm -f "$ELF_SMALL"
rm -f "$W/x" "$W/bz.sites" "$W/bad.sites" "$W/from-elf.sites"

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

echo "# $((n - failed)) of $n passed (skips count as passed), $(( $(date +%s) - t0 ))s"
echo "1..$n"
[ "$failed" = 0 ]
