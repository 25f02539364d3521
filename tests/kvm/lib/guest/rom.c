// SPDX-License-Identifier: GPL-2.0
/*
 * The ROM the VMM copied in at mbox.rom_base: its GetRelocationInfo entry
 * in the header, and the address of each call from the table the guest
 * filled in with it (guest/reloc.c) for the VMM and the other tests.
 */
#include "guest.h"

struct vmi_relocation reloc(uint64_t call)
{
	vmi_fn(GET_RELOCATION_INFO) f =
		(vmi_fn(GET_RELOCATION_INFO))(MB->rom_base + VMI_OFF_GET_RELOC);

	return f(S(), call);
}

/* Address of @call, or 0 if the ROM answers NONE. */
uint64_t rom(uint64_t call)
{
	return call < NRELOC && MB->reloc_type[call] != VMI_RELOCATION_NONE ?
		MB->reloc_addr[call] : 0;
}
