// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/vmi_shim: what the shim found (docs/sysfs.md). One value per
 * file, read-only, so scripts can read it without parsing.
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
#include <linux/sysfs.h>
#include <linux/utsname.h>
#include <generated/utsrelease.h>
#include <asm/paravirt.h>

#include "base/hv_detect.h"
#include "base/version.h"
#include "compat/compat.h"
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

static ssize_t version_show(struct kobject *k, struct kobj_attribute *a,
			    char *buf)
{
	return sysfs_emit(buf, "%s\n", VMI_SHIM_VERSION);
}

static ssize_t kernel_release_show(struct kobject *k,
				   struct kobj_attribute *a, char *buf)
{
	return sysfs_emit(buf, "%s\n", init_utsname()->release);
}

static ssize_t built_for_show(struct kobject *k, struct kobj_attribute *a,
			      char *buf)
{
	return sysfs_emit(buf, "%s\n", UTS_RELEASE);
}

static ssize_t pv_ops_layout_show(struct kobject *k,
				  struct kobj_attribute *a, char *buf)
{
	return sysfs_emit(buf, "%s %s slots=%zu sites=%s\n", VMI_ARCH_NAME,
			  VMI_PV_OPS_FLAVOUR, VMI_PV_OPS_SLOTS,
			  VMI_PV_SITE_TABLE);
}

static ssize_t pv_info_show(struct kobject *k, struct kobj_attribute *a,
			    char *buf)
{
	return sysfs_emit(buf, "%s\n", pv_info.name ? pv_info.name : "");
}

static ssize_t hypervisor_show(struct kobject *k, struct kobj_attribute *a,
			       char *buf)
{
	if (!vmi_hv.hypervisor)
		return sysfs_emit(buf, "none\n");
	return sysfs_emit(buf, "%s\n",
			  vmi_hv.signature[0] ? vmi_hv.signature : "unknown");
}

static ssize_t kvm_base_show(struct kobject *k, struct kobj_attribute *a,
			     char *buf)
{
	return sysfs_emit(buf, "0x%08x\n", vmi_hv.kvm_base);
}

static ssize_t kvm_features_show(struct kobject *k, struct kobj_attribute *a,
				 char *buf)
{
	return sysfs_emit(buf, "0x%08x\n", vmi_hv.kvm_features);
}

static ssize_t kvm_hints_show(struct kobject *k, struct kobj_attribute *a,
			      char *buf)
{
	return sysfs_emit(buf, "0x%08x\n", vmi_hv.kvm_hints);
}

static ssize_t kvm_feature_names_show(struct kobject *k,
				      struct kobj_attribute *a, char *buf)
{
	int n = vmi_hv_features_string(vmi_hv.kvm_features, buf,
				       PAGE_SIZE - 1);

	buf[n++] = '\n';
	return n;
}

static ssize_t patched_show(struct kobject *k, struct kobj_attribute *a,
			    char *buf)
{
#ifdef CONFIG_X86_64
	if (vmi_sites.patched)
		return sysfs_emit(buf, "%u call sites\n", vmi_sites.patched);
#endif
	return sysfs_emit(buf, "none\n");
}

/* ROM identity: "none" with the reason when no ROM is installed. */
static ssize_t rom_source_show(struct kobject *k, struct kobj_attribute *a,
			       char *buf)
{
	if (!vmi_rom.installed)
		return sysfs_emit(buf, "none (%s)\n", vmi_shim.no_rom_reason ?
				  vmi_shim.no_rom_reason : "not installed");
	return sysfs_emit(buf, "%s: %s\n", vmi_rom_source_name(vmi_rom.source),
			  vmi_rom.where);
}

static ssize_t rom_version_show(struct kobject *k, struct kobj_attribute *a,
				char *buf)
{
	if (!vmi_rom.installed)
		return sysfs_emit(buf, "none\n");
	return sysfs_emit(buf, "%u.%u\n", vmi_rom.info.api_major,
			  vmi_rom.info.api_minor);
}

static ssize_t rom_id_show(struct kobject *k, struct kobj_attribute *a,
			   char *buf)
{
	const struct vmi_rom_info *i = &vmi_rom.info;

	if (!vmi_rom.installed)
		return sysfs_emit(buf, "none\n");
	return sysfs_emit(buf, "%04x:%04x rev %u.%u\n", i->pci_vendor,
			  i->pci_device, i->rom_version_major,
			  i->rom_version_minor);
}

static ssize_t rom_vendor_show(struct kobject *k, struct kobj_attribute *a,
			       char *buf)
{
	const struct vmi_rom_info *i = &vmi_rom.info;

	if (!vmi_rom.installed)
		return sysfs_emit(buf, "none\n");
	return sysfs_emit(buf, "%s / %s\n",
			  i->manufacturer ? i->manufacturer : "",
			  i->product ? i->product : "");
}

static ssize_t rom_size_show(struct kobject *k, struct kobj_attribute *a,
			     char *buf)
{
	return sysfs_emit(buf, "%zu\n", vmi_rom.installed ? vmi_rom.size : 0);
}

static ssize_t rom_checksum_show(struct kobject *k, struct kobj_attribute *a,
				 char *buf)
{
	if (!vmi_rom.installed)
		return sysfs_emit(buf, "none\n");
	/* The validator proved the 8-bit sum is 0; show the balancing byte. */
	return sysfs_emit(buf, "0x%02x (sum ok)\n", vmi_rom.info.checksum);
}

#ifdef CONFIG_X86_64
/* Routing exists only where the (x86-64) ROM can be installed. */
static ssize_t mode_show(struct kobject *k, struct kobj_attribute *a,
			 char *buf)
{
	return sysfs_emit(buf, "%s\n", vmi_mode_name(vmi_shim.mode));
}

static ssize_t ops_routed_show(struct kobject *k, struct kobj_attribute *a,
			       char *buf)
{
	unsigned int i, n = 0;

	for (i = 0; i < vmi_nr_ops; i++)
		n += vmi_op_states[i].routed;
	return sysfs_emit(buf, "%u\n", n);
}

static ssize_t pv_ops_crc_show(struct kobject *k, struct kobj_attribute *a,
			       char *buf)
{
	return sysfs_emit(buf, "%08x\n", vmi_pv_ops_hash());
}

static ssize_t modules_bound_show(struct kobject *k,
				  struct kobj_attribute *a, char *buf)
{
	return sysfs_emit(buf, "%u\n", vmi_modtrack_bound());
}
#endif

#ifdef CONFIG_X86_64
static ssize_t sites_patched_show(struct kobject *k,
				  struct kobj_attribute *a, char *buf)
{
	return sysfs_emit(buf, "%u\n", vmi_sites.patched);
}

static ssize_t sites_summary_show(struct kobject *k,
				  struct kobj_attribute *a, char *buf)
{
	if (!vmi_sites.loaded)
		return sysfs_emit(buf, "none\n");
	return sysfs_emit(buf, "table %s: %u sites, %u patched, %u init, %u unrouted, %u inline kept, crc %08x\n",
			  vmi_sites.release, vmi_sites.total,
			  vmi_sites.patched, vmi_sites.in_init,
			  vmi_sites.unrouted, vmi_sites.inline_kept,
			  vmi_sites.crc_before);
}

static ssize_t routing_show(struct kobject *k, struct kobj_attribute *a,
			    char *buf)
{
	if (vmi_shim.restore_failed)
		return sysfs_emit(buf, "restore failed: %s%s\n",
				  vmi_shim.restore_failed,
				  vmi_shim.restore_transient ?
				  " (transient: write off to retry)" : "");
	return sysfs_emit(buf, "%s\n", vmi_shim.routing ? "on" : "off");
}

/* "off": restore everything and, once proven, allow rmmod. */
static ssize_t routing_store(struct kobject *k, struct kobj_attribute *a,
			     const char *buf, size_t count)
{
	int err;

	if (!sysfs_streq(buf, "off"))
		return -EINVAL;
	err = vmi_release();
	return err ? err : count;
}

static ssize_t module_sites_show(struct kobject *k,
				 struct kobj_attribute *a, char *buf)
{
	if (!vmi_modsites.loaded)
		return sysfs_emit(buf, "none\n");
	return sysfs_emit(buf, "%u sites, %u patched in %u modules, %u unrouted, %u inline kept, %u modules gone\n",
			  vmi_modsites.total, vmi_modsites.patched,
			  vmi_modsites.modules, vmi_modsites.unrouted,
			  vmi_modsites.inline_kept, vmi_modsites.modules_gone);
}

static ssize_t pv_features_show(struct kobject *k, struct kobj_attribute *a,
				char *buf)
{
	return vmi_retro_show(buf);
}
#endif

static struct kobj_attribute vmi_attrs[] = {
	__ATTR_RO(version),
	__ATTR_RO(kernel_release),
	__ATTR_RO(built_for),
	__ATTR_RO(pv_ops_layout),
	__ATTR_RO(pv_info),
	__ATTR_RO(hypervisor),
	__ATTR_RO(kvm_base),
	__ATTR_RO(kvm_features),
	__ATTR_RO(kvm_hints),
	__ATTR_RO(kvm_feature_names),
	__ATTR_RO(patched),
	__ATTR_RO(rom_source),
	__ATTR_RO(rom_version),
	__ATTR_RO(rom_id),
	__ATTR_RO(rom_vendor),
	__ATTR_RO(rom_size),
	__ATTR_RO(rom_checksum),
#ifdef CONFIG_X86_64
	__ATTR_RO(mode),
	__ATTR_RO(ops_routed),
	__ATTR_RO_MODE(pv_ops_crc, 0400),	/* CRC of kernel pointers */
	__ATTR_RO(modules_bound),
	__ATTR_RO(sites_patched),
	__ATTR_RO_MODE(sites_summary, 0400),	/* CRC of kernel text */
	__ATTR_RO(module_sites),
	__ATTR_RO(pv_features),
	__ATTR(routing, 0644, routing_show, routing_store),
#endif
};

static struct attribute *vmi_attr_list[ARRAY_SIZE(vmi_attrs) + 1];

static const struct attribute_group vmi_attr_group = {
	.attrs = vmi_attr_list,
};

int vmi_sysfs_init(int (*release)(void))
{
	int i, err;

	vmi_release = release;
	for (i = 0; i < ARRAY_SIZE(vmi_attrs); i++)
		vmi_attr_list[i] = &vmi_attrs[i].attr;

	vmi_kobj = kobject_create_and_add("vmi_shim", kernel_kobj);
	if (!vmi_kobj)
		return -ENOMEM;
	err = sysfs_create_group(vmi_kobj, &vmi_attr_group);
	if (err)
		goto err_put;
	return 0;

err_put:
	kobject_put(vmi_kobj);
	vmi_kobj = NULL;
	return err;
}

void vmi_sysfs_exit(void)
{
	if (!vmi_kobj)
		return;
	sysfs_remove_group(vmi_kobj, &vmi_attr_group);
	kobject_put(vmi_kobj);
	vmi_kobj = NULL;
}
