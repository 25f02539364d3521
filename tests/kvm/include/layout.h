/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest-physical memory layout the VMM builds (lib/vmm/memory.c) and
 * the guest runs in, its GDT and how many vCPUs and call numbers there
 * are.  Included by both sides.
 */
#ifndef VMI_CONFORMANCE_LAYOUT_H
#define VMI_CONFORMANCE_LAYOUT_H

/* ---- Guest-physical layout (RAM slot 0: 0 .. RAM_SIZE) ---------------- */
#define RAM_SIZE	0x400000ULL	/* 4 MiB */
#define GPA_PML4	0x1000ULL
#define GPA_PDPT	0x2000ULL
#define GPA_PD		0x3000ULL	/* 8 pages: identity map 0..8 GiB, 2 MiB pages */
#define NR_PD		8
#define GPA_PT		0xB000ULL	/* 4 KiB page table of the TLB window */
#define GPA_GDT		0xC000ULL
#define GPA_TSS		0xD000ULL
#define GPA_MBOX	0x20000ULL	/* struct mbox, 16 KiB */
#define GPA_STATE	0x30000ULL	/* ROM state block (4 KiB reserved) */
#define GPA_TLB_P1	0x31000ULL
#define GPA_TLB_P2	0x32000ULL
#define GPA_CODE	0x40000ULL	/* guest.bin is linked here */
#define GPA_CODE_MAX	0x30000ULL
#define GPA_STACK0	0x80000ULL	/* stack tops */
#define GPA_STACK1	0x90000ULL
#define TLB_VA		0x3FE00000ULL	/* last 2 MiB of the first GiB: 4 KiB PT */
#define APIC_GPA	0xFEE00000ULL

#define GDT_CODE	0x08
#define GDT_DATA	0x10
#define GDT_TSS		0x18	/* 16-byte descriptor, slots 3-4 */
#define GDT_SPARE	5	/* free slot for the WriteGDTEntry test */
#define GDT_ENTRIES	6

#define NR_VCPUS	2
#define NRELOC		(88 + 3)	/* VMI_CALL_COUNT + 3 unknown numbers */

#endif
