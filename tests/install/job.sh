#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# job.sh PORT: make check-install's sequence, inside the installed Debian
# 12 guest (tools/vmi-install-check; the image: tools/lib/rootfs.sh).
# Started at every boot by vmi-install-job.service from the run's second
# disk (/vmijob: debs/, kernels/, selftests/). Results are TAP lines on
# PORT (the host counts them); everything else goes to the console, which
# is the run's log: DKMS's build, the service's journal, vmictl status.
#
# Boot 1: install both packages (DKMS builds for the running kernel, the
# service starts, vmictl status says accelerate), then a reboot of this
# same VM, which the host lets through only after the marker
# @@VMI-REBOOT@@ and the kernel's own "reboot: Restarting system".
# Boot 2: the service loaded the shim again; systemctl stop unloads it
# and the restore is proven; a second kernel flavour gets its module from
# DKMS; the installed selftests; apt purge with the shim loaded removes
# everything. Then power-off. A third boot is never a test: it says so
# and powers off at once.
set -u
port=$1
job=/vmijob
state=/var/lib/vmi-install-check
PATH=/usr/sbin:/usr/bin:/sbin:/bin
export PATH DEBIAN_FRONTEND=noninteractive

say() { echo "vmi-install: $*"; }
res() { echo "$*" >"$port"; say "$*"; }
ok() { res "ok - $*"; }
notok() { res "not ok - $1"; shift; [ $# -eq 0 ] || say "  $*"; }
skip() { res "ok - $1 # SKIP $2"; }
# check NAME CMD...: ok if CMD succeeds
check() {
	n=$1
	shift
	if "$@"; then ok "$n"; else notok "$n"; fi
}
section() { echo; echo "===== $* ====="; }
finish() {
	res "@@VMI-INSTALL-DONE@@"
	sync
	systemctl poweroff
	exit 0
}

mkdir -p "$state"
boot=$(($(cat "$state/boots" 2>/dev/null || echo 0) + 1))
echo "$boot" >"$state/boots"
sync
say "boot $boot, kernel $(uname -r)"
if [ "$boot" -gt 2 ]; then
	notok "boot $boot: a guest is booted twice only (a reset the job did not ask for?)"
	finish
fi

# Wait until the boot is done (this unit is Type=simple: it does not
# hold the boot up), so vmi-shim.service has run.
systemctl is-system-running --wait >/dev/null 2>&1
say "system $(systemctl is-system-running 2>&1)"

loaded() { grep -q '^vmi_shim ' /proc/modules; }
dkms_for() { # dkms_for RELEASE: vmi-shim is installed for RELEASE
	dkms status -m vmi-shim -k "$1" 2>/dev/null | grep ': installed' >/dev/null
}
# status FIELD: a field of vmictl status
status_field() { vmictl status 2>/dev/null | awk -v f="$1" '$1 == f { print $2 }'; }
show_service() {
	section "journalctl -u vmi-shim (this boot)"
	journalctl -b -u vmi-shim --no-pager -o short-monotonic 2>&1 | tail -40
	section "vmictl status"
	vmictl status 2>&1
	section "the shim's kernel messages"
	dmesg | grep 'vmi_shim' | tail -20
}

if [ "$boot" = 1 ]; then
	dkms_deb=$(ls "$job"/debs/vmi-shim-dkms_*_all.deb 2>/dev/null | head -1)
	tools_deb=$(ls "$job"/debs/vmi-shim_*_amd64.deb 2>/dev/null | head -1)
	if [ -z "$dkms_deb" ] || [ -z "$tools_deb" ]; then
		why=$(cat "$job/debs/WHY" 2>/dev/null || echo "no packages on the job disk")
		for t in "install: DKMS built the module for $(uname -r)" \
			"install: vmi-shim.service started" \
			"install: vmictl status: loaded, mode accelerate" \
			"reboot: the service loaded the shim again" \
			"stop: systemctl stop vmi-shim unloaded it, restore proven" \
			"second kernel: DKMS built the module for it" \
			"selftests: run_kselftest.sh" \
			"purge: everything removed, the shim unloaded first"; do
			skip "$t" "$why"
		done
		finish
	fi
	# apt's sandbox user reads the packages from a copy
	mkdir -p /root/debs
	cp "$dkms_deb" "$tools_deb" /root/debs/
	section "apt install ./${dkms_deb##*/} ./${tools_deb##*/}"
	t0=$(date +%s)
	apt-get install -y "/root/debs/${dkms_deb##*/}" "/root/debs/${tools_deb##*/}" 2>&1
	rc=$?
	say "apt-get install: exit $rc, $(($(date +%s) - t0)) s"
	for f in /var/lib/dkms/vmi-shim/*/build/make.log \
		/var/lib/dkms/vmi-shim/*/*/*/log/make.log; do
		[ -e "$f" ] || continue
		section "DKMS build log $f"
		cat "$f"
	done
	section "dkms status"
	dkms status 2>&1
	check "install: DKMS built the module for $(uname -r)" dkms_for "$(uname -r)"
	check "install: vmi-shim.service started" systemctl is-active -q vmi-shim
	show_service
	mode=$(status_field mode)
	if loaded && [ "$mode" = accelerate ] && [ "$(status_field routing)" = on ]; then
		ok "install: vmictl status: loaded, mode accelerate"
	else
		notok "install: vmictl status: loaded, mode accelerate" \
			"module loaded: $(loaded && echo yes || echo no), mode '$mode', routing '$(status_field routing)'"
	fi
	section "reboot"
	res "@@VMI-REBOOT@@"
	sync
	systemctl reboot
	exit 0
fi

# boot 2
show_service
if systemctl is-active -q vmi-shim && loaded && [ "$(status_field mode)" = accelerate ]; then
	ok "reboot: the service loaded the shim again"
else
	notok "reboot: the service loaded the shim again" \
		"service $(systemctl is-active vmi-shim), module loaded: $(loaded && echo yes || echo no), mode '$(status_field mode)'"
fi

section "systemctl stop vmi-shim"
systemctl stop vmi-shim 2>&1
rc=$?
journalctl -b -u vmi-shim --no-pager -o short-monotonic 2>&1 | tail -15
dmesg | grep 'vmi_shim' | tail -5
# The shim says it restored every routed op and call site only when it
# proved it; without that line an unload is not a restore.
if [ $rc = 0 ] && ! loaded && ! systemctl is-active -q vmi-shim &&
	dmesg | grep 'vmi_shim' | grep -qE 'released: every routed op and call site restored|pv_ops restored'; then
	ok "stop: systemctl stop vmi-shim unloaded it, restore proven"
else
	notok "stop: systemctl stop vmi-shim unloaded it, restore proven" \
		"stop exit $rc, module loaded: $(loaded && echo yes || echo no)"
fi

section "a second kernel flavour"
set -- "$job"/kernels/*.deb
if [ -e "$1" ]; then
	cloud=$(for f in "$@"; do dpkg-deb -f "$f" Package; done |
		sed -n 's/^linux-image-\(.*-cloud-amd64\)$/\1/p' | head -1)
	mkdir -p /root/kernels
	cp "$@" /root/kernels/
	t0=$(date +%s)
	apt-get install -y /root/kernels/*.deb 2>&1
	say "apt-get install (kernel $cloud): exit $?, $(($(date +%s) - t0)) s"
	for f in /var/lib/dkms/vmi-shim/*/"$cloud"/*/log/make.log; do
		[ -e "$f" ] && { section "DKMS build log $f"; tail -30 "$f"; }
	done
	dkms status 2>&1
	check "second kernel: DKMS built the module for $cloud" dkms_for "$cloud"
else
	skip "second kernel: DKMS built the module for it" \
		"$(cat "$job/kernels/WHY" 2>/dev/null || echo 'no kernel packages on the job disk')"
fi

# The installed selftests, while the packages are installed: they test
# the shim the packages installed.
section "selftests"
if [ -e "$job/selftests/run_kselftest.sh" ]; then
	# the module the package built, the tools it installed; the
	# runner wants the shim unloaded
	systemctl stop vmi-shim 2>&1
	cp -a "$job/selftests" /root/selftests
	t0=$(date +%s)
	out=$(cd /root/selftests && sh ./run_kselftest.sh --shim installed 2>&1)
	rc=$?
	echo "$out"
	say "run_kselftest.sh: exit $rc, $(($(date +%s) - t0)) s"
	if [ $rc = 0 ] && ! echo "$out" | grep -q '^not ok'; then
		ok "selftests: run_kselftest.sh ($(echo "$out" | grep -c '^ok') ok)"
	else
		notok "selftests: run_kselftest.sh" "exit $rc, $(echo "$out" | grep -c '^not ok') not ok"
	fi
else
	skip "selftests: run_kselftest.sh" \
		"$(cat "$job/selftests/WHY" 2>/dev/null || echo 'no installed selftests on the job disk')"
fi

section "apt purge vmi-shim-dkms vmi-shim, with the shim loaded"
systemctl start vmi-shim 2>&1
say "before the purge: service $(systemctl is-active vmi-shim), module loaded: $(loaded && echo yes || echo no)"
was_loaded=$(loaded && echo yes || echo no)
apt-get purge -y vmi-shim-dkms vmi-shim 2>&1
rc=$?
left=
loaded && left="$left module-loaded"
[ -z "$(dkms status -m vmi-shim 2>/dev/null)" ] || left="$left dkms-status"
for p in /var/lib/dkms/vmi-shim /usr/src/vmi-shim-* /lib/modules/*/updates/dkms/vmi_shim.ko* \
	/usr/sbin/vmictl /usr/sbin/vmirom /usr/sbin/vmi-sites /usr/libexec/vmi-shim \
	/lib/firmware/vmi-shim /lib/firmware/updates/*/vmi-shim \
	/lib/systemd/system/vmi-shim.service /etc/systemd/system/multi-user.target.wants/vmi-shim.service \
	/etc/vmi-shim.conf /etc/modprobe.d/vmi-shim.conf; do
	[ -e "$p" ] && left="$left $p"
done
dpkg -l 'vmi-shim*' 2>/dev/null | grep -q '^[a-z][a-z] ' && left="$left dpkg:$(dpkg -l 'vmi-shim*' | awk '/^[a-z][a-z] /{printf "%s(%s) ", $2, $1}')"
dmesg | grep 'vmi_shim' | tail -3
if [ $rc = 0 ] && [ "$was_loaded" = yes ] && [ -z "$left" ]; then
	ok "purge: everything removed, the shim unloaded first"
else
	notok "purge: everything removed, the shim unloaded first" \
		"purge exit $rc, loaded before: $was_loaded, left:$left"
fi
finish
