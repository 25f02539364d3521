// SPDX-License-Identifier: GPL-2.0
/*
 * VMI ROM image validator.  Compiled into the kernel module and into the
 * userspace tools, so it uses neither libc beyond <string.h> nor any
 * allocation.  The module runs it on untrusted images: every read is
 * bounds-checked against @len first, offsets are compared as
 * "off > len || len - off < need" so nothing can overflow.
 */
#ifdef __KERNEL__
#include <linux/string.h>
#else
#include <string.h>
#endif

#include "../include/vmi/abi.h"
#include "../include/vmi/romcheck.h"

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) |
	       ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

/* True when [off, off + need) lies inside an image of @len bytes. */
static int in_image(size_t len, size_t off, size_t need)
{
	return off <= len && len - off >= need;
}

/* The NUL-terminated string at @off, or NULL if it leaves the image. */
static const char *string_at(const uint8_t *img, size_t len, size_t off)
{
	if (off >= len || !memchr(img + off, 0, len - off))
		return NULL;
	return (const char *)img + off;
}

/*
 * Decode the 8-byte entry slot at @slot: "jmp rel32" (e9) or "jmp rel8"
 * (eb).  Returns 1 and the target offset, or 0 if it is neither.
 */
static int decode_jump(const uint8_t *img, size_t slot, int64_t *target)
{
	const uint8_t *p = img + slot;
	int64_t rel;

	if (p[0] == 0xE9) {
		rel = get32(p + 1);
		if (rel >= 0x80000000LL)
			rel -= 0x100000000LL;
		*target = (int64_t)slot + 5 + rel;
		return 1;
	}
	if (p[0] == 0xEB) {
		rel = p[1] < 0x80 ? p[1] : p[1] - 0x100;
		*target = (int64_t)slot + 2 + rel;
		return 1;
	}
	return 0;
}

/* Jump targets must land in the code after the header. */
static int check_entry(const uint8_t *img, size_t len, size_t slot,
		       uint32_t *out_target, int edecode, int etarget)
{
	int64_t target;

	if (!decode_jump(img, slot, &target))
		return edecode;
	if (target < VMI_HEADER_SIZE || (uint64_t)target >= len)
		return etarget;
	*out_target = (uint32_t)target;
	return VMI_ROM_OK;
}

static int check_layout(const uint8_t *img, size_t len,
			struct vmi_rom_info *info)
{
	size_t declared;
	uint8_t sum = 0;
	size_t i;

	if (len < VMI_HEADER_SIZE)
		return VMI_ROM_ETRUNC_HEADER;
	if (get16(img + VMI_OFF_ROM_SIGNATURE) != VMI_ROM_SIGNATURE)
		return VMI_ROM_EROM_SIGNATURE;
	if (get32(img + VMI_OFF_VROM_SIGNATURE) != VMI_SIGNATURE)
		return VMI_ROM_EVMI_SIGNATURE;
	info->api_major = img[VMI_OFF_API_MAJOR];
	info->api_minor = img[VMI_OFF_API_MINOR];
	if (info->api_major != VMI_API_MAJOR)
		return VMI_ROM_EMAJOR;

	info->rom_length = img[VMI_OFF_ROM_LENGTH];
	declared = (size_t)info->rom_length * VMI_ROM_BLOCK;
	if (len < declared)
		return VMI_ROM_ETRUNC_LENGTH;
	if (len % VMI_ROM_BLOCK)
		return VMI_ROM_ESIZE_ALIGN;
	if (len != declared)
		return VMI_ROM_ELENGTH;

	for (i = 0; i < len; i++)
		sum += img[i];
	info->checksum = img[len - 1];
	if (sum)
		return VMI_ROM_ECHECKSUM;
	info->virtual_top = get32(img + VMI_OFF_VIRTUAL_TOP);
	return VMI_ROM_OK;
}

static int check_license(const uint8_t *img, size_t len,
			 struct vmi_rom_info *info)
{
	size_t off = get16(img + VMI_OFF_LICENSE);
	const char *s;
	size_t n;

	if (!off)
		return VMI_ROM_ELICENSE_MISSING;
	if (off >= len)
		return VMI_ROM_ELICENSE_RANGE;
	s = string_at(img, len, off);
	if (!s)
		return VMI_ROM_ELICENSE_UNTERMINATED;
	/* Exactly what a VMI kernel accepted: "GPL" or "GPL v2". */
	n = strlen(s);
	if (!((n == 3 && !memcmp(s, "GPL", 3)) ||
	      (n == 6 && !memcmp(s, "GPL v2", 6))))
		return VMI_ROM_ELICENSE_NOT_GPL;
	info->license = s;
	return VMI_ROM_OK;
}

static int check_pci(const uint8_t *img, size_t len, struct vmi_rom_info *info)
{
	size_t off = get16(img + VMI_OFF_PCI_HEADER);
	const uint8_t *p;

	if (!off)
		return VMI_ROM_EPCI_MISSING;
	if (!in_image(len, off, VMI_PCIR_SIZE))
		return VMI_ROM_EPCI_RANGE;
	p = img + off;
	if (get32(p) != VMI_PCIR_SIGNATURE)
		return VMI_ROM_EPCI_SIGNATURE;
	info->pci_vendor = get16(p + VMI_PCIR_OFF_VENDOR);
	info->pci_device = get16(p + VMI_PCIR_OFF_DEVICE);
	info->rom_version_minor = p[VMI_PCIR_OFF_ROM_MIN];
	info->rom_version_major = p[VMI_PCIR_OFF_ROM_MAJ];
	if (get16(p + VMI_PCIR_OFF_IMAGE_LEN) != info->rom_length)
		return VMI_ROM_EPCI_IMAGE_LENGTH;
	return VMI_ROM_OK;
}

static int check_pnp(const uint8_t *img, size_t len, struct vmi_rom_info *info)
{
	size_t off = get16(img + VMI_OFF_PNP_HEADER);
	const uint8_t *p;
	size_t s;

	if (!off)
		return VMI_ROM_EPNP_MISSING;
	if (!in_image(len, off, VMI_PNP_SIZE))
		return VMI_ROM_EPNP_RANGE;
	p = img + off;
	if (get32(p) != VMI_PNP_SIGNATURE)
		return VMI_ROM_EPNP_SIGNATURE;
	info->pnp_device_id = get32(p + VMI_PNP_OFF_DEVICE_ID);

	/* Offset 0 means "no string" in the PnP spec. */
	s = get16(p + VMI_PNP_OFF_MFR);
	if (s) {
		info->manufacturer = string_at(img, len, s);
		if (!info->manufacturer)
			return VMI_ROM_EMANUFACTURER;
	}
	s = get16(p + VMI_PNP_OFF_PRODUCT);
	if (s) {
		info->product = string_at(img, len, s);
		if (!info->product)
			return VMI_ROM_EPRODUCT;
	}
	return VMI_ROM_OK;
}

/*
 * The state block's needs at 0x1C.  An image of API minor 0 implements VMI
 * 3.0 only, whose clients give the ROM no memory (the i386 ROM): there,
 * the three fields may all be 0, "no state block".  Every image of a later
 * minor (the x86-64 ROM: its appended calls take the state first) must
 * ask for one, and any non-zero field is checked the same for both.
 */
static int check_state(const uint8_t *img, struct vmi_rom_info *info)
{
	uint32_t size = get16(img + VMI_OFF_STATE_SIZE);
	uint32_t align = img[VMI_OFF_STATE_ALIGN];
	uint32_t percpu = img[VMI_OFF_STATE_PERCPU];

	if (info->api_minor == 0 && !size && !align && !percpu)
		return VMI_ROM_OK;	/* stateless: all of info's state 0 */

	if (align < VMI_ROM_STATE_MIN_ALIGN_LOG2 ||
	    align > VMI_ROM_STATE_MAX_ALIGN_LOG2)
		return VMI_ROM_ESTATE;
	/* Per-CPU slots follow the fixed part and keep its alignment. */
	if (percpu && (percpu < align || percpu > VMI_ROM_STATE_MAX_PERCPU_LOG2))
		return VMI_ROM_ESTATE;
	if (!size || size & ((1U << align) - 1))
		return VMI_ROM_ESTATE;
	info->state_size = size;
	info->state_align = 1U << align;
	info->state_percpu = percpu ? 1U << percpu : 0;
	return VMI_ROM_OK;
}

/*
 * The return-site table (3.14): a caller patches every site it lists, so
 * each must be exactly a rel32 jmp/jcc to the ROM's "ret; int3" thunk,
 * and nothing it lists may overlap anything else it lists, the header or
 * the table: sites in increasing order, all between the header and the
 * table (mkrom puts the table after the code).
 */
static int check_ret_sites(const uint8_t *img, size_t len,
			   struct vmi_rom_info *info)
{
	size_t off = get32(img + VMI_OFF_RET_SITES);
	size_t thunk, count, i, site, next = VMI_HEADER_SIZE;
	const uint8_t *p;

	if (info->api_minor < VMI_API_MINOR_RET_SITES || !off)
		return VMI_ROM_OK;	/* reserved before 3.14; 0: no table */
	if (off < VMI_HEADER_SIZE || !in_image(len, off, VMI_RET_SITES_HDR))
		return VMI_ROM_ERET_TABLE;
	p = img + off;
	thunk = get32(p + 4);
	count = get32(p + 8);
	if (get32(p) != VMI_RET_SITES_MAGIC ||
	    count > (len - off - VMI_RET_SITES_HDR) / 4)
		return VMI_ROM_ERET_TABLE;
	if (thunk < VMI_HEADER_SIZE || thunk > off || off - thunk < 2 ||
	    img[thunk] != 0xc3 || img[thunk + 1] != 0xcc)
		return VMI_ROM_ERET_THUNK;

	for (i = 0; i < count; i++) {
		size_t n;
		int64_t target;

		site = get32(p + VMI_RET_SITES_HDR + 4 * i);
		/* In order, after the previous one, inside [header, table). */
		if (site < next || site >= off)
			return VMI_ROM_ERET_SITE;
		if (img[site] == 0xe9)
			n = 5;
		else if (img[site] == 0x0f && off - site >= 2 &&
			 (img[site + 1] & 0xf0) == 0x80)
			n = 6;
		else
			return VMI_ROM_ERET_SITE;
		if (off - site < n)
			return VMI_ROM_ERET_SITE;
		target = (int64_t)(site + n) + (int32_t)get32(img + site + n - 4);
		if (target != (int64_t)thunk)
			return VMI_ROM_ERET_SITE;
		/* Patching the site must not change the thunk itself. */
		if (site < thunk + 2 && thunk < site + n)
			return VMI_ROM_ERET_SITE;
		next = site + n;
	}
	info->ret_sites_offs = (uint32_t)off;
	info->ret_thunk = (uint32_t)thunk;
	info->ret_sites = (uint32_t)count;
	return VMI_ROM_OK;
}

int vmi_rom_check(const void *image, size_t len, struct vmi_rom_info *out)
{
	const uint8_t *img = image;
	struct vmi_rom_info info;
	int ret;

	memset(&info, 0, sizeof(info));
	info.size = len;

	ret = check_layout(img, len, &info);
	if (!ret)
		ret = check_license(img, len, &info);
	if (!ret)
		ret = check_pci(img, len, &info);
	if (!ret)
		ret = check_pnp(img, len, &info);
	if (!ret)
		ret = check_entry(img, len, VMI_OFF_INIT, &info.init_target,
				  VMI_ROM_EINIT_DECODE, VMI_ROM_EINIT_TARGET);
	if (!ret)
		ret = check_entry(img, len, VMI_OFF_GET_RELOC,
				  &info.reloc_target, VMI_ROM_ERELOC_DECODE,
				  VMI_ROM_ERELOC_TARGET);
	if (!ret)
		ret = check_state(img, &info);
	if (!ret)
		ret = check_ret_sites(img, len, &info);

	if (out)
		*out = info;
	return ret;
}

static const char * const vmi_rom_messages[] = {
	[0] = "OK",
	[-VMI_ROM_ETRUNC_HEADER] = "image truncated: shorter than the 144-byte VMI header",
	[-VMI_ROM_EROM_SIGNATURE] = "bad option ROM signature (expected 0xAA55 at offset 0)",
	[-VMI_ROM_EVMI_SIGNATURE] = "bad VMI signature (expected \"cVmi\" at offset 8)",
	[-VMI_ROM_EMAJOR] = "unsupported VMI major version (expected 3)",
	[-VMI_ROM_ETRUNC_LENGTH] = "image truncated: shorter than rom_length * 512",
	[-VMI_ROM_ESIZE_ALIGN] = "image size is not a multiple of 512",
	[-VMI_ROM_ELENGTH] = "rom_length does not match the image size",
	[-VMI_ROM_ECHECKSUM] = "bad checksum: 8-bit sum of the image is not 0",
	[-VMI_ROM_ELICENSE_MISSING] = "license string missing (offset 0)",
	[-VMI_ROM_ELICENSE_RANGE] = "license string offset outside the image",
	[-VMI_ROM_ELICENSE_UNTERMINATED] = "license string not NUL-terminated inside the image",
	[-VMI_ROM_ELICENSE_NOT_GPL] = "license is not \"GPL\" or \"GPL v2\"",
	[-VMI_ROM_EPCI_MISSING] = "PCI data structure missing (offset 0)",
	[-VMI_ROM_EPCI_RANGE] = "PCI data structure outside the image",
	[-VMI_ROM_EPCI_SIGNATURE] = "bad PCI data structure signature (expected \"PCIR\")",
	[-VMI_ROM_EPCI_IMAGE_LENGTH] = "PCI image length does not match rom_length",
	[-VMI_ROM_EPNP_MISSING] = "PnP expansion header missing (offset 0)",
	[-VMI_ROM_EPNP_RANGE] = "PnP expansion header outside the image",
	[-VMI_ROM_EPNP_SIGNATURE] = "bad PnP expansion header signature (expected \"$PnP\")",
	[-VMI_ROM_EMANUFACTURER] = "PnP manufacturer string outside the image or unterminated",
	[-VMI_ROM_EPRODUCT] = "PnP product string outside the image or unterminated",
	[-VMI_ROM_EINIT_DECODE] = "VMI_Init entry slot (0x80) is not a jmp",
	[-VMI_ROM_EINIT_TARGET] = "VMI_Init entry jumps outside the image code",
	[-VMI_ROM_ERELOC_DECODE] = "GetRelocationInfo entry slot (0x88) is not a jmp",
	[-VMI_ROM_ERELOC_TARGET] = "GetRelocationInfo entry jumps outside the image code",
	[-VMI_ROM_ESTATE] = "unreasonable state block size or alignment",
	[-VMI_ROM_ERET_TABLE] = "return-site table outside the image, bad signature or too many entries",
	[-VMI_ROM_ERET_THUNK] = "return thunk is not \"ret; int3\" between the header and the return-site table",
	[-VMI_ROM_ERET_SITE] = "return site out of order, outside the code, or not a jmp/jcc rel32 to the return thunk",
};

const char *vmi_rom_strerror(int code)
{
	if (code > 0 || code < VMI_ROM_ERROR_LAST)
		return "unknown VMI ROM error";
	return vmi_rom_messages[-code];
}
