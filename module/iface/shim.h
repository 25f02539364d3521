/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The load's state, which main.c keeps and the interface (sysfs) shows:
 * the type here and the instance in iface/sysfs.c, below main.c, so that
 * iface/ depends on nothing above it.
 */
#ifndef VMI_SHIM_SHIM_H
#define VMI_SHIM_SHIM_H

#include "patch/ops.h"

#define VMI_SWAP_LOG	16

struct vmi_shim {
	/* Why no ROM is installed (empty when one is). */
	const char *no_rom_reason;
	enum vmi_mode mode;
	bool routing;		/* pv_ops point at the shim's entries */
	bool tracking;		/* module tracker armed (ops routable) */
	/*
	 * Held while anything is routed: rmmod is refused until a release
	 * (sysfs "routing" <- off) has put every byte back and proved it.
	 */
	bool pinned;
	const char *restore_failed;	/* why the last release failed */
	bool restore_transient;	/* ... and it may pass: "off" tries again */
	u32 pv_ops_crc_before;	/* CRC of pv_ops before anything changed */
	/* Live ROM swaps (rom/swap): how many, the last few. */
	unsigned int swaps;
	struct vmi_swap_record {
		s64 when;		/* seconds since the epoch */
		u64 ns;			/* how long it took, retirement included */
		char from[80], to[80];	/* "3.13 builtin vmi_shim.ko" */
		unsigned int ops_native, ops_rom;	/* entries re-pointed */
		unsigned int features_off, features_on;
	} swap_log[VMI_SWAP_LOG];
};

extern struct vmi_shim vmi_shim;

#endif /* VMI_SHIM_SHIM_H */
