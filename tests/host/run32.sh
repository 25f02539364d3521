#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# run32.sh PROGRAM [ARG...]: runs an i386 (-m32) test program. A host
# whose kernel cannot execute i386 programs at all (no IA32 emulation:
# CONFIG_IA32_EMULATION off, or ia32_emulation=0 on its command line; exec
# fails with "Exec format error") cannot run the test, which is then one
# SKIP saying so; every other outcome is the program's own. The shell
# must report such a program as dash and bash do (exit 126, "Exec format
# error"): busybox ash runs it as a script instead. The host suites run
# under Debian's /bin/sh, dash.
out=$("$@" 2>&1)
rc=$?
if [ $rc -eq 126 ]; then
	case $out in
	*"Exec format error"*)
		echo "ok - ${1##*/} # SKIP this host's kernel cannot execute i386 programs (Exec format error: no IA32 emulation)"
		exit 0
		;;
	esac
fi
[ -n "$out" ] && printf '%s\n' "$out"
exit $rc
