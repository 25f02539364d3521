#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# compat-probe.sh SRCTREE OBJTREE: print -D flags describing what the target
# kernel's headers provide. Probes look for the feature itself, so a
# backport or a distro patch is judged by what it contains, not by its
# version number. Its consumers are the files of module/compat/.
src=$1
types=$src/arch/x86/include/asm/paravirt_types.h

# Linux < 6.8 records pv call sites in .parainstructions as
# struct paravirt_patch_site; 6.8+ folds them into .altinstructions.
if grep -q 'struct paravirt_patch_site {' "$types" 2>/dev/null; then
	echo -DVMI_HAVE_PARAINSTRUCTIONS
fi
# pv_ops gained PARAVIRT_CALL alternatives (ALT_CALL_INSTR) in 6.8.
if grep -q 'ALT_CALL_INSTR' "$src/arch/x86/include/asm/alternative.h" 2>/dev/null; then
	echo -DVMI_HAVE_ALT_CALL
fi
# APIC callbacks became static calls (apic_call_<name>) in 6.6; before,
# the kernel called through the fields of *apic.
if grep -q 'DECLARE_APIC_CALL' "$src/arch/x86/include/asm/apic.h" 2>/dev/null; then
	echo -DVMI_HAVE_APIC_STATIC_CALLS
fi
# Confidential-computing guests: cc_platform_has() (linux/cc_platform.h),
# before it mem_encrypt_active().
if [ -e "$src/include/linux/cc_platform.h" ]; then
	echo -DVMI_HAVE_CC_PLATFORM
elif grep -q 'mem_encrypt_active' "$src/include/linux/mem_encrypt.h" 2>/dev/null; then
	echo -DVMI_HAVE_MEM_ENCRYPT_ACTIVE
fi
