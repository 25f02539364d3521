#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The module's table of kernel symbols (module/base/ksyms.c) names each
# field of struct vmi_ksyms at the field's own place: a symbol named twice
# must not build. A copy of the module with one name given twice is built
# (that one object, by kbuild against the 6.1 headers) and must fail with
# the compiler's "initialized field overwritten"; the unchanged copy must
# build. A SKIP when no kernel headers can be had.
#
#   test_ksyms.sh TOP WORK_DIR

TOP=$1
WORK=$2
. "$(dirname "$0")/../lib/tap.sh"

KDIR=$(VMI_QUIET=1 "$TOP/tools/vmi-kernel" kdir 6.1 2>/dev/null)
if [ ! -d "$KDIR" ]; then
	tap_skip "struct vmi_ksyms's names: a name given twice does not build" \
		"no 6.1 kernel headers (tools/vmi-kernel kdir 6.1)"
	tap_done
fi

# ksyms COPY [SED-EXPR]: build COPY's base/ksyms.o, output in COPY.log
ksyms() {
	rm -rf "${WORK:?}/$1" && mkdir -p "$WORK/$1" &&
		cp -r "$TOP/module" "$TOP/include" "$TOP/common" "$TOP/Kbuild" "$WORK/$1/" &&
		{ [ -z "$2" ] || sed -i "$2" "$WORK/$1/module/base/ksyms.c"; } &&
		make -s -C "$KDIR" M="$WORK/$1" module/base/ksyms.o >"$WORK/$1.log" 2>&1
}

ksyms same
tap_ok $? "the unchanged table of kernel symbols builds"
# the sed must have changed the copy: a name it no longer finds is no test
! ksyms twice 's/KSYM(idle_cpu),/KSYM(idle_cpu), KSYM(idle_cpu),/' &&
	! cmp -s "$TOP/module/base/ksyms.c" "$WORK/twice/module/base/ksyms.c" &&
	grep -q "initialized field overwritten" "$WORK/twice.log"
tap_ok $? "a kernel symbol named twice in the table does not build"
rm -rf "$WORK"
tap_done
