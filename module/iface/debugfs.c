// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/vmi_shim: the ROM's call table (number, name,
 * relocation type, backend, offset in the ROM), the ops, the retrofit's
 * features with the sentences behind sysfs's reason tokens. Debug
 * detail; the stable interface is sysfs (docs/ABI/sysfs-kernel-vmi_shim).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/crc32.h>
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <vmi/names.h>

#include "base/ksyms.h"
#include "base/percpu_sum.h"
#include "iface/debugfs.h"
#include "iface/shim.h"
#include "iface/sysfs.h"
#include "patch/ops.h"
#include "retrofit/retrofit.h"
#include "romload/rom.h"
#include "romload/rom_area.h"

static int calls_show(struct seq_file *m, void *v)
{
	unsigned long i;

	mutex_lock(&vmi_rom_lock);
	if (!vmi_rom.installed) {
		seq_puts(m, "# no ROM installed\n");
		goto out;
	}
	seq_puts(m, "# num name type backend offset\n");
	for (i = 0; i < VMI_CALL_COUNT; i++) {
		const struct vmi_rom_call *c = &vmi_rom.calls[i];

		seq_printf(m, "%lu %s %s %s %#lx\n", i, vmi_call_name(i),
			   vmi_relocation_name(c->type),
			   vmi_backend_name(c->backend),
			   c->addr ? (unsigned long)((u8 *)c->addr - vmi_rom.area) : 0UL);
	}
out:
	mutex_unlock(&vmi_rom_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(calls);

/* Per-op routing and counters: how often the ROM was entered for it. */
static int ops_show(struct seq_file *m, void *v)
{
	unsigned int i;

	seq_puts(m, "# op slot call backend routed count why sites\n");
	mutex_lock(&vmi_rom_lock);
	for (i = 0; i < vmi_nr_ops; i++) {
		const struct vmi_op_state *st = &vmi_op_states[i];
		const struct vmi_op *op = vmi_ops[i];
		const char *why = st->why_not ?: st->native_why;

		/* "native": routed, but a ROM swapped in since cannot do it. */
		seq_printf(m, "%s %u %s %s %s %llu %s %u\n", op->name, op->slot,
			   vmi_call_name(op->call),
			   vmi_backend_name(vmi_rom.calls[op->call].backend),
			   !st->routed ? "no" : st->native_why ? "native" : "yes",
			   vmi_op_count(i), why ?: "-", st->sites);
	}
	mutex_unlock(&vmi_rom_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(ops);

/* The retrofit in full: each feature, why off with the sentence, counters. */
static int features_show(struct seq_file *m, void *v)
{
	unsigned int i;

	for (i = 0; i < VMI_RETRO_SHOWN; i++) {
		const char *why = vmi_retro_why(i);

		seq_printf(m, "%s %s%s\n", vmi_retro_name(i),
			   why ? "off " : "on", why ?: "");
	}
	for (i = 0; i < VMI_CNT_NR; i++)
		seq_printf(m, "%s %llu\n", vmi_retro_counter_name(i),
			   vmi_percpu_sum(&vmi_retro_cnt[i]));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(features);

/* Every live ROM swap the log still holds, oldest first. */
static int swaps_show(struct seq_file *m, void *v)
{
	unsigned int i, first;
	char line[256];

	mutex_lock(&vmi_rom_lock);
	first = vmi_shim.swaps > VMI_SWAP_LOG ? vmi_shim.swaps - VMI_SWAP_LOG : 0;
	seq_printf(m, "# %u swaps; when from -> to: what changed\n",
		   vmi_shim.swaps);
	for (i = first; i < vmi_shim.swaps; i++) {
		vmi_swap_record_line(&vmi_shim.swap_log[i % VMI_SWAP_LOG], line,
				     sizeof(line));
		seq_printf(m, "%u %s", i + 1, line);
	}
	mutex_unlock(&vmi_rom_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(swaps);

/*
 * CRC of the whole core kernel text, for tests: equal before a load and
 * after the matching unload (or a refused load) proves no byte changed.
 */
static int text_crc_show(struct seq_file *m, void *v)
{
	const u8 *start = vmi_ks._stext, *end = vmi_ks._etext;

	if (!start || end <= start)
		return -ENOENT;
	seq_printf(m, "%08x %zu\n", crc32_le(~0, start, end - start),
		   (size_t)(end - start));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(text_crc);

/*
 * Modes (docs/sysfs.md): calls gives offsets inside the ROM, not
 * addresses, and ops names and counters; text_crc covers kernel text,
 * which holds absolute addresses relocated by KASLR, so it is root-only.
 */
/* The directory, for its removal with everything in it. */
static struct dentry *dir;

void vmi_debugfs_init(void)
{
	dir = debugfs_create_dir("vmi_shim", NULL);
	debugfs_create_file("calls", 0444, dir, NULL, &calls_fops);
	debugfs_create_file("ops", 0444, dir, NULL, &ops_fops);
	debugfs_create_file("features", 0444, dir, NULL, &features_fops);
	debugfs_create_file("swaps", 0444, dir, NULL, &swaps_fops);
	debugfs_create_file("text_crc", 0400, dir, NULL, &text_crc_fops);
}

/*
 * debugfs_remove_recursive(): before 5.6 debugfs_remove() leaves a
 * directory that still has files, whose fops then point into the
 * unloaded module (the next open of one faults).
 */
void vmi_debugfs_exit(void)
{
	debugfs_remove_recursive(dir);
	dir = NULL;
}
