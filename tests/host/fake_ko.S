/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A tiny x86_64 "kernel module" (an ET_REL object) for the vmi-sites fuzz
 * seeds: pv_ops calls relocated against the undefined pv_ops, their table
 * (.parainstructions, or with -DALTCALL direct-call .altinstructions)
 * relocated against .text, a site in .init.text, .modinfo and a build ID
 * note, as ko.c reads them in a real .ko.  Never loaded.
 */
#include "fake_sites.h"

#ifdef ALTCALL
#define NAME	"name=fake_alt"
#else
#define NAME	"name=fake_para"
#endif

	.text
	nop
1:	CALL_SLOT(1)
	SITE(1b, 1, CALL_LEN)
2:	CALL_SLOT(3)
	SITE(2b, 3, CALL_LEN)
3:	CALL_SLOT(7)
	SITE(3b, 7, CALL_LEN)
	/* a second entry for the same site, as nested ALTERNATIVE()s give */
	SITE(3b, 7, CALL_LEN)
altcall_target:
	ret

	.section .text.unlikely, "ax"
6:	CALL_SLOT(2)
	SITE(6b, 2, CALL_LEN)
	ret

	.section .init.text, "ax"
5:	CALL_SLOT(1)
	SITE(5b, 1, CALL_LEN)
	ret

	.section .modinfo, "a"
	.asciz	"license=GPL"
	.asciz	NAME

	.section .note.gnu.build-id, "a"
	.balign	4
	.long	4, 20, 3			/* NT_GNU_BUILD_ID */
	.asciz	"GNU"
	.byte	0x5e, 0xed, 0x4b, 0x0f, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08
	.byte	0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x12
	.section .note.GNU-stack, "", @progbits
