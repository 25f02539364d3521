/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VMI_SHIM_SITES_H
#define VMI_SHIM_SITES_H

#include <linux/types.h>

/* What re-patching the kernel's call sites did (sysfs, debugfs). */
struct vmi_sites_state {
	bool loaded;		/* a table was given and accepted */
	char release[64];	/* release the table was made for */
	unsigned int total;	/* sites in the table */
	unsigned int in_init;	/* skipped: freed init text */
	unsigned int in_entry;	/* skipped: entry code */
	unsigned int unrouted;	/* skipped: op not routed */
	unsigned int inline_kept; /* skipped: inline native code */
	unsigned int patched;	/* now calling the shim's entries */
	unsigned int whole;	/* ... of which inline sites written whole */
	u32 crc_before;		/* CRC of every touched byte before patching */
	u32 crc_restored;	/* the same bytes after restore */
};

extern struct vmi_sites_state vmi_sites;

int vmi_text_init(void);
int vmi_text_repoint(u8 * const *addrs, void * const *from, void * const *to,
		     unsigned int n);
int vmi_text_repoint_back(u8 * const *addrs, void * const *from,
			  void * const *to, unsigned int n);
int vmi_text_calls_check(u8 * const *addrs, void * const *from, unsigned int n);
int vmi_site_form(const u8 *at, unsigned int len, int op, u8 *cur);
void vmi_slot_owners(int *owner, unsigned int nr);
int vmi_table_read(const char *name, size_t max, void **buf, size_t *len);
int vmi_sites_apply(const char *path);
int vmi_sites_restore(void);
int vmi_sites_check_restore(void);
const char *vmi_sites_unproven(void);

#endif /* VMI_SHIM_SITES_H */
