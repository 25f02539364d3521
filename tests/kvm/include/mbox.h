/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The VMM <-> guest protocol, this harness's own "ucall": the mailbox
 * page at GPA_MBOX, the event codes the guest OUTs to PORT_EVENT once the
 * mailbox holds what goes with them, and the commands vCPU0 gives vCPU1.
 * Included by both sides (lib/vmm/ucall.c, lib/guest/ucall.c).
 */
#ifndef VMI_CONFORMANCE_MBOX_H
#define VMI_CONFORMANCE_MBOX_H

#include <stdint.h>

#include "layout.h"

/* ---- Ports ------------------------------------------------------------ */
#define PORT_EVENT	0x5e0	/* outl: event code below */
#define PORT_TEST	0x5e4	/* target of the I/O call tests */

#define EV_RESULT	1	/* mbox.status/msg hold one TAP result */
#define EV_DIAG		2	/* mbox.msg is a diagnostic line */
#define EV_DONE		3	/* vCPU0 finished every test */
#define EV_EXCEPTION	4	/* mbox.exc_* describe an unexpected exception */
#define EV_STEAL_START	5	/* start host load next to vCPU0 */
#define EV_STEAL_POLL	6	/* mbox.steal_now is current; host may set steal_stop */
#define EV_STEAL_END	7	/* stop the host load */
#define EV_TABLES	8	/* mbox reloc/backend tables are filled in */

#define ST_FAIL		0
#define ST_PASS		1
#define ST_SKIP		2

/* vCPU1 commands (mbox.ap_cmd), acknowledged in mbox.ap_ack. */
#define AP_CMD_IPI	1	/* wait for an interrupt with VMI Halt */
#define AP_CMD_SPIN	2	/* SpinWait(&spin_byte, 0) once */

/* ---- The mailbox page ------------------------------------------------- */
struct mbox {
	/* VMM -> guest */
	uint64_t rom_base, rom_len;
	uint64_t state_gpa, state_size;
	uint64_t cr0, cr3, cr4;
	uint64_t gdt_base;
	uint32_t gdt_limit, tr_sel;
	uint32_t tsc_khz;
	uint32_t pv;			/* KVM PV leaves exposed */
	uint32_t kvm_features;		/* CPUID 0x40000001.EAX as set, if pv */
	uint32_t ncpus;
	uint64_t pt_gpa;		/* page table of TLB_VA */
	uint32_t io_in;			/* value the VMM answers on IN PORT_TEST */
	volatile uint32_t steal_stop;	/* VMM: stop the steal loop */
	uint32_t steal_budget_ms;
	uint32_t pad0;

	/* I/O log kept by the VMM for PORT_TEST */
	volatile uint32_t io_count;
	uint32_t io_size[16];
	uint32_t io_val[16];

	/* guest -> VMM */
	int64_t init_ret;
	uint64_t reloc_addr[NRELOC];
	uint64_t reloc_type[NRELOC];
	uint64_t backend[NRELOC];
	volatile uint64_t steal_now;
	uint32_t status;
	uint32_t exc_vector, exc_cpu;
	uint64_t exc_error, exc_rip, exc_cr2;
	char cur[128];			/* test in progress */
	char msg[512];

	/* vCPU0 <-> vCPU1 */
	volatile uint32_t ap_online;
	volatile uint32_t ap_cmd, ap_ack, ap_done;
	volatile uint32_t ap_irq_vector, ap_irq_count;
	volatile uint32_t ap_woken;
	volatile uint8_t spin_byte;
};

_Static_assert(sizeof(struct mbox) <= 0x4000, "mailbox fits 16 KiB");

#endif
