# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the vmi-shim shell tools. Sourced, never executed.

VMI_ROOT=${VMI_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
# Downloaded kernels and busybox live outside the tree so that a fresh clone
# (CI) reuses them and nothing downloaded can be committed by accident.
if [ -z "${VMI_CACHE:-}" ]; then
	if [ -w /var/cache ]; then
		VMI_CACHE=/var/cache/vmi-shim
	else
		VMI_CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/vmi-shim
	fi
fi
VMI_BUILD=${VMI_BUILD:-$VMI_ROOT/build}
export VMI_ROOT VMI_CACHE VMI_BUILD

die() { echo "${0##*/}: error: $*" >&2; exit 126; }
info() { [ -n "${VMI_QUIET:-}" ] || echo "${0##*/}: $*" >&2; }

# Run a command with the cache locked, so parallel runners do not download
# or unpack the same package twice.
with_cache_lock() {
	mkdir -p "$VMI_CACHE"
	(
		flock 9
		"$@"
	) 9>"$VMI_CACHE/.lock"
}

# apt-get needs its lists; an old or empty list finds no kernel packages.
apt_lists_fresh() {
	local stamp=/var/lib/apt/periodic/update-success-stamp
	if [ -n "$(find /var/lib/apt/lists -maxdepth 1 -name '*_Packages*' \
		-mmin -720 2>/dev/null | head -1)" ]; then
		return 0
	fi
	[ -e "$stamp" ] && [ -n "$(find "$stamp" -mmin -720)" ]
}

# A mirror caught mid-sync fails one list ("File has unexpected size") and
# apt-get update exits non-zero, yet the other lists are fresh and enough
# for what is wanted. So go on; a package that is really missing fails
# with its own message where it is looked up or installed.
apt_update_once() {
	if [ -z "${VMI_APT_UPDATED:-}" ]; then
		info "apt-get update"
		apt-get update -qq >/dev/null ||
			echo "${0##*/}: apt-get update reported errors; going on with the lists it fetched" >&2
		VMI_APT_UPDATED=1
	fi
}

# Install Debian packages that are missing (root only: CI and fresh machines).
need_packages() {
	local missing=() p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
			grep -q 'install ok installed' || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	[ "$(id -u)" = 0 ] || die "missing packages: ${missing[*]} (run as root or install them)"
	apt_lists_fresh || apt_update_once
	info "installing ${missing[*]}"
	if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends "${missing[@]}" >/dev/null; then
		apt_update_once
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			--no-install-recommends "${missing[@]}" >/dev/null ||
			die "apt-get install ${missing[*]} failed"
	fi
}

need_i386_arch() {
	dpkg --print-foreign-architectures | grep -qx i386 && return 0
	[ "$(id -u)" = 0 ] || die "i386 kernels need 'dpkg --add-architecture i386' (as root)"
	info "adding the i386 architecture"
	dpkg --add-architecture i386
	VMI_APT_UPDATED=
	apt_update_once
}
