/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Executable home of the installed ROM, inside the module's own text.
 *
 * Modules cannot allocate executable memory (module_alloc and set_memory_x
 * are not exported, and STRICT_MODULE_RWX refuses W+X sections), so the
 * module carries an area of INT3s in its text and the ROM is copied there
 * with text_poke_copy(): the area is never writable and executable at once.
 *
 * The two header entry slots hold "jmp rel32" without ENDBR64, so they are
 * reached by direct jumps from the trampolines below, never indirectly.
 *
 * Everything here lives in .kprobes.text, which the kernel puts on the
 * kprobe blacklist for a module as it does for its own entry code: a
 * kprobe's INT3 in the ROM or an op entry would be overwritten by the next
 * install, and its handler would run in the middle of a pv op (with
 * interrupts in whatever state the op leaves them). None of it is C, so
 * ftrace has no call to patch here either.
 */
#include <linux/linkage.h>
#include <asm/asm.h>
#include <linux/objtool.h>
#include "romload/rom_area.h"

	.section .kprobes.text, "ax"
	.balign 4096
/*
 * Two areas: the installed ROM lives in one; a live swap (rom/swap)
 * installs the next ROM in the other and wipes the first only once no CPU
 * can be in it. They are written and addressed as data, never branched to.
 */
SYM_DATA_START(vmi_rom_area)
	ANNOTATE_NOENDBR
	.fill VMI_ROM_AREA_SIZE, 1, 0xcc
SYM_DATA_END(vmi_rom_area)

	.balign 4096
SYM_DATA_START(vmi_rom_area1)
	ANNOTATE_NOENDBR
	.fill VMI_ROM_AREA_SIZE, 1, 0xcc
SYM_DATA_END(vmi_rom_area1)

/*
 * The trampolines jump into an area objtool sees as INT3s: it would take
 * each for a function that never returns, and the code after every call
 * to it for unreachable (6.12's objtool says so, and its ORC data there
 * would be wrong). A branch that is never taken (the stack pointer is
 * not zero) gives each a return objtool can see.
 */
.macro VMI_ROM_JMP dest
	test	%_ASM_SP, %_ASM_SP
	jz	.Lvmi_never_\@
	jmp	\dest
.Lvmi_never_\@:
	RET
.endm

/* VMI_Init through the header's slot: vmi_rom_call_init() (rom_area.h) */
SYM_FUNC_START(vmi_rom_call_init)
	VMI_ROM_JMP vmi_rom_area + VMI_ROM_AREA_INIT
SYM_FUNC_END(vmi_rom_call_init)

/* GetRelocationInfo through its slot: vmi_rom_call_reloc() (rom_area.h) */
SYM_FUNC_START(vmi_rom_call_reloc)
	VMI_ROM_JMP vmi_rom_area + VMI_ROM_AREA_GET_RELOC
SYM_FUNC_END(vmi_rom_call_reloc)

/* The same for the second area. */
SYM_FUNC_START(vmi_rom1_call_init)
	VMI_ROM_JMP vmi_rom_area1 + VMI_ROM_AREA_INIT
SYM_FUNC_END(vmi_rom1_call_init)

SYM_FUNC_START(vmi_rom1_call_reloc)
	VMI_ROM_JMP vmi_rom_area1 + VMI_ROM_AREA_GET_RELOC
SYM_FUNC_END(vmi_rom1_call_reloc)

/* Per-op counting entries, generated at load (ops.c). */
	.balign 64
SYM_DATA_START(vmi_thunk_area)
	ANNOTATE_NOENDBR
	.fill VMI_THUNK_AREA_SIZE, 1, 0xcc
SYM_DATA_END(vmi_thunk_area)

/* No executable stack (rom_builtin.S says why this is spelled out). */
	.section .note.GNU-stack, "", @progbits
