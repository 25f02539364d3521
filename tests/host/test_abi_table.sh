#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The ABI's one table of calls (include/vmi/calls.h) checks itself at
# build time: an entry out of number order, or with a minor outside its
# range (0 for VMI 3.0's calls, 1 to VMI_API_MINOR after), stops
# common/names.c from building, and a ROM implementation whose prototype
# differs from the table stops rom/backend/select.c. Each case builds a
# copy of the sources with one deliberate defect and must fail with the
# table's own message; the unchanged copy must build. And the table must
# say what docs/abi.md's table of appended calls says (number, minor,
# name), which a changed minor must fail. Prints unnumbered "ok - name"
# lines; run-tap.sh numbers them.
#
#   test_abi_table.sh TOP WORK_DIR [CC]

TOP=$1
WORK=$2
CC=${3:-cc}
. "$(dirname "$0")/../lib/tap.sh"

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
tap_ok $? "the unchanged table builds names.c and the ROM's select.c"

# refused CASE PERL-EXPR NAME: calls.h changed by PERL-EXPR must not
# build names.c, and the table's own check must say why
refused() {
	fresh "$1" && edit "$1" include/vmi/calls.h "$2" &&
		! names "$1" && grep -q "size of unnamed array is negative" "$WORK/$1/log"
	tap_ok $? "$3"
}

# The last two calls, 86 and 87, swapped: names at the wrong numbers.
refused order 's/(\tX\(86,[^\n]*?) \\\n(\tX\(87,[^\n]*)\n/$2 \\\n$1\n/' \
	"an entry out of number order does not build"
# An appended call said to be VMI 3.0's, one past VMI_API_MINOR, and one
# of VMI 3.0's calls said to come with a later minor.
refused minor0 's/("SystemTime",\s+)13,/${1}0,/' \
	"an appended call with minor 0 does not build"
refused minorhi 's/("SystemTime",\s+)13,/${1}99,/' \
	"a call with a minor past VMI_API_MINOR does not build"
refused minor30 's/("RDMSR",\s+)0,/${1}1,/' \
	"a VMI 3.0 call with a minor other than 0 does not build"

# table_rows DIR: "number minor name" of the appended calls in calls.h
table_rows() {
	sed -n 's/^[[:space:]]*X(\([0-9]*\),[[:space:]]*[A-Z_0-9]*,[[:space:]]*"\([A-Za-z0-9]*\)",[[:space:]]*\([0-9]*\),.*/\1 \3 \2/p' \
		"$1/include/vmi/calls.h" | awk '$1 >= 74'
}
# doc_rows: the same from docs/abi.md's table of appended calls
doc_rows() {
	sed -n 's/^| \([0-9]*\) | 3\.\([0-9]*\) | \([A-Za-z0-9]*\) |.*/\1 \2 \3/p' \
		"$TOP/docs/abi.md"
}
doc_rows >"$WORK/doc" && [ -s "$WORK/doc" ] &&
	table_rows "$TOP" | diff "$WORK/doc" - >"$WORK/diff"
tap_ok $? "the table's appended calls are docs/abi.md's (number, minor, name)$(sed 's/^/; /' "$WORK/diff" | tr -d '\n')"

# SystemTime (3.13) said to come with minor 12: builds, but is not the doc.
fresh minor && edit minor include/vmi/calls.h \
	's/("SystemTime",\s+)13,/${1}12,/' && names minor &&
	table_rows "$WORK/minor" >"$WORK/minor.rows" && [ -s "$WORK/minor.rows" ] &&
	! diff -q "$WORK/doc" "$WORK/minor.rows" >/dev/null
tap_ok $? "a call whose minor differs from docs/abi.md fails the comparison"

# KickCPU implemented with a 32-bit APIC ID: not what callers pass.
fresh proto && edit proto rom/rom.h \
	's/(int64_t vmi_kvm_kick_cpu\(struct vmi_state \*s, )uint64_t/${1}uint32_t/' &&
	! select_c proto && grep -q "vmi_kvm_kick_cpu is not VMI_CALLS.* KICK_CPU" "$WORK/proto/log"
tap_ok $? "a ROM implementation unlike the table's prototype does not build"

rm -rf "$WORK"
tap_done
