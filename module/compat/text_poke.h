/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VMI_SHIM_COMPAT_TEXT_POKE_H
#define VMI_SHIM_COMPAT_TEXT_POKE_H

#include <linux/types.h>

/*
 * Whether the kernel re-points CALLs in INT3-protected batches that send
 * a CPU meeting the INT3 through the new CALL (text_poke_queue()). Where
 * it does not, CALL sites are written like inline sites: every CPU
 * stopped (base/text_stop.c), which also needs the CPU hotplug lock
 * before text_mutex.
 */
static inline bool vmi_text_poke_batched(void)
{
#ifdef VMI_HAVE_TEXT_POKE_QUEUE
	return true;
#else
	return false;
#endif
}

/* What the kernel lacks to write the shim's own areas, or NULL. */
const char *vmi_text_area_missing(void);
void *vmi_text_area_copy(void *addr, const void *src, size_t len);
void vmi_text_area_set(void *addr, int c, size_t len);

/* A batch of CALL rewrites, text_mutex held (vmi_text_poke_batched()). */
void vmi_text_poke_queue(void *addr, const void *opcode, size_t len);
void vmi_text_poke_finish(void);

/* Set a kernel pointer that may be read-only after init. */
int vmi_kernel_ptr_set(void **at, void *expect, void *val);

#endif /* VMI_SHIM_COMPAT_TEXT_POKE_H */
