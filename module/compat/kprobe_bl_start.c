// SPDX-License-Identifier: GPL-2.0
/*
 * The second object of vmi_shim.ko (module/Kbuild; own_sites_start.o
 * contributes to neither section), kprobe_bl_end.c the one before the
 * last: where the module's .kprobes.text and its NOKPROBE_SYMBOL() list
 * (_kprobe_blacklist) begin and end, for kernels that do not record them
 * (kprobe_bl.c says why this way). The linker concatenates the objects'
 * sections in link order, so every other object's part lies between the
 * two markers. The markers are local labels, zero-sized and unaligned:
 * they add no byte and no symbol to either section (a symbol in
 * .kprobes.text would be blacklisted with the rest); their addresses
 * reach C through vmi_kprobe_bl_starts in .rodata.
 */
#include <asm/asm.h>

asm(".pushsection .kprobes.text, \"ax\"\n"
	".Lvmi_kprobes_text_start:\n"
	".popsection\n"
	".pushsection _kprobe_blacklist, \"aw\"\n"
	".Lvmi_kprobe_blacklist_start:\n"
	".popsection\n"
	".pushsection .rodata, \"a\"\n"
	".balign 8\n"
	".globl vmi_kprobe_bl_starts\n"
	"vmi_kprobe_bl_starts:\n"
	_ASM_PTR " .Lvmi_kprobes_text_start, .Lvmi_kprobe_blacklist_start\n"
	".popsection\n");
