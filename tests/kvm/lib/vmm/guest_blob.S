/* SPDX-License-Identifier: GPL-2.0 */
/* The guest image, linked into the VMM; GUEST_BIN is set by the Makefile. */
	.section .rodata
	.globl	guest_bin, guest_bin_end
	.balign	16
guest_bin:
	.incbin	GUEST_BIN
guest_bin_end:
	.section .note.GNU-stack, "", @progbits
