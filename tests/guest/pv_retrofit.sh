#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# pv_retrofit.sh: KVM paravirtualization switched on in a running kernel.
# On a KVM guest booted with nopv (or built without CONFIG_KVM_GUEST),
# loading the shim in accelerate mode must turn on every feature the host
# offers (steal time, steal accounting, PV TLB flush, PV IPIs, PV sched
# yield, PV spinlocks, PV EOI, the KVM clock as clocksource), their
# counters must move under load,
# steal accounting must stay sane (no jump for time before registration,
# none across CPU hotplug or a reload), and unloading must turn all of it
# off. On a guest that runs KVM's own PV code, or on bare metal, every
# feature must stay off and say why. Needs /boot/vmlinuz (vmi-run
# --boot-image) for the call-site table.
. "$(dirname "$0")/lib/tap.sh"
. "$(dirname "$0")/lib/shim.sh"

ops=/sys/kernel/debug/vmi_shim/ops
ncpu=$(grep -c '^processor' /proc/cpuinfo)
cs=/sys/devices/system/clocksource/clocksource0/current_clocksource
cs_before=$(cat $cs)

state() { feature_state "$1"; }
# Total steal time in /proc/stat, in USER_HZ ticks (100 per second).
steal() { awk '$1 == "cpu" { print $9 }' /proc/stat; }
uptime_cs() { awk '{ split($1, a, "."); print a[1] * 100 + a[2] }' /proc/uptime; }
op_count() { awk -v n="$1" '$1 == n { print $6 }' "$ops"; }
# The remote TLB flush op: mmu.flush_tlb_multi, or on kernels without it
# (5.10 and older) mmu.flush_tlb_others; the PV flush takes either.
flush_op() {
	awk '$1 == "mmu.flush_tlb_multi" || $1 == "mmu.flush_tlb_others" { print $1; exit }' "$ops"
}
# Threads churning a shared mm on every CPU; each feature that is on
# must show in its counter: flushes through the PV flush, IPIs by
# hypercall with none falling back, EOIs the host completed.
exercise() {
	fop=$(flush_op)
	f0=$(op_count "$fop") k0=$(shim_count tlb_skipped)
	h0=$(shim_count ipi_hypercalls) e0=$(shim_count eoi_completed)
	y0=$(shim_count yields)
	"$VMI_SELFTESTS"/pv_exercise 3 >/dev/null
	tap_ok $? "exercise: threads churning a shared mm on $ncpu CPUs"
	if [ "$(state pv_tlb_flush)" = on ]; then
		f1=$(op_count "$fop")
		tap_diag "${fop:-no flush op in $ops}: entries $f0 -> $f1; vCPUs skipped $k0 -> $(shim_count tlb_skipped), all CPUs $(shim_count tlb_all_cpus)"
		[ "$f1" -gt "$f0" ]
		tap_ok $? "remote TLB flushes went through the PV flush"
	fi
	if [ "$(state pv_ipi)" = on ]; then
		h1=$(shim_count ipi_hypercalls)
		tap_diag "IPI hypercalls $h0 -> $h1; fallbacks $(shim_count ipi_fallbacks)"
		[ "$h1" -gt "$h0" ] && [ "$(shim_count ipi_fallbacks)" = 0 ]
		tap_ok $? "call-function IPIs went out by hypercall, none fell back"
		tap_eq "$(feature pv_ipi_apic)" on "the APIC driver's send_IPI callbacks use PV IPIs too"
	fi
	if [ "$(state pv_eoi)" = on ]; then
		e1=$(shim_count eoi_completed)
		tap_diag "EOIs completed by the host $e0 -> $e1"
		[ "$e1" -gt "$e0" ]
		tap_ok $? "interrupts were acknowledged without an EOI write"
	fi
	[ "$(state sched_yield)" = on ] &&
		tap_diag "yields to preempted vCPUs $y0 -> $(shim_count yields)"
	return 0
}
# Steal may not grow faster than wall time on every CPU (+1 s of slack).
steal_sane() { # before_steal before_uptime name
	ds=$(($(steal) - $1))
	lim=$((($(uptime_cs) - $2 + 100) * ncpu))
	tap_diag "$3: steal +$ds ticks, at most $lim possible"
	[ "$ds" -ge 0 ] && [ "$ds" -le "$lim" ]
	tap_ok $? "$3: steal accounting sane"
}

# The host's first update carries all the time the vCPU waited since it
# was created: none of it may show up as steal. A bare insmod (no site
# table to extract) keeps the window short enough for the bound to bite.
s0=$(steal) t0=$(uptime_cs)
insmod "$SHIM_MOD" mode=accelerate
tap_ok $? "insmod mode=accelerate"
sleep 1
steal_sane "$s0" "$t0" "right after registration"
shim_unload
tap_ok $? "unload"

features=0
has() { [ $((features >> $1 & 1)) -eq 1 ]; }

# A module loaded before the shim: PV spinlocks need the lock sites of
# every loaded module. Its .ko not found (no --ko-dir): refused, the rest
# on; found: on.
kmod=
if kmod-load cpuid 2>/dev/null; then
	kmod=1
	vmictl load --mode accelerate >/dev/null 2>&1
	tap_ok $? "vmictl load, cpuid.ko loaded before and its .ko not found"
	features=$(($(cat "$SHIM_SYS/kvm_features")))
	# (on one possible CPU they are off before any module is looked at)
	if [ "$(cat "$SHIM_SYS/pv_info")" != KVM ] && has 7 &&
		[ "$(cat /sys/devices/system/cpu/possible)" != 0 ]; then
		[ "$(feature pv_spinlocks)" = "off module-unlock-unknown" ]
		tap_ok $? "pv_spinlocks refused: a loaded module's lock sites are unknown"
	fi
	vmictl unload >/dev/null
	tap_ok $? "unload"
fi
vmictl load --mode accelerate ${kmod:+--ko-dir "$VMI_DIR/kmod"} >/dev/null
tap_ok $? "vmictl load --mode accelerate${kmod:+ --ko-dir $VMI_DIR/kmod}"
shim_features_diag
features=$(($(cat "$SHIM_SYS/kvm_features")))

if [ "$(cat "$SHIM_SYS/kvm_base")" = 0x00000000 ]; then
	for f in steal_time pv_tlb_flush pv_ipi pv_eoi kvm_clock; do
		[ "$(feature "$f")" = "off no-kvm" ]
		tap_ok $? "$f off: no KVM underneath"
	done
	vmictl unload >/dev/null
	tap_ok $? "vmictl unload"
	tap_done
fi
# nopv (or no KVM_GUEST) on KVM: what the host offers is switched on.
expect() { # feature bit...
	f=$1 want=on
	shift
	for b in "$@"; do has "$b" || want=off; done
	tap_eq "$(state "$f")" "$want" "$f $want (host feature bits $*)"
}
# PV TLB flush and sched yield stay off on CPUs that look dedicated, as
# in KVM's guest code: MWAIT ("monitor"), or one possible CPU (which also
# keeps PV IPIs and PV spinlocks off). The shim names the first reason,
# in this order, after the host's feature bits.
one_cpu=
[ "$(cat /sys/devices/system/cpu/possible)" = 0 ] && one_cpu=1
dedicated=
grep -Eq '^flags[[:space:]]*:.* monitor( |$)' /proc/cpuinfo &&
	dedicated=mwait
[ -z "$dedicated" ] && [ -n "$one_cpu" ] && dedicated=one-cpu
expect_shared() { # feature bit...: off on dedicated CPUs
	f=$1
	shift
	for b in "$@"; do has "$b" || { expect "$f" "$@"; return; }; done
	if [ -n "$dedicated" ]; then
		tap_eq "$(feature "$f")" "off $dedicated" "$f off: $dedicated"
	else
		expect "$f" "$@"
	fi
}
# PV TLB flush, and after the host and dedicated CPUs: a kernel with
# transparent hugepages whose khugepaged does not send its own IPI
# (tlb_remove_table_sync_one) relies on the flush's; the shim refuses.
expect_tlb() {
	if has 5 && has 9 && [ -z "$dedicated" ] &&
		[ -d /sys/kernel/mm/transparent_hugepage ] &&
		! grep -q ' tlb_remove_table_sync_one$' /proc/kallsyms; then
		tap_eq "$(feature pv_tlb_flush)" "off khugepaged-ipi" "pv_tlb_flush off: khugepaged relies on the flush IPI"
	else
		expect_shared pv_tlb_flush 5 9
	fi
}
# A kernel that set up KVM's PV itself says so in pv_info ("KVM"); nopv,
# or a kernel without CONFIG_KVM_GUEST, says "bare hardware". Such a
# kernel keeps what it set up (steal time and its accounting, PV
# spinlocks, PV EOI, kvm-clock: every release this project runs on has
# them), and the shim adds what its release lacks, each told here by the
# kernel's own boot message for it: PV TLB flush (4.16), PV IPIs (4.19),
# PV sched yield (5.3). The two that need a vCPU's preempted flag read the
# kernel's steal-time records (steal_time_shared).
if [ "$(cat "$SHIM_SYS/pv_info")" = KVM ]; then
	for f in steal_time steal_clock pv_spinlocks pv_eoi kvm_clock; do
		tap_eq "$(feature "$f")" "off kernel-pv" "$f: the kernel's own"
	done
	# What the kernel set up itself it said at boot ("KVM setup pv IPIs"
	# in 5.4, "setup PV IPIs" later: the match ignores case).
	added() { # feature boot-message bit...
		f=$1 msg=$2
		shift 2
		if ! boot_log | grep -qi "$msg"; then
			case $f in
			pv_ipi) expect "$f" "$@" ;;
			pv_tlb_flush) expect_tlb ;;
			*) expect_shared "$f" "$@" ;;
			esac
			return
		fi
		want="off kernel-pv"
		for b in "$@"; do has "$b" || want="off host-lacks"; done
		tap_eq "$(feature "$f")" "$want" "$f $want (the kernel logged '$msg')"
	}
	boot_log | grep -q "Linux version $(uname -r)"
	tap_ok $? "the kernel's boot log is intact (what it set up is read there)"
	added pv_tlb_flush 'KVM setup pv remote TLB flush' 5 9
	added pv_ipi 'setup pv IPIs' 11
	added sched_yield 'setup pv sched yield' 5 13
	if [ "$(state pv_tlb_flush)" = on ] || [ "$(state sched_yield)" = on ]; then
		tap_eq "$(feature steal_time_shared)" on "steal_time_shared on: the ROM reads the kernel's steal-time records"
	elif has 5; then
		tap_eq "$(feature steal_time_shared)" "off unused" "steal_time_shared off: nothing the shim added reads the kernel's records"
	fi
	if [ "$(state pv_tlb_flush)" = on ]; then
		tap_eq "$(feature pv_tlb_rcu_tables)" on "page tables freed through RCU, so freed-table flushes skip preempted vCPUs too"
	fi
	s1=$(steal) t1=$(uptime_cs)
	exercise
	# The kernel's own: its clock and its steal accounting go on as before.
	tap_eq "$(cat $cs)" "$cs_before" "the kernel keeps its clocksource ($cs_before)"
	steal_sane "$s1" "$t1" "under load, the kernel's steal accounting"
	vmictl unload >/dev/null
	tap_ok $? "vmictl unload (restore proven)"
	tap_eq "$(feature steal_time_shared 2>/dev/null)" "" "the features are gone with the module"
	tap_eq "$(cat $cs)" "$cs_before" "clocksource still $cs_before after unload"
	tap_done
fi

expect_tlb
expect_shared sched_yield 5 13
expect steal_time 5
expect steal_clock 5
if [ -n "$one_cpu" ]; then
	# after the host's feature bit, the first reason of each
	for fb in pv_ipi:11 pv_spinlocks:7; do
		f=${fb%:*}
		has "${fb#*:}" || { expect "$f" "${fb#*:}"; continue; }
		tap_eq "$(feature "$f")" "off one-cpu" "$f off: one possible CPU"
	done
else
	expect pv_ipi 11
	expect pv_spinlocks 7
fi
expect pv_eoi 6
if [ "$(state pv_tlb_flush)" = on ]; then
	tap_eq "$(feature pv_tlb_rcu_tables)" on "page tables freed through RCU, so freed-table flushes skip preempted vCPUs too"
fi
if has 3 || has 0; then
	tap_eq "$(state kvm_clock)" on "kvm_clock on (host feature bits 3 or 0)"
	# As kvm-clock: a trusted invariant TSC stays the clocksource.
	want=vmi-kvm-clock
	[ "$cs_before" = tsc ] && want=tsc
	tap_eq "$(cat $cs)" $want "the kernel keeps time with $want (was $cs_before)"
	# Time neither stops nor jumps: 2 s of sleep read back as 2..30 s.
	u0=$(uptime_cs)
	sleep 2
	du=$(($(uptime_cs) - u0))
	tap_diag "2 s of sleep took $du centiseconds of uptime"
	[ "$du" -ge 200 ] && [ "$du" -le 3000 ]
	tap_ok $? "time runs at the right pace on the ROM's clock"
else
	tap_eq "$(state kvm_clock)" off "kvm_clock off (host offers no clock)"
fi

s1=$(steal) t1=$(uptime_cs)
exercise
steal_sane "$s1" "$t1" "under load"

# Lock contention: threads of one process on every CPU hammer its signal
# lock; the slow path is the PV one, and a module loaded now binds to it.
if [ "$(state pv_spinlocks)" = on ]; then
	l0=$(op_count lock.queued_spin_lock_slowpath)
	"$VMI_SELFTESTS"/bench/pv_bench lock -t 2 | sed 's/^/# /'
	l1=$(op_count lock.queued_spin_lock_slowpath)
	tap_diag "slow-path entries $l0 -> $l1; waits $(shim_count spin_waits), kicks $(shim_count spin_kicks)"
	[ "$l1" -gt "$l0" ]
	tap_ok $? "contended locks took the PV slow path"
	if rmmod cpuid 2>/dev/null && kmod-load cpuid; then
		dd if=/dev/cpu/0/cpuid bs=16 count=1 2>/dev/null | wc -c | grep -qx 16
		tap_ok $? "a module loaded while PV spinlocks are on works"
	else
		tap_skip "a module loaded while PV spinlocks are on works" "no cpuid module"
	fi
fi

# CPU hotplug: the area restarts when the CPU comes back; the clock may not.
if [ -w /sys/devices/system/cpu/cpu1/online ]; then
	s2=$(steal) t2=$(uptime_cs)
	echo 0 >/sys/devices/system/cpu/cpu1/online &&
		sleep 1 && echo 1 >/sys/devices/system/cpu/cpu1/online
	tap_ok $? "CPU 1 offline and online again"
	"$VMI_SELFTESTS"/pv_exercise 1 >/dev/null
	steal_sane "$s2" "$t2" "across CPU hotplug"
else
	tap_skip "CPU hotplug" "cpu1 cannot go offline here"
fi

tlb=$(state pv_tlb_flush)
vmictl unload >/dev/null
tap_ok $? "vmictl unload (restore proven)"
tap_eq "$(cat $cs)" "$cs_before" "clocksource back to $cs_before after unload"
s3=$(steal)
"$VMI_SELFTESTS"/pv_exercise 1 >/dev/null
tap_eq "$(steal)" "$s3" "no steal accounted once unloaded"

# Reload: the kernel's accounted steal is ahead of a fresh area. And a
# page-table free in progress in a process whose main thread has exited
# (its mm is only in its other threads): rcu_tables may come on only
# after that free is over. vmi_test_mmhold holds the mm's mmap_lock for
# reading, as the free does, and says whether a writer (the shim's wait)
# queued behind it before it let go.
lpid=
if [ "$tlb" != on ]; then
	tap_skip "the load waits for a page-table free in a process whose main thread exited" \
		"pv_tlb_flush is $tlb here"
else
	rm -f /tmp/leader_exit.tid
	"$VMI_SELFTESTS"/leader_exit 600 >/tmp/leader_exit.tid &
	lpid=$!
	i=0
	while [ ! -s /tmp/leader_exit.tid ] && [ $i -lt 100 ]; do
		usleep 100000
		i=$((i + 1))
	done
	tid=$(cat /tmp/leader_exit.tid)
	i=0
	while ! grep -q '^State:.*Z' /proc/$lpid/status 2>/dev/null && [ $i -lt 100 ]; do
		usleep 100000
		i=$((i + 1))
	done
	grep -q '^State:.*Z' /proc/$lpid/status && [ -d "/proc/$lpid/task/$tid" ]
	tap_ok $? "a process whose main thread has exited (pid $lpid, thread ${tid:-none})"
	insmod "$VMI_MODULES"/vmi_test_mmhold.ko tid="$tid" hold_ms=120000
	tap_ok $? "its mm's mmap_lock held for reading, as by a page-table free"
fi
s4=$(steal) t4=$(uptime_cs)
klog_mark
vmictl load --mode accelerate >/dev/null
tap_ok $? "load again"
if [ -n "$lpid" ]; then
	klog_since >/tmp/reload.log
	rel=$(grep -n 'vmi_test_mmhold: released the mm' /tmp/reload.log | head -1 | cut -d: -f1)
	end=$(grep -n 'vmi_shim: v.*; loaded in' /tmp/reload.log | head -1 | cut -d: -f1)
	grep 'vmi_test_mmhold: released' /tmp/reload.log | sed 's/^/# /'
	grep -q 'vmi_test_mmhold: released .*: a writer waited' /tmp/reload.log &&
		[ -n "$rel" ] && [ -n "$end" ] && [ "$rel" -lt "$end" ]
	tap_ok $? "the load waited for that free before it finished"
	tap_eq "$(feature pv_tlb_rcu_tables)" on "and then switched rcu_tables on"
	rmmod vmi_test_mmhold
	kill "$lpid"
fi
"$VMI_SELFTESTS"/pv_exercise 1 >/dev/null
steal_sane "$s4" "$t4" "after a reload"
vmictl unload >/dev/null
tap_ok $? "unload again"

# Left loaded: the guest's power-off runs the reboot notifiers, which put
# the kernel back on its own clocksource and unregister every area (after
# a kexec the host must not write into the next kernel's memory). A hang
# or a WARN there fails the run ("guest run clean").
vmictl load --mode accelerate >/dev/null
tap_ok $? "loaded once more, left loaded for the power-off"
tap_done
