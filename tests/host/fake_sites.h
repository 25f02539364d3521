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
#define CALL_SLOT(n)	call *pv_ops + (n) * PSIZE(%rip)
#else
#define PTR	.long
#define PSIZE	4
#define CALL_SLOT(n)	call *pv_ops + (n) * PSIZE
#endif

/* struct paravirt_patch_site { u8 *instr; u8 type; u8 len; } */
#define PARA_SITE(label, slot, len)		\
	.pushsection .parainstructions, "a";	\
	.balign PSIZE;				\
	PTR label;				\
	.byte slot, len;			\
	.short 0;				\
	.balign PSIZE;				\
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
