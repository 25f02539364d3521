#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Host tests of the shell tools: kernel spec resolution and the runner's
# handling of bad input (clear error, exit 126, nothing booted). TAP.
set -u
. "$(dirname "$0")/../tools/lib/common.sh"
. "$VMI_ROOT/tools/lib/kernel.sh"

n=0 failed=0
t() { # t STATUS NAME
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n $2"; else echo "not ok $n $2"; failed=$((failed + 1)); fi
}
match() { [[ $1 =~ $2 ]]; }

echo "TAP version 13"
r=$(kernel_resolve 6.1); match "$r" '^6\.1\.0-[0-9]+-amd64 amd64$'; t $? "6.1 -> newest 6.1 amd64 ($r)"
r=$(kernel_resolve 6.12); match "$r" '^6\.12\.[0-9]+\+deb12-amd64 amd64$'; t $? "6.12 -> newest 6.12 amd64 ($r)"
r=$(kernel_resolve 6.1-cloud); match "$r" '^6\.1\.0-[0-9]+-cloud-amd64 amd64$'; t $? "6.1-cloud ($r)"
r=$(kernel_resolve 686-pae); match "$r" '^6\.1\.0-[0-9]+-686-pae i386$'; t $? "686-pae is i386 ($r)"
r=$(kernel_resolve 6.1.0-56-amd64); [ "$r" = "6.1.0-56-amd64 amd64" ]; t $? "exact release kept"
r=$(kernel_resolve linux-image-6.1.0-50-686-pae-unsigned); [ "$r" = "6.1.0-50-686-pae i386" ]; t $? "package name accepted"
r=$( (kernel_resolve 6.1-sparc) 2>&1); rc=$?
[ $rc -eq 126 ] && match "$r" "unknown kernel flavour"; t $? "bad flavour: clear error"
r=$( (kernel_resolve 5.10) 2>&1); rc=$?
[ $rc -eq 126 ] && match "$r" "unknown kernel series|no Debian package"; t $? "bad series: clear error"

run=$VMI_ROOT/tools/vmi-run
r=$("$run" --mode warp -- true 2>&1); rc=$?
[ $rc -eq 126 ] && match "$r" "unknown mode"; t $? "vmi-run: bad mode refused"
r=$("$run" --smp 0 -- true 2>&1); rc=$?
[ $rc -eq 126 ] && match "$r" "smp"; t $? "vmi-run: bad --smp refused"
r=$("$run" --bogus 2>&1); rc=$?
[ $rc -eq 126 ] && match "$r" "unknown option"; t $? "vmi-run: unknown option refused"
r=$("$run" --add /nonexistent/file -- true 2>&1); rc=$?
[ $rc -eq 126 ] && match "$r" "no such file"; t $? "vmi-run: missing --add file refused"

r=$("$VMI_ROOT/tools/vmictl" 2>&1); rc=$?
[ $rc -eq 2 ] && match "$r" "vmictl load" && match "$r" "vmictl status" &&
	match "$r" "vmictl ops \[--json\]" && ! match "$r" "POSIX"
t $? "vmictl: usage lists every command"

echo "1..$n"
[ $failed -eq 0 ]
