/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The site-table entries of the fake kernel objects (fake_vmlinux.S,
 * fake_ko.S) that make the vmi-sites fuzz seeds: the layouts the kernel's
 * own tables have, x86_64 or i386 (-m32). SITE() is a .parainstructions
 * entry (Linux < 6.8) or, with -DALTCALL, a direct-call .altinstructions
 * one (6.8+).
 */
#ifndef FAKE_SITES_H
#define FAKE_SITES_H

#ifdef __x86_64__
#define PTR	.quad
#define PSIZE	8
#else
#define PTR	.long
#define PSIZE	4
#endif

/*
 * The call a site holds, CALL_LEN bytes: "ff 15" call *pv_ops + n(%rip)
 * (i386: the absolute form), or with -DABS_CALL (x86_64 up to 5.10)
 * "ff 14 25" call *abs32, R_X86_64_32S; with -DSPLIT_PV as well (up to
 * 4.19), the pointer is in the template member's own global: slots 1-2
 * pv_time_ops, 3-6 pv_cpu_ops, 7 and up pv_irq_ops.
 */
#if defined(__x86_64__) && defined(SPLIT_PV)
#define CALL_LEN	7
#define CALL_SLOT(n)	split_call n
	.macro	split_call n
	.if	\n < 3
	call	*pv_time_ops + (\n - 1) * 8
	.elseif	\n < 7
	call	*pv_cpu_ops + (\n - 3) * 8
	.else
	call	*pv_irq_ops + (\n - 7) * 8
	.endif
	.endm
#elif defined(__x86_64__) && defined(ABS_CALL)
#define CALL_LEN	7
#define CALL_SLOT(n)	call *pv_ops + (n) * PSIZE
#elif defined(__x86_64__)
#define CALL_LEN	6
#define CALL_SLOT(n)	call *pv_ops + (n) * PSIZE(%rip)
#else
#define CALL_LEN	6
#define CALL_SLOT(n)	call *pv_ops + (n) * PSIZE
#endif

/*
 * struct paravirt_patch_site { u8 *instr; u8 type; u8 len; }; with
 * -DUNPADDED as _paravirt_alt() emitted it up to 5.10, without the
 * closing .balign: the table ends 12 bytes into its last entry on x86_64.
 */
#ifdef UNPADDED
#define PARA_END_ALIGN
#else
#define PARA_END_ALIGN	.balign PSIZE;
#endif
#define PARA_SITE(label, slot, len)		\
	.pushsection .parainstructions, "a";	\
	.balign PSIZE;				\
	PTR label;				\
	.byte slot, len;			\
	.short 0;				\
	PARA_END_ALIGN				\
	.popsection

/* struct alt_instr of 6.3+: 14 bytes, ALT_FLAG_DIRECT_CALL, ALWAYS */
#define ALT_SITE(label, flags, len)		\
	.pushsection .altinstructions, "a";	\
	.long label - .;			\
	.long 9f - .;				\
	.long ((flags) << 16) | (3 * 32 + 21);	\
	.byte len, 5;				\
	.popsection;				\
	.pushsection .altinstr_replacement, "ax"; \
9:	call altcall_target;			\
	.popsection

#ifdef ALTCALL
#define SITE(label, slot, len)	ALT_SITE(label, 2, len)
#else
#define SITE(label, slot, len)	PARA_SITE(label, slot, len)
#endif

#endif /* FAKE_SITES_H */
