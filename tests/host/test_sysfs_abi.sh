#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The sysfs ABI document (docs/ABI/sysfs-kernel-vmi_shim) says what the
# module shows: every reason token a VMI_WHY() in module/ can give is
# listed there ("- token: meaning") and every token listed is one the
# module gives; every /sys/kernel/vmi_shim file it names is one that
# tests/guest/sysfs_perms.sh classifies, and the other way round (that test
# checks its list against a loaded module's files). Each defect case runs
# the check on a copy with one deliberate defect and must fail naming it.
# Prints unnumbered "ok - name" lines; run-tap.sh numbers them.
#
#   test_sysfs_abi.sh TOP WORK_DIR

TOP=$1
WORK=$2
. "$(dirname "$0")/../lib/tap.sh"
doc=docs/ABI/sysfs-kernel-vmi_shim
perms=tests/guest/sysfs_perms.sh

# abi_check TREE: prints what differs, fails if anything does
abi_check() {
	grep -rhoE 'VMI_WHY\("[a-z0-9-]+"' "$1/module" |
		sed 's/.*("//; s/"$//' | sort -u >"$1.code"
	sed -n 's/^\t\t- \([a-z0-9-]*\):.*/\1/p' "$1/$doc" | sort -u >"$1.doc"
	sed -n 's,^What:\t*/sys/kernel/vmi_shim/,,p' "$1/$doc" | sort >"$1.what"
	# sysfs_perms.sh: $SHIM_SYS/NAME in "secret" and "writeonly", and
	# its public list
	{
		sed -n 's/^\(secret\|writeonly\)=//p' "$1/$perms" | tr ' "' '\n\n' |
			sed -n 's,^\$SHIM_SYS/,,p'
		sed -n '/^for f in version/,/; do$/p' "$1/$perms" |
			tr -d '\\' | tr ' \t' '\n\n' |
			grep -v '^\(for\|f\|in\|;\|do\|\)$' | sed 's/;$//'
	} | grep . | sort >"$1.perms"
	rc=0
	comm -23 "$1.code" "$1.doc" | sed 's/^/token not in the document: /' | grep . && rc=1
	comm -13 "$1.code" "$1.doc" | sed 's/^/token the module never gives: /' | grep . && rc=1
	comm -23 "$1.what" "$1.perms" | sed 's/^/file not classified by sysfs_perms.sh: /' | grep . && rc=1
	comm -13 "$1.what" "$1.perms" | sed 's/^/file not in the document: /' | grep . && rc=1
	return $rc
}

# fresh COPY: the files a case may change
fresh() {
	rm -rf "${WORK:?}/$1" && mkdir -p "$WORK/$1/docs" "$WORK/$1/tests/guest" &&
		cp -r "$TOP/module" "$WORK/$1/" && cp -r "$TOP/docs/ABI" "$WORK/$1/docs/" &&
		cp "$TOP/$perms" "$WORK/$1/tests/guest/"
}

# edit COPY FILE PERL-EXPR: change FILE of COPY, failing if nothing changed
edit() {
	cp "$WORK/$1/$2" "$WORK/$1/$2.orig" &&
		perl -0pi -e "$3" "$WORK/$1/$2" &&
		! cmp -s "$WORK/$1/$2" "$WORK/$1/$2.orig"
}

fresh same && abi_check "$WORK/same" >"$WORK/same.log"
r=$?
sed 's/^/# /' "$WORK/same.log"
tap_ok $r "every reason token and sysfs file is in $doc, and nothing else"

# refused CASE FILE PERL-EXPR MESSAGE NAME
refused() {
	fresh "$1" && edit "$1" "$2" "$3" && ! abi_check "$WORK/$1" >"$WORK/$1.log" &&
		grep -q "$4" "$WORK/$1.log"
	tap_ok $? "$5"
}
refused newtoken module/retrofit/clock.c \
	's/VMI_WHY\("clocksource-refused"/VMI_WHY("clocksource-new"/' \
	"token not in the document: clocksource-new" "a token the document lacks is found"
refused staletoken "$doc" 's/\t\t- mwait: /\t\t- mwait-gone: /' \
	"token the module never gives: mwait-gone" "a token the module never gives is found"
refused newfile "$perms" 's, counters/yields , counters/yields counters/naps ,' \
	"file not in the document: counters/naps" "a classified file the document lacks is found"
refused stalefile "$doc" 's,(What:\t\t/sys/kernel/vmi_shim/counters/yields\n),$1What:\t\t/sys/kernel/vmi_shim/counters/naps\n,' \
	"file not classified by sysfs_perms.sh: counters/naps" "a documented file nobody classifies is found"
rm -rf "$WORK"
tap_done
