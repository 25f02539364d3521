#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# modtrack_burst.sh [N] [MAX_LOADS]: N (default 80) distinct modules, each
# with call sites of routed ops (copies of vmi_test_pvops under other
# names), loaded all at once while the shim routes ops and follows at
# most MAX_LOADS (default 4) loads at once (max_loads=), each load held
# 50 ms where the shim looks up its record (coming_delay_ms=, a test
# hook), so that most are loaded while the tracker is full. Every load must end one of two ways:
# loaded and tracked (its sites are put back on unload), or refused with
# the kernel log naming that very module; never loaded untracked. Then
# the shim unloads with a proven restore, every loaded copy still works
# (an untracked one would call freed memory: an oops fails the run), and
# kernel text is what it was.
. "$(dirname "$0")/lib/tap.sh"
. "$(dirname "$0")/lib/shim.sh"

n=${1:-80}
max=${2:-4}
tm=$VMI_MODULES/vmi_test_pvops.ko
dir=/tmp/burst
rm -rf $dir
mkdir -p $dir
crc0=$(shim_text_crc)

i=0
while [ $i -lt "$n" ]; do
	"$VMI_SELFTESTS"/ko_rename $tm $dir/$(printf 'vmi_test_pv%03d' $i).ko \
		vmi_test_pvops "$(printf 'vmi_test_pv%03d' $i)" || break
	i=$((i + 1))
done
tap_eq "$i" "$n" "$n copies of vmi_test_pvops under their own names"

# coming_delay_ms (a test hook) holds each load where its record is
# looked up, so that many are in flight at once.
insmod "$SHIM_MOD" mode=full max_loads="$max" coming_delay_ms=50
tap_ok $? "insmod mode=full max_loads=$max coming_delay_ms=50"
klog_mark
for f in $dir/*.ko; do
	m=${f##*/}
	m=${m%.ko}
	(if insmod "$f" rounds=1 2>/dev/null; then echo "$m" >>$dir/loaded
	else echo "$m" >>$dir/refused; fi) &
done
wait
touch $dir/loaded $dir/refused
loaded=$(wc -l <$dir/loaded)
refused=$(wc -l <$dir/refused)
klog_since >$dir/klog
tap_diag "$loaded loaded, $refused refused"
tap_eq "$((loaded + refused))" "$n" "every load ended"
# Before 5.10 a module notifier cannot fail a load: a load the shim
# refuses goes on, untracked, and the shim must then stay until it is
# gone. The shim names each such module.
sed -n 's/.*vmi_shim: \(vmi_test_pv[0-9]*\): this kernel cannot fail a module load.*/\1/p' \
	$dir/klog | sort -u >$dir/untracked
untracked=$(wc -l <$dir/untracked)
[ "$untracked" -gt 0 ] && tap_diag "$untracked loads went on although refused (this kernel cannot refuse a load)"
tap_eq "$(cat "$SHIM_SYS/modules_bound")" "$((loaded - untracked))" "every module loaded is tracked (modules_bound), but those the kernel let through unrefused"
# busybox insmod tries init_module after a failed finit_module: a module
# refused once may be loaded (and tracked) by the second try.
sed -n 's/.*vmi_shim: \(vmi_test_pv[0-9]*\): .*refused.*/\1/p' $dir/klog | sort -u >$dir/said
tap_diag "$(wc -l <$dir/said) loads refused by the shim"
r=0
for m in $(cat $dir/refused); do
	grep -qx "$m" $dir/said || { tap_diag "$m: failed to load, not named"; r=1; }
done
tap_ok $r "every load that failed was refused by name"

# (the tracked copies may go back at the first, refused, attempt)
klog_mark
if [ "$untracked" -gt 0 ]; then
	! shim_unload 2>/dev/null
	tap_ok $? "unload refused while a module that loaded unrefused is there"
	klog_since | grep -q 'loaded although refused (this kernel cannot refuse a load): it may call vmi_shim untracked; unload it, then try again'
	tap_ok $? "... saying which and what to do"
	bad=0
	for m in $(cat $dir/untracked); do
		rmmod "$m" || bad=$((bad + 1))
	done
	tap_eq "$bad" 0 "the modules that loaded unrefused unload"
	grep -vxF -f $dir/untracked $dir/loaded >$dir/tracked
	mv $dir/tracked $dir/loaded
fi
shim_unload
tap_ok $? "unload vmi_shim (routing off, proven, then rmmod)"
tap_eq "$(klog_since | grep -c 'vmi_test_pv[0-9]*: [0-9]* call sites restored')" "$((loaded - untracked))" \
	"every tracked copy had its call sites put back"
bad=0
for m in $(cat $dir/loaded); do
	echo 5 >/sys/module/$m/parameters/run || bad=$((bad + 1))
	rmmod "$m" || bad=$((bad + 1))
done
tap_eq "$bad" 0 "every loaded copy works after the shim is gone, and unloads"
tap_eq "$(shim_text_crc)" "$crc0" "kernel text identical to before"
tap_done
