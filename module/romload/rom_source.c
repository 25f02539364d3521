// SPDX-License-Identifier: GPL-2.0
/*
 * Finding a ROM: the platform's option-ROM area first (as VMI kernels did:
 * 0xC0000-0xDFFFF in 2 KiB steps; QEMU's -option-rom puts one there), then
 * a firmware file, then the copy built into the module. The first source
 * that has a VMI ROM is the one used: if it is defective the load is
 * refused rather than silently replaced by another source. The option-ROM
 * scan passes over a ROM for the other architecture (rom.h,
 * vmi_rom_arch_ok()): on x86-64 a VMI 3.0 i386 ROM, there for a 32-bit
 * client; on i386 the x86-64 one.
 *
 * Under integrity lockdown only authenticated ROMs run (trust.c): rom=auto
 * passes over an unsigned source (an option ROM always is) to the built-in
 * copy and says so; a forced source is refused.
 *
 * A swap has one more source: an image written to rom/image, held here
 * until the swap takes it. It needs no file system (a read-only
 * /lib/firmware, a file outside it) and is judged as the firmware
 * loader's sysfs fallback judges the firmware written to it: the LSMs
 * (LoadPin, IMA's firmware appraisal) are asked before the first byte
 * and shown the whole image at the swap; then, as for any firmware
 * file, its appended signature is checked, and under lockdown an
 * unsigned one is refused.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/firmware.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/security.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "romload/rom.h"
#include "romload/rom_area.h"
#include "romload/trust.h"

#define OPTION_ROM_START	0xc0000
#define OPTION_ROM_END		0xe0000
#define OPTION_ROM_STEP		2048

/*
 * Scan the legacy option-ROM window. The ISA range is in the kernel's
 * direct map; reads go through the nofault helpers like probe_roms() does,
 * since a hole there must not oops the kernel.
 */
static int rom_find_option(struct vmi_rom_image *img)
{
	unsigned long addr;

	for (addr = OPTION_ROM_START; addr < OPTION_ROM_END;
	     addr += OPTION_ROM_STEP) {
		const u8 *p = isa_bus_to_virt(addr);
		u16 sig, state;
		u32 vsig;
		u8 blocks;
		size_t len;
		void *copy;

		if (get_kernel_nofault(sig, (const u16 *)p) || sig != 0xaa55)
			continue;
		if (get_kernel_nofault(vsig, (const u32 *)(p + 8)) ||
		    vsig != VMI_SIGNATURE)
			continue;
		if (get_kernel_nofault(state,
				       (const u16 *)(p + VMI_OFF_STATE_SIZE)))
			continue;
		if (!vmi_rom_arch_ok(state)) {
			pr_info("option ROM at %#lx is %s, not for this kernel: skipped\n",
				addr, vmi_rom_arch_name(state));
			continue;
		}
		if (get_kernel_nofault(blocks, p + 2))
			continue;
		len = (size_t)blocks * VMI_ROM_BLOCK;
		if (!len || addr + len > OPTION_ROM_END) {
			pr_err("VMI ROM at %#lx claims %zu bytes, past the option-ROM area\n",
			       addr, len);
			return -EINVAL;
		}
		copy = kvmalloc(len, GFP_KERNEL);
		if (!copy)
			return -ENOMEM;
		if (copy_from_kernel_nofault(copy, p, len)) {
			kvfree(copy);
			pr_err("VMI ROM at %#lx cannot be read\n", addr);
			return -EIO;
		}
		img->data = copy;
		img->owned = copy;
		img->size = len;
		img->source = VMI_ROM_SRC_OPTION;
		snprintf(img->location, sizeof(img->location), "%#lx", addr);
		snprintf(img->where, sizeof(img->where), "option ROM at %#lx",
			 addr);
		/* Unauthenticated: under lockdown it is never used. */
		if (!vmi_trust_locked_down())
			return 0;
		pr_err("%s cannot carry a signature and the kernel is locked down: not used\n",
		       img->where);
		vmi_rom_image_free(img);
		return -ENOKEY;
	}
	return -ENOENT;
}

static int rom_find_firmware(const char *name, struct device *dev,
			     struct vmi_rom_image *img)
{
	const struct firmware *fw;
	int err;

	err = firmware_request_nowarn(&fw, name, dev);
	if (err)
		return err;
	img->data = fw->data;
	img->size = fw->size;
	img->fw = fw;
	img->source = VMI_ROM_SRC_FIRMWARE;
	strscpy(img->location, name, sizeof(img->location));
	snprintf(img->where, sizeof(img->where), "firmware %s", name);
	/* A signed file: what follows is the ROM without its signature. */
	err = vmi_trust_blob(img->where, img->data, &img->size);
	if (err)
		vmi_rom_image_free(img);
	return err;
}

/* Room for the largest ROM an area holds, and a signature after it. */
#define VMI_ROM_IMAGE_MAX	(2 * VMI_ROM_AREA_SIZE)

static DEFINE_MUTEX(rom_stage_lock);
static u8 *rom_stage;		/* VMI_ROM_IMAGE_MAX bytes, or NULL */
static size_t rom_stage_len;
static const struct file *rom_stage_file;	/* whose image it is */

/*
 * A write to rom/image through the open file @f. Offset 0 starts a new
 * image, if the LSMs allow data for the firmware loader from user space;
 * the rest must come through the same open file and follow on from where
 * the last write ended, so that two writers, or a seek, cannot leave a
 * patchwork for a swap to take. A write refused drops the image begun:
 * no swap takes a part. Nothing else is checked here: the swap validates
 * the image as it does any ROM.
 */
ssize_t vmi_rom_stage_write(const struct file *f, const char *buf,
			    loff_t off, size_t count)
{
	ssize_t ret = count;
	int err;

	mutex_lock(&rom_stage_lock);
	if (off < 0 || off > VMI_ROM_IMAGE_MAX ||
	    count > VMI_ROM_IMAGE_MAX - off) {
		ret = -EFBIG;
	} else if (!off) {
		err = vmi_lsm_firmware_load();
		if (err)
			ret = err;
		else if (!rom_stage)
			rom_stage = kvmalloc(VMI_ROM_IMAGE_MAX, GFP_KERNEL);
		if (ret > 0 && !rom_stage)
			ret = -ENOMEM;
	} else if (!rom_stage || f != rom_stage_file || off != rom_stage_len) {
		ret = -ESPIPE;	/* not the next part of this file's image */
	}
	if (ret > 0) {
		memcpy(rom_stage + off, buf, count);
		rom_stage_len = off + count;
		rom_stage_file = f;
	} else {
		rom_stage_len = 0;
		rom_stage_file = NULL;
	}
	mutex_unlock(&rom_stage_lock);
	return ret;
}

void vmi_rom_stage_free(void)
{
	mutex_lock(&rom_stage_lock);
	kvfree(rom_stage);
	rom_stage = NULL;
	rom_stage_len = 0;
	rom_stage_file = NULL;
	mutex_unlock(&rom_stage_lock);
}

/* The staged image becomes @img's: one swap takes it, good or bad. */
static int rom_find_image(struct vmi_rom_image *img)
{
	int err;

	mutex_lock(&rom_stage_lock);
	if (!rom_stage_len) {
		mutex_unlock(&rom_stage_lock);
		pr_err("rom/image is empty: write a ROM image to it first\n");
		return -ENOENT;
	}
	img->data = rom_stage;
	img->owned = rom_stage;
	img->size = rom_stage_len;
	rom_stage = NULL;
	rom_stage_len = 0;
	rom_stage_file = NULL;
	mutex_unlock(&rom_stage_lock);
	img->source = VMI_ROM_SRC_IMAGE;
	strscpy(img->location, "rom/image", sizeof(img->location));
	snprintf(img->where, sizeof(img->where), "image of %zu bytes in rom/image",
		 img->size);
	err = vmi_lsm_firmware_loaded(img->owned, img->size, "vmi-rom-image");
	if (err) {
		pr_err("%s: refused by the kernel's security policy (%d)\n",
		       img->where, err);
		vmi_rom_image_free(img);
		return err;
	}
	err = vmi_trust_blob(img->where, img->data, &img->size);
	if (err)
		vmi_rom_image_free(img);
	return err;
}

/* rom=auto goes on past a source that has no ROM, or an unsigned one. */
static bool rom_next_source(int err)
{
	if (err == -ENOKEY)
		pr_notice("rom=auto: the kernel is locked down, going on to the next source\n");
	return err == -ENOENT || err == -ENOKEY;
}

/*
 * @want: any source but NONE (IMAGE: a swap's). Returns 0 with @img
 * filled, -ENOENT when the forced source has no ROM, -ENOKEY when it is
 * not authenticated on a locked-down kernel, or another error.
 */
int vmi_rom_find(enum vmi_rom_source want, const char *fw_name,
		 struct device *dev, struct vmi_rom_image *img)
{
	bool any = want == VMI_ROM_SRC_AUTO;
	int err;

	memset(img, 0, sizeof(*img));
	if (want == VMI_ROM_SRC_IMAGE)
		return rom_find_image(img);
	if (any || want == VMI_ROM_SRC_OPTION) {
		err = rom_find_option(img);
		if (!any || !rom_next_source(err))
			return err;
	}
	if (any || want == VMI_ROM_SRC_FIRMWARE) {
		err = rom_find_firmware(fw_name, dev, img);
		if (!any || !rom_next_source(err))
			return err;
	}
	if (!any && want != VMI_ROM_SRC_BUILTIN)
		return -EINVAL;
	img->data = vmi_rom_builtin;
	img->size = vmi_rom_builtin_end - vmi_rom_builtin;
	img->source = VMI_ROM_SRC_BUILTIN;
	strscpy(img->location, KBUILD_MODNAME ".ko", sizeof(img->location));
	strscpy(img->where, "built into the module", sizeof(img->where));
	return 0;
}

void vmi_rom_image_free(struct vmi_rom_image *img)
{
	if (img->fw)
		release_firmware(img->fw);
	kvfree(img->owned);
	memset(img, 0, sizeof(*img));
}
