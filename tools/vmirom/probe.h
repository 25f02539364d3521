/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Run a VMI ROM in-process: copy it into a read-only executable mapping,
 * call VMI_Init and GetRelocationInfo through its header slots.  Only
 * valid for images vmi_rom_check() accepted.  Those two calls and
 * GetBackend execute no privileged instruction (docs/abi.md), which is
 * what makes this safe in userspace.
 */
#ifndef VMIROM_PROBE_H
#define VMIROM_PROBE_H

#include <stdint.h>
#include <stddef.h>
#include "../../include/vmi/abi.h"

struct vmi_probe {
	uint8_t *base;		/* PROT_READ | PROT_EXEC copy of the image */
	size_t len;
	void *state;		/* aligned as the header asks */
	size_t state_size;
	int64_t init_ret;	/* VMI_Init's return value */
	/* The calls the header's minor defines (vmi_calls_for_minor()). */
	unsigned int ncalls;
	/* 1 + the highest number given to GetRelocationInfo or GetBackend. */
	unsigned long asked;
};

/* Map @img at @hint (NULL: anywhere).  0 or -errno. */
int vmi_probe_map(struct vmi_probe *p, const void *img, size_t len, void *hint);
/* VMI_Init with @flags and room for @ncpus per-CPU slots.  0 or -errno. */
int vmi_probe_init(struct vmi_probe *p, const struct vmi_init_args *args,
		   unsigned int ncpus);
/*
 * GetRelocationInfo(@call), whatever @call: the ROM's own answer, for
 * tests of the ROM. A tool asks only below ncalls (docs/abi.md, "Versions").
 */
struct vmi_relocation vmi_probe_reloc(struct vmi_probe *p, unsigned long call);
/*
 * GetBackend via its own relocation; VMI_BACKEND_NONE if unavailable:
 * @call or GetBackend itself past the calls the ROM's minor defines (never
 * asked), or not answered CALL_REL inside the image.
 */
unsigned long vmi_probe_backend(struct vmi_probe *p, unsigned long call);
void vmi_probe_unmap(struct vmi_probe *p);

#endif
