#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# rom_matrix.sh [--mode full|accelerate] [--expect-kernel pv|nopv] MINOR...
# The version matrix (issue 16, docs/abi.md "Versions"): the shim loaded
# with each ROM of $VMI_ROMS/matrix (make rom-matrix: vmi-rom-3.MINOR.bin,
# older minors and one past VMI_API_MINOR) as a firmware file, one after
# the other in one boot, against the current ROM (vmi-rom.bin) loaded the
# same way first. For a ROM of minor m, which defines calls 0..N-1 (N:
# docs/abi.md's numbering; a minor past the module's gives the module's
# 88):
# - calls 0..N-1 resolve as with the current ROM (relocation type; the
#   backend too from 3.9, before which the relocation tells), every call
#   from N on is NONE with backend none, and no call past 87 is listed;
# - the log says which calls came later ("rom 3.m: calls N-87 came
#   later and stay native") or, past the module's minor, "rom 3.m,
#   using 3.15";
# - an op whose call is N or later is not routed, and says
#   "rom-too-old: needs 3.k Name" for that call; any other op, and every
#   feature, is as with the current ROM, or off with "rom-too-old: needs
#   3.k Name" for a call k > m introduced: never on for a call the ROM
#   did not announce. A feature whose own call is N or later is off, with
#   that reason or the current ROM's own reason for being off (kernel-pv,
#   host-lacks...) when that is not the ROM's; sysfs features/ shows the
#   same token. Before 3.14 "cpu-buffer-clear" may differ too, where the
#   log says the kernel clears CPU buffers before HLT (VMI_INIT_IDLE_VERW
#   came with 3.14, no call);
# - the unload restores and proves: pv_ops and kernel text CRCs as
#   before the load, nothing of the shim left.
# The checks are tests/lib/matrix.sh's, which release_pairs.sh shares.
# A ROM past the module's minor answers CALL_REL for calls 88 and 89
# (rom/state.h): their entry traps, so using one would oops the run.
# --expect-kernel says what the current ROM must find: pv (the kernel
# runs KVM's guest code: steal_time off kernel-pv) or nopv (the retrofit
# switches steal time on).
. "$(dirname "$0")/lib/tap.sh"
. "$(dirname "$0")/lib/shim.sh"
. "$(dirname "$0")/lib/matrix.sh"

mode=full expect_kernel=
while [ $# -gt 0 ]; do
	case $1 in
	--mode) mode=$2; shift ;;
	--expect-kernel) expect_kernel=$2; shift ;;
	*) break ;;
	esac
	shift
done
matrix_setup
matrix_current ${expect_kernel:+--expect-kernel "$expect_kernel"}

for m in "$@"; do
	rom=vmi-rom-3.$m.bin
	if [ ! -e "$SHIM_FW/$fw/$rom" ]; then
		tap_ok 1 "ROM 3.$m: $rom staged ($VMI_ROMS/matrix: make rom-matrix)"
		continue
	fi
	matrix_rom "ROM 3.$m" "$rom" "$m"
done
tap_done
