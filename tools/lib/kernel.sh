# SPDX-License-Identifier: GPL-2.0
# Resolve, download and unpack stock Debian 12 kernels (image + headers)
# into $VMI_CACHE/kernels/<release>/. Nothing is installed on the host.
#
# Layout of a prepared kernel:
#   vmlinuz            the bzImage
#   modules/           /lib/modules/<release> from the image package
#   root/usr/src/linux-headers-<release>   KDIR for out-of-tree modules
#   arch               amd64 | i386
#   .ready             written last: the directory is complete
#
# Sourced after common.sh.

# Print the newest package name matching an extended regex.
_newest_pkg() {
	local re=$1 out
	out=$(apt-cache search --names-only "$re" 2>/dev/null |
		awk '{print $1}' | grep -E "$re" | sort -V | tail -1)
	if [ -z "$out" ]; then
		apt_update_once
		out=$(apt-cache search --names-only "$re" 2>/dev/null |
			awk '{print $1}' | grep -E "$re" | sort -V | tail -1)
	fi
	echo "$out"
}

# kernel_resolve SPEC -> prints "<release> <arch>"
# SPEC: 6.1 | 6.12 | 6.1-cloud | 6.12-cloud | 6.1-rt | 686-pae | 6.1-686-pae
#       | 6.1-nokvm | 6.1-debug (built here: kernel_built.sh)
#       | NAME of a kernel built from source (kernel_source.sh; 2.6.32-vmi
#       and 2.6.32-vmi-pae are i386)
#       or an exact release (6.1.0-56-amd64, 6.12.117+deb12-amd64,
#       6.1.0-50-686-pae) or an image package name.
kernel_resolve() {
	local spec=${1:-6.1} series flavour re pkg rel arch=amd64

	case $spec in
	6.1-nokvm | 6.1-debug)
		echo "$(built_release "${spec#6.1-}") amd64"
		return 0
		;;
	esac
	if rel=$(src_release "$spec"); then
		echo "$rel $(src_arch "$rel")"
		return 0
	fi
	if src_is_release "$spec"; then
		echo "$spec $(src_arch "$spec")"
		return 0
	fi
	# an old series not built yet: say how, not "no Debian package"
	[[ $spec =~ ^[2-5]\.[0-9]+$ || $spec =~ ^2\.6\.[0-9]+-vmi(-pae)?$ ]] &&
		die "kernel $spec is not built here: tools/vmi-kernel build $spec --source DIR (docs/old-kernels.md)"
	spec=${spec#linux-image-}
	spec=${spec%-unsigned}
	spec=${spec%:i386}
	case $spec in
	*-686-pae | 686-pae) arch=i386 ;;
	esac
	if [[ $spec =~ ^6\.[0-9]+\.[0-9]+.*-(amd64|686-pae)$ ]]; then
		echo "$spec $arch"
		return 0
	fi
	case $spec in
	686-pae) series=6.1 flavour=686-pae ;;
	*-*) series=${spec%%-*} flavour=${spec#*-} ;;
	*) series=$spec flavour=amd64 ;;
	esac
	case $flavour in
	cloud | rt) flavour=$flavour-amd64 ;;
	esac
	case $flavour in
	amd64 | cloud-amd64 | rt-amd64 | 686-pae | rt-686-pae) ;;
	*) die "unknown kernel flavour '$flavour' in '$1'" ;;
	esac
	[ $arch = i386 ] && need_i386_arch
	case $series in
	6.1) re="^linux-image-6\.1\.0-[0-9]+-${flavour}-unsigned\$" ;;
	6.*) re="^linux-image-${series//./\\.}\.[0-9]+\+deb12-${flavour}-unsigned\$" ;;
	*) die "unknown kernel series '$series' in '$1' (want 6.1 or 6.12)" ;;
	esac
	# The newest package changes only with the package lists: remember
	# the answer per lists directory time (an apt-get update that brings
	# a new list renames it in, in nanoseconds) and per pattern, and skip
	# the search, about a second of apt-cache in every guest job.
	local memo lists m_lists= m_re= m_rel=
	lists=$(stat -c %.9Y "${VMI_APT_LISTS:-/var/lib/apt/lists}" 2>/dev/null) || lists=
	memo=$VMI_CACHE/kernels/.resolved-$series-$flavour
	if [ -n "$lists" ] && [ -s "$memo" ]; then
		read -r m_lists m_re m_rel 2>/dev/null <"$memo" || true
		if [ "$m_lists" = "$lists" ] && [ "$m_re" = "$re" ] && [ -n "$m_rel" ]; then
			echo "$m_rel $arch"
			return 0
		fi
	fi
	pkg=$(_newest_pkg "$re")
	[ -n "$pkg" ] || die "no Debian package matches $re"
	rel=${pkg#linux-image-}
	rel=${rel%-unsigned}
	# Keyed on the lists as they were before the search: if it updated
	# them, the next call searches again, which is only slower.
	if [ -n "$lists" ] && mkdir -p "${memo%/*}" 2>/dev/null; then
		{ echo "$lists $re $rel" >"$memo.$$" && mv -f "$memo.$$" "$memo"; } 2>/dev/null ||
			rm -f "$memo.$$"
	fi
	echo "$rel $arch"
}

_deb_depends() {
	apt-cache show --no-all-versions "$1" 2>/dev/null |
		sed -n 's/^Depends: //p' | head -1 | tr ',' '\n' |
		sed 's/^ *//; s/ .*//; s/|.*//'
}

_kernel_prepare_locked() {
	local rel=$1 arch=$2 dir=$VMI_CACHE/kernels/$1 q= hdr common kbuild
	local debs=$VMI_CACHE/debs tmp

	[ -e "$dir/.ready" ] && return 0
	[ "$arch" = i386 ] && q=:i386
	need_packages dpkg-dev
	mkdir -p "$debs"
	hdr=linux-headers-$rel
	common=$(_deb_depends "$hdr$q" | grep -E '^linux-headers-.*-common' | head -1)
	kbuild=$(_deb_depends "$hdr$q" | grep -E '^linux-kbuild-' | head -1)
	if [ -z "$common" ] || [ -z "$kbuild" ]; then
		apt_update_once
		common=$(_deb_depends "$hdr$q" | grep -E '^linux-headers-.*-common' | head -1)
		kbuild=$(_deb_depends "$hdr$q" | grep -E '^linux-kbuild-' | head -1)
	fi
	[ -n "$common" ] && [ -n "$kbuild" ] ||
		die "cannot resolve the header packages of $rel ($hdr$q)"
	info "downloading $rel ($arch): image, headers, $common, $kbuild"
	# kbuild's host tools (fixdep, modpost) run on the build machine, so
	# they are always the amd64 package, even for an i386 kernel.
	(cd "$debs" && apt-get download -q \
		"linux-image-$rel-unsigned$q" "$hdr$q" "$common" "$kbuild" \
		>/dev/null 2>"$debs/.err") ||
		{ cat "$debs/.err" >&2; die "apt-get download for $rel failed"; }

	tmp=$dir.tmp
	rm -rf "$tmp"
	mkdir -p "$tmp/root"
	local f
	for f in "$debs"/linux-image-"$rel"-unsigned_*"${arch}".deb \
		"$debs"/"$hdr"_*"${arch}".deb "$debs"/"$common"_*_all.deb \
		"$debs"/"$kbuild"_*_amd64.deb; do
		[ -e "$f" ] || die "expected package file missing: $f"
		dpkg-deb -x "$f" "$tmp/root" || die "cannot unpack $f"
	done
	# The per-flavour Makefile includes the common one by absolute path.
	sed -i "s#^include /usr/src/#include $dir/root/usr/src/#" \
		"$tmp/root/usr/src/$hdr/Makefile"
	ln -s "root/boot/vmlinuz-$rel" "$tmp/vmlinuz"
	ln -s "root/lib/modules/$rel" "$tmp/modules"
	echo "$arch" >"$tmp/arch"
	rm -rf "$dir"
	mv "$tmp" "$dir"
	# Paths inside Makefile point at $dir, valid only after the rename.
	touch "$dir/.ready"
}

# kernel_prepare SPEC -> sets KREL, KARCH, KDIR_PATH, KCACHE
kernel_prepare() {
	local r flavour
	r=$(kernel_resolve "$1") || exit $?
	KREL=${r% *}
	KARCH=${r#* }
	# i386 Debian packages need the architecture; a source kernel does not
	[ "$KARCH" = i386 ] && ! src_is_release "$KREL" && need_i386_arch
	if src_is_release "$KREL"; then
		src_prepare "$KREL"
	elif flavour=$(built_flavour "$KREL"); then
		built_prepare "$flavour" "$KREL" "$VMI_CACHE/kernels/$KREL" ||
			exit $?
	else
		with_cache_lock _kernel_prepare_locked "$KREL" "$KARCH" || exit $?
	fi
	KCACHE=$VMI_CACHE/kernels/$KREL
	KDIR_PATH=$KCACHE/root/usr/src/linux-headers-$KREL
}

# Print the path of a stock module (name without .ko) of a prepared kernel.
kernel_module_path() {
	local name=$1 f
	f=$(find -L "$KCACHE/modules/kernel" \( -name "$name.ko" -o \
		-name "$name.ko.xz" -o -name "$name.ko.zst" -o -name "$name.ko.gz" \) \
		-print -quit 2>/dev/null)
	if [ -z "$f" ]; then
		# module names use _ where files may use -
		local alt=${name//_/-}
		f=$(find -L "$KCACHE/modules/kernel" \( -name "$alt.ko" -o \
			-name "$alt.ko.xz" -o -name "$alt.ko.zst" \) -print -quit)
	fi
	echo "$f"
}

# Print NAME and its dependencies in load order (dependencies first).
kernel_module_order() {
	local seen=" " out=()
	_kmo_visit() {
		local n=$1 f d
		case "$seen" in *" $n "*) return 0 ;; esac
		seen="$seen$n "
		f=$(kernel_module_path "$n")
		[ -n "$f" ] || { echo "missing:$n"; return 0; }
		for d in $(/sbin/modinfo -F depends "$f" 2>/dev/null | tr ',' ' '); do
			_kmo_visit "$d"
		done
		out+=("$n")
	}
	local m
	for m in "$@"; do _kmo_visit "$m"; done
	printf '%s\n' "${out[@]}"
}

# The prepared kernel's text symbols as $KCACHE/kallsyms: booted once
# bare, with nothing of the project in the guest, its /proc/kallsyms read.
# Offsets from _text are the same on every boot of the image (KASLR moves
# the whole), so tools/lib/symbolize.py can name addresses of any boot.
kernel_kallsyms() {
	(
		flock 9
		_kernel_kallsyms_locked
	) 9>"$KCACHE/.kallsyms.lock"
}

_kernel_kallsyms_locked() {
	local out=$KCACHE/kallsyms tmp
	[ -s "$out" ] && return 0
	tmp=$(mktemp "$out.XXXXXX") || return 1
	# A VMI client has no KASLR and no userspace that could read its
	# /proc/kallsyms (tests/vmi-client): its System.map is the list.
	if src_is_vmi_client "$KREL"; then
		grep ' [tTwW] ' "$KCACHE/root/boot/System.map-$KREL" >"$tmp" &&
			grep -q ' _text$' "$tmp" || { rm -f "$tmp"; return 1; }
		chmod 644 "$tmp"
		mv "$tmp" "$out"
		return 0
	fi
	# The whole list or nothing: a clean run, and _etext (late in it).
	if ! VMI_NO_DIAG=1 VMI_QUIET=1 "$VMI_ROOT/tools/vmi-run" -q --no-shim \
		--tcg-single -k "$KREL" --timeout 300 -- \
		"grep ' [tTwW] ' /proc/kallsyms | grep -v '\\['" \
		>"$tmp" 2>/dev/null ||
		! grep -q ' _text$' "$tmp" || ! grep -q ' _etext$' "$tmp"; then
		rm -f "$tmp"
		echo "${0##*/}: could not read the symbols of $KREL" >&2
		return 1
	fi
	chmod 644 "$tmp"
	mv "$tmp" "$out"
}

. "$VMI_ROOT/tools/lib/kernel_built.sh"
. "$VMI_ROOT/tools/lib/kernel_source.sh"
