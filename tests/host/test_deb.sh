#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The Debian packages (make deb, docs/packaging.md): both build from the
# tree, under their names, and nothing else lands in $(BUILD)/deb; each
# holds the files an installed system needs where vmictl, the service and
# the kernel look for them; their relations, conffiles and maintainer
# scripts; lintian finds nothing (tags overridden in packaging/debian have
# their reasons there); the man pages render without a warning; the unit
# passes systemd-analyze verify; and DKMS, in a tree of its own, builds
# vmi_shim.ko from the package's /usr/src against Debian 6.1's headers
# (the cached ones make module uses) with its MODULE_FIRMWARE naming the
# ROM file the tools package installs, and a built-in ROM byte-identical
# to it. A tool that is missing (make check installs them all: tools/setup)
# makes its tests a SKIP saying which.
#
#   test_deb.sh TOP BUILD_DIR WORK_DIR

TOP=$1
BUILD=$2
WORK=$3
. "$(dirname "$0")/../lib/tap.sh"
rm -rf "$WORK" && mkdir -p "$WORK" || exit 1
ver=$(sed -n 's/^#define VMI_SHIM_VERSION "\(.*\)"/\1/p' "$TOP/module/base/version.h")
dkms_deb=$BUILD/deb/vmi-shim-dkms_${ver}_all.deb
tools_deb=$BUILD/deb/vmi-shim_${ver}_amd64.deb
have() { command -v "$1" >/dev/null 2>&1; }

missing=
for t in dpkg-buildpackage dh dh_dkms; do
	have $t || missing="$missing $t"
done
if [ -n "$missing" ]; then
	tap_skip "make deb builds both packages" "not installed:$missing (tools/setup installs debhelper dh-dkms)"
	tap_done
fi

t0=$(date +%s)
make -s -C "$TOP" deb BUILD="$BUILD" >"$WORK/make.log" 2>&1
rc=$?
[ $rc -ne 0 ] && sed 's/^/# /' "$WORK/make.log" | tail -20
tap_ok $rc "make deb builds in $(($(date +%s) - t0)) s"
[ $rc -eq 0 ] || tap_done
got=$(cd "$BUILD/deb" && ls *.deb | tr '\n' ' ')
tap_eq "$got" "vmi-shim-dkms_${ver}_all.deb vmi-shim_${ver}_amd64.deb " \
	"\$(BUILD)/deb holds exactly the two packages, version $ver (module/base/version.h)"

# contents PACKAGE: its file list, one path a line
contents() { dpkg-deb -c "$1" | awk '{ print $6 }' | sed 's,^\./,/,; s,/$,,'; }
contents "$dkms_deb" >"$WORK/dkms.list"
contents "$tools_deb" >"$WORK/tools.list"
# want LIST PATH...: each path is in the list
want() {
	local l=$1 p miss=
	shift
	for p; do grep -qx "$p" "$l" || miss="$miss $p"; done
	[ -z "$miss" ] || tap_diag "missing:$miss"
	[ -z "$miss" ]
}
src=/usr/src/vmi-shim-$ver
want "$WORK/dkms.list" $src/dkms.conf $src/Kbuild $src/module/Kbuild \
	$src/module/main.c $src/module/compat/compat-probe.sh $src/module/compat/kapi.mk \
	$src/common/romcheck.c $src/include/vmi/abi.h \
	$src/rom/vmi-rom.bin $src/rom/vmi-rom-i386.bin
tap_ok $? "vmi-shim-dkms: the module's sources, dkms.conf and the two ROM images under $src"
n_tree=$(cd "$TOP" && find module include common -type f \( -name '*.[chS]' -o -name Kbuild \
	-o -name '*.sh' -o -name '*.mk' \) ! -name '*.mod.c' | wc -l)
n_pkg=$(dpkg-deb -c "$dkms_deb" | awk '$1 ~ /^-/ { print $6 }' |
	grep -cE "^\./usr/src/vmi-shim-$ver/(module|include|common)/")
tap_eq "$n_pkg" "$n_tree" "vmi-shim-dkms: every module source file of the tree, nothing else"
want "$WORK/tools.list" /usr/sbin/vmictl /usr/sbin/vmirom /usr/sbin/vmi-sites \
	/lib/firmware/vmi-shim/vmi-rom.bin /lib/systemd/system/vmi-shim.service \
	/usr/libexec/vmi-shim/vmi-shim-service /etc/vmi-shim.conf /etc/modprobe.d/vmi-shim.conf \
	/usr/share/man/man8/vmictl.8.gz /usr/share/man/man8/vmirom.8.gz \
	/usr/share/man/man8/vmi-sites.8.gz /usr/share/man/man4/vmi_shim.4.gz \
	/usr/share/man/man5/vmi-shim.conf.5.gz /usr/share/doc/vmi-shim/copyright
tap_ok $? "vmi-shim: tools, ROM firmware, service, config files, man pages"
! grep -q '^/usr/lib/debug' "$WORK/tools.list"
tap_ok $? "vmi-shim: no debug files (no -dbgsym package either)"

dpkg-deb -x "$tools_deb" "$WORK/root" && dpkg-deb -e "$tools_deb" "$WORK/tools.ctl" &&
	dpkg-deb -x "$dkms_deb" "$WORK/root" && dpkg-deb -e "$dkms_deb" "$WORK/dkms.ctl"
tap_ok $? "both packages unpack"
r=$WORK/root
cmp -s "$TOP/tools/vmictl" "$r/usr/sbin/vmictl" &&
	cmp -s "$TOP/packaging/vmi-shim-service" "$r/usr/libexec/vmi-shim/vmi-shim-service"
tap_ok $? "vmictl and the service helper are the tree's"
"$r/usr/sbin/vmirom" check "$r/lib/firmware/vmi-shim/vmi-rom.bin" >/dev/null &&
	cmp -s "$r/lib/firmware/vmi-shim/vmi-rom.bin" "$r$src/rom/vmi-rom.bin"
tap_ok $? "the installed vmirom validates the firmware ROM, the one the DKMS tree builds in"
out=$("$r/usr/sbin/vmi-sites" --help 2>&1) && [[ $out == *"vmi-sites extract"* ]] &&
	! file -L "$r/usr/sbin/vmi-sites" | grep -q 'statically linked'
tap_ok $? "the installed vmi-sites runs, linked to Debian's shared libraries"

# The installed vmictl finds the installed vmi-sites (beside it, not in
# the tree's build/), as the service's check does on a VM.
img=$(VMI_QUIET=1 "$TOP/tools/vmi-kernel" info 6.1 2>/dev/null | sed -n 's/^vmlinuz *//p')
if [ -r "$img" ]; then
	out=$(PATH=/usr/bin:/bin VMI_RUNDIR="$WORK/run" "$r/usr/sbin/vmictl" sites --image "$img" -o "$WORK/sites.bin" 2>&1) &&
		"$r/usr/sbin/vmi-sites" check "$WORK/sites.bin" >/dev/null 2>&1
	rc=$?
	[ $rc -ne 0 ] && tap_diag "$out"
	tap_ok $rc "the installed vmictl extracts a site table with the installed vmi-sites ($img)"
else
	tap_skip "the installed vmictl extracts a site table" "no Debian 6.1 kernel image (tools/vmi-kernel info 6.1 failed)"
fi

dep=$(dpkg-deb -f "$tools_deb" Depends)
[[ $dep == *"vmi-shim-dkms (= $ver)"* ]] && [[ $dep == *kmod* ]] && [[ $dep == *libzstd1* ]]
tap_ok $? "vmi-shim depends on vmi-shim-dkms of its version, kmod and its libraries ($dep)"
dep=$(dpkg-deb -f "$dkms_deb" Depends)
[[ $dep == *dkms* ]]
tap_ok $? "vmi-shim-dkms depends on dkms ($dep)"
tap_eq "$(sort "$WORK/tools.ctl/conffiles" | tr '\n' ' ')" \
	"/etc/modprobe.d/vmi-shim.conf /etc/vmi-shim.conf " "vmi-shim: the two config files are conffiles"
grep -q "deb-systemd-helper enable 'vmi-shim.service'" "$WORK/tools.ctl/postinst" &&
	grep -q "_dh_action=start" "$WORK/tools.ctl/postinst" &&
	grep -q "deb-systemd-invoke \$_dh_action 'vmi-shim.service'" "$WORK/tools.ctl/postinst" &&
	grep -q 'deb-systemd-invoke stop.*vmi-shim.service' "$WORK/tools.ctl/prerm"
tap_ok $? "vmi-shim: the service is enabled and started on install, stopped (vmictl unload) on removal"
grep -q "common.postinst" "$WORK/dkms.ctl/postinst" && grep -q '^DKMS_NAME=vmi-shim$' "$WORK/dkms.ctl/postinst" &&
	grep -q "^DKMS_VERSION=$ver\$" "$WORK/dkms.ctl/postinst"
tap_ok $? "vmi-shim-dkms: postinst adds, builds and installs vmi-shim $ver with DKMS"
u=$(grep -n 'vmictl unload' "$WORK/dkms.ctl/prerm" | head -1 | cut -d: -f1)
d=$(grep -n 'dkms remove' "$WORK/dkms.ctl/prerm" | head -1 | cut -d: -f1)
[ -n "$u" ] && [ -n "$d" ] && [ "$u" -lt "$d" ] && sh -n "$WORK/dkms.ctl/prerm"
tap_ok $? "vmi-shim-dkms: prerm unloads the shim (line $u) before dkms remove (line $d)"

# The unit in a root of its own: the package's files and this system's units.
if have systemd-analyze && [ -e /lib/systemd/system/sysinit.target ]; then
	mkdir -p "$r/lib/systemd/system"
	cp -n /lib/systemd/system/*.target /lib/systemd/system/systemd-modules-load.service \
		"$r/lib/systemd/system/" 2>/dev/null
	out=$(MANPATH=$r/usr/share/man systemd-analyze verify --man=yes --root="$r" \
		/lib/systemd/system/vmi-shim.service 2>&1)
	rc=$?
	[ $rc -ne 0 ] && tap_diag "$out"
	tap_ok $rc "systemd-analyze verify vmi-shim.service: its commands exist, its man pages too"
	grep -qx 'ExecCondition=/usr/libexec/vmi-shim/vmi-shim-service check' \
		"$r/lib/systemd/system/vmi-shim.service" &&
		grep -qx 'ExecStop=/usr/libexec/vmi-shim/vmi-shim-service stop' \
			"$r/lib/systemd/system/vmi-shim.service"
	tap_ok $? "vmi-shim.service: not applicable is an ExecCondition (skipped, not failed); stop unloads"
else
	tap_skip "systemd-analyze verify vmi-shim.service" "no systemd-analyze or units on this machine"
	tap_skip "vmi-shim.service: not applicable is an ExecCondition" "no systemd-analyze"
fi

if have man; then
	bad=
	for m in "$r"/usr/share/man/man*/*.gz; do
		out=$(LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 man --warnings -E UTF-8 -l -Tutf8 -Z "$m" 2>&1 >/dev/null)
		[ -z "$out" ] || { bad="$bad ${m##*/}"; tap_diag "${m##*/}: $out"; }
	done
	[ -z "$bad" ]
	tap_ok $? "the man pages render without a warning${bad:+ (not:$bad)}"
	out=$(man -l "$r/usr/share/man/man8/vmictl.8.gz" 2>/dev/null)
	miss=
	for c in $(sed -n '5,19s/^#   vmictl \([a-z]*\).*/\1/p' "$TOP/tools/vmictl"); do
		grep -q "^       $c " <<<"$out" || [[ $out == *"vmictl $c"* ]] || miss="$miss $c"
	done
	[ -z "$miss" ]
	tap_ok $? "vmictl(8) names every command vmictl's usage lists${miss:+ (not:$miss)}"
else
	tap_skip "the man pages render without a warning" "man not installed"
	tap_skip "vmictl(8) names every command" "man not installed"
fi

if have lintian; then
	out=$(lintian --info --pedantic "$dkms_deb" "$tools_deb" 2>&1 |
		grep -v '^running with root privileges')
	rc=$?
	[ -n "$out" ] && tap_diag "$out"
	[ -z "$out" ]
	tap_ok $? "lintian --info --pedantic: no tag on either package"
else
	tap_skip "lintian: no tag on either package" "lintian not installed (tools/setup installs it)"
fi

# DKMS in trees of its own (nothing registered on this machine), the
# module built against the headers make module uses for KERNEL=6.1.
kdir=$(VMI_QUIET=1 "$TOP/tools/vmi-kernel" kdir 6.1 2>/dev/null)
krel=$(basename "$kdir" | sed 's/^linux-headers-//')
if ! have dkms; then
	tap_skip "dkms build from the package's /usr/src" "dkms not installed (tools/setup installs it)"
elif [ ! -e "$kdir/Makefile" ]; then
	tap_skip "dkms build from the package's /usr/src" "no Debian 6.1 headers (tools/vmi-kernel kdir 6.1 failed)"
else
	dk=$WORK/dkms
	mkdir -p "$dk"
	t0=$(date +%s)
	dkms add -m vmi-shim -v "$ver" --sourcetree "$r/usr/src" --dkmstree "$dk" >"$WORK/dkms.log" 2>&1 &&
		dkms build -m vmi-shim -v "$ver" -k "$krel" --kernelsourcedir "$kdir" \
			--sourcetree "$r/usr/src" --dkmstree "$dk" >>"$WORK/dkms.log" 2>&1
	rc=$?
	[ $rc -ne 0 ] && { tail -20 "$WORK/dkms.log"; cat "$dk/vmi-shim/$ver/build/make.log" 2>/dev/null | tail -20; } |
		sed 's/^/# /'
	tap_ok $rc "dkms add and build for $krel in $(($(date +%s) - t0)) s (gcc, make and headers only)"
	ko=$(find "$dk/vmi-shim/$ver/$krel" -name vmi_shim.ko 2>/dev/null | head -1)
	st=$(dkms status -m vmi-shim -v "$ver" -k "$krel" --dkmstree "$dk" 2>/dev/null)
	[ -n "$ko" ] && [[ $st == *"$krel"*": built"* ]] &&
		[ "$(modinfo -F vermagic "$ko" | cut -d' ' -f1)" = "$krel" ]
	tap_ok $? "dkms status: built, vmi_shim.ko for $krel ($st)"
	fw=$(modinfo -F firmware "$ko" 2>/dev/null)
	[ -n "$fw" ] && [ -f "$r/lib/firmware/$fw" ]
	tap_ok $? "the module's MODULE_FIRMWARE ($fw) is the file vmi-shim installs"
	objcopy -O binary --only-section=.rodata.vmi_rom_builtin "$ko" "$WORK/builtin.bin" 2>/dev/null &&
		cmp -s "$WORK/builtin.bin" "$r/lib/firmware/vmi-shim/vmi-rom.bin"
	tap_ok $? "the module's built-in ROM is the firmware file, byte for byte"
	[ "$(modinfo -F version "$ko")" = "$ver" ]
	tap_ok $? "the module says version $ver"
fi
tap_done
