/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmi-shim ABI: the VMI 3.x ROM header, call numbers, relocation types and
 * the x86-64 extensions defined in docs/abi.md.  Shared by the ROM (C and
 * assembly), the kernel module and userspace; numbers only, no code.
 */
#ifndef VMI_ABI_H
#define VMI_ABI_H

/* ---- Option ROM and VMI header --------------------------------------- */

#define VMI_ROM_SIGNATURE	0xAA55		/* at 0x00 */
#define VMI_SIGNATURE		0x696d5663	/* "cVmi" at 0x08 */
#define VMI_API_MAJOR		3
/*
 * Minor 0 is VMI 3.0's 74 calls; minors 1-13 each appended a call (for
 * those, the minor that introduced a call is VMI_CALL_x -
 * VMI_CALL_SET_LAZY_MODE).  Minor 14 added no call but the return-site
 * table and VMI_INIT_IDLE_VERW.  Minor 15 appended call 87,
 * AdoptStealTime.  include/vmi/calls.h gives each call's minor.
 */
#define VMI_API_MINOR		15
#define VMI_API_MINOR_RET_SITES	14	/* first minor with the fields below */

#define VMI_ROM_BLOCK		512	/* rom_length unit and size granule */
#define VMI_ROM_MAX_BLOCKS	255	/* rom_length is one byte */
#define VMI_HEADER_SIZE		0x90
#define VMI_ENTRY_SLOT_SIZE	8

/* Header field offsets (checked against struct vmi_rom_header below). */
#define VMI_OFF_ROM_SIGNATURE	0x00
#define VMI_OFF_ROM_LENGTH	0x02
#define VMI_OFF_ROM_ENTRY	0x03
#define VMI_OFF_VROM_SIGNATURE	0x08
#define VMI_OFF_API_MINOR	0x0C
#define VMI_OFF_API_MAJOR	0x0D
#define VMI_OFF_JUMP_SLOTS	0x0E
#define VMI_OFF_VIRTUAL_TOP	0x10
#define VMI_OFF_LICENSE		0x16
#define VMI_OFF_PCI_HEADER	0x18
#define VMI_OFF_PNP_HEADER	0x1A
/* vmi-shim's use of the reserved bytes at 0x1C: the state block needs. */
#define VMI_OFF_STATE_SIZE	0x1C	/* u16: fixed part, bytes */
#define VMI_OFF_STATE_ALIGN	0x1E	/* u8: log2 of the required alignment */
#define VMI_OFF_STATE_PERCPU	0x1F	/* u8: log2 of one per-CPU slot, 0 = none */
/* 3.14: u32 offset of the return-site table (below), 0 = none. */
#define VMI_OFF_RET_SITES	0x24
#define VMI_OFF_INIT		0x80	/* VMI_Init entry slot */
#define VMI_OFF_GET_RELOC	0x88	/* VMI_GetRelocationInfo entry slot */

/* "PCIR" PCI data structure (PCI Firmware spec), 24 bytes. */
#define VMI_PCIR_SIGNATURE	0x52494350	/* "PCIR" */
#define VMI_PCIR_SIZE		24
#define VMI_PCIR_OFF_VENDOR	4
#define VMI_PCIR_OFF_DEVICE	6
#define VMI_PCIR_OFF_LENGTH	10	/* of this structure */
#define VMI_PCIR_OFF_CLASS	13
#define VMI_PCIR_OFF_IMAGE_LEN	16	/* in 512-byte units */
#define VMI_PCIR_OFF_ROM_MIN	18
#define VMI_PCIR_OFF_ROM_MAJ	19
#define VMI_PCIR_OFF_CODE_TYPE	20
#define VMI_PCIR_OFF_INDICATOR	21

/* "$PnP" expansion header (PnP BIOS spec), 32 bytes. */
#define VMI_PNP_SIGNATURE	0x506e5024	/* "$PnP" */
#define VMI_PNP_SIZE		32
#define VMI_PNP_OFF_CHECKSUM	9
#define VMI_PNP_OFF_DEVICE_ID	10
#define VMI_PNP_OFF_MFR		14
#define VMI_PNP_OFF_PRODUCT	16

/*
 * Historical identity of the VMI ROM (VMware's VMI device).  Linux 2.6.2x
 * accepted other IDs with a warning; the IDs only live inside the ROM
 * header, no PCI function is created.  See docs/abi.md.
 */
#define VMI_PCI_VENDOR		0x15AD
#define VMI_PCI_DEVICE		0x0801

/*
 * Return-site table (3.14, docs/abi.md "Speculation"): where the ROM's
 * returns are, so a caller whose kernel returns through a return thunk
 * can send them there too.  Little-endian u32s: magic, the offset of the
 * ROM's own return thunk ("ret; int3"), the number of sites, then each
 * site's offset in increasing order.  A site is a "jmp rel32" (e9) or a
 * "jcc rel32" (0f 80-8f) whose target is the ROM's thunk.
 */
#define VMI_RET_SITES_MAGIC	0x53544552	/* "RETS" */
#define VMI_RET_SITES_HDR	12		/* magic, thunk, count */

/*
 * ---- Call numbers -----------------------------------------------------
 * In calls.h, the one table of calls (C only: no assembly uses them).
 */

/* ---- GetRelocationInfo ------------------------------------------------ */

#define VMI_RELOCATION_NONE	0	/* not implemented: keep native */
#define VMI_RELOCATION_CALL_REL	1	/* call the address */
#define VMI_RELOCATION_JUMP_REL	2	/* jump to the address (IRET) */
#define VMI_RELOCATION_NOP	3	/* the operation is a no-op here */

/* Which implementation VMI_Init chose for a call (GetBackend). */
#define VMI_BACKEND_NONE	0	/* not provided: caller keeps its own */
#define VMI_BACKEND_NATIVE	1	/* the privileged instruction itself */
#define VMI_BACKEND_KVM		2	/* KVM paravirtual interface */
#define VMI_BACKEND_NOP		3	/* nothing to do on x86-64/KVM */
#define VMI_BACKEND_ROM		4	/* pure ROM logic, no hardware access */

/* ---- VMI_Init --------------------------------------------------------- */

/* struct vmi_init_args.flags */
#define VMI_INIT_NO_HYPERVISOR	0x1	/* ignore hypervisor CPUID leaves */
#define VMI_INIT_IDLE_VERW	0x2	/* 3.14: clear CPU buffers (VERW) before HLT */

/* VMI_Init return values; non-zero means "stay native". */
#define VMI_INIT_OK		0
#define VMI_INIT_EINVAL		(-1)	/* NULL/misaligned/too small state */
#define VMI_INIT_EARGS		(-2)	/* args->size or args->flags unknown */

/* ---- Argument values -------------------------------------------------- */

#define VMI_FLUSH_TLB		0x01
#define VMI_FLUSH_GLOBAL	0x02

#define VMI_CYCLES_REAL		0
#define VMI_CYCLES_AVAILABLE	1
#define VMI_CYCLES_STOLEN	2

#define VMI_LAZY_OFF		0
#define VMI_LAZY_MMU		1
#define VMI_LAZY_CPU		2

#define VMI_INTERRUPT_MASK_IF	0x200

#ifndef __ASSEMBLY__
#include "types.h"
#include "calls.h"

struct vmi_rom_header {
	uint16_t rom_signature;
	uint8_t rom_length;
	uint8_t rom_entry[4];
	uint8_t pad;
	uint32_t vrom_signature;
	uint8_t api_version_min;
	uint8_t api_version_maj;
	uint8_t jump_slots;
	uint8_t reserved1;
	uint32_t virtual_top;
	uint16_t reserved2;
	uint16_t license_offs;
	uint16_t pci_header_offs;
	uint16_t pnp_header_offs;
	uint16_t state_size;
	uint8_t state_align_log2;
	uint8_t state_percpu_log2;
	uint8_t reserved3[4];
	uint32_t ret_sites_offs;	/* 3.14; reserved (0) before */
	uint8_t reserved4[88];
	uint8_t init_slot[VMI_ENTRY_SLOT_SIZE];
	uint8_t get_reloc_slot[VMI_ENTRY_SLOT_SIZE];
};	/* naturally aligned: no padding, as the asserts below check */

#define VMI_ASSERT_OFF(m, off) \
	_Static_assert(offsetof(struct vmi_rom_header, m) == (off), #m)
VMI_ASSERT_OFF(rom_signature, VMI_OFF_ROM_SIGNATURE);
VMI_ASSERT_OFF(rom_length, VMI_OFF_ROM_LENGTH);
VMI_ASSERT_OFF(rom_entry, VMI_OFF_ROM_ENTRY);
VMI_ASSERT_OFF(vrom_signature, VMI_OFF_VROM_SIGNATURE);
VMI_ASSERT_OFF(api_version_min, VMI_OFF_API_MINOR);
VMI_ASSERT_OFF(api_version_maj, VMI_OFF_API_MAJOR);
VMI_ASSERT_OFF(jump_slots, VMI_OFF_JUMP_SLOTS);
VMI_ASSERT_OFF(virtual_top, VMI_OFF_VIRTUAL_TOP);
VMI_ASSERT_OFF(license_offs, VMI_OFF_LICENSE);
VMI_ASSERT_OFF(pci_header_offs, VMI_OFF_PCI_HEADER);
VMI_ASSERT_OFF(pnp_header_offs, VMI_OFF_PNP_HEADER);
VMI_ASSERT_OFF(state_size, VMI_OFF_STATE_SIZE);
VMI_ASSERT_OFF(state_align_log2, VMI_OFF_STATE_ALIGN);
VMI_ASSERT_OFF(state_percpu_log2, VMI_OFF_STATE_PERCPU);
VMI_ASSERT_OFF(ret_sites_offs, VMI_OFF_RET_SITES);
VMI_ASSERT_OFF(init_slot, VMI_OFF_INIT);
VMI_ASSERT_OFF(get_reloc_slot, VMI_OFF_GET_RELOC);
#undef VMI_ASSERT_OFF
_Static_assert(sizeof(struct vmi_rom_header) == VMI_HEADER_SIZE,
	       "VMI header is 144 bytes");

/* Third argument of VMI_Init (may be NULL: all defaults). */
struct vmi_init_args {
	uint32_t size;		/* sizeof(struct vmi_init_args) */
	uint32_t flags;		/* VMI_INIT_* */
	uint64_t state_phys;	/* guest-physical address of the state, 0 = unknown */
	uint64_t force_native[2]; /* bit n set: call n must not use a PV backend */
	uint32_t tsc_khz;	/* caller's TSC frequency, 0 = unknown */
	uint32_t reserved;
};

_Static_assert(sizeof(struct vmi_init_args) == 40, "init args layout");
_Static_assert(VMI_CALL_COUNT <= 128, "force_native holds 128 calls");

/* Return value of GetRelocationInfo: rax = address, rdx = type. */
struct vmi_relocation {
	uint64_t address;	/* absolute, inside the caller's copy; 0 = none */
	uint64_t type;		/* VMI_RELOCATION_* */
};

#endif /* !__ASSEMBLY__ */
#endif /* VMI_ABI_H */
