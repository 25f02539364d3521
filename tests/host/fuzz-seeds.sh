#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Seeds for the fuzz targets of the site-table validators and vmi-sites'
# readers: small valid inputs, made here at build time, never committed.
#   fuzz-seeds.sh OUT_DIR VMI_SITES TOP
# OUT_DIR/TARGET/ for each target (TARGET as in fuzz_TARGET.c):
#   sites_image     a tiny vmlinux (fake_vmlinux.S) for x86_64 and i386,
#                   .parainstructions (also in 5.10's form) and
#                   .altinstructions, and bzImages of
#                   it with every payload compression whose tool is here
#   sites_check     the site tables vmi-sites extracts from those
#   sites_ko        a tiny module (fake_ko.S), both table kinds (and 4.19's
#                   split pv globals), plain and compressed; a real tests/modules/vmi_test_pvops.ko
#                   built for each cached Debian kernel (6.1: parainstr,
#                   6.12: altinstructions), stripped of debug info
#   modsites_check  module site tables vmi-sites writes for the tiny modules
#   sites_sysfs     /proc/modules, a sections file, a notes file, file names
#   sigtrailer      a small file with a signature trailer, and without one
# OUT_DIR/NOTES says which optional seeds could not be made, and why.

OUT=$1 VS=$2 TOP=$3
SRC=$TOP/tests/host
set -e
rm -rf "$OUT"
mkdir -p "$OUT/sites_image" "$OUT/sites_check" "$OUT/sites_ko" \
	"$OUT/modsites_check" "$OUT/sites_sysfs" "$OUT/sigtrailer" "$OUT/work"
W=$OUT/work
: >"$OUT/NOTES"
note() { echo "fuzz seeds: $*" >>"$OUT/NOTES"; }

# little-endian bytes, with the octal escapes every printf knows
le() {	# le VALUE BYTES
	v=$1 i=0
	while [ $i -lt "$2" ]; do
		printf "\\$(printf %03o $((v & 255)))"
		v=$((v >> 8)) i=$((i + 1))
	done
}
poke() {	# poke FILE OFFSET: stdin's bytes into FILE at OFFSET
	dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

# data, a 16-byte "PKCS#7 message", struct module_signature, the marker
{
	printf 'some signed data'
	printf '0123456789abcdef'
	printf '\000\000\002\000\000\000\000\000\000\000\000\020'
	printf '~Module signature appended~\n'
} >"$OUT/sigtrailer/signed"
printf 'no trailer at all' >"$OUT/sigtrailer/unsigned"

# --- vmlinux ---------------------------------------------------------------
for v in 64para 64alt 32para; do
	case $v in
	64*) m= base=0xffffffff81000000 emu=elf_x86_64 ;;
	*) m=-m32 base=0xc1000000 emu=elf_i386 ;;
	esac
	case $v in *alt) d=-DALTCALL ;; *) d= ;; esac
	cc $m $d -c -o "$W/vmlinux$v.o" "$SRC/fake_vmlinux.S"
	sed "s/LINK_BASE/$base/" "$SRC/fake_vmlinux.lds" >"$W/vmlinux$v.lds"
	ld -m $emu -s -T "$W/vmlinux$v.lds" -o "$OUT/sites_image/vmlinux$v" \
		"$W/vmlinux$v.o" 2>"$W/ld.log"
	"$VS" extract -q -o "$OUT/sites_check/vmlinux$v.sites" \
		"$OUT/sites_image/vmlinux$v"
done

# up to 5.10: the last entry unpadded, "ff 14 25" calls
cc -DUNPADDED -DABS_CALL -c -o "$W/vmlinux64old.o" "$SRC/fake_vmlinux.S"
ld -m elf_x86_64 -s -T "$W/vmlinux64para.lds" -o "$OUT/sites_image/vmlinux64para-5.10" \
	"$W/vmlinux64old.o" 2>"$W/ld.log"
# up to 4.19: the calls read pv_time_ops, pv_cpu_ops, pv_irq_ops
cc -DUNPADDED -DSPLIT_PV -c -o "$W/vmlinux64split.o" "$SRC/fake_vmlinux.S"
ld -m elf_x86_64 -s -T "$W/vmlinux64para.lds" -o "$OUT/sites_image/vmlinux64para-4.19" \
	"$W/vmlinux64split.o" 2>"$W/ld.log"
"$VS" extract -q -o "$OUT/sites_check/vmlinux64para-4.19.sites" \
	"$OUT/sites_image/vmlinux64para-4.19"

# Inputs the fuzzers found a bug with, kept as seeds: make check's short
# run executes every seed first, under ASan and UBSan.
# fuzz_sites_image: an empty .parainstructions reached qsort(NULL, 0)
objcopy --update-section .parainstructions=/dev/null \
	"$OUT/sites_image/vmlinux64para" "$OUT/sites_image/regress-empty-parainstructions"

# bzImage: boot sector + one setup sector, then the payload
# (Documentation/x86/boot.rst; what image.c reads and nothing more)
ELF=$OUT/sites_image/vmlinux64para
mkbz() {	# mkbz PAYLOAD OUT [no-size]
	head -c 1024 /dev/zero >"$2"
	le 1 1 | poke "$2" $((0x1f1))		# setup_sects
	le 0xaa55 2 | poke "$2" $((0x1fe))	# boot_flag
	printf HdrS | poke "$2" $((0x202))
	le 0x020f 2 | poke "$2" $((0x206))	# boot protocol 2.15
	le 0x100 2 | poke "$2" $((0x20e))	# kernel_version - 0x200
	printf '6.1.0-fuzz (seed@vmi-shim) #1 SMP' | poke "$2" $((0x300))
	cat "$1" >>"$2"
	# size_append (gzip's own trailer ends with the size)
	[ "${3:-}" = no-size ] || le "$(stat -c %s "$ELF")" 4 >>"$2"
	le 0 4 | poke "$2" $((0x248))		# payload_offset
	le $(($(stat -c %s "$2") - 1024)) 4 | poke "$2" $((0x24c))
}
for c in gzip xz lzma zstd lz4; do
	case $c in
	gzip) cmd="gzip -n -9" ;;
	xz) cmd="xz --check=crc32 --x86 --lzma2=preset=0,dict=64KiB" ;;
	lzma) cmd="xz --format=lzma --lzma1=preset=0,dict=64KiB" ;;
	zstd) cmd="zstd -q -19 --zstd=wlog=16" ;;
	lz4) cmd="lz4 -q -l -9" ;;
	esac
	if ! command -v "${cmd%% *}" >/dev/null; then
		note "no ${cmd%% *}: no $c bzImage seed"
		continue
	fi
	$cmd -c <"$ELF" >"$W/payload.$c"
	if [ $c = gzip ]; then
		mkbz "$W/payload.$c" "$OUT/sites_image/bzImage.$c" no-size
	else
		mkbz "$W/payload.$c" "$OUT/sites_image/bzImage.$c"
	fi
	# the tool must read it as it reads the vmlinux
	"$VS" extract -q -o "$W/bz.sites" "$OUT/sites_image/bzImage.$c"
	cmp -s "$W/bz.sites" "$OUT/sites_check/vmlinux64para.sites"
done

# --- modules ---------------------------------------------------------------
SYS=$W/sys
for v in para alt; do
	d=; [ $v = alt ] && d=-DALTCALL
	ko=$OUT/sites_ko/fake_$v.ko
	cc $d -c -o "$ko" "$SRC/fake_ko.S"
	mkdir -p "$SYS/module/fake_$v/sections" "$SYS/module/fake_$v/notes"
	echo 0xffffffffc0002000 >"$SYS/module/fake_$v/sections/.text"
	echo 0xffffffffc0003000 >"$SYS/module/fake_$v/sections/.text.unlikely"
	objcopy -O binary -j .note.gnu.build-id "$ko" \
		"$SYS/module/fake_$v/notes/.note.gnu.build-id"
done
# up to 4.19: calls through pv_time_ops, pv_cpu_ops, pv_irq_ops
cc -DUNPADDED -DSPLIT_PV -c -o "$OUT/sites_ko/fake_para-4.19.ko" "$SRC/fake_ko.S"
# small windows: a fuzzed input pays for its decoder's on every run
for c in xz zstd gzip; do
	case $c in
	xz) ext=xz opt="--check=crc32 --lzma2=dict=64KiB" ;;
	zstd) ext=zst opt="-q --zstd=wlog=16" ;;
	gzip) ext=gz opt=-n ;;
	esac
	if command -v $c >/dev/null; then
		$c $opt -c <"$OUT/sites_ko/fake_para.ko" \
			>"$OUT/sites_ko/fake_para.ko.$ext"
	else
		note "no $c: no .ko.$ext seed"
	fi
done

# a real module, for each Debian kernel already cached (no download here;
# the cache as tools/lib/common.sh finds it)
if [ -z "${VMI_CACHE:-}" ]; then
	if [ -w /var/cache ]; then
		VMI_CACHE=/var/cache/vmi-shim
	else
		VMI_CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/vmi-shim
	fi
fi
for spec in 6.1 6.12; do
	rel=$("$TOP/tools/vmi-kernel" resolve "$spec" 2>/dev/null | cut -d' ' -f1)
	kdir=$VMI_CACHE/kernels/$rel/root/usr/src/linux-headers-$rel
	if [ -z "$rel" ] || [ ! -d "$kdir" ]; then
		note "kernel $spec not cached: no real .ko seed for it"
		continue
	fi
	km=$W/kmod-$spec
	mkdir -p "$km"
	ln -sf "$TOP/tests/modules/vmi_test_pvops.c" "$km/"
	echo 'obj-m := vmi_test_pvops.o' >"$km/Kbuild"
	if make -s -C "$kdir" M="$km" modules >"$km/build.log" 2>&1; then
		objcopy --strip-debug "$km/vmi_test_pvops.ko" \
			"$OUT/sites_ko/vmi_test_pvops-$spec.ko"
	else
		note "vmi_test_pvops.ko does not build for $spec: no real .ko seed ($(tail -1 "$km/build.log"))"
	fi
done

# module site tables, from the tiny modules and a fake /sys
mkdir -p "$W/no-ko-dir"
"$VS" modules -q --sysfs "$SYS" --release 6.1.0-fuzz --ko-dir "$W/no-ko-dir" \
	--ko "$OUT/sites_ko/fake_para.ko" --ko "$OUT/sites_ko/fake_alt.ko" \
	-o "$OUT/modsites_check/two.modsites" fake_para fake_alt
"$VS" modules -q --sysfs "$SYS" --release 6.1.0-fuzz --ko-dir "$W/no-ko-dir" \
	--ko "$OUT/sites_ko/fake_alt.ko" -o "$OUT/modsites_check/one.modsites" \
	fake_alt
"$VS" modules -q --sysfs "$SYS" --release 6.1.0-fuzz --ko-dir "$W/no-ko-dir" \
	--proc-modules /dev/null -o "$OUT/modsites_check/empty.modsites"

# --- /proc and /sys ----------------------------------------------------------
cat >"$OUT/sites_sysfs/proc-modules" <<'END'
fake_para 16384 0 - Live 0xffffffffc0002000
kvm_amd 155648 0 - Live 0xffffffffc0a4d000
kvm 1146880 1 kvm_amd, Live 0xffffffffc08a3000
nf-tables 16384 0 - Loading 0x0000000000000000
END
echo 0xffffffffc0002000 >"$OUT/sites_sysfs/section"
cp "$SYS/module/fake_para/notes/.note.gnu.build-id" "$OUT/sites_sysfs/note"
printf 'kvm-amd.ko.zst' >"$OUT/sites_sysfs/name"

rm -rf "$W"
[ -s "$OUT/NOTES" ] || echo "fuzz seeds: all made" >"$OUT/NOTES"
