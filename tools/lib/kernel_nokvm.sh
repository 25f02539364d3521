# SPDX-License-Identifier: GPL-2.0
# A 6.1 kernel built without CONFIG_KVM_GUEST (kernel spec "6.1-nokvm"):
# the retrofit's second target, a kernel that cannot set up KVM's
# paravirtualization at all. Built once from Debian's linux-source-6.1
# (x86_64_defconfig, PARAVIRT and PARAVIRT_SPINLOCKS on, KVM_GUEST off, and
# what vmi_shim.ko and the guest runner need) into the same cache layout
# as a downloaded kernel (kernel.sh), so vmi-run, vmi-kernel and make work
# on it unchanged. Takes 15-40 minutes on two cores; cached afterwards.
#
# Sourced after common.sh and kernel.sh.

NOKVM_SUFFIX=-vmi-nokvm-amd64

with_nokvm_lock() {
	mkdir -p "$VMI_CACHE"
	(
		flock 9
		[ -e "$VMI_CACHE/kernels/$2/.ready" ] || "$@"
	) 9>"$VMI_CACHE/.lock-nokvm"
}

# The release string the build will have (from the installed source).
nokvm_release() {
	local v
	need_packages linux-source-6.1
	v=$(dpkg-query -W -f='${Version}' linux-source-6.1) ||
		die "cannot read the version of linux-source-6.1"
	echo "${v%%-*}$NOKVM_SUFFIX"
}

# What vmi_shim.ko, its selftests and the runner need beyond defconfig.
_nokvm_config() {
	local c=scripts/config
	$c --enable PARAVIRT --enable PARAVIRT_SPINLOCKS \
		--enable HYPERVISOR_GUEST --disable KVM_GUEST \
		--disable XEN --disable JAILHOUSE_GUEST --disable ACRN_GUEST \
		--enable MODULES --enable MODULE_UNLOAD --enable KALLSYMS \
		--enable KALLSYMS_ALL --enable KPROBES --enable DEBUG_FS \
		--enable DEVTMPFS --enable HOTPLUG_CPU \
		--module X86_MSR --module X86_CPUID \
		--enable SERIAL_8250 --enable SERIAL_8250_CONSOLE \
		--enable BLK_DEV_INITRD --enable RD_GZIP \
		--disable DEBUG_INFO_BTF --disable MODULE_SIG \
		--disable SYSTEM_TRUSTED_KEYRING --set-str SYSTEM_TRUSTED_KEYS "" \
		--set-str LOCALVERSION "$NOKVM_SUFFIX" --disable LOCALVERSION_AUTO
	make -s olddefconfig
	grep -q '^# CONFIG_KVM_GUEST is not set' .config &&
		grep -q '^CONFIG_PARAVIRT=y' .config ||
		die "the nokvm config did not come out as wanted"
}

# _kernel_build_nokvm RELEASE DIR: build and lay out like a downloaded one.
_kernel_build_nokvm() {
	local rel=$1 dir=$2 src=$VMI_CACHE/src/nokvm tmp=$2.tmp got
	need_packages linux-source-6.1 build-essential bc bison flex \
		libelf-dev libssl-dev cpio kmod xz-utils
	if [ ! -e "$src/.unpacked" ]; then
		info "unpacking linux-source-6.1 into $src"
		rm -rf "$src"
		mkdir -p "$src"
		tar -xJf /usr/src/linux-source-6.1.tar.xz -C "$src" \
			--strip-components=1 || die "cannot unpack linux-source-6.1"
		touch "$src/.unpacked"
	fi
	info "building $rel (x86_64_defconfig without KVM_GUEST; takes a while)"
	(
		cd "$src" || exit 1
		make -s x86_64_defconfig && _nokvm_config &&
			make -s -j"$(nproc)" bzImage modules >build.log 2>&1
	) || { tail -20 "$src/build.log" >&2; die "building $rel failed (see $src/build.log)"; }
	got=$(make -s -C "$src" kernelrelease)
	[ "$got" = "$rel" ] || die "built $got, expected $rel"
	rm -rf "$tmp"
	mkdir -p "$tmp/root/usr/src" "$tmp/root/boot"
	make -s -C "$src" INSTALL_MOD_PATH="$tmp/root" modules_install ||
		die "modules_install failed"
	cp "$src/arch/x86/boot/bzImage" "$tmp/root/boot/vmlinuz-$rel"
	cp "$src/.config" "$tmp/root/boot/config-$rel"
	# The build tree is the KDIR for out-of-tree modules.
	ln -s "$src" "$tmp/root/usr/src/linux-headers-$rel"
	ln -s "root/boot/vmlinuz-$rel" "$tmp/vmlinuz"
	ln -s "root/lib/modules/$rel" "$tmp/modules"
	echo amd64 >"$tmp/arch"
	rm -rf "$dir"
	mv "$tmp" "$dir"
	touch "$dir/.ready"
}
