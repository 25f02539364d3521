// SPDX-License-Identifier: GPL-2.0
/*
 * Where the module's .kprobes.text and _kprobe_blacklist end: an object
 * linked after every other that may add to them (kprobe_bl_start.c).
 */
#include <asm/asm.h>

asm(".pushsection .kprobes.text, \"ax\"\n"
	".Lvmi_kprobes_text_end:\n"
	".popsection\n"
	".pushsection _kprobe_blacklist, \"aw\"\n"
	".Lvmi_kprobe_blacklist_end:\n"
	".popsection\n"
	".pushsection .rodata, \"a\"\n"
	".balign 8\n"
	".globl vmi_kprobe_bl_ends\n"
	"vmi_kprobe_bl_ends:\n"
	_ASM_PTR " .Lvmi_kprobes_text_end, .Lvmi_kprobe_blacklist_end\n"
	".popsection\n");
