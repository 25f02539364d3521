#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# shellcheck disable=SC2016 # what the written scripts expand, not this one
# gen_tests.sh LIST OUTDIR: for each test of LIST (selftests/tests.list),
# the script OUTDIR/NAME that runs it, and its line of kselftest-list.txt
# (vmi_shim:NAME) on stdout. Each script only names the test of
# tests/guest to run and what it needs: the test itself is installed as it
# is, never copied into the script.
set -e
list=$1 out=$2
grep -v '^[[:space:]]*\(#\|$\)' "$list" | while IFS='|' read -r name needs cmd; do
	name=$(echo "$name" | tr -d ' \t')
	needs=$(echo "$needs" | sed 's/^[[:space:]]*//; s/[[:space:]]*$//')
	cmd=$(echo "$cmd" | sed 's/^[[:space:]]*//; s/[[:space:]]*$//;
		s/@HV@/"$VMI_EXPECT_HV"/g; s/@ROM_SOURCE@/"$VMI_EXPECT_ROM_SOURCE"/g')
	case $name in
	'' | *[!a-z0-9_]*) echo "gen_tests.sh: bad test name '$name' in $list" >&2; exit 1 ;;
	esac
	script=${cmd%% *}
	[ -f "$out/$script" ] || { echo "gen_tests.sh: $name: no $script in $out" >&2; exit 1; }
	{
		echo '#!/bin/sh'
		echo '# SPDX-License-Identifier: GPL-2.0'
		echo "# vmi_shim:$name, written by make -C selftests install from"
		echo '# selftests/tests.list: what the test needs, and its arguments.'
		echo '. "$(dirname "$0")/lib/ksft_env.sh" || exit 1'
		echo "ksft_need $needs"
		echo "exec sh ./$cmd"
	} >"$out/$name"
	chmod 755 "$out/$name"
	echo "vmi_shim:$name"
done
