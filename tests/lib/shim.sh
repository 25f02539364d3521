# SPDX-License-Identifier: GPL-2.0
# Helpers shared by the shim's selftests (source after tap.sh).
#
# Where things are: by default the guest layout of tools/vmi-run (/vmi/...);
# an installed copy of the selftests (make -C selftests install, whose
# vmi_shim/lib/ksft_env.sh sets these) has its own. Each may be set alone.
#   VMI_DIR        the runner's guest directory (/vmi): prev/, kmod/, signed/
#   VMI_MODULES    vmi_shim.ko and the test modules (vmi_test_*.ko)
#   VMI_SELFTESTS  these tests and their helper programs (kvm_cpuid, ...)
#   VMI_ROMS       the defective ROMs (tools/mkbadroms) and matrix/
#   VMI_SITES      site tables the host extracted (i386 guests)
#   SHIM_MOD       the vmi_shim.ko under test
VMI_DIR=${VMI_DIR:-/vmi}
VMI_MODULES=${VMI_MODULES:-$VMI_DIR/modules}
VMI_SELFTESTS=${VMI_SELFTESTS:-$VMI_DIR/selftests}
VMI_ROMS=${VMI_ROMS:-$VMI_DIR/roms}
SHIM_MOD=${SHIM_MOD:-$VMI_MODULES/vmi_shim.ko}
SHIM_SYS=/sys/kernel/vmi_shim
SHIM_DBG=/sys/kernel/debug/vmi_shim
# Site tables reach the module through the firmware loader, by a name
# under $SHIM_FW: the tests write theirs to $SHIM_FW/vmi-test/ and pass
# sites=${tbl#$SHIM_FW/}.
SHIM_FW=/lib/firmware
mkdir -p "$SHIM_FW/vmi-test"

# A shell takes no number past 2^63 (dash refuses one, busybox wraps),
# and x86-64 kernel addresses are: they all lie in the top 4 GiB, so their
# low 32 bits give any offset between two of them (i386 addresses are
# used as they are). addr_lo ADDR: those bits; addr_hi ADDR: the rest,
# to print an address again: printf '%s%08x' "$(addr_hi A)" $((...)).
addr_lo() { case $1 in 0xffffffff????????) echo "0x${1#0xffffffff}" ;; *) echo "$1" ;; esac; }
addr_hi() { case $1 in 0xffffffff????????) echo 0xffffffff ;; *) echo 0x ;; esac; }

# feature NAME: features/NAME, "on" or "off TOKEN"; feature_state NAME:
# its first word. shim_count NAME: counters/NAME. shim_features_diag:
# every feature with the sentence behind its token, as TAP comments.
feature() { cat "$SHIM_SYS/features/$1" 2>/dev/null; }
# The kernel's messages up to /init (tools/guest/init keeps them), or
# the ring buffer where no copy was kept.
boot_log() { cat /run/vmi-boot.log 2>/dev/null || dmesg; }
feature_state() { feature "$1" | cut -d' ' -f1; }
shim_count() { cat "$SHIM_SYS/counters/$1"; }
shim_features_diag() { sed 's/^/#   /' "$SHIM_DBG/features"; }

# The kernel log of the step under test, and nothing older: klog_mark
# writes a unique line to the log before the step, klog_since prints what
# the kernel logged after it. The log holds every earlier step's lines
# too, so a grep of all of it passes on what another step printed.
# klog_since returns 1 (and says so) if the mark is not in the log: lost,
# or never written.
_klog_n=0
_klog_tag=
klog_mark() {
	_klog_n=$((_klog_n + 1))
	_klog_tag="vmi-selftest: mark $$.$_klog_n.$(cat /proc/sys/kernel/random/uuid 2>/dev/null)"
	# Writes to /dev/kmsg are rate limited by default: a dropped mark
	# would hide what follows it.
	[ $_klog_n -eq 1 ] && echo on >/proc/sys/kernel/printk_devkmsg 2>/dev/null
	echo "$_klog_tag" >/dev/kmsg
}
klog_since() {
	# Read the whole log before printing any of it: a reader that stops
	# early (grep -q) must not make a mark that was there look lost.
	_klog_all=$(dmesg)
	case $_klog_tag in
	"") ;;
	*)
		case $_klog_all in
		*"$_klog_tag"*)
			printf '%s\n' "$_klog_all" |
				awk -v tag="$_klog_tag" 'seen { print } index($0, tag) { seen = 1 }'
			return 0
			;;
		esac
		;;
	esac
	echo "# kernel log mark '${_klog_tag:-none}' not found: lost, or klog_mark not called" >&2
	return 1
}

# CRC of the whole core kernel text, read through a shim that changes
# nothing (mode=off): equal values prove that no byte of kernel text moved.
shim_text_crc() {
	insmod "$SHIM_MOD" mode=off &&
		cut -d' ' -f1 /sys/kernel/debug/vmi_shim/text_crc &&
		rmmod vmi_shim
}

# The same CRC with the shim loaded, read from its debugfs: for a test
# that keeps it loaded (shim_text_crc cannot load a second copy). Prints
# nothing and fails when it cannot read it.
shim_text_crc_loaded() {
	set -- "$(cut -d' ' -f1 "$SHIM_DBG/text_crc" 2>/dev/null)"
	[ -n "$1" ] && echo "$1"
}

# CRC of pv_ops, read the same way: equal values prove every op pointer
# is back.
shim_pv_ops_crc() {
	insmod "$SHIM_MOD" mode=off &&
		cat "$SHIM_SYS/pv_ops_crc" &&
		rmmod vmi_shim
}

# shim_kernel_sites FILE: the running kernel's call-site table, written to
# FILE. vmi-sites decompresses and reads the whole /boot image (seconds
# under TCG, half a minute in a nested guest), so this is the table
# vmictl keeps for the boot (vmictl sites); each test gets a copy of its
# own to read or corrupt. sites_patch.sh tests the extraction itself and
# runs vmi-sites afresh.
#
# A guest without vmi-sites (i386: make guest-files cannot link it
# statically for i386) gets the table the host's vmi-sites extracted from
# the very image the guest booted, with its info and list beside it:
# SHIM_SITES/<release>.{bin,info,list}. Tests that run vmi-sites itself
# (the extraction, its checks, modules' tables) SKIP there, saying so.
SHIM_SITES=${VMI_SITES:-$VMI_DIR/sites}
shim_have_vmi_sites() { command -v vmi-sites >/dev/null 2>&1; }
shim_kernel_sites() {
	if shim_have_vmi_sites; then
		vmictl sites -o "$1"
		return
	fi
	[ -s "$SHIM_SITES/$(uname -r).bin" ] || {
		echo "# no vmi-sites in this guest and no $SHIM_SITES/$(uname -r).bin" >&2
		return 1
	}
	cp "$SHIM_SITES/$(uname -r).bin" "$1"
}

# shim_sites_info FILE, shim_sites_list FILE: vmi-sites info/list of the
# kernel's table FILE, from the host's where the guest has no vmi-sites
# (FILE must then be a copy of that table).
shim_sites_staged() {
	[ -s "$SHIM_SITES/$(uname -r).$2" ] &&
		cmp -s "$1" "$SHIM_SITES/$(uname -r).bin" &&
		cat "$SHIM_SITES/$(uname -r).$2"
}
shim_sites_info() {
	if shim_have_vmi_sites; then vmi-sites info "$1"; else shim_sites_staged "$1" info; fi
}
shim_sites_list() {
	if shim_have_vmi_sites; then vmi-sites list "$1"; else shim_sites_staged "$1" list; fi
}
# The reason a test of vmi-sites itself is skipped in such a guest.
SHIM_NO_VMI_SITES="no vmi-sites in this guest (i386: none links statically); the host extracted the table"

# shim_routed_op: the op every kernel routes in full mode and that a
# module (vmi_test_pvops) calls a known number of times: cpu.cpuid with
# PARAVIRT_XXL (x86-64), cpu.io_delay without it (686-pae: the only
# cpu.* op there).
shim_routed_op() {
	case $(uname -m) in
	x86_64) echo cpu.cpuid ;;
	*) echo cpu.io_delay ;;
	esac
}

# shim_op_slot NAME: the pv_ops slot of op NAME (cpu.cpuid) on this
# kernel, as the shim reads it (the layout differs between kernels: 22
# for cpu.cpuid on 6.1), from a load in mode=off; nothing if it cannot
# tell. Not while the shim is loaded.
shim_op_slot() {
	insmod "$SHIM_MOD" mode=off 2>/dev/null || return 1
	awk -v n="$1" '$1 == n { print $2 }' "$SHIM_DBG/ops"
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

# shim_routing_off_refused NAME: writing "off" to routing must fail. The
# kernel log is marked first, for the caller's checks of what it said.
shim_routing_off_refused() {
	klog_mark
	! echo off >"$SHIM_SYS/routing" 2>/dev/null
	tap_ok $? "$1"
}

# shim_refused "PARAMS" "dmesg pattern" NAME: loading with PARAMS must fail,
# leave nothing loaded, and say PATTERN in the kernel log.
shim_refused() {
	klog_mark
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
	if ! klog_since | grep -q "$2"; then
		tap_diag "$3: no '$2' in:"
		klog_since | grep vmi_shim | sed 's/^/#   /'
		tap_ok 1 "$3"
		return
	fi
	tap_ok 0 "$3"
}
