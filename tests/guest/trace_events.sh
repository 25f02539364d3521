#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# trace_events.sh: the shim's trace events (system vmi_shim, docs/sysfs.md
# "Trace events") during one load and one unload in full mode with the
# kernel's site table, read from tracefs and held against what sysfs says
# the shim did: the ROM installed (its version, size and source), one
# vmi_op_route per op and as many routed as ops_routed, the kernel's site
# batch with sites/patched sites, each module's batch (x86-64:
# vmi_test_pvops, loaded before the shim, from the modsites= table
# vmictl load makes), the last word on every feature equal to
# features/NAME; at the unload an unroute per routed op, every pv_ops
# slot restored, the same site batches restored.
#
# A module's events exist from its load on and its init runs at once, so
# vmi_test_trace.ko enables them at the shim's COMING (the call tracefs's
# enable file makes); the unload's are enabled through tracefs itself.
# The kernel empties the trace buffer when a module whose events were on
# goes away: the unload's events are read after the restore ("routing"
# <- off, as vmictl unload does first), before rmmod.
. "$(dirname "$0")/lib/tap.sh"
. "$(dirname "$0")/lib/shim.sh"

T=/sys/kernel/tracing
tmod=$VMI_MODULES/vmi_test_trace.ko
pmod=$VMI_MODULES/vmi_test_pvops.ko
ev=$T/events/vmi_shim
rd() { cat "$SHIM_SYS/$1" 2>/dev/null; }
# events NAME FILE: the lines of event NAME in the trace copy FILE.
events() { grep ": $1: " "$2"; }
# val KEY: KEY's value in each line on stdin (values hold no space but
# the ROM's product, which is not read this way).
val() { sed -n "s/.* $1=\([^ ]*\).*/\1/p"; }
# sum KEY: the sum of KEY's values on stdin.
sum() { val "$1" | awk '{ s += $1 } END { print s + 0 }'; }
# Shown in features/ but never set on their own (parts of pv_tlb_flush
# and pv_ipi, retrofit.h): no event of their own.
shown_only="pv_tlb_rcu_tables pv_ipi_apic"

[ -d "$T/events" ] || mount -t tracefs nodev "$T" 2>/dev/null
if [ ! -d "$T/events" ] && [ -d /sys/kernel/debug/tracing/events ]; then
	T=/sys/kernel/debug/tracing
	ev=$T/events/vmi_shim
fi
if [ ! -d "$T/events" ]; then
	tap_skip "vmi_shim's trace events" "this kernel has no tracefs (no CONFIG_EVENT_TRACING)"
	tap_done
fi
if [ ! -f "$tmod" ]; then
	tap_skip "vmi_shim's trace events" "no vmi_test_trace.ko: built without CONFIG_EVENT_TRACING"
	tap_done
fi

insmod "$tmod"
tap_ok $? "insmod vmi_test_trace.ko (enables vmi_shim's events at its load)"
# A module whose sites the load re-patches from vmictl's modsites= table
# (x86-64 only: include/vmi/modsites.h).
x86_64=
pvops_ours=
if [ "$(uname -m)" = x86_64 ] && shim_have_vmi_sites; then
	x86_64=1
	if [ -d /sys/module/vmi_test_pvops ]; then
		tap_diag "vmi_test_pvops was loaded already (an earlier test)"
	else
		insmod "$pmod" rounds=10
		tap_ok $? "vmi_test_pvops loaded before the shim"
		pvops_ours=1
	fi
fi
echo >"$T/trace"
echo 1 >"$T/tracing_on"
if shim_have_vmi_sites; then
	how="vmictl load -m $SHIM_MOD --mode full"
	# The test modules' .ko files may lie apart from the shim's (an
	# installed system's DKMS module).
	vmictl load -m "$SHIM_MOD" --mode full --ko-dir "$VMI_MODULES" >/dev/null
	rc=$?
else
	how="insmod mode=full with the host's site table"
	tap_diag "$SHIM_NO_VMI_SITES"
	shim_kernel_sites "$SHIM_FW/vmi-test/sites.bin" &&
		insmod "$SHIM_MOD" mode=full sites=vmi-test/sites.bin
	rc=$?
fi
tap_ok $rc "$how"
cat "$T/trace" >/tmp/trace-load.txt

[ -d "$ev" ]
tap_ok $? "$ev/ exists while the shim is loaded"
for e in vmi_rom_install:product,major,minor,size,source,location \
	vmi_rom_swap:old_minor,new_minor,source,features_off,features_on,ns \
	vmi_op_route:name,call,routed,thunk,why_not \
	vmi_op_unroute:name,call,restored \
	vmi_sites_patch:table,sites,ns vmi_sites_restore:table,sites,ns \
	vmi_feature:name,on,reason; do
	name=${e%%:*} missing=
	for f in $(echo "${e#*:}" | tr , ' '); do
		grep -q "field:.*[ ]$f;" "$ev/$name/format" 2>/dev/null ||
			missing="$missing $f"
	done
	tap_eq "${missing:-none}" none "event $name has its fields (${e#*:})"
done
tap_eq "$(cat "$ev/enable" 2>/dev/null)" 1 "the events were on from the shim's load"
tap_diag "$(grep -c ': vmi_' /tmp/trace-load.txt) events at the load"

# The ROM: one install, as sysfs describes it.
events vmi_rom_install /tmp/trace-load.txt >/tmp/trace-rom.txt
tap_eq "$(wc -l </tmp/trace-rom.txt)" 1 "one vmi_rom_install at the load"
sed 's/^ */# /' /tmp/trace-rom.txt
tap_eq "$(val version </tmp/trace-rom.txt)" "$(rd rom/version)" \
	"vmi_rom_install version is rom/version ($(rd rom/version))"
tap_eq "$(val size </tmp/trace-rom.txt) $(val source </tmp/trace-rom.txt) $(val location </tmp/trace-rom.txt)" \
	"$(rd rom/size) $(rd rom/source) $(rd rom/location)" \
	"vmi_rom_install size, source and location are rom/'s"
grep -qF "product=\"$(rd rom/product)\"" /tmp/trace-rom.txt
tap_ok $? "vmi_rom_install product is rom/product"

# The ops: one event each, as many routed as ops_routed.
events vmi_op_route /tmp/trace-load.txt >/tmp/trace-ops.txt
nops=$(grep -vc '^#' "$SHIM_DBG/ops")
routed=$(rd ops_routed)
tap_eq "$(wc -l </tmp/trace-ops.txt)" "$nops" "one vmi_op_route per op ($nops)"
tap_eq "$(grep -c ' routed=1 ' /tmp/trace-ops.txt)" "$routed" \
	"vmi_op_route routed=1 as often as ops_routed says ($routed)"
[ "$routed" -gt 0 ]
tap_ok $? "full mode routed ops"
bad=$(grep ' routed=1 ' /tmp/trace-ops.txt | grep -v ' thunk=0x[0-9a-f]*[1-9a-f][0-9a-f]* why_not=$' | head -1)
tap_eq "$bad" "" "each routed op has its entry's address and no reason"
bad=$(grep ' routed=0 ' /tmp/trace-ops.txt | grep -v ' thunk=0x0 why_not=[a-z0-9-]*[a-z0-9]$' | head -1)
tap_eq "$bad" "" "each op not routed has the token of why, no entry"
op=$(shim_routed_op)
tap_eq "$(grep " op=$op " /tmp/trace-ops.txt | val routed)" \
	"$(awk -v n="$op" '$1 == n { print ($5 == "yes" || $5 == "1") ? 1 : 0 }' "$SHIM_DBG/ops")" \
	"$op's event agrees with debugfs ops"

# The kernel's site batch, and each module's from the modsites= table.
events vmi_sites_patch /tmp/trace-load.txt >/tmp/trace-sites.txt
sed 's/^ */# /' /tmp/trace-sites.txt
patched=$(rd sites/patched)
tap_eq "$(grep ' table=vmlinux ' /tmp/trace-sites.txt | val sites)" "$patched" \
	"the kernel's batch: vmi_sites_patch table=vmlinux sites=$patched (sites/patched)"
[ "$(grep ' table=vmlinux ' /tmp/trace-sites.txt | val ns)" -gt 0 ] 2>/dev/null
tap_ok $? "... and it took a time (ns > 0)"
mpatched=$(rd module_sites/patched)
if [ -n "$x86_64" ]; then
	[ "$(grep ' table=vmi_test_pvops ' /tmp/trace-sites.txt | val sites)" -gt 0 ] 2>/dev/null
	tap_ok $? "vmi_test_pvops's batch: vmi_sites_patch table=vmi_test_pvops"
fi
tap_eq "$(grep -v ' table=vmlinux ' /tmp/trace-sites.txt | sum sites)" "${mpatched:-0}" \
	"the modules' batches add up to module_sites/patched (${mpatched:-0})"

# The features: the last event of each is what features/NAME shows.
if [ -d "$SHIM_SYS/features" ] && [ -n "$(ls "$SHIM_SYS/features")" ]; then
	events vmi_feature /tmp/trace-load.txt >/tmp/trace-feat.txt
	bad=
	for p in "$SHIM_SYS"/features/*; do
		f=${p##*/}
		case " $shown_only " in *" $f "*) continue ;; esac
		last=$(grep " feature=$f " /tmp/trace-feat.txt | tail -1)
		case $(feature "$f") in
		on) want="on=1 reason=" ;;
		*) want="on=0 reason=$(feature "$f" | cut -d' ' -f2)" ;;
		esac
		case $last in
		*" $want") ;;
		*) bad="$bad $f(sysfs '$(feature "$f")', event '${last#*: vmi_feature: }')" ;;
		esac
	done
	tap_eq "${bad:-none}" none "each feature's last vmi_feature is what features/ shows"
else
	tap_skip "each feature's last vmi_feature is what features/ shows" "no features/ on this kernel"
fi
on_before=$(for p in "$SHIM_SYS"/features/*; do
	[ "$(cat "$p" 2>/dev/null)" = on ] && printf '%s ' "${p##*/}"; done)
bound=$(rd modules_bound)

# The unload, with the events switched on through tracefs this time.
echo 0 >"$ev/enable"
tap_eq "$(cat "$ev/vmi_op_unroute/enable")" 0 "tracefs: events/vmi_shim/enable <- 0 switches them off"
echo >"$T/trace"
echo 1 >"$ev/enable"
tap_eq "$(cat "$ev/vmi_op_unroute/enable")" 1 "tracefs: events/vmi_shim/enable <- 1 switches them on"
(echo off >"$SHIM_SYS/routing")
tap_ok $? "routing <- off (the restore, vmictl unload's first step)"
cat "$T/trace" >/tmp/trace-unload.txt
tap_diag "$(grep -c ': vmi_' /tmp/trace-unload.txt) events at the unload"
events vmi_op_unroute /tmp/trace-unload.txt >/tmp/trace-unroute.txt
tap_eq "$(wc -l </tmp/trace-unroute.txt)" "$routed" "one vmi_op_unroute per routed op ($routed)"
tap_eq "$(grep -c ' restored=1$' /tmp/trace-unroute.txt)" "$routed" "... each slot restored"
events vmi_sites_restore /tmp/trace-unload.txt >/tmp/trace-restore.txt
sed 's/^ */# /' /tmp/trace-restore.txt
tap_eq "$(grep ' table=vmlinux ' /tmp/trace-restore.txt | val sites)" "$patched" \
	"vmi_sites_restore table=vmlinux sites=$patched"
tap_eq "$(grep -vc ' table=vmlinux ' /tmp/trace-restore.txt)" "${bound:-0}" \
	"one module batch restored per bound module (modules_bound ${bound:-0})"
if [ -n "$x86_64" ]; then
	tap_eq "$(grep ' table=vmi_test_pvops ' /tmp/trace-restore.txt | val sites)" \
		"$(grep ' table=vmi_test_pvops ' /tmp/trace-sites.txt | val sites)" \
		"vmi_test_pvops's batch restored, as many sites as patched"
fi
bad=
for f in $on_before; do
	grep -q " feature=$f on=0 reason=unloaded$" /tmp/trace-unload.txt || bad="$bad $f"
done
tap_eq "${bad:-none}" none "every feature that was on is switched off 'unloaded' (${on_before:-none was on})"

vmictl unload >/dev/null
tap_ok $? "vmictl unload"
[ ! -d "$ev" ]
tap_ok $? "the events go with the module"
rmmod vmi_test_trace
tap_ok $? "rmmod vmi_test_trace"
if [ -n "$pvops_ours" ]; then
	rmmod vmi_test_pvops
	tap_ok $? "rmmod vmi_test_pvops"
fi
tap_done
