/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Validator for VMI ROM images, shared by the kernel module and the
 * userspace tools (common/romcheck.c).  It never reads outside
 * [img, img + len) and allocates nothing, so it can be fed untrusted data.
 */
#ifndef VMI_ROMCHECK_H
#define VMI_ROMCHECK_H

#include "abi.h"
#include "types.h"

/* One code per defect class, in the order vmi_rom_check() tests them. */
enum vmi_rom_error {
	VMI_ROM_OK = 0,
	VMI_ROM_ETRUNC_HEADER = -1,	/* shorter than the VMI header */
	VMI_ROM_EROM_SIGNATURE = -2,	/* no 0xAA55 */
	VMI_ROM_EVMI_SIGNATURE = -3,	/* no "cVmi" */
	VMI_ROM_EMAJOR = -4,		/* api_version_maj != 3 */
	VMI_ROM_ETRUNC_LENGTH = -5,	/* shorter than rom_length * 512 */
	VMI_ROM_ESIZE_ALIGN = -6,	/* size not a multiple of 512 */
	VMI_ROM_ELENGTH = -7,		/* rom_length * 512 != size */
	VMI_ROM_ECHECKSUM = -8,		/* 8-bit sum of the image != 0 */
	VMI_ROM_ELICENSE_MISSING = -9,
	VMI_ROM_ELICENSE_RANGE = -10,
	VMI_ROM_ELICENSE_UNTERMINATED = -11,
	VMI_ROM_ELICENSE_NOT_GPL = -12,
	VMI_ROM_EPCI_MISSING = -13,
	VMI_ROM_EPCI_RANGE = -14,
	VMI_ROM_EPCI_SIGNATURE = -15,
	VMI_ROM_EPCI_IMAGE_LENGTH = -16,
	VMI_ROM_EPNP_MISSING = -17,
	VMI_ROM_EPNP_RANGE = -18,
	VMI_ROM_EPNP_SIGNATURE = -19,
	VMI_ROM_EMANUFACTURER = -20,	/* string outside or unterminated */
	VMI_ROM_EPRODUCT = -21,		/* string outside or unterminated */
	VMI_ROM_EINIT_DECODE = -22,	/* VMI_Init slot is not a jmp */
	VMI_ROM_EINIT_TARGET = -23,	/* VMI_Init jumps outside the code */
	VMI_ROM_ERELOC_DECODE = -24,
	VMI_ROM_ERELOC_TARGET = -25,
	VMI_ROM_ESTATE = -26,		/* state block size/alignment */
	/* 3.14's return-site table (only checked for minor >= 14) */
	VMI_ROM_ERET_TABLE = -27,	/* outside, bad magic, too many entries */
	VMI_ROM_ERET_THUNK = -28,	/* thunk not "ret; int3" before the table */
	VMI_ROM_ERET_SITE = -29,	/* a site that is not a jmp/jcc rel32 to it */
};

#define VMI_ROM_ERROR_LAST	VMI_ROM_ERET_SITE

/* Upper bounds the validator accepts for the state block. */
#define VMI_ROM_STATE_MAX_ALIGN_LOG2	12
#define VMI_ROM_STATE_MIN_ALIGN_LOG2	3
#define VMI_ROM_STATE_MAX_PERCPU_LOG2	12

struct vmi_rom_info {
	size_t size;
	uint8_t api_major;
	uint8_t api_minor;
	uint8_t rom_length;
	uint8_t checksum;		/* the stored checksum byte: last byte */
	uint32_t virtual_top;
	uint16_t pci_vendor;
	uint16_t pci_device;
	uint8_t rom_version_major;
	uint8_t rom_version_minor;
	uint32_t pnp_device_id;
	/* Pointers into the image, NUL-terminated inside it, or NULL. */
	const char *license;
	const char *manufacturer;
	const char *product;
	uint32_t init_target;		/* offset VMI_Init jumps to */
	uint32_t reloc_target;		/* offset GetRelocationInfo jumps to */
	uint32_t state_size;		/* fixed part, bytes */
	uint32_t state_align;		/* bytes */
	uint32_t state_percpu;		/* bytes per CPU slot, 0 = none */
	/* Return-site table (3.14), all 0 when there is none. */
	uint32_t ret_sites_offs;	/* offset of the table */
	uint32_t ret_thunk;		/* offset of the ROM's "ret; int3" */
	uint32_t ret_sites;		/* number of sites */
};

/*
 * Length of the return site at @off of an image vmi_rom_check() accepted
 * with a return-site table: 5 (jmp rel32) or 6 (jcc rel32); its rel32 is
 * the last 4 bytes.
 */
static inline unsigned int vmi_rom_ret_site_len(const uint8_t *img,
						uint32_t off)
{
	return img[off] == 0xe9 ? 5 : 6;
}

/* Offset of return site @i of a validated image with a table. */
static inline uint32_t vmi_rom_ret_site(const uint8_t *img,
					const struct vmi_rom_info *info,
					uint32_t i)
{
	const uint8_t *p = img + info->ret_sites_offs + VMI_RET_SITES_HDR + 4 * i;

	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/*
 * Validate @len bytes at @img.  Returns VMI_ROM_OK or a negative
 * enum vmi_rom_error.  @out (may be NULL) is filled with what was decoded
 * before the first failed check.
 */
int vmi_rom_check(const void *img, size_t len, struct vmi_rom_info *out);

/* One message per error code, never NULL. */
const char *vmi_rom_strerror(int code);

#endif /* VMI_ROMCHECK_H */
