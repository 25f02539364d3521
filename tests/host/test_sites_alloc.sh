#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# vmi-sites allocates for what it decompresses, not for what a file
# claims: under an 8 MiB address-space limit it reads a small bzImage of
# every payload compression (the fuzz seeds), and refuses one whose size
# field claims 1 GiB for the mismatch, not for want of memory. (It
# allocated the claimed size up front, 16 MiB for any decompression and
# 8 MiB for any lz4 block.) Prints unnumbered "ok - name" lines.
#
#   test_sites_alloc.sh VMI_SITES SEED_DIR WORK_DIR

VS=$1 SEEDS=$2/sites_image WORK=$3
. "$(dirname "$0")/../lib/tap.sh"
LIMIT_KB=8192

rm -rf "$WORK" && mkdir -p "$WORK" || exit 1
extract() {	# extract IMAGE: vmi-sites extract under the limit, quiet
	(ulimit -v $LIMIT_KB && "$VS" extract -q -o "$WORK/out.sites" "$1") \
		>"$WORK/err" 2>&1
}

n=0
for bz in "$SEEDS"/bzImage.*; do
	[ -e "$bz" ] || continue
	n=$((n + 1))
	extract "$bz" && cmp -s "$WORK/out.sites" "$2/sites_check/vmlinux64para.sites"
	rc=$?
	[ $rc -eq 0 ] || sed 's/^/# /' "$WORK/err"
	tap_ok $rc "vmi-sites extracts ${bz##*/} within $LIMIT_KB KiB of address space"
done
[ $n -gt 0 ]
tap_ok $? "bzImage seeds to read ($n)"

bz=$SEEDS/bzImage.xz
if [ -e "$bz" ]; then
	cp "$bz" "$WORK/claims-1g"
	# size_append is the file's last 4 bytes: 0x3fffffff
	printf '\377\377\377\077' |
		dd of="$WORK/claims-1g" bs=1 seek=$(($(stat -c %s "$bz") - 4)) \
			conv=notrunc status=none
	extract "$WORK/claims-1g"
	rc=$?
	[ $rc -eq 1 ] && grep -q 'decompressed to [0-9]* bytes, the image records 1073741823' "$WORK/err"
	tap_ok $? "a bzImage claiming 1 GiB is refused for the mismatch, not for memory (exit $rc: $(head -1 "$WORK/err"))"
fi
tap_done
