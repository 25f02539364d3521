/* SPDX-License-Identifier: GPL-2.0 */
/*
 * compat/kapi.h for assembler files: the same rule (a name an older
 * kernel lacks, under the kernel's own name, guarded by its probe; no
 * header included), for the names .S files use. Its macros stand for
 * assembler statements, which checkpatch would read as C
 * (tools/checkpatch).
 */
#ifndef VMI_SHIM_COMPAT_KAPI_ASM_H
#define VMI_SHIM_COMPAT_KAPI_ASM_H

/*
 * <linux/linkage.h>: SYM_* (5.5), in the words kernels had before:
 * ENTRY and ENDPROC for functions, x86's GLOBAL and END for data. Data
 * so marked lacks only its ELF type (object), which nothing reads; the
 * one label inside data the module marks is global, as SYM_L_GLOBAL asks.
 */
#ifndef VMI_HAVE_SYM_FUNC_START
#define SYM_FUNC_START(name)	ENTRY(name)
#define SYM_FUNC_END(name)	ENDPROC(name)
#define SYM_DATA_START(name)	GLOBAL(name)
#define SYM_DATA_END(name)	END(name)
#define SYM_DATA_END_LABEL(name, linkage, label) \
	GLOBAL(label) END(name)
#endif

/*
 * <linux/objtool.h>: ANNOTATE_NOENDBR (5.18) tells objtool that code no
 * one branches to indirectly has no ENDBR on purpose. Kernels without it
 * have no IBT and nothing to tell.
 */
#ifndef VMI_HAVE_ANNOTATE_NOENDBR
#define ANNOTATE_NOENDBR
#endif

#endif /* VMI_SHIM_COMPAT_KAPI_ASM_H */
