// SPDX-License-Identifier: GPL-2.0
/*
 * The trace events of base/trace.h, defined once for the whole module.
 * Nothing is exported: every caller is in vmi_shim.ko.
 */
#define CREATE_TRACE_POINTS
#include "base/trace.h"
