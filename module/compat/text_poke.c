// SPDX-License-Identifier: GPL-2.0
/*
 * Writing kernel text with what the running kernel offers.
 *
 * The shim's own areas (the ROM area, the op entries) are written while
 * nothing executes them: text_poke_copy() and text_poke_set() where the
 * kernel has them. Before them (5.10 and older), text_poke() under
 * text_mutex, one page at a time, which is what they do inside; it takes
 * at most a page, and the page of any module text.
 *
 * Pointers the kernel reads while it runs (pv_ops slots): where the
 * kernel keeps them read-only after init (pv_mmu_ops before 4.20), they
 * are written through text_stop.c's writable alias with every CPU
 * stopped, checked against what they must hold first.
 *
 * CALLs in the kernel's text are re-pointed while it runs: with
 * text_poke_queue() and text_poke_finish() where the kernel has them
 * (vmi_text_poke_batched()); elsewhere the callers write them with every
 * CPU stopped instead (base/text_stop.c), and never queue.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bug.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/string.h>
#include <asm/pgtable_types.h>
#include <asm/text-patching.h>

#include "base/ksyms.h"
#include "base/text_stop.h"
#include "compat/text_poke.h"

const char *vmi_text_area_missing(void)
{
	if (vmi_ks.text_poke_copy && vmi_ks.text_poke_set)
		return NULL;
	if (vmi_ks.text_poke && vmi_ks.text_mutex)
		return NULL;
	return "text_poke_copy, text_poke_set and text_poke";
}

/* text_poke() on @len bytes, a page at a time; text_mutex held. */
static void poke_pages(u8 *addr, const u8 *src, size_t len, bool fill)
{
	u8 buf[64];
	size_t n;

	if (fill)
		memset(buf, *src, sizeof(buf));
	while (len) {
		n = min_t(size_t, len, PAGE_SIZE - offset_in_page(addr));
		if (fill)
			n = min(n, sizeof(buf));
		vmi_ks.text_poke(addr, fill ? buf : src, n);
		addr += n;
		len -= n;
		if (!fill)
			src += n;
	}
}

/* Copy @len bytes to @addr in an area of the shim's: @addr, or NULL. */
void *vmi_text_area_copy(void *addr, const void *src, size_t len)
{
	if (vmi_ks.text_poke_copy)
		return vmi_ks.text_poke_copy(addr, src, len);
	if (!vmi_ks.text_poke || !vmi_ks.text_mutex)
		return NULL;
	mutex_lock(vmi_ks.text_mutex);
	poke_pages(addr, src, len, false);
	mutex_unlock(vmi_ks.text_mutex);
	return addr;
}

/* Fill @len bytes at @addr in an area of the shim's with @c. */
void vmi_text_area_set(void *addr, int c, size_t len)
{
	u8 byte = c;

	if (vmi_ks.text_poke_set) {
		vmi_ks.text_poke_set(addr, c, len);
		return;
	}
	if (!vmi_ks.text_poke || !vmi_ks.text_mutex)
		return;
	mutex_lock(vmi_ks.text_mutex);
	poke_pages(addr, &byte, len, true);
	mutex_unlock(vmi_ks.text_mutex);
}

void vmi_text_poke_queue(void *addr, const void *opcode, size_t len)
{
	if (!WARN_ON_ONCE(!vmi_ks.text_poke_queue))
		vmi_ks.text_poke_queue(addr, opcode, len, NULL);
}

void vmi_text_poke_finish(void)
{
	if (vmi_ks.text_poke_finish)
		vmi_ks.text_poke_finish();
}

/*
 * *@at = @val, if it holds @expect. 0; -EBUSY, unchanged, if it does not
 * hold @expect; another error, unchanged, if it cannot be written.
 */
int vmi_kernel_ptr_set(void **at, void *expect, void *val)
{
	struct vmi_text_write w = {
		.addr = (u8 *)at, .expect = (const u8 *)&expect,
		.src = (const u8 *)&val, .len = sizeof(val),
	};
	unsigned int level;
	pte_t *pte = lookup_address((unsigned long)at, &level);

	if (pte && pte_write(*pte))
		return cmpxchg(at, expect, val) == expect ? 0 : -EBUSY;
	return vmi_text_stop_write(&w, 1);
}
