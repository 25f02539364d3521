# SPDX-License-Identifier: GPL-2.0
# Build busybox initramfs images for test guests. Sourced after kernel.sh.

# Print the path of a static busybox for ARCH (amd64 | i386).
busybox_for_arch() {
	local arch=$1 dir
	if [ "$arch" = amd64 ]; then
		need_packages busybox-static
		echo /bin/busybox
		return 0
	fi
	# Installing busybox-static:i386 would replace the amd64 one, so the
	# i386 build is only unpacked into the cache.
	dir=$VMI_CACHE/busybox-$arch
	if [ ! -x "$dir/bin/busybox" ]; then
		need_i386_arch
		with_cache_lock _busybox_fetch "$arch" "$dir" || exit $?
	fi
	echo "$dir/bin/busybox"
}

_busybox_fetch() {
	local arch=$1 dir=$2 d
	[ -x "$dir/bin/busybox" ] && return 0
	d=$(mktemp -d)
	(cd "$d" && apt-get download -q "busybox-static:$arch" >/dev/null 2>&1) ||
		{ apt_update_once; (cd "$d" && apt-get download -q "busybox-static:$arch" >/dev/null); } ||
		die "cannot download busybox-static:$arch"
	rm -rf "$dir.tmp"
	dpkg-deb -x "$d"/busybox-static_*.deb "$dir.tmp" || die "cannot unpack busybox"
	rm -rf "$d" "$dir"
	mv "$dir.tmp" "$dir"
}

# initramfs_stage_kmods DIR NAME... : copy stock kernel modules (and their
# dependencies, uncompressed) to DIR/vmi/kmod with a load-order file per
# requested module, for the guest's kmod-load.
initramfs_stage_kmods() {
	local dir=$1/vmi/kmod m n f
	shift
	mkdir -p "$dir"
	for m in "$@"; do
		kernel_module_order "$m" >"$dir/$m.order"
		grep -q '^missing:' "$dir/$m.order" &&
			die "kernel $KREL has no module $(grep '^missing:' "$dir/$m.order" | head -1 | cut -d: -f2)"
		while read -r n; do
			[ -e "$dir/$n.ko" ] && continue
			f=$(kernel_module_path "$n")
			case $f in
			*.xz) xz -dc "$f" >"$dir/$n.ko" ;;
			*.zst) zstd -qdc "$f" >"$dir/$n.ko" ;;
			*.gz) gzip -dc "$f" >"$dir/$n.ko" ;;
			*) cp "$f" "$dir/$n.ko" ;;
			esac
		done <"$dir/$m.order"
	done
}

# initramfs_base DIR ARCH: busybox, the init script and guest helpers.
initramfs_base() {
	local dir=$1 arch=$2 bb
	bb=$(busybox_for_arch "$arch") || exit $?
	mkdir -p "$dir"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,run,mnt,etc,root,vmi/bin,vmi/lib}
	cp "$bb" "$dir/bin/busybox"
	cp "$VMI_ROOT/tools/guest/init" "$dir/init"
	cp "$VMI_ROOT/tools/guest/kmod-load" "$VMI_ROOT/tools/guest/modwatch" \
		"$VMI_ROOT/tools/guest/l2-watch" "$dir/vmi/bin/"
	chmod 755 "$dir/init" "$dir/vmi/bin/kmod-load" "$dir/vmi/bin/modwatch" \
		"$dir/vmi/bin/l2-watch"
	# l2-watch reads the L2's QMP events as vmi-run reads the L1's
	cp "$VMI_ROOT/tools/lib/qmp.sh" "$dir/vmi/lib/"
}

# initramfs_pack DIR OUT
initramfs_pack() {
	(cd "$1" && find . -print0 | LC_ALL=C sort -z |
		cpio --null -o -H newc --quiet -R 0:0) >"$2" ||
		die "cpio failed"
}

# initramfs_client INIT OUT: the initramfs of a VMI client kernel
# (vmi-run -k 2.6.32-vmi): INIT as /init, /proc, /sys, and the console
# and result-port nodes the kernel and INIT open before anything is
# mounted. Written by the prepared kernel's own usr/gen_init_cpio (its
# build tree is $KDIR_PATH), which makes device nodes without root.
initramfs_client() {
	local init=$1 out=$2 gen=$KDIR_PATH/usr/gen_init_cpio
	[ -x "$gen" ] || die "no $gen: kernel $KREL's build tree is incomplete (build it again)"
	[ -x "$init" ] || die "no $init (make vmi-client)"
	printf '%s\n' "dir /dev 0755 0 0" "nod /dev/console 0600 0 0 c 5 1" \
		"nod /dev/ttyS0 0600 0 0 c 4 64" "nod /dev/ttyS1 0600 0 0 c 4 65" \
		"dir /proc 0555 0 0" "dir /sys 0555 0 0" \
		"file /init $init 0755 0 0" >"$out.list"
	"$gen" "$out.list" >"$out" || die "gen_init_cpio failed"
	rm -f "$out.list"
}
