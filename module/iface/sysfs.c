// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/vmi_shim: what the shim found and did. An ABI: one value
 * per file, read-only but for routing, every file listed in
 * docs/ABI/sysfs-kernel-vmi_shim. Something off says why with a stable
 * token ("off host-lacks"); the sentence behind it is in the kernel log
 * and debugfs (base/why.h).
 *
 * A file whose content derives from kernel addresses is root-only (0400):
 * a CRC over pointers into kernel text differs from boot to boot only by
 * the KASLR slide, so anyone who can read it can try the 512 slides until
 * one matches. The VFS checks the mode when the file is opened; ->show()
 * has no opener credentials to check instead (the kernel's kptr_restrict
 * style checks use those of the opener, never the reader's).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kobject.h>
#include <linux/math64.h>
#include <linux/sysfs.h>
#include <linux/utsname.h>
#include <generated/utsrelease.h>
#include <asm/paravirt.h>

#include "base/hv_detect.h"
#include "base/percpu_sum.h"
#include "base/version.h"
#include "base/why.h"
#include "compat/compat.h"
#include "compat/kprobe_bl.h"
#include "iface/shim.h"
#include "iface/sysfs.h"
#include "patch/modsites.h"
#include "patch/modtrack.h"
#include "patch/sites.h"
#include "retrofit/retrofit.h"
#include "romload/rom.h"

struct vmi_shim vmi_shim;

static struct kobject *vmi_kobj;
static int (*vmi_release)(void) __ro_after_init;
static int (*vmi_swap)(const char *spec) __ro_after_init;

/* File NAME in group GRP (shim: the top directory) shows FMT. */
#define VMI_RO(grp, name, mode, fmt, ...)				\
static ssize_t grp##_##name##_show(struct kobject *k,			\
				   struct kobj_attribute *a, char *buf)	\
{									\
	return sysfs_emit(buf, fmt "\n", ##__VA_ARGS__);		\
}									\
static struct kobj_attribute grp##_##name = __ATTR(name, mode,		\
						   grp##_##name##_show, NULL)

/* "STATE" or "STATE TOKEN": the token of @why, if any. */
static ssize_t emit_state(char *buf, const char *state, const char *why)
{
	if (!why)
		return sysfs_emit(buf, "%s\n", state);
	/* Every reason is a VMI_WHY(): one without a token is a bug. */
	WARN_ON_ONCE(!strchr(why, ':'));
	return sysfs_emit(buf, "%s %.*s\n", state, vmi_why_token_len(why), why);
}

VMI_RO(shim, version, 0444, "%s", VMI_SHIM_VERSION);
VMI_RO(shim, kernel_release, 0444, "%s", init_utsname()->release);
VMI_RO(shim, built_for, 0444, "%s", UTS_RELEASE);
VMI_RO(shim, arch, 0444, "%s", VMI_ARCH_NAME);
VMI_RO(shim, pv_ops_flavour, 0444, "%s", VMI_PV_OPS_FLAVOUR);
VMI_RO(shim, pv_ops_slots, 0444, "%zu", VMI_PV_OPS_SLOTS);
VMI_RO(shim, pv_site_section, 0444, "%s", VMI_PV_SITE_TABLE);
VMI_RO(shim, pv_info, 0444, "%s", pv_info.name ?: "");
VMI_RO(shim, hypervisor, 0444, "%s",
	!vmi_hv.hypervisor ? "none" : vmi_hv.signature[0] ? vmi_hv.signature : "unknown");
VMI_RO(shim, kvm_base, 0444, "0x%08x", vmi_hv.kvm_base);
VMI_RO(shim, kvm_features, 0444, "0x%08x", vmi_hv.kvm_features);
VMI_RO(shim, kvm_hints, 0444, "0x%08x", vmi_hv.kvm_hints);

static ssize_t shim_kvm_feature_names_show(struct kobject *k,
					   struct kobj_attribute *a, char *buf)
{
	int n = vmi_hv_features_string(vmi_hv.kvm_features, buf,
				       PAGE_SIZE - 1);

	buf[n++] = '\n';
	return n;
}
static struct kobj_attribute shim_kvm_feature_names =
	__ATTR(kvm_feature_names, 0444, shim_kvm_feature_names_show, NULL);

/* rom/: all but "source" exist only while a ROM is installed. */
static ssize_t rom_source_show(struct kobject *k, struct kobj_attribute *a,
			       char *buf)
{
	if (!vmi_rom.installed)
		return emit_state(buf, "none", vmi_shim.no_rom_reason ?:
				  VMI_WHY("not-installed", "not installed"));
	return sysfs_emit(buf, "%s\n", vmi_rom_sources[vmi_rom.source]);
}
static struct kobj_attribute rom_source =
	__ATTR(source, 0444, rom_source_show, NULL);

/* rom/ files read the ROM under vmi_rom_lock: a swap replaces it. */
#define VMI_RO_ROM(name, fmt, ...)					\
static ssize_t rom_##name##_show(struct kobject *k,			\
				 struct kobj_attribute *a, char *buf)	\
{									\
	ssize_t n;							\
									\
	mutex_lock(&vmi_rom_lock);					\
	n = sysfs_emit(buf, fmt "\n", ##__VA_ARGS__);			\
	mutex_unlock(&vmi_rom_lock);					\
	return n;							\
}									\
static struct kobj_attribute rom_##name = __ATTR(name, 0444,		\
						 rom_##name##_show, NULL)

VMI_RO_ROM(location, "%s", vmi_rom.location);
VMI_RO_ROM(version, "%u.%u", vmi_rom.info.api_major, vmi_rom.info.api_minor);
VMI_RO_ROM(pci_id, "%04x:%04x", vmi_rom.info.pci_vendor, vmi_rom.info.pci_device);
VMI_RO_ROM(revision, "%u.%u",
	vmi_rom.info.rom_version_major, vmi_rom.info.rom_version_minor);
VMI_RO_ROM(manufacturer, "%s", vmi_rom.info.manufacturer ?: "");
VMI_RO_ROM(product, "%s", vmi_rom.info.product ?: "");
VMI_RO_ROM(size, "%zu", vmi_rom.size);
/* The validator proved the 8-bit sum is 0; this is the balancing byte. */
VMI_RO_ROM(checksum, "0x%02x", vmi_rom.info.checksum);

VMI_RO(rom, swaps, 0444, "%u", vmi_shim.swaps);

int vmi_swap_record_line(const struct vmi_swap_record *r, char *buf,
			 size_t size)
{
	return scnprintf(buf, size,
			 "%lld %s -> %s: entries %u native %u rom, features %u off %u on, %llu us\n",
			 r->when, r->from, r->to, r->ops_native, r->ops_rom,
			 r->features_off, r->features_on, div_u64(r->ns, 1000));
}

/* The last swap, or "none"; writing a source swaps the ROM (main.c). */
static ssize_t rom_swap_show(struct kobject *k, struct kobj_attribute *a,
			     char *buf)
{
	ssize_t n;

	mutex_lock(&vmi_rom_lock);
	if (!vmi_shim.swaps)
		n = sysfs_emit(buf, "none\n");
	else
		n = vmi_swap_record_line(&vmi_shim.swap_log[(vmi_shim.swaps - 1) %
							    VMI_SWAP_LOG],
					 buf, PAGE_SIZE);
	mutex_unlock(&vmi_rom_lock);
	return n;
}

static ssize_t rom_swap_store(struct kobject *k, struct kobj_attribute *a,
			      const char *buf, size_t count)
{
	char spec[96];

	if (count >= sizeof(spec))
		return -EINVAL;
	strscpy(spec, buf, sizeof(spec));
	return vmi_swap(strim(spec)) ?: count;
}
static struct kobj_attribute rom_swap = __ATTR(swap, 0644, rom_swap_show,
					       rom_swap_store);

/*
 * rom/image: a ROM for the next "image" swap, written from user space
 * (romload/rom_source.c). Root only, write only: its bytes become code.
 */
static ssize_t rom_image_write(struct file *f, struct kobject *k,
			       struct bin_attribute *a, char *buf,
			       loff_t off, size_t count)
{
	return vmi_rom_stage_write(f, buf, off, count);
}
/* Size 0: sysfs passes every offset on, the write refuses past the max. */
static struct bin_attribute rom_image = __BIN_ATTR(image, 0200, NULL,
						   rom_image_write, 0);

static struct bin_attribute *rom_bin_attrs[] = { &rom_image, NULL };

static struct attribute *rom_attrs[] = {
	&rom_source.attr, &rom_location.attr, &rom_version.attr,
	&rom_pci_id.attr, &rom_revision.attr, &rom_manufacturer.attr,
	&rom_product.attr, &rom_size.attr, &rom_checksum.attr,
	&rom_swap.attr, &rom_swaps.attr, NULL
};

static umode_t rom_visible(struct kobject *k, struct attribute *a, int n)
{
	return vmi_rom.installed || a == &rom_source.attr ? a->mode : 0;
}

static umode_t rom_bin_visible(struct kobject *k, struct bin_attribute *a,
			       int n)
{
	return vmi_rom.installed ? a->attr.mode : 0;
}

static const struct attribute_group rom_group = {
	.name = "rom", .attrs = rom_attrs, .is_visible = rom_visible,
	.bin_attrs = rom_bin_attrs, .is_bin_visible = rom_bin_visible,
};

VMI_RO(shim, mode, 0444, "%s", vmi_mode_name(vmi_shim.mode));
VMI_RO(shim, modules_bound, 0444, "%u", vmi_modtrack_bound());
VMI_RO(shim, pv_ops_crc, 0400, "%08x", vmi_pv_ops_hash());

static unsigned int ops_routed(void)
{
	unsigned int i, n = 0;

	for (i = 0; i < vmi_nr_ops; i++)
		n += vmi_op_states[i].routed;
	return n;
}
VMI_RO(shim, ops_routed, 0444, "%u", ops_routed());

static ssize_t shim_kprobe_blacklist_show(struct kobject *k,
					  struct kobj_attribute *a, char *buf)
{
	const char *why, *state = vmi_kprobe_bl_state(&why);

	return emit_state(buf, state, why);
}
static struct kobj_attribute shim_kprobe_blacklist =
	__ATTR(kprobe_blacklist, 0444, shim_kprobe_blacklist_show, NULL);

/* "on", "off", or a failed restore: "failed TOKEN", "retry TOKEN". */
static ssize_t routing_show(struct kobject *k, struct kobj_attribute *a,
			    char *buf)
{
	if (vmi_shim.restore_failed)
		return emit_state(buf, vmi_shim.restore_transient ?
				  "retry" : "failed", vmi_shim.restore_failed);
	return sysfs_emit(buf, "%s\n", vmi_shim.routing ? "on" : "off");
}

/* "off": restore everything and, once proven, allow rmmod. */
static ssize_t routing_store(struct kobject *k, struct kobj_attribute *a,
			     const char *buf, size_t count)
{
	if (!sysfs_streq(buf, "off"))
		return -EINVAL;
	return vmi_release() ?: count;
}
static struct kobj_attribute shim_routing = __ATTR_RW(routing);

/* sites/: the kernel's site table (sites=); "none" and zeros without. */
VMI_RO(sites, table, 0444, "%s", vmi_sites.loaded ? vmi_sites.release : "none");
VMI_RO(sites, total, 0444, "%u", vmi_sites.total);
VMI_RO(sites, patched, 0444, "%u", vmi_sites.patched);
VMI_RO(sites, init, 0444, "%u", vmi_sites.in_init);
VMI_RO(sites, entry, 0444, "%u", vmi_sites.in_entry);
VMI_RO(sites, unrouted, 0444, "%u", vmi_sites.unrouted);
VMI_RO(sites, inline_kept, 0444, "%u", vmi_sites.inline_kept);
/* Covers the bytes of kernel text it changed. */
VMI_RO(sites, crc, 0400, "%08x", vmi_sites.crc_before);

static struct attribute *sites_attrs[] = {
	&sites_table.attr, &sites_total.attr, &sites_patched.attr,
	&sites_init.attr, &sites_entry.attr, &sites_unrouted.attr,
	&sites_inline_kept.attr, &sites_crc.attr, NULL
};

static const struct attribute_group sites_group = {
	.name = "sites", .attrs = sites_attrs,
};

/* module_sites/: modules loaded before the shim (modsites=). */
VMI_RO(msites, table, 0444, "%s", vmi_modsites.loaded ? "loaded" : "none");
VMI_RO(msites, total, 0444, "%u", vmi_modsites.total);
VMI_RO(msites, patched, 0444, "%u", vmi_modsites.patched);
VMI_RO(msites, modules, 0444, "%u", vmi_modsites.modules);
VMI_RO(msites, unrouted, 0444, "%u", vmi_modsites.unrouted);
VMI_RO(msites, inline_kept, 0444, "%u", vmi_modsites.inline_kept);
VMI_RO(msites, modules_gone, 0444, "%u", vmi_modsites.modules_gone);

static struct attribute *msites_attrs[] = {
	&msites_table.attr, &msites_total.attr, &msites_patched.attr,
	&msites_modules.attr, &msites_unrouted.attr, &msites_inline_kept.attr,
	&msites_modules_gone.attr, NULL
};

static const struct attribute_group msites_group = {
	.name = "module_sites", .attrs = msites_attrs,
};

/*
 * features/ and counters/: one file per retrofit feature ("on", "off
 * TOKEN") and per event counter, named by retrofit/ and found here by
 * their place in the array.
 */
static struct kobj_attribute feature_attr[VMI_RETRO_SHOWN];
static struct attribute *feature_attrs[VMI_RETRO_SHOWN + 1];
static struct kobj_attribute counter_attr[VMI_CNT_NR];
static struct attribute *counter_attrs[VMI_CNT_NR + 1];

static ssize_t feature_show(struct kobject *k, struct kobj_attribute *a,
			    char *buf)
{
	const char *why = vmi_retro_why(a - feature_attr);

	return emit_state(buf, why ? "off" : "on", why);
}

static ssize_t counter_show(struct kobject *k, struct kobj_attribute *a,
			    char *buf)
{
	return sysfs_emit(buf, "%llu\n",
			  vmi_percpu_sum(&vmi_retro_cnt[a - counter_attr]));
}

static const struct attribute_group feature_group = {
	.name = "features", .attrs = feature_attrs,
};

static const struct attribute_group counter_group = {
	.name = "counters", .attrs = counter_attrs,
};

static void retro_attrs_init(void)
{
	unsigned int i;

	for (i = 0; i < VMI_RETRO_SHOWN; i++) {
		feature_attr[i].attr.name = vmi_retro_name(i);
		feature_attr[i].attr.mode = 0444;
		feature_attr[i].show = feature_show;
		feature_attrs[i] = &feature_attr[i].attr;
	}
	for (i = 0; i < VMI_CNT_NR; i++) {
		counter_attr[i].attr.name = vmi_retro_counter_name(i);
		counter_attr[i].attr.mode = 0444;
		counter_attr[i].show = counter_show;
		counter_attrs[i] = &counter_attr[i].attr;
	}
}

static struct attribute *shim_attrs[] = {
	&shim_version.attr, &shim_kernel_release.attr, &shim_built_for.attr,
	&shim_arch.attr, &shim_pv_ops_flavour.attr, &shim_pv_ops_slots.attr,
	&shim_pv_site_section.attr, &shim_pv_info.attr, &shim_hypervisor.attr,
	&shim_kvm_base.attr, &shim_kvm_features.attr, &shim_kvm_hints.attr,
	&shim_kvm_feature_names.attr,
	&shim_mode.attr, &shim_routing.attr, &shim_ops_routed.attr,
	&shim_modules_bound.attr, &shim_pv_ops_crc.attr,
	&shim_kprobe_blacklist.attr,
	NULL
};

static const struct attribute_group shim_group = { .attrs = shim_attrs };

static const struct attribute_group *vmi_groups[] = {
	&shim_group, &rom_group,
	&sites_group, &msites_group, &feature_group, &counter_group,
	NULL
};

int vmi_sysfs_init(int (*release)(void), int (*swap)(const char *spec))
{
	int err;

	vmi_release = release;
	vmi_swap = swap;
	retro_attrs_init();
	vmi_kobj = kobject_create_and_add("vmi_shim", kernel_kobj);
	if (!vmi_kobj)
		return -ENOMEM;
	err = sysfs_create_groups(vmi_kobj, vmi_groups);
	if (err) {
		kobject_put(vmi_kobj);
		vmi_kobj = NULL;
	}
	return err;
}

void vmi_sysfs_exit(void)
{
	if (!vmi_kobj)
		return;
	sysfs_remove_groups(vmi_kobj, vmi_groups);
	kobject_put(vmi_kobj);
}
