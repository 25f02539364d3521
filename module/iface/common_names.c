// SPDX-License-Identifier: GPL-2.0
/* VMI call names shared with the userspace tools: one source, two builds. */
#include "../../common/names.c"
