/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VMI_SHIM_ROM_H
#define VMI_SHIM_ROM_H

#include <linux/mutex.h>
#include <linux/types.h>
#include <vmi/abi.h>
#include <vmi/romcheck.h>

struct device;

/*
 * Where a ROM image came from. AUTO and NONE only ask (rom=); IMAGE is a
 * swap's only.
 */
enum vmi_rom_source {
	VMI_ROM_SRC_OPTION,	/* the platform's option-ROM area */
	VMI_ROM_SRC_FIRMWARE,	/* request_firmware() */
	VMI_ROM_SRC_BUILTIN,	/* the copy linked into the module */
	VMI_ROM_SRC_AUTO,	/* the first of those three that has one */
	VMI_ROM_SRC_NONE,
	VMI_ROM_SRC_IMAGE,	/* written to rom/image: a swap's source only */
};

/*
 * Their names: sysfs's rom/source, and up to "none" the values of rom=
 * (an image is written after the load).
 */
extern const char * const vmi_rom_sources[VMI_ROM_SRC_IMAGE + 1];

/* A candidate image, copied out of wherever it was found. */
struct vmi_rom_image {
	const u8 *data;
	size_t size;
	enum vmi_rom_source source;
	char where[64];		/* "option ROM at 0xc9000", "firmware vmi-rom.bin" */
	char location[48];	/* "0xc9000", "vmi-rom.bin", "vmi_shim.ko" */
	void *owned;		/* freed by vmi_rom_image_free() */
	const void *fw;		/* struct firmware, released likewise */
};

struct vmi_rom_call {
	void *addr;		/* inside the ROM's area, NULL for NONE */
	u8 type;		/* VMI_RELOCATION_* */
	u8 backend;		/* VMI_BACKEND_* */
};

/* The installed ROM. */
struct vmi_rom {
	struct vmi_rom_info info;	/* pointers refer to the installed copy */
	enum vmi_rom_source source;
	char location[48];
	unsigned int slot;		/* which area it lives in (rom_area.S) */
	u8 *area;
	size_t size;
	void *state;
	size_t state_size;
	struct vmi_rom_call calls[VMI_CALL_COUNT];
	bool installed;
	/* GetBackend answered for every call (VMI 3.9 on, x86-64 only). */
	bool backends_known;
	/* The kernel's return thunk the ROM's return sites now jump to. */
	void *ret_thunk;
	/*
	 * The kernel clears CPU buffers before HLT (VMI_INIT_IDLE_VERW) and
	 * this ROM is too old to be told so (VMI < 3.14).
	 */
	bool idle_verw_missing;
};

/*
 * The image for this kernel's architecture: an x86-64 kernel runs the
 * ROM with a state block (docs/abi.md sections 1-8), an i386 kernel VMI
 * 3.0's i386 image (section 9), which has none. The header's state size
 * tells them apart: the validator accepts a zero one at minor 0 only, and
 * VMI 3.0 ROMs of other makers leave those bytes 0 (reserved).
 */
static inline bool vmi_rom_arch_ok(u32 state_size)
{
	return IS_ENABLED(CONFIG_X86_64) == (state_size != 0);
}

static inline const char *vmi_rom_arch_name(u32 state_size)
{
	return state_size ? "an x86-64 ROM" : "a VMI 3.0 i386 ROM";
}

/* The ROM the shim installed (installed == false: none). */
extern struct vmi_rom vmi_rom;
/*
 * Held by a live swap while it replaces vmi_rom, and by readers that sleep
 * (sysfs): what the ROM's info points into is wiped once it is retired.
 */
extern struct mutex vmi_rom_lock;

int vmi_rom_find(enum vmi_rom_source want, const char *fw_name,
		 struct device *dev, struct vmi_rom_image *img);
void vmi_rom_image_free(struct vmi_rom_image *img);

/*
 * rom/image: the bytes of a ROM written from user space, held until a
 * swap to "image" takes them (or the module goes).
 */
ssize_t vmi_rom_stage_write(const struct file *f, const char *buf,
			    loff_t off, size_t count);
void vmi_rom_stage_free(void);

int vmi_rom_install(const struct vmi_rom_image *img, u32 init_flags,
		    struct vmi_rom *rom, unsigned int slot);
void vmi_rom_remove(struct vmi_rom *rom);
u8 *vmi_rom_slot_area(unsigned int slot);
/* "rom-too-old: ..." if the installed ROM's minor predates @call, or NULL. */
const char *vmi_rom_too_old(unsigned int call);
const char *vmi_rom_too_old_in(const struct vmi_rom *rom, unsigned int call);
void *vmi_kernel_return_thunk(void);

/* The ROM linked into the module (rom_builtin.S). */
extern const u8 vmi_rom_builtin[];
extern const u8 vmi_rom_builtin_end[];

#endif /* VMI_SHIM_ROM_H */
