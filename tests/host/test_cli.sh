#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# CLI tests for vmirom (and mkrom's position-independence guard).
# Prints unnumbered "ok - name" lines; run-tap.sh numbers them.
#
#   test_cli.sh VMIROM ROM MUTANT_DIR WORK_DIR [MKROM ABSREF_ELF]

VMIROM=$1 ROM=$2 MUTANTS=$3 WORK=$4 MKROM=$5 ABSREF=$6
. "$(dirname "$0")/../lib/tap.sh"

# check: valid image
out=$("$VMIROM" check "$ROM" 2>&1); rc=$?
[ $rc -eq 0 ] && [ "$out" = "OK" ]
tap_ok $? "vmirom check: valid ROM prints OK and exits 0"

# check: every malformed class exits 1 with its own message on stderr
while IFS='	' read -r name code msg; do
	out=$("$VMIROM" check "$MUTANTS/$name.bin" 2>"$WORK/err"); rc=$?
	err=$(cat "$WORK/err")
	if [ "$code" -eq 0 ]; then
		[ $rc -eq 0 ] && [ "$out" = "OK" ]
	else
		[ $rc -eq 1 ] && [ -z "$out" ] &&
			printf '%s' "$err" | grep -qF -- "$msg (error $code)"
	fi
	tap_ok $? "vmirom check $name: exit $rc, ${msg}"
done < "$MUTANTS/manifest"

# A ROM signed for locked-down kernels (docs/sysfs.md): checked without its
# trailer (PKCS#7 message, struct module_signature, marker). The message
# here is 16 bytes of filler: vmirom parses, the kernel verifies.
signed() { # signed OUT SIG_LEN_BYTES: the ROM with a trailer
	cat "$ROM" >"$1"
	printf '0123456789abcdef' >>"$1"
	printf '\000\000\002\000\000\000\000\000%b' "$2" >>"$1"
	printf '~Module signature appended~\n' >>"$1"
}
signed "$WORK/signed.bin" '\000\000\000\020'
out=$("$VMIROM" check "$WORK/signed.bin" 2>&1); rc=$?
[ $rc -eq 0 ] && [ "$out" = "OK" ]
tap_ok $? "vmirom check: a signed ROM is checked without its signature"
"$VMIROM" info "$WORK/signed.bin" 2>&1 | grep -q '^signature: *PKCS#7, 16 bytes appended'
tap_ok $? "vmirom info: reports the appended signature"
signed "$WORK/badsig.bin" '\377\000\000\000'
out=$("$VMIROM" check "$WORK/badsig.bin" 2>&1); rc=$?
[ $rc -eq 1 ] && printf '%s' "$out" | grep -q 'malformed appended signature'
tap_ok $? "vmirom check: a trailer whose length points past the file exits 1"

"$VMIROM" check "$WORK/does-not-exist" >/dev/null 2>&1
tap_ok $([ $? -eq 2 ]; echo $?) "vmirom check: missing file exits 2"
"$VMIROM" >/dev/null 2>&1
tap_ok $([ $? -eq 2 ]; echo $?) "vmirom: no arguments exits 2 (usage)"
"$VMIROM" frobnicate "$ROM" >/dev/null 2>&1
tap_ok $([ $? -eq 2 ]; echo $?) "vmirom: unknown command exits 2"
bad=
for a in -h --help "info -h" "check --help"; do
	# shellcheck disable=SC2086
	out=$("$VMIROM" $a 2>/dev/null) &&
		printf '%s\n' "$out" | grep -q 'vmirom info \[--hypervisor\] FILE$' ||
		bad="$bad '$a'"
done
[ -z "$bad" ]
tap_ok $? "vmirom -h, --help, COMMAND -h: the usage on stdout, exit 0${bad:+ (not:$bad)}"
"$VMIROM" info --bogus "$ROM" >/dev/null 2>"$WORK/err"; rc=$?
[ $rc -eq 2 ] && grep -q "unrecognized option '--bogus'" "$WORK/err" &&
	grep -q '^usage: ' "$WORK/err"
tap_ok $? "vmirom info --bogus: names the option, the usage, exit 2 (got $rc)"
"$VMIROM" check --hypervisor "$ROM" >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ]
tap_ok $? "vmirom check --hypervisor: only info takes it, exit 2 (got $rc)"

# info: header and the relocation table, the calls 3.15 defines: 0 .. 87
"$VMIROM" info "$ROM" >"$WORK/info" 2>&1
tap_ok $? "vmirom info: exits 0 on the valid ROM"
grep -q '^license: *GPL v2$' "$WORK/info" &&
	grep -q '^PCI: *15ad:0801' "$WORK/info" &&
	grep -q '^VMI version: *3\.15$' "$WORK/info" &&
	grep -q '^state block: *256 bytes + 128 per CPU, aligned to 64$' "$WORK/info" &&
	grep -qE '^return sites: *[0-9]+ \(table at 0x[0-9a-f]{4}\), thunk at 0x[0-9a-f]{4}$' "$WORK/info"
tap_ok $? "vmirom info: license, PCI ids, version, state block, return sites"
rows=$(grep -cE '^ +[0-9]+  ' "$WORK/info")
first=$(grep -E '^ +[0-9]+  ' "$WORK/info" | head -1 | awk '{print $1}')
last=$(grep -E '^ +[0-9]+  ' "$WORK/info" | tail -1 | awk '{print $1}')
[ "$rows" -eq 88 ] && [ "$first" -eq 0 ] && [ "$last" -eq 87 ]
tap_ok $? "vmirom info: relocation rows 0..87 ($rows rows, $first..$last)"
grep -qE '^ +87  AdoptStealTime +NONE +- +none$' "$WORK/info" &&
	grep -qE '^calls: +0-87, those VMI 3\.15 defines$' "$WORK/info" &&
	grep -qE '^asked: +GetRelocationInfo and GetBackend for 0-87 only$' "$WORK/info"
tap_ok $? "vmirom info: the last call (87) is listed, no number past it is asked"
grep -qE '^ +0  CPUID +CALL_REL +0x[0-9a-f]{4} +native$' "$WORK/info" &&
	grep -qE '^ +33  IRET +JUMP_REL +0x[0-9a-f]{4} +native$' "$WORK/info" &&
	grep -qE '^ +73  SetLazyMode +NOP +0x[0-9a-f]{4} +nop$' "$WORK/info" &&
	grep -qE '^ +75  SendIPIMask +NONE +- +none$' "$WORK/info"
tap_ok $? "vmirom info: CALL_REL, JUMP_REL, NOP and NONE rows as documented"
! grep -qE ' kvm$' "$WORK/info"
tap_ok $? "vmirom info: no-hypervisor probe chooses no KVM backend"

"$VMIROM" info "$MUTANTS/bad-checksum.bin" >"$WORK/info-bad" 2>&1; rc=$?
[ $rc -eq 1 ] && ! grep -q '^relocations' "$WORK/info-bad"
tap_ok $? "vmirom info: refuses (and never runs) an invalid image"

"$VMIROM" info --hypervisor "$ROM" >"$WORK/info-hv" 2>&1
tap_ok $? "vmirom info --hypervisor: exits 0"
"$VMIROM" info "$ROM" --hypervisor >"$WORK/info-hv2" 2>&1 &&
	cmp -s "$WORK/info-hv" "$WORK/info-hv2"
tap_ok $? "vmirom info FILE --hypervisor: the option may follow FILE"

# mkrom must refuse a ROM with an absolute (load-address dependent) reference
if [ -n "$MKROM" ]; then
	"$MKROM" "$ABSREF" "$WORK/absref.bin" 2>"$WORK/absref.err"; rc=$?
	[ $rc -ne 0 ] && grep -q 'dynamic relocations' "$WORK/absref.err" &&
		[ ! -e "$WORK/absref.bin" ]
	tap_ok $? "mkrom rejects a ROM with an absolute address ($(cat "$WORK/absref.err"))"
fi
tap_done
