# SPDX-License-Identifier: GPL-2.0
# Helpers shared by the shim's selftests (source after tap.sh).
SHIM_MOD=/vmi/modules/vmi_shim.ko
SHIM_SYS=/sys/kernel/vmi_shim

# CRC of the whole core kernel text, read through a shim that changes
# nothing (mode=off): equal values prove that no byte of kernel text moved.
shim_text_crc() {
	insmod "$SHIM_MOD" mode=off &&
		cut -d' ' -f1 /sys/kernel/debug/vmi_shim/text_crc &&
		rmmod vmi_shim
}

# Unload the way vmictl does: a proven restore first (sysfs "routing"),
# then rmmod, which the shim refuses while anything is routed.
shim_unload() {
	if [ -w "$SHIM_SYS/routing" ] && [ "$(cat "$SHIM_SYS/routing")" != off ]; then
		echo off >"$SHIM_SYS/routing" || return 1
	fi
	rmmod vmi_shim
}

# shim_refused "PARAMS" "dmesg pattern" NAME: loading with PARAMS must fail,
# leave nothing loaded, and say PATTERN in the kernel log.
shim_refused() {
	dmesg -c >/dev/null
	# shellcheck disable=SC2086
	if insmod "$SHIM_MOD" $1 2>/dev/null; then
		shim_unload
		tap_diag "$3: the load was accepted"
		tap_ok 1 "$3"
		return
	fi
	if [ -e "$SHIM_SYS" ] || grep -q '^vmi_shim ' /proc/modules; then
		tap_diag "$3: something was left behind"
		tap_ok 1 "$3"
		return
	fi
	if ! dmesg | grep -q "$2"; then
		tap_diag "$3: no '$2' in:"
		dmesg | grep vmi_shim | sed 's/^/#   /'
		tap_ok 1 "$3"
		return
	fi
	tap_ok 0 "$3"
}
