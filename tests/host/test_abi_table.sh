#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The ABI's one table of calls (include/vmi/calls.h) checks itself at
# build time: an entry out of number order or with the wrong minor stops
# common/names.c from building, and a ROM implementation whose prototype
# differs from the table stops rom/backend/select.c.  Each case builds a
# copy of the sources with one deliberate defect and must fail with the
# table's own message; the unchanged copy must build.  Prints unnumbered
# "ok - name" lines; run-tap.sh numbers them.
#
#   test_abi_table.sh TOP WORK_DIR [CC]

TOP=$1
WORK=$2
CC=${3:-cc}
. "$(dirname "$0")/result.sh"

# fresh COPY: the sources a case may change
fresh() {
	rm -rf "$WORK/$1" && mkdir -p "$WORK/$1" &&
		cp -r "$TOP/include" "$TOP/common" "$TOP/rom" "$WORK/$1/"
}

# names COPY: build common/names.c of COPY, output in COPY/log
names() {
	$CC -std=gnu11 -Wall -Wextra -Werror -fsyntax-only \
		"$WORK/$1/common/names.c" >"$WORK/$1/log" 2>&1
}

# select COPY: build the ROM's backend selection of COPY as the ROM does
select_c() {
	$CC -std=gnu11 -ffreestanding -fno-builtin -Wall -Wextra -Werror \
		-fsyntax-only "$WORK/$1/rom/backend/select.c" >"$WORK/$1/log" 2>&1
}

# edit COPY FILE PERL-EXPR: change FILE of COPY, failing if nothing changed
edit() {
	cp "$WORK/$1/$2" "$WORK/$1/$2.orig" &&
		perl -0pi -e "$3" "$WORK/$1/$2" &&
		! cmp -s "$WORK/$1/$2" "$WORK/$1/$2.orig"
}

fresh same && names same && select_c same
result $? "the unchanged table builds names.c and the ROM's select.c"

# Calls 85 and 86 swapped: names at the wrong numbers.
fresh order && edit order include/vmi/calls.h \
	's/(\tX\(85,[^\n]*?) \\\n(\tX\(86,[^\n]*)\n/$2 \\\n$1\n/' &&
	! names order && grep -q "size of unnamed array is negative" "$WORK/order/log"
result $? "an entry out of number order does not build"

# SystemTime (3.13) said to come with minor 12.
fresh minor && edit minor include/vmi/calls.h \
	's/("SystemTime",\s+)13,/${1}12,/' &&
	! names minor && grep -q "size of unnamed array is negative" "$WORK/minor/log"
result $? "an entry with the wrong minor does not build"

# KickCPU implemented with a 32-bit APIC ID: not what callers pass.
fresh proto && edit proto rom/rom.h \
	's/(int64_t vmi_kvm_kick_cpu\(struct vmi_state \*s, )uint64_t/${1}uint32_t/' &&
	! select_c proto && grep -q "vmi_kvm_kick_cpu is not VMI_CALLS.* KICK_CPU" "$WORK/proto/log"
result $? "a ROM implementation unlike the table's prototype does not build"

rm -rf "$WORK"
exit $fail
