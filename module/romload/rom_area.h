/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VMI_SHIM_ROM_AREA_H
#define VMI_SHIM_ROM_AREA_H

/* Largest ROM the module can install (a VMI ROM may reach 255 * 512). */
#define VMI_ROM_AREA_SIZE	65536
#define VMI_ROM_AREA_INIT	0x80	/* VMI_OFF_INIT */
#define VMI_ROM_AREA_GET_RELOC	0x88	/* VMI_OFF_GET_RELOC */
/* Room for the per-op counting entries (ops.c checks it suffices). */
#define VMI_THUNK_AREA_SIZE	4096

#ifndef __ASSEMBLY__
#include <vmi/abi.h>

/* Two areas: a live swap installs the next ROM in the one not in use. */
extern u8 vmi_rom_area[VMI_ROM_AREA_SIZE];
extern u8 vmi_rom_area1[VMI_ROM_AREA_SIZE];
extern u8 vmi_thunk_area[VMI_THUNK_AREA_SIZE];

#ifdef CONFIG_X86_64
/* The header's two entry points, as include/vmi/calls.h types them. */
int64_t vmi_rom_call_init(struct vmi_state *state, uint64_t size,
			  const struct vmi_init_args *args);
struct vmi_relocation vmi_rom_call_reloc(const struct vmi_state *state,
					 uint64_t call);
int64_t vmi_rom1_call_init(struct vmi_state *state, uint64_t size,
			   const struct vmi_init_args *args);
struct vmi_relocation vmi_rom1_call_reloc(const struct vmi_state *state,
					  uint64_t call);
#else
/*
 * VMI 3.0's i386 convention (docs/abi.md 9.2), which this kernel's own
 * -mregparm=3 calls match: VMI_Init takes nothing and returns 0 in EAX;
 * GetRelocationInfo takes the call number in EAX and returns the entry's
 * address in EAX and the relocation type in DL.
 */
long vmi_rom_call_init(void);
u64 vmi_rom_call_reloc(u32 call);
long vmi_rom1_call_init(void);
u64 vmi_rom1_call_reloc(u32 call);
#endif
#endif

#endif /* VMI_SHIM_ROM_AREA_H */
