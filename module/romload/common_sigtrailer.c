// SPDX-License-Identifier: GPL-2.0
/* The signature trailer parser shared with vmirom: one source, two builds. */
#include "../../common/sigtrailer.c"
