/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Stand-in for a kernel without <linux/objtool.h> (before 5.10): the
 * annotations the module uses are compat/kapi.h's, empty where the
 * kernel has nothing for objtool to check. Kbuild searches this
 * directory after the kernel's own, so a kernel that has the header
 * never reaches this file.
 */
#ifndef VMI_SHIM_STANDIN_OBJTOOL_H
#define VMI_SHIM_STANDIN_OBJTOOL_H
#endif /* VMI_SHIM_STANDIN_OBJTOOL_H */
