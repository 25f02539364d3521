# SPDX-License-Identifier: GPL-2.0
# An installed Debian 12 system to test the packages on (make
# check-install, tools/vmi-install-check): a minbase bookworm with
# systemd as init, dkms, gcc, make, kmod, udev and one stock kernel with
# its headers, all from this machine's Debian mirror, on an ext4 disk
# image. Built once into $VMI_CACHE/rootfs/<release>-<hash>/, keyed by
# this file (the recipe), the kernel release and the mirror lines, like
# the kernels (kernel.sh):
#
#   disk.img     raw ext4 (LABEL=vmiroot), sparse; every run boots a
#                qcow2 overlay of it, never the image itself
#   vmlinuz      the image's /boot/vmlinuz-<release>
#   initrd.img   its initramfs (initramfs-tools, MODULES=most)
#   packages     dpkg -l of the image
#   .ready       written last
#
# mmdebstrap, not debootstrap: the guest kernel Debian 12 ships now is
# in bookworm-security, which one debootstrap run cannot take from
# (it builds one suite of one mirror; the rest needs a chroot with
# /proc, /sys and /dev mounted by hand). mmdebstrap takes every suite in
# one run, with the same --variant=minbase, and unmounts what it
# mounted. The file system comes from mkfs.ext4 -d: no loop mount.
#
# In the image: the unit vmi-install-job.service, which at boot mounts
# the run's second disk (LABEL=vmijob, read-only) and runs its job.sh
# with the result port /dev/ttyS1 (tests/install/job.sh). The job, not
# the image, holds what is tested, so changing it does not build anew.
#
# Sourced after common.sh.

# Raise when the recipe changes in a way the hash of this file misses
# (it does not miss any edit of this file).
ROOTFS_SIZE=4G
ROOTFS_PACKAGES="systemd systemd-sysv udev dkms gcc make kmod initramfs-tools
	procps less openssl"

# "URL SUITE" of each Debian suite this machine's apt uses for amd64
# binaries, main component: the guest's packages come from them.
_rootfs_suites() {
	apt-cache policy 2>/dev/null |
		sed -n 's#^ *[0-9]* \(https\?://[^ ]*\) \(bookworm[^/ ]*\)/main amd64 Packages#\1 \2#p' |
		sort -u
}

# rootfs_key RELEASE -> the cache key
rootfs_key() {
	{
		cat "$VMI_ROOT/tools/lib/rootfs.sh"
		echo "$1"
		_rootfs_suites
	} | sha256sum | cut -c1-12
}

# rootfs_prepare RELEASE -> sets ROOTFS (the cache directory)
rootfs_prepare() {
	local rel=$1
	need_packages mmdebstrap e2fsprogs qemu-utils
	ROOTFS=$VMI_CACHE/rootfs/$rel-$(rootfs_key "$rel")
	[ -e "$ROOTFS/.ready" ] && return 0
	mkdir -p "$VMI_CACHE/rootfs"
	(
		flock 9
		_rootfs_build "$rel" "$ROOTFS"
	) 9>"$VMI_CACHE/rootfs/.lock" || exit $?
}

_rootfs_build() {
	local rel=$1 out=$2 tmp=$2.tmp tree srcs=() url suite t0=$SECONDS
	[ -e "$out/.ready" ] && return 0
	apt_lists_fresh || apt_update_once
	while read -r url suite; do
		[ -n "$url" ] && srcs+=("deb $url $suite main")
	done < <(_rootfs_suites)
	[ ${#srcs[@]} -gt 0 ] || die "no Debian bookworm suite in this machine's apt sources"
	apt-cache show "linux-image-$rel" >/dev/null 2>&1 ||
		die "no Debian package linux-image-$rel (the guest's kernel)"
	rm -rf "$tmp"
	mkdir -p "$tmp"
	tree=$tmp/tree
	_rootfs_customize_script >"$tmp/customize.sh"
	info "building the Debian 12 root file system for $rel (once; minutes)"
	# shellcheck disable=SC2086
	mmdebstrap --variant=minbase --mode=root --format=directory -q \
		--include="$(echo $ROOTFS_PACKAGES | tr ' ' ,),linux-image-$rel,linux-headers-$rel" \
		--customize-hook="sh $tmp/customize.sh \"\$1\"" \
		bookworm "$tree" "${srcs[@]}" >"$tmp/mmdebstrap.log" 2>&1 ||
		{ tail -20 "$tmp/mmdebstrap.log" >&2; die "mmdebstrap failed ($tmp/mmdebstrap.log)"; }
	[ -e "$tree/boot/vmlinuz-$rel" ] && [ -e "$tree/boot/initrd.img-$rel" ] ||
		die "the root file system has no /boot/vmlinuz-$rel or its initrd"
	cp "$tree/boot/vmlinuz-$rel" "$tmp/vmlinuz"
	cp "$tree/boot/initrd.img-$rel" "$tmp/initrd.img"
	chroot "$tree" dpkg -l >"$tmp/packages"
	mkfs.ext4 -q -F -L vmiroot -d "$tree" "$tmp/disk.img" "$ROOTFS_SIZE" ||
		die "mkfs.ext4 -d failed"
	rm -rf "$tree"
	rm -rf "$out"
	mv "$tmp" "$out"
	touch "$out/.ready"
	info "root file system built in $((SECONDS - t0)) s: $out"
}
# The hook mmdebstrap runs in the finished tree ($1): what makes it a
# test guest. No root password (the console is the only way in), a
# persistent journal (the job reads the boot before a reboot), no
# timers that would run apt or fsck beside the job, no getty on the
# console the job writes to.
_rootfs_customize_script() {
	cat <<-'HOOK'
	set -e
	root=$1
	echo vmi-guest >"$root/etc/hostname"
	printf '127.0.0.1\tlocalhost\n127.0.1.1\tvmi-guest\n' >"$root/etc/hosts"
	echo 'LABEL=vmiroot / ext4 errors=remount-ro 0 1' >"$root/etc/fstab"
	chroot "$root" passwd -dq root
	mkdir -p "$root/var/log/journal"
	for u in serial-getty@ttyS0.service apt-daily.timer \
		apt-daily-upgrade.timer e2scrub_all.timer fstrim.timer; do
		ln -sf /dev/null "$root/etc/systemd/system/$u"
	done
	mkdir -p "$root/usr/local/sbin"
	cat >"$root/usr/local/sbin/vmi-install-job" <<-'EOF'
	#!/bin/sh
	# The run's job (tools/lib/rootfs.sh): its second disk, read-only
	# at /vmijob, holds job.sh; /dev/ttyS1 is the result port.
	port=/dev/ttyS1
	i=0
	while [ ! -e /dev/disk/by-label/vmijob ] && [ $i -lt 120 ]; do
		sleep 1
		i=$((i + 1))
	done
	mkdir -p /vmijob
	if ! mountpoint -q /vmijob && ! mount -o ro LABEL=vmijob /vmijob; then
		echo "@@VMI-INSTALL-ERROR no job disk (LABEL=vmijob)" >$port
		systemctl poweroff
		exit 1
	fi
	exec sh /vmijob/job.sh $port
	EOF
	chmod 755 "$root/usr/local/sbin/vmi-install-job"
	cat >"$root/etc/systemd/system/vmi-install-job.service" <<-'EOF'
	[Unit]
	Description=vmi-shim install check: the job on the run's second disk
	After=local-fs.target systemd-udevd.service

	[Service]
	Type=simple
	ExecStart=/usr/local/sbin/vmi-install-job
	StandardOutput=journal+console
	StandardError=journal+console

	[Install]
	WantedBy=multi-user.target
	EOF
	mkdir -p "$root/etc/systemd/system/multi-user.target.wants"
	ln -sf /etc/systemd/system/vmi-install-job.service \
		"$root/etc/systemd/system/multi-user.target.wants/"
	HOOK
}
