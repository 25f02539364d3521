# SPDX-License-Identifier: GPL-2.0
# What a kernel problem looks like on a console (an extended regular
# expression): the runner fails a run on any such line of the guest
# under test, and tools/lib/known_races.awk lets nothing of it hide
# inside the one report it blanks. Sourced.
# shellcheck disable=SC2034
VMI_PROBLEM_RE='(WARNING: CPU|WARNING: (possible|inconsistent|suspicious)|------------\[ cut here \]|BUG: |kernel BUG at|Oops|Kernel panic|general protection fault|soft lockup|hard LOCKUP|rcu: INFO|UBSAN: |KASAN: |Call Trace:)'
