// SPDX-License-Identifier: GPL-2.0
/* The ROM validator shared with the userspace tools: one source, two builds. */
#include "../../common/romcheck.c"
