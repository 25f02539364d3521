# SPDX-License-Identifier: GPL-2.0
# The environment of an installed copy of the selftests (make -C selftests
# install), as DIR/vmi_shim/lib/ksft_env.sh: sourced by each generated test
# script of DIR/vmi_shim, run alone or by DIR/run_kselftest.sh. It sets the
# layout tests/lib/shim.sh reads (this copy's, not the runner's /vmi/...)
# and decides whether the test can run here: ksft_need NEED... ends the test
# as a SKIP (kselftest's exit status 4, KTAP "1..0 # SKIP reason") naming
# what is missing. POSIX sh (busybox or Debian's dash).
#
# From the environment, each optional:
#   VMI_SHIM_MOD           the vmi_shim.ko to test (default: the one built
#                          with these tests, DIR/vmi_shim/modules)
#   VMI_TOOLS_DIR          where vmictl and vmi-sites are, before PATH
#                          (the vmi-shim package puts them in /usr/sbin)
#   VMI_EXPECT_HV          none or kvm: the hypervisor underneath (default:
#                          what the kernel found at boot, read below)
#   VMI_EXPECT_ROM_SOURCE  builtin (default) or option: where the shim
#                          must take its ROM from (option: a QEMU started
#                          with -option-rom vmi-rom.bin)
KSFT_SKIP=4
cd "$(dirname "$0")" || exit 1
VMI_SELFTESTS=$(pwd)
VMI_DIR=$VMI_SELFTESTS
VMI_MODULES=$VMI_SELFTESTS/modules
VMI_ROMS=$VMI_SELFTESTS/roms
VMI_SITES=$VMI_SELFTESTS/sites
SHIM_MOD=${VMI_SHIM_MOD:-$VMI_MODULES/vmi_shim.ko}
[ -n "${VMI_TOOLS_DIR:-}" ] && PATH=$VMI_TOOLS_DIR:$PATH
PATH=$PATH:/usr/local/sbin:/usr/sbin:/sbin
export VMI_SELFTESTS VMI_DIR VMI_MODULES VMI_ROMS VMI_SITES SHIM_MOD PATH

ksft_skip() {
	echo "TAP version 13"
	echo "1..0 # SKIP $*"
	exit $KSFT_SKIP
}

# The hypervisor the kernel itself found at boot, as the tests name it:
# none (no CPUID hypervisor bit), kvm, or what the kernel called another.
ksft_hypervisor() {
	grep -qw hypervisor /proc/cpuinfo || { echo none; return; }
	hv=$({ cat /run/vmi-boot.log; dmesg; journalctl -k -b 0 -q -o cat; } 2>/dev/null |
		sed -n 's/.*Hypervisor detected: *//p' | head -1)
	case $hv in
	KVM) echo kvm ;;
	"") echo unknown ;;
	*) echo "$hv" ;;
	esac
}

ksft_locked_down() {
	[ -e /sys/kernel/security/lockdown ] ||
		mount -t securityfs securityfs /sys/kernel/security 2>/dev/null
	case $(cat /sys/kernel/security/lockdown 2>/dev/null) in
	*"[integrity]"* | *"[confidentiality]"*) return 0 ;;
	esac
	return 1
}

# ksft_need NEED...: what every test needs, then each NEED of
# selftests/tests.list; the first one missing makes the test a SKIP.
ksft_need() {
	[ "$(id -u)" = 0 ] || ksft_skip "not root (the tests load kernel modules)"
	[ "$(uname -m)" = x86_64 ] ||
		ksft_skip "$(uname -m): the installed selftests are built for x86-64 kernels only"
	built=$(cat "$VMI_MODULES/kernel_release" 2>/dev/null)
	[ "$built" = "$(uname -r)" ] ||
		ksft_skip "the test modules were built for ${built:-no kernel}, this is $(uname -r): make -C selftests install KDIR=/lib/modules/$(uname -r)/build again"
	[ -r "$SHIM_MOD" ] || ksft_skip "no vmi_shim.ko at $SHIM_MOD"
	! grep -q '^vmi_shim ' /proc/modules ||
		ksft_skip "vmi_shim is loaded already (its service?): unload it first (vmictl unload, or systemctl stop vmi-shim)"
	[ -n "$(ls /sys/kernel/debug 2>/dev/null)" ] ||
		mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
	[ -n "$(ls /sys/kernel/debug 2>/dev/null)" ] ||
		ksft_skip "no debugfs at /sys/kernel/debug (the tests read the shim's files there)"
	case " $* " in
	*" lockdown "*)
		ksft_locked_down ||
			ksft_skip "the kernel is not locked down (boot with lockdown=integrity to run this one)"
		;;
	*)
		! ksft_locked_down ||
			ksft_skip "the kernel is locked down: it loads no unsigned module (only the lockdown test runs)"
		[ "$(cat /sys/module/module/parameters/sig_enforce 2>/dev/null)" != Y ] ||
			ksft_skip "the kernel enforces module signatures (Secure Boot?): the test modules are unsigned"
		;;
	esac
	for need in "$@"; do
		case $need in
		hv)
			: "${VMI_EXPECT_HV:=$(ksft_hypervisor)}"
			case $VMI_EXPECT_HV in
			none | kvm) ;;
			*) ksft_skip "hypervisor '$VMI_EXPECT_HV': the tests know none and KVM (VMI_EXPECT_HV=none|kvm overrides)" ;;
			esac
			;;
		sites)
			[ -r "/boot/vmlinuz-$(uname -r)" ] ||
				ksft_skip "no /boot/vmlinuz-$(uname -r) to read the kernel's call-site table from"
			command -v vmi-sites >/dev/null 2>&1 ||
				ksft_skip "no vmi-sites in PATH (install the vmi-shim tools, or run_kselftest.sh --tools DIR)"
			;;
		smp2)
			[ "$(grep -c '^processor' /proc/cpuinfo)" -ge 2 ] || ksft_skip "one CPU: needs two or more"
			;;
		kvm-nopv)
			[ "${VMI_EXPECT_HV:=$(ksft_hypervisor)}" = kvm ] ||
				ksft_skip "not a KVM guest (hypervisor: $VMI_EXPECT_HV)"
			grep -qw nopv /proc/cmdline || ksft_skip "the kernel was not booted with nopv"
			;;
		lockdown) ;;
		*) ksft_skip "unknown need '$need' (selftests/tests.list)" ;;
		esac
	done
	: "${VMI_EXPECT_ROM_SOURCE:=builtin}"
	export VMI_EXPECT_HV VMI_EXPECT_ROM_SOURCE
}
