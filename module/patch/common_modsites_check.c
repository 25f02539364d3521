// SPDX-License-Identifier: GPL-2.0
/* The module-site-table validator shared with vmi-sites: one source, two builds. */
#include "../../common/modsites_check.c"
