// SPDX-License-Identifier: GPL-2.0
/*
 * asm/tlbflush.h keeps struct flush_tlb_info from modules (#ifndef
 * MODULE), yet pv_ops.mmu.flush_tlb_multi takes one. The PV TLB flush
 * adapter needs one field of it; this unit alone sees the definition, so
 * the layout comes from the target kernel's own header, never a copy.
 */
#undef MODULE
#include <linux/mm.h>
#include <asm/tlbflush.h>

#include "compat/compat.h"
#include "retrofit/retrofit.h"

bool vmi_flush_frees_tables(const struct flush_tlb_info *info)
{
	return vmi_flush_info_frees_tables(info);
}
