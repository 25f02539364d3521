#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# vmi-shim.service's helper (packaging/vmi-shim-service) with a stub
# vmictl, a fake /lib/modules, /boot, sysfs and lockdown file: a kernel
# without a module or a site table is "not applicable" (exit 1: the unit
# is skipped, not failed) and the journal line says why; a bad setting
# fails (exit 255) naming its line; start passes /etc/vmi-shim.conf's
# settings to vmictl load; stop unloads only what is loaded and passes a
# refused unload on. Every line it prints starts with "vmi-shim:".
#
#   test_service.sh TOP WORK_DIR

TOP=$1
WORK=$2
. "$(dirname "$0")/../lib/tap.sh"
svc=$TOP/packaging/vmi-shim-service
rm -rf "$WORK" && mkdir -p "$WORK/bin" "$WORK/mod" "$WORK/boot" "$WORK/sys" || exit 1

# The stub vmictl records its arguments; SITES_FAIL, UNLOAD_FAIL make
# "sites" and "unload" fail as the real one does.
cat >"$WORK/bin/vmictl" <<'EOS'
#!/bin/sh
echo "$*" >>"$WORK/vmictl.log"
case $1 in
sites)
	[ -n "$SITES_FAIL" ] && { echo "vmictl: cannot extract the site table from $3" >&2; exit 1; }
	echo /run/vmi-shim/sites.bin ;;
load) echo "vmi-shim loaded: mode x, 3 ops routed, 7 call sites patched" ;;
unload)
	[ -n "$UNLOAD_FAIL" ] && { echo "vmictl: the shim could not prove a full restore: failed pv-ops-differ; it stays loaded" >&2; exit 1; }
	echo "  vmi_shim: restored" ;;
esac
EOS
chmod +x "$WORK/bin/vmictl"
export WORK
export VMI_SHIM_VMICTL="$WORK/bin/vmictl" VMI_SHIM_KREL=6.1.0-99-amd64
export VMI_SHIM_MODROOT="$WORK/mod" VMI_SHIM_BOOT="$WORK/boot"
export VMI_SYSFS="$WORK/sys/vmi_shim" VMI_SHIM_LOCKDOWN="$WORK/lockdown"
export VMI_SHIM_CONF="$WORK/vmi-shim.conf"
echo "none [integrity] confidentiality" >"$WORK/lockdown.on"
echo "[none] integrity confidentiality" >"$WORK/lockdown"

# run ACTION: $out its output, $rc its status
run() {
	out=$(PATH="$WORK/bin:$PATH" sh "$svc" "$1" 2>&1)
	rc=$?
}
# every line starts with "vmi-shim:"
tagged() { ! printf '%s\n' "$out" | grep -qv '^vmi-shim: '; }
match() { printf '%s\n' "$out" | grep -q "$1"; }

cat >"$VMI_SHIM_CONF" <<'EOC'
# a comment
MODE=full
ROM="builtin"   # where from
SITES=yes
MODULE_SITES=no
EOC

run check
[ $rc -eq 1 ] && tagged &&
	match "^vmi-shim: no vmi_shim.ko for kernel 6.1.0-99-amd64 (dkms status: .*): install linux-headers-6.1.0-99-amd64, .*; the system runs natively$"
tap_ok $? "check: no module for the running kernel: exit 1 (skipped, not failed), says why ($out)"

mkdir -p "$WORK/mod/6.1.0-99-amd64/updates/dkms"
ko=$WORK/mod/6.1.0-99-amd64/updates/dkms/vmi_shim.ko
: >"$ko"
run check
[ $rc -eq 1 ] && tagged && match "no site table for kernel 6.1.0-99-amd64: .*vmlinuz-6.1.0-99-amd64 is not readable; set SITES=no"
tap_ok $? "check: no kernel image: exit 1, no site table, says why ($out)"

: >"$WORK/boot/vmlinuz-6.1.0-99-amd64"
SITES_FAIL=1 run check
[ $rc -eq 1 ] && tagged && match "no site table for kernel 6.1.0-99-amd64: vmictl: cannot extract the site table from .*; the system runs natively"
tap_ok $? "check: vmi-sites cannot read the image: exit 1, vmictl's reason in the line ($out)"

: >"$WORK/vmictl.log"
run check
[ $rc -eq 0 ] && tagged && match "module $ko, mode full, ROM source builtin, kernel sites yes, module sites no" &&
	[ "$(cat "$WORK/vmictl.log")" = "sites --image $WORK/boot/vmlinuz-6.1.0-99-amd64" ]
tap_ok $? "check: module and site table there: exit 0, the table extracted for the load ($out)"

: >"$WORK/vmictl.log"
run start
[ $rc -eq 0 ] && tagged && match "^vmi-shim: vmi-shim loaded: mode x" &&
	[ "$(cat "$WORK/vmictl.log")" = "load -m $ko --mode full --rom builtin --image $WORK/boot/vmlinuz-6.1.0-99-amd64 --no-modules" ]
tap_ok $? "start: vmictl load with the configured mode, ROM source and sites ($(cat "$WORK/vmictl.log"))"

cp "$WORK/lockdown.on" "$WORK/lockdown"
run check
[ $rc -eq 1 ] && tagged && match "is locked down (.*\[integrity\].*): it refuses unsigned site tables; set SITES=no and MODULE_SITES=no"
tap_ok $? "check: locked down with SITES=yes: exit 1, says what to set ($out)"
printf 'SITES=no\nMODULE_SITES=no\n' >"$VMI_SHIM_CONF"
: >"$WORK/vmictl.log"
run check && run start
[ $rc -eq 0 ] && [ "$(cat "$WORK/vmictl.log")" = "load -m $ko --mode accelerate --rom auto --image $WORK/boot/vmlinuz-6.1.0-99-amd64 --no-sites --no-modules" ]
tap_ok $? "locked down with SITES=no MODULE_SITES=no: pv_ops only, the defaults otherwise ($(cat "$WORK/vmictl.log"))"
echo "[none] integrity confidentiality" >"$WORK/lockdown"

ok=0
for bad in "MODE=fast:MODE=fast: want accelerate, full or off" \
	"ROM=disk:ROM=disk: want auto" "SITES=1:SITES=1: want yes or no" \
	"TYPO=1:unknown setting TYPO" "MODE accelerate:want KEY=value"; do
	printf '# settings\n\n%s\n' "${bad%%:*}" >"$VMI_SHIM_CONF"
	run check
	{ [ $rc -eq 255 ] && tagged && match "vmi-shim.conf: line 3: .*${bad#*:}"; } ||
		{ tap_diag "'${bad%%:*}': exit $rc, $out"; ok=1; }
done
tap_ok $ok "a bad setting fails the unit (exit 255) naming its line"
rm -f "$VMI_SHIM_CONF"
run check
[ $rc -eq 0 ] && match "mode accelerate, ROM source auto, kernel sites yes, module sites yes"
tap_ok $? "no config file: the defaults ($out)"

: >"$WORK/vmictl.log"
run stop
[ $rc -eq 0 ] && tagged && match "not loaded: nothing to restore" && [ ! -s "$WORK/vmictl.log" ]
tap_ok $? "stop, nothing loaded: exit 0, vmictl not called ($out)"
mkdir -p "$VMI_SYSFS"
run stop
[ $rc -eq 0 ] && tagged && [ "$(cat "$WORK/vmictl.log")" = unload ] && match "unloaded: every patched byte restored and proven"
tap_ok $? "stop, loaded: vmictl unload ($out)"
UNLOAD_FAIL=1 run stop
[ $rc -eq 1 ] && tagged && match "could not prove a full restore" && match "vmictl unload failed (exit 1): the shim stays loaded"
tap_ok $? "stop, unload refused: exit 1 with vmictl's reason ($out)"
run check
[ $rc -eq 0 ] && match "already loaded"
tap_ok $? "check, already loaded (by hand): left as it is ($out)"

run bogus
[ $rc -eq 2 ]
tap_ok $? "an unknown action is a usage error (exit 2)"
tap_done
