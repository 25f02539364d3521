/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Image layout: option ROM header, VMI 3.x header (vmi-abi.md), PCI data
 * structure, PnP expansion header and their strings.  Fields that depend
 * on the final size (rom_length, PCI image length, checksums) are left 0
 * here and filled in by rom/mkrom.c after linking.
 */
#include "../include/vmi/abi.h"
#include "state.h"

/*
 * The i386 image (rom/i386/) implements VMI 3.0's calls in VMI 3.0's own
 * convention: API minor 0, and no state block (0 at 0x1C: the clients
 * give the ROM no memory).
 */
#ifdef __i386__
#define ROM_API_MINOR		0
#define ROM_STATE_SIZE		0
#define ROM_STATE_ALIGN_LOG2	0
#define ROM_STATE_PERCPU_LOG2	0
#define ROM_INIT		vmi32_init
#define ROM_GET_RELOC		vmi32_get_relocation
#define ROM_PRODUCT		"VMI 3.x paravirtualization ROM (i386)"
#else
#define ROM_API_MINOR		VMI_ROM_HEADER_MINOR
#define ROM_STATE_SIZE		VMI_STATE_SIZE
#define ROM_STATE_ALIGN_LOG2	VMI_STATE_ALIGN_LOG2
#define ROM_STATE_PERCPU_LOG2	VMI_STATE_PERCPU_LOG2
#define ROM_INIT		vmi_init
#define ROM_GET_RELOC		vmi_get_relocation
#define ROM_PRODUCT		"VMI 3.x paravirtualization ROM for KVM (x86-64)"
#endif

#define ROM_VERSION_MAJOR	1	/* this ROM's own build version */
#define ROM_VERSION_MINOR	0

	.section .rom.head, "ax"
	.globl	rom_start
rom_start:
	.word	VMI_ROM_SIGNATURE
	.byte	0				/* rom_length: mkrom */

	/*
	 * 0x03 rom_entry: the BIOS far-calls here during POST.  There is
	 * nothing to set up, so return "no boot device" (AX = 0).
	 */
	.code16
	xorw	%ax, %ax
	lret
#ifdef __i386__
	.code32
#else
	.code64
#endif
	nop
	.byte	0				/* 0x07 pad */

	.org	VMI_OFF_VROM_SIGNATURE
	.long	VMI_SIGNATURE
	.byte	ROM_API_MINOR
	.byte	VMI_API_MAJOR
	.byte	0				/* jump_slots */
	.byte	0				/* reserved */
	.long	0				/* virtual_top: no VA hole */
	.word	0				/* reserved */
	.word	license - rom_start
	.word	pcir - rom_start
	.word	pnp - rom_start
	/* 0x1C: what VMI_Init needs from the caller (docs/abi.md). */
	.word	ROM_STATE_SIZE
	.byte	ROM_STATE_ALIGN_LOG2
	.byte	ROM_STATE_PERCPU_LOG2

	/* Entry slots: "jmp rel32" to the code, int3 padding. */
	.org	VMI_OFF_INIT
	.byte	0xe9
	.long	ROM_INIT - (. + 4)
	.fill	3, 1, 0xcc
	.org	VMI_OFF_GET_RELOC
	.byte	0xe9
	.long	ROM_GET_RELOC - (. + 4)
	.fill	3, 1, 0xcc
	.org	VMI_HEADER_SIZE

	/* PCI data structure (PCI Firmware Specification 3.0, 24 bytes). */
	.balign	4
pcir:
	.ascii	"PCIR"
	.word	VMI_PCI_VENDOR
	.word	VMI_PCI_DEVICE
	.word	0				/* VPD */
	.word	VMI_PCIR_SIZE
	.byte	0				/* structure revision */
	.byte	0x00, 0x80, 0x08		/* class: other system periph. */
	.word	0				/* image length: mkrom */
	.byte	ROM_VERSION_MINOR		/* rom_version_min (+18) */
	.byte	ROM_VERSION_MAJOR		/* rom_version_maj (+19) */
	.byte	0				/* code type: x86 */
	.byte	0x80				/* last image */
	.word	0

	/* PnP expansion header (PnP BIOS spec 1.0a, 32 bytes). */
	.balign	16
pnp:
	.ascii	"$PnP"
	.byte	1				/* revision */
	.byte	VMI_PNP_SIZE / 16		/* length, 16-byte units */
	.word	0				/* next header */
	.byte	0
	.byte	0				/* checksum: mkrom */
	.long	0				/* device id */
	.word	manufacturer - rom_start
	.word	product - rom_start
	.byte	0x08, 0x80, 0x00		/* device type */
	.byte	0				/* indicators */
	.word	0, 0, 0				/* BCV, DV, BEV: not bootable */
	.word	0, 0

license:
	.asciz	"GPL v2"
manufacturer:
	.asciz	"vmi-shim project"
product:
	.asciz	ROM_PRODUCT

	.section .note.GNU-stack, "", @progbits
