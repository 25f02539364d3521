/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ROM's return thunk.  The ROM is built as the kernel is with
 * CONFIG_MITIGATION_RETHUNK: -mfunction-return=thunk-extern makes every C
 * return a "jmp __x86_return_thunk", and RET in the assembly does the same.
 * mkrom refuses any other "ret" and lists every jump to this thunk in the
 * image's return-site table (docs/abi.md, "Speculation"); a kernel that
 * returns through a thunk of its own (retbleed, SRSO, ITS, call depth
 * tracking) gets each site retargeted there when the ROM is installed.
 * Otherwise the sites stay here: a plain return, with an INT3 to stop
 * straight-line speculation past it.
 *
 * Its own section, so that every jump to it needs a relocation and stays a
 * rel32 the installer can retarget (mkrom refuses a rel8 one).  It is only
 * ever jumped to directly, so it needs no ENDBR64.
 */
	.section .text.__x86_return_thunk, "ax"
	.globl	__x86_return_thunk
	.hidden	__x86_return_thunk
	.type	__x86_return_thunk, @function
__x86_return_thunk:
	ret
	int3
	.size	__x86_return_thunk, . - __x86_return_thunk

	.section .note.GNU-stack, "", @progbits
