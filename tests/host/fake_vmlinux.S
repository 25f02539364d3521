/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A tiny "vmlinux" for the vmi-sites fuzz seeds (fuzz-seeds.sh links it
 * with fake_vmlinux.lds): the sections and tables tools/vmi-sites reads
 * from a real kernel, a few sites of each kind, nothing else.  Built for
 * x86_64 or i386 (-m32), with .parainstructions (Linux < 6.8) or, with
 * -DALTCALL, direct-call .altinstructions (6.8+); with -DSPLIT_PV
 * (x86_64, up to 4.19) the calls read pv_time_ops, pv_cpu_ops and
 * pv_irq_ops, laid out of the template's order as 4.14's are, and
 * __ksymtab holds { value, name } pointers.  Never run.
 */
#include "fake_sites.h"

	.text
	.globl	_text
_text:
	nop
1:	CALL_SLOT(1)
	SITE(1b, 1, CALL_LEN)
2:	CALL_SLOT(3)
	SITE(2b, 3, CALL_LEN)
3:	CALL_SLOT(7)
	nop
	nop
	SITE(3b, 7, CALL_LEN + 2)
#ifdef ALTCALL
4:	CALL_SLOT(2)			/* not a direct call: skipped */
	ALT_SITE(4b, 0, CALL_LEN)
#else
4:	pushf				/* an inline site, not a call */
	cli
	SITE(4b, 5, 2)
#endif
altcall_target:
	ret

	.section .init.text, "ax"
5:	CALL_SLOT(1)
	SITE(5b, 1, CALL_LEN)
	ret

	.section .rodata, "a"
banner:
	.asciz	"Linux version 6.1.0-fuzz (seed@vmi-shim) (gcc) #1 SMP\n"
name_pv_ops:
	.asciz	"pv_ops"
#ifdef SPLIT_PV
name_time:
	.asciz	"pv_time_ops"
name_cpu:
	.asciz	"pv_cpu_ops"
name_irq:
	.asciz	"pv_irq_ops"

	/* struct kernel_symbol { value, name } of 4.14 */
	.section __ksymtab, "a"
	.quad	pv_irq_ops, name_irq, pv_time_ops, name_time
	.quad	pv_cpu_ops, name_cpu
#else
	/* struct kernel_symbol with PREL32 offsets */
	.section __ksymtab, "a"
	.long	pv_ops - ., name_pv_ops - ., 0
#endif

	.section .notes, "a"
	.balign	4
	.long	4, 20, 3			/* NT_GNU_BUILD_ID */
	.asciz	"GNU"
	.byte	0x5e, 0xed, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08
	.byte	0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x12

	.data
	.balign	PSIZE
#ifdef SPLIT_PV
	/* template slots: time 1-2, cpu 3-6, irq 7-; the irq ops first */
pv_irq_ops:
	.fill	4, PSIZE, 0
	.fill	5, PSIZE, 0
pv_cpu_ops:
	.fill	4, PSIZE, 0
pv_time_ops:
	.fill	2, PSIZE, 0
#else
	.globl	pv_ops
pv_ops:
	.fill	16, PSIZE, 0
#endif

	/* where the init region ends */
	.section .smp_locks, "a"
	.long	0
	.section .note.GNU-stack, "", @progbits
