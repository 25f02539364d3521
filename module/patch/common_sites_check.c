// SPDX-License-Identifier: GPL-2.0
/* The site-table validator shared with vmi-sites: one source, two builds. */
#include "../../common/sites_check.c"
