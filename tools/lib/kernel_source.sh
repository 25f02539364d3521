# SPDX-License-Identifier: GPL-2.0
# Kernels built here from a source tree the user names: the old kernels
# (5.10, 5.4, 4.19, 4.14) that no Debian 12 package is, and a genuine
# VMI client (2.6.32-vmi: Linux 2.6.21 to 2.6.36 on i386, issue 15).
#
#   vmi-kernel build NAME --source DIR [--rev REV] [--cc CC]
#
# DIR is a kernel tree, or a git repository (bare or not) of one, of
# which REV (default HEAD) is built. NAME (5.10, 4.14, 2.6.32-vmi,
# anything made of [0-9a-z.-]) is then a kernel spec: vmi-run -k NAME, make module
# KERNEL=NAME. Its release is "<kernelversion>-vmi-src-amd64", cached
# like a downloaded kernel (kernel.sh) with the build tree as its KDIR;
# $VMI_CACHE/kernels/.src-NAME names the release.
#
# The configuration is what a distribution kernel has where the shim
# cares, and little else, so that a build takes minutes: x86_64
# defconfig, kvm_guest.config, XEN_PV (which is what gives 4.20 and
# later PARAVIRT_XXL, as on distro kernels), PARAVIRT_SPINLOCKS,
# X86_X2APIC (every distribution has it; a KVM guest then runs its APIC
# in x2APIC mode, as the Debian 6.1 guests do, where the defconfig's
# flat xAPIC driver is a path no distro guest takes), modules unsigned, the rest of _built_config_common, and no drivers a
# guest of the rig does not use.
#
# A tree with a VMI client (arch/x86/kernel/vmi_32.c) is built for i386
# instead, release "<kernelversion>-vmi-src-i386", from i386_defconfig
# and tools/kernel-configs/vmi-client-i386.config (PARAVIRT_GUEST, VMI,
# NET off, ...: _src_config_vmi); ARCH=i386 is written into its Makefile
# as CC is. It is booted with a freestanding init (tests/vmi-client),
# not the shim: Debian 12's userspace needs 3.2+. A NAME that ends in
# "-pae" (2.6.32-vmi-pae) builds the same client with PAE: the fragment
# tools/kernel-configs/vmi-client-i386-pae.config on top of the other
# (HIGHMEM64G, X86_PAE), release "<kernelversion>-pae-vmi-src-i386", so
# that the ROM's PAE calls (SetPxELong, UpdatePxELong) are reached.
#
# Trees on the net are not always as released. Two fixes are applied
# at build time, neither of which changes what the kernel does:
#  - files that start with "#!" get their executable bit back (some
#    public copies lose it, and Kconfig then fails with a "syntax
#    error" in init/Kconfig);
#  - tools/kernel-patches/src/<VERSION.PATCHLEVEL>/*.patch, build fixes
#    for that series with today's toolchain, each saying why.
# --cc names the compiler (gcc-11 for the old trees: gcc 12 trips
# objtool's -Werror=use-after-free in 5.10 and 4.14). It is written
# into the tree's own Makefile, so every later module build against
# the tree uses it without being told.
#
# Sourced after common.sh and kernel.sh.

SRC_SUFFIX=-vmi-src-amd64
SRC_SUFFIX_VMI=-vmi-src-i386
SRC_SUFFIX_VMI_PAE=-pae$SRC_SUFFIX_VMI
# What the configuration must come out with (_src_config fails without
# one; src_prepare warns of a kernel cached before the recipe wanted it).
SRC_WANTED="PARAVIRT KVM_GUEST XEN_PV PARAVIRT_SPINLOCKS MODULES
	MODULE_UNLOAD KALLSYMS_ALL KPROBES SERIAL_8250_CONSOLE BLK_DEV_INITRD
	HOTPLUG_CPU X86_X2APIC"
# The same for a VMI client (i386); NET must come out off.
SRC_WANTED_VMI="PARAVIRT_GUEST VMI PARAVIRT X86_32 SMP X86_LOCAL_APIC
	SERIAL_8250_CONSOLE BLK_DEV_INITRD PROC_FS SYSFS"
# ... and with PAE (a NAME ending in -pae); without, X86_PAE must be off.
SRC_WANTED_VMI_PAE="X86_PAE HIGHMEM64G"

# src_release NAME -> the release built for NAME, or nothing (status 1)
src_release() {
	local f=$VMI_CACHE/kernels/.src-$1
	[ -s "$f" ] && cat "$f"
}

src_is_release() {
	case $1 in *"$SRC_SUFFIX" | *"$SRC_SUFFIX_VMI") return 0 ;; esac
	return 1
}

# src_is_vmi_client RELEASE: a VMI client built from source (i386)
src_is_vmi_client() { case $1 in *"$SRC_SUFFIX_VMI") return 0 ;; esac; return 1; }

# src_is_vmi_pae RELEASE: a VMI client built with PAE
src_is_vmi_pae() { case $1 in *"$SRC_SUFFIX_VMI_PAE") return 0 ;; esac; return 1; }

# src_vmi_wanted RELEASE -> the options a VMI client RELEASE wants =y
src_vmi_wanted() {
	echo "$SRC_WANTED_VMI"
	if src_is_vmi_pae "$1"; then echo "$SRC_WANTED_VMI_PAE"; fi
}

# src_arch RELEASE -> amd64 | i386
src_arch() {
	case $1 in *"$SRC_SUFFIX_VMI") echo i386 ;; *) echo amd64 ;; esac
}

# src_prepare RELEASE: a built source kernel is ready, or it is not
# built; nothing is downloaded or built on the way.
src_prepare() {
	local want wanted=$SRC_WANTED cfg=$VMI_CACHE/kernels/$1/root/boot/config-$1
	[ -e "$VMI_CACHE/kernels/$1/.ready" ] ||
		die "kernel $1 is not built here (tools/vmi-kernel build NAME --source DIR; docs/old-kernels.md)"
	[ "$(src_arch "$1")" = i386 ] && wanted=$(src_vmi_wanted "$1")
	for want in $wanted; do
		grep -q "^CONFIG_$want=y" "$cfg" 2>/dev/null ||
			info "warning: kernel $1 was built before its recipe wanted CONFIG_$want=y; its results are those of the older configuration until it is built again (docs/old-kernels.md)"
	done
}

_src_chmod_scripts() {
	local f
	while IFS= read -r -d '' f; do
		[ "$(head -c2 "$f" | tr -d '\0')" = "#!" ] && chmod +x "$f"
	done < <(find scripts arch/x86 tools -type f ! -perm -u+x -print0)
}

# _src_unpack_git REPO REV DIR. A stored snapshot of a repository may
# lack its largest blobs (amdgpu's register headers, say): those files
# are left out and listed in DIR/.absent, and the build goes on. A file
# the configuration needs fails the build naming it.
_src_unpack_git() {
	local repo=$1 rev=$2 dir=$3 idx
	idx=$(mktemp) || exit 1
	git -C "$repo" ls-tree -r "$rev" |
		awk '$2 == "blob" { print $3 "\t" $4 }' >"$dir/.tree" ||
		die "cannot list $rev of $repo"
	cut -f1 "$dir/.tree" | git -C "$repo" cat-file --batch-check |
		awk '$2 == "missing" { print $1 }' |
		{ grep -Ff - "$dir/.tree" || :; } | cut -f2 >"$dir/.absent"
	rm -f "$dir/.tree"
	[ -s "$dir/.absent" ] &&
		info "$(wc -l <"$dir/.absent") files are absent from $repo (listed in $dir/.absent)"
	info "unpacking $rev of $repo"
	# through an index of its own: checkout-index reads only the blobs
	# left in it, where git archive reads every one
	# (a bare repository too: the tree is the work tree)
	GIT_INDEX_FILE=$idx git -C "$repo" --work-tree="$dir" read-tree "$rev" &&
		GIT_INDEX_FILE=$idx git -C "$repo" --work-tree="$dir" \
			update-index --force-remove --stdin <"$dir/.absent" &&
		GIT_INDEX_FILE=$idx git -C "$repo" --work-tree="$dir" \
			checkout-index -a -f ||
		{ rm -f "$idx"; die "cannot unpack $rev of $repo"; }
	rm -f "$idx"
}

_src_config() {
	local want
	make -s x86_64_defconfig
	# kvm_guest.config since 5.10; kvmconfig before
	make -s kvm_guest.config >/dev/null 2>&1 || make -s kvmconfig >/dev/null ||
		die "neither kvm_guest.config nor kvmconfig in this tree"
	_built_config_common src
	scripts/config --set-str LOCALVERSION "$SRC_SUFFIX" \
		--enable KVM_GUEST --enable XEN --enable XEN_PV \
		--enable PARAVIRT_SPINLOCKS --enable X86_X2APIC \
		--disable MODULE_SIG --disable SYSTEM_TRUSTED_KEYRING \
		--set-str SYSTEM_TRUSTED_KEYS "" \
		--disable DEBUG_INFO --disable DEBUG_INFO_BTF \
		--disable DRM --disable SOUND --disable USB_SUPPORT \
		--disable HID --disable WLAN --disable WIRELESS \
		--disable ETHERNET --disable NETFILTER --disable AGP \
		--disable ATA --disable SCSI --disable MD --disable NFS_FS \
		--disable NFSD --disable FB --disable EFI \
		--disable HAMRADIO --disable IPV6 --disable NET_SCHED \
		--disable SECURITY_SELINUX --disable XEN_PVHVM_GUEST \
		--disable XEN_DOM0
	make -s olddefconfig
	for want in $SRC_WANTED; do
		grep -q "^CONFIG_$want=y" .config ||
			die "the source kernel config did not come out as wanted: no CONFIG_$want=y"
	done
}

# _src_config_frag FILE: apply a fragment of CONFIG_X=y, CONFIG_X=N,
# CONFIG_X="string" and "# CONFIG_X is not set" lines to .config (2.6.32
# has no merge_config.sh).
_src_config_frag() {
	local frag=$1 l v
	while IFS= read -r l; do
		case $l in
		"# CONFIG_"*" is not set")
			l=${l#"# CONFIG_"}
			scripts/config --disable "${l%" is not set"}" ;;
		CONFIG_*=\"*)
			l=${l#CONFIG_} v=${l#*=}
			v=${v#\"}
			scripts/config --set-str "${l%%=*}" "${v%\"}" ;;
		CONFIG_*=y) l=${l#CONFIG_}; scripts/config --enable "${l%=y}" ;;
		CONFIG_*=*) l=${l#CONFIG_}; scripts/config --set-val "${l%%=*}" "${l#*=}" ;;
		"" | "#"*) ;;
		*) die "${frag#"$VMI_ROOT"/}: cannot read '$l'" ;;
		esac || die "scripts/config failed on '$l'"
	done <"$frag"
}

# _src_config_vmi REL: a VMI client for i386, release REL.
# i386_defconfig, then the fragment, then every new symbol at its
# default: HIGHMEM4G and no PAE, as i386_defconfig has them. With PAE
# (REL ends in $SRC_SUFFIX_VMI_PAE), the PAE fragment after it:
# HIGHMEM64G, X86_PAE, its own LOCALVERSION.
_src_config_vmi() {
	local cfgs=$VMI_ROOT/tools/kernel-configs want
	make -s i386_defconfig >/dev/null || die "make i386_defconfig failed"
	_src_config_frag "$cfgs/vmi-client-i386.config"
	if src_is_vmi_pae "$1"; then
		_src_config_frag "$cfgs/vmi-client-i386-pae.config"
	fi
	{ yes '' || :; } | make -s oldconfig >/dev/null 2>&1 || die "make oldconfig failed"
	for want in $(src_vmi_wanted "$1"); do
		grep -q "^CONFIG_$want=y" .config ||
			die "the VMI client config did not come out as wanted: no CONFIG_$want=y"
	done
	! grep -q '^CONFIG_NET=y' .config ||
		die "the VMI client config did not come out as wanted: CONFIG_NET=y"
	src_is_vmi_pae "$1" || ! grep -q '^CONFIG_X86_PAE=y' .config ||
		die "the VMI client config did not come out as wanted: CONFIG_X86_PAE=y"
}

# src_check NAME DIR REV: a build's arguments, checked before the cache
# is touched: a build starts by removing NAME's source tree, which is
# the KDIR of NAME if it was built before. A NAME ending in -pae
# wants a VMI client (a tree with arch/x86/kernel/vmi_32.c).
src_check() {
	local vmi=arch/x86/kernel/vmi_32.c
	[[ $1 =~ ^[0-9a-z][0-9a-z.-]*$ ]] || die "kernel name '$1': use [0-9a-z.-]"
	if [ -f "$2/Makefile" ] && [ -d "$2/arch/x86" ]; then
		[ -z "$3" ] || die "--rev needs a git repository; $2 is a tree"
		[ -f "$2/$vmi" ] || vmi=
	elif ! git -C "$2" rev-parse --verify -q "${3:-HEAD}^{commit}" >/dev/null 2>&1; then
		die "$2 is neither a kernel tree nor a git repository with ${3:-HEAD}"
	else
		# the tree's listing, not the blob (a snapshot may lack blobs)
		[ -n "$(git -C "$2" ls-tree "${3:-HEAD}" "$vmi" 2>/dev/null)" ] || vmi=
	fi
	case $1 in
	*-pae) [ -n "$vmi" ] || die "kernel name '$1': a name ending in -pae builds a VMI client with PAE, and $2 has no arch/x86/kernel/vmi_32.c" ;;
	esac
}

# src_build NAME DIR REV CC: build and cache; prints the release
src_build() {
	local name=$1 from=$2 rev=$3 cc=$4 src=$VMI_CACHE/src/src-$1 rel dir tmp
	local ver p arch=amd64 suffix=$SRC_SUFFIX
	src_check "$name" "$from" "$rev"
	need_packages build-essential bc bison flex libelf-dev libssl-dev \
		openssl cpio kmod xz-utils patch ${cc:+"$cc"}
	rm -rf "$src"
	mkdir -p "$src"
	if [ -f "$from/Makefile" ] && [ -d "$from/arch/x86" ]; then
		info "copying the tree $from"
		tar -C "$from" --exclude=.git -cf - . | tar -C "$src" -xf - ||
			die "cannot copy $from"
	else
		_src_unpack_git "$from" "${rev:-HEAD}" "$src"
	fi
	cd "$src" || exit 1
	_src_chmod_scripts
	if [ -f arch/x86/kernel/vmi_32.c ]; then
		arch=i386 suffix=$SRC_SUFFIX_VMI
		case $name in *-pae) suffix=$SRC_SUFFIX_VMI_PAE ;; esac
		sed -i 's/^ARCH\([[:blank:]]*\)?= \$(SUBARCH)$/ARCH\1?= i386/' Makefile
		grep -q '^ARCH[[:blank:]]*?= i386$' Makefile ||
			die "cannot name ARCH=i386 in $from's Makefile (its ARCH line differs)"
	fi
	ver=$(make -s kernelversion 2>/dev/null) || die "$from: not a kernel tree (make kernelversion)"
	for p in "$VMI_ROOT/tools/kernel-patches/src/${ver%.*}"/*.patch; do
		[ -e "$p" ] || continue
		patch -p1 -s -f -N --no-backup-if-mismatch -i "$p" >&2 ||
			die "${p#"$VMI_ROOT"/} does not apply to $from"
	done
	if [ -n "$cc" ]; then
		command -v "$cc" >/dev/null || die "no compiler $cc"
		sed -i -e "s/^\(CC[[:blank:]]*= \$(CROSS_COMPILE)\)gcc\$/\1$cc/" \
			-e "s/^\(HOSTCC[[:blank:]]*= \)gcc\$/\1$cc/" Makefile
		grep -q "^CC.*= \$(CROSS_COMPILE)$cc\$" Makefile &&
			grep -q "^HOSTCC.*= $cc\$" Makefile ||
			die "cannot name $cc in $from's Makefile (its CC/HOSTCC lines differ)"
	fi
	rel=$ver$suffix
	p=$(grep -lx "$rel" "$VMI_CACHE"/kernels/.src-* 2>/dev/null | grep -v "/.src-$name\$" | head -1)
	[ -z "$p" ] || die "release $rel is already built as kernel ${p##*/.src-}"
	info "building $rel as kernel $name${cc:+ with $cc} (log: $src/build.log)"
	if [ $arch = i386 ]; then _src_config_vmi "$rel"; else _src_config; fi
	make -s -j"$(nproc)" bzImage modules >build.log 2>&1 ||
		{ tail -20 build.log >&2; die "building $rel failed (see $src/build.log)"; }
	[ "$(make -s kernelrelease)" = "$rel" ] ||
		die "built $(make -s kernelrelease), expected $rel"
	dir=$VMI_CACHE/kernels/$rel
	tmp=$dir.tmp
	rm -rf "$tmp"
	mkdir -p "$tmp/root/usr/src" "$tmp/root/boot"
	make -s INSTALL_MOD_PATH="$tmp/root" modules_install >/dev/null ||
		die "modules_install failed"
	cp arch/x86/boot/bzImage "$tmp/root/boot/vmlinuz-$rel"
	cp System.map "$tmp/root/boot/System.map-$rel"
	cp .config "$tmp/root/boot/config-$rel"
	ln -s "$src" "$tmp/root/usr/src/linux-headers-$rel"
	ln -s "root/boot/vmlinuz-$rel" "$tmp/vmlinuz"
	ln -s "root/lib/modules/$rel" "$tmp/modules"
	echo $arch >"$tmp/arch"
	printf '%s %s %s\n' "$from" "${rev:-HEAD}" "${cc:-gcc}" >"$tmp/source"
	touch "$tmp/.ready"
	rm -rf "$dir"
	mv "$tmp" "$dir"
	echo "$rel" >"$VMI_CACHE/kernels/.src-$name"
	echo "$rel"
}
