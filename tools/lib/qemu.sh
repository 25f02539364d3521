# SPDX-License-Identifier: GPL-2.0
# The QEMU that emulates the nested KVM host (vmi-run -m kvm on a machine
# without vmx/svm) and bare guests that ask for it (vmi-run --patched-qemu):
# Debian's own qemu source package, the version of the installed
# qemu-system-x86, rebuilt with tools/qemu/*.patch:
#
#   0001  the fix: every FPU state restore on any vCPU rewrote first_cpu's
#         hflags2 without atomicity, undoing that vCPU's own SVM updates
#         (nested paging, GIF) at random; this killed the nested guests
#         (HISTORY.md, "The nested deaths are QEMU's")
#   0002  diagnostics: QEMU reports an inconsistent SVM state itself
#         ("VMI-QEMU: " lines in the run's .qemu log; vmi-run prints them)
#   0003  the fix: multi-threaded TCG linked code translated from bytes
#         written meanwhile, so a stale INT3 outlived Linux's text patching
#         (HISTORY.md, "Cross-modifying code: QEMU links stale
#         translations")
#   0004  the fix: an external interrupt VMRUN injected was delivered a
#         second time, as an exception, ignoring IF
#   0005  diagnostics: RFLAGS with reserved bits moved through a VMCB, and
#         kernel IRETs with NT (HISTORY.md, "An L2 RFLAGS no CPU can
#         hold")
#
# Built once per (source version, patch set) into $VMI_CACHE/qemu/: about
# 3 to 4 minutes on two idle cores; as fast at run time as Debian's binary.
# Nothing is installed on the host apart from build dependencies; the
# source comes from Debian's archive through a private apt list, so the
# machine's sources.list is left as it is.
#
# Sourced after common.sh.

# How this file builds (configure options, wrapper): raise it with them.
QEMU_BUILD_REV=3

# The build's identity: the patches and QEMU_BUILD_REV, so that a changed
# patch or build builds a new QEMU instead of reusing a stale one.
_qemu_patch_id() {
	{
		cat "$VMI_ROOT"/tools/qemu/*.patch
		echo "build $QEMU_BUILD_REV"
	} | sha256sum | cut -c1-12
}

# The source version of the installed qemu-system-x86 (dpkg's
# source:Version has no binNMU suffix "+bN": those have no source).
_qemu_source_version() {
	dpkg-query -W -f='${source:Version}' qemu-system-x86 2>/dev/null
}

# qemu_nested_dir -> the cache directory of the patched build (may not exist)
qemu_nested_dir() {
	local v
	v=$(_qemu_source_version) || return 1
	[ -n "$v" ] || return 1
	echo "$VMI_CACHE/qemu/${v#*:}-vmi-$(_qemu_patch_id)"
}

# Debian source packages through a private list (and a private apt
# cache): deb-src of the suites the machine already uses for binaries.
# Kept in the cache: the archive drops a version at the next point
# release, and a changed patch must still build.
_qemu_fetch_source() { # _qemu_fetch_source VERSION DIR
	local ver=$1 dir=$2 apt=$VMI_CACHE/qemu/apt suites
	ls "$dir"/qemu_*.orig.tar.* "$dir"/qemu_*.debian.tar.* >/dev/null 2>&1 &&
		return 0
	mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$dir"
	suites=$(apt-cache policy qemu-system-x86 2>/dev/null |
		sed -n 's#^ *[0-9]* \(https\?://[^ ]*\) \([^/ ]*\)/main .*#\1 \2#p' |
		sort -u)
	[ -n "$suites" ] || suites="http://deb.debian.org/debian bookworm"
	: >"$apt/sources.list"
	while read -r url suite; do
		echo "deb-src $url $suite main" >>"$apt/sources.list"
	done <<<"$suites"
	local o=(-o "Dir::Etc::SourceList=$apt/sources.list"
		-o Dir::Etc::SourceParts=/dev/null
		-o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt/cache")
	apt-get "${o[@]}" update -qq >/dev/null 2>&1 ||
		info "apt-get update of the source lists reported errors; going on"
	(cd "$dir" && apt-get "${o[@]}" source --download-only -qq \
		"qemu=$ver" >/dev/null 2>"$dir/.err") ||
		{ cat "$dir/.err" >&2; die "cannot download the source of qemu $ver"; }
}

_qemu_build_locked() { # _qemu_build_locked DIR
	local dir=$1 ver src tmp=$1.tmp p n dl
	[ -x "$dir/bin/qemu-system-x86_64" ] && return 0
	ver=$(_qemu_source_version)
	need_packages build-essential pkg-config meson ninja-build \
		libglib2.0-dev libpixman-1-dev libfdt-dev libslirp-dev \
		libcap-ng-dev libattr1-dev flex bison xz-utils seabios ipxe-qemu
	info "building QEMU $ver with tools/qemu/*.patch (once; about 3 to 4 minutes)"
	rm -rf "$tmp"
	mkdir -p "$tmp"
	dl=$VMI_CACHE/qemu/src-${ver#*:}
	_qemu_fetch_source "$ver" "$dl"
	tar -C "$tmp" -xf "$dl"/qemu_*.orig.tar.* || die "cannot unpack QEMU"
	src=$(find "$tmp" -mindepth 1 -maxdepth 1 -type d -name 'qemu-*' | head -1)
	[ -n "$src" ] || die "no source tree in the QEMU tarball"
	tar -C "$src" -xf "$dl"/qemu_*.debian.tar.* || die "cannot unpack debian/"
	# Debian's patches (QEMU's stable releases and its own), then ours
	while read -r p; do
		case $p in '' | '#'*) continue ;; esac
		patch -d "$src" -p1 -s -N <"$src/debian/patches/$p" >/dev/null ||
			die "Debian patch $p does not apply"
	done <"$src/debian/patches/series"
	for p in "$VMI_ROOT"/tools/qemu/*.patch; do
		patch -d "$src" -p1 -s -N <"$p" || die "${p##*/} does not apply to QEMU $ver"
	done
	mkdir -p "$src/build"
	# Only the x86-64 system emulator, with what vmi-run uses: TCG, KVM
	# (--patched-qemu on a CPU with vmx/svm runs -accel kvm), the pc
	# machine with the devices it has by default in Debian's build (its
	# "info qtree" under vmi-run's options is the same), virtio-9p (the
	# L1 mounts the host's root). Every other feature and device, and
	# debug info, off: the build is part of a fresh make check.
	cat >"$src/configs/devices/x86_64-softmmu/vmi-shim.mak" <<-EOF
	CONFIG_I440FX=y
	CONFIG_HPET=y
	CONFIG_VGA_PCI=y
	CONFIG_E1000_PCI=y
	CONFIG_VMPORT=y
	CONFIG_VMMOUSE=y
	CONFIG_PARALLEL=y
	CONFIG_VIRTIO_PCI=y
	CONFIG_VIRTIO_9P=y
	EOF
	(cd "$src/build" && PATH=/usr/bin:/bin ../configure \
		--target-list=x86_64-softmmu --meson=/usr/bin/meson \
		--without-default-features --without-default-devices \
		--with-devices-x86_64=vmi-shim \
		--disable-docs --disable-tools --disable-werror \
		--disable-install-blobs --disable-debug-info --enable-tcg --enable-kvm \
		--enable-virtfs --enable-slirp --enable-attr --enable-cap-ng \
		--enable-fdt=system >"$tmp/configure.log" 2>&1) ||
		{ tail -20 "$tmp/configure.log" >&2; die "QEMU configure failed ($tmp/configure.log)"; }
	n=$(nproc)
	(cd "$src/build" && nice ninja -j"$n" qemu-system-x86_64 >"$tmp/build.log" 2>&1) ||
		{ tail -20 "$tmp/build.log" >&2; die "QEMU build failed ($tmp/build.log)"; }
	mkdir -p "$tmp/bin"
	install -m 755 "$src/build/qemu-system-x86_64" "$tmp/bin/qemu-system-x86_64.real"
	# firmware from Debian's packages: the build ships none (--disable-install-blobs)
	cat >"$tmp/bin/qemu-system-x86_64" <<-EOF
	#!/bin/sh
	# QEMU $ver with tools/qemu/*.patch (vmi-shim, tools/lib/qemu.sh)
	exec "\$(dirname "\$0")/qemu-system-x86_64.real" -L /usr/share/qemu \\
		-L /usr/share/seabios -L /usr/lib/ipxe/qemu "\$@"
	EOF
	chmod 755 "$tmp/bin/qemu-system-x86_64"
	cp "$VMI_ROOT"/tools/qemu/*.patch "$tmp/"
	rm -rf "$src"
	rm -rf "$dir"
	mv "$tmp" "$dir"
}

# qemu_nested -> path of the patched qemu-system-x86_64, built if needed
qemu_nested() {
	local dir
	dir=$(qemu_nested_dir) || die "qemu-system-x86 is not installed"
	if [ ! -x "$dir/bin/qemu-system-x86_64" ]; then
		mkdir -p "$VMI_CACHE"
		(
			flock 9
			_qemu_build_locked "$dir" >&2
		) 9>"$VMI_CACHE/.lock-qemu" || return 1
	fi
	echo "$dir/bin/qemu-system-x86_64"
}
