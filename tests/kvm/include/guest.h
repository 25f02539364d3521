/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest side's runtime (lib/guest/): reporting to the VMM, the ROM
 * the VMM copied in and how to call it, interrupts, timing and vCPU1.
 * Freestanding: no libc; the guest runs at CPL0 in 64-bit mode on
 * NR_VCPUS vCPUs, linked at GPA_CODE (lib/guest/guest.ld).
 */
#ifndef VMI_CONFORMANCE_GUEST_H
#define VMI_CONFORMANCE_GUEST_H

#include <stddef.h>
#include <stdint.h>

#include "vmi/abi.h"
#include "mbox.h"
#include "processor.h"

#define MB		((struct mbox *)GPA_MBOX)
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* The interrupt vectors the tests use (lib/guest/entry.S has stubs). */
#define VEC_NATIVE_IPI	0xf1
#define VEC_PV_IPI	0xf2

/* ---- lib/guest/ucall.c: reports to the VMM ---------------------------- */
static inline void ucall(uint32_t ev)
{
	outl(PORT_EVENT, ev);
}

void begin(const char *name);
int result(int status, const char *f, ...);
void diag(const char *f, ...);

#define ok(cond, ...)	result((cond) ? ST_PASS : ST_FAIL, __VA_ARGS__)
#define skip(...)	result(ST_SKIP, __VA_ARGS__)

/* ---- lib/guest/libc.c -------------------------------------------------- */
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
void vfmt(char *dst, size_t max, const char *f, __builtin_va_list ap);

/* ---- lib/guest/rom.c: the ROM under test ------------------------------ */
/* The ROM's state block, at the address the VMM reserved. */
#define S()		((struct vmi_state *)MB->state_gpa)

struct vmi_relocation reloc(uint64_t call);
uint64_t rom(uint64_t call);

/* Call @id as the ABI table types it (include/vmi/calls.h). */
#define CALL(id, ...)	vmi_call(id, rom(VMI_CALL_##id))(__VA_ARGS__)

/* lib/guest/rom_probes.S: the calls C cannot make, and register checks */
uint64_t clobber_probe(void *fn, uint64_t arg);
uint64_t iret_probe(void *fn);
void rom_cpuid(void *fn, uint32_t leaf, uint32_t sub, uint32_t r[4]);

/* ---- lib/guest/entry.S: the stubs, and what they call ------------------ */
extern const uint64_t exc_table[32];
extern char irq_f0[], irq_f1[], irq_f2[];
void guest_main(uint64_t cpu);			/* guest/main.c */
void guest_exception(uint64_t *frame);		/* lib/guest/traps.c */
void guest_irq(uint64_t vector);		/* lib/guest/traps.c */

/* ---- lib/guest/traps.c: IDT, exceptions, interrupts, APIC ------------- */
extern struct gate idt[256];
void set_gate(struct gate *g, uint64_t handler);
void setup_idt(void);
void apic_enable(void);

/* ---- lib/guest/delay.c: TSC-based waits ------------------------------- */
uint64_t ms_to_tsc(uint64_t ms);
int wait_change(volatile uint32_t *p, uint32_t old, uint64_t ms);
void delay_ms(uint64_t ms);

/* ---- lib/guest/ap.c: vCPU1, driven by vCPU0 ---------------------------- */
void ap_main(void);
int ap_command(uint32_t cmd, uint32_t *seq);
int ap_wait_done(uint32_t seq, uint64_t ms);

#endif
