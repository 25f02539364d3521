// SPDX-License-Identifier: GPL-2.0
/*
 * Mutations of the real ROM, one per defect class (see mutants.h).  Unless
 * a test is about the checksum, it re-balances the checksum through a
 * reserved header byte (0x20) so the validator reaches the field under
 * test instead of stopping at the checksum.
 */
#include <string.h>

#include "../../include/vmi/abi.h"
#include "../../include/vmi/romcheck.h"
#include "mutants.h"

#define SLACK	0x20	/* reserved3[0]: not validated, absorbs checksums */

static uint16_t get16(const struct image *im, size_t off)
{
	return im->b[off] | im->b[off + 1] << 8;
}

static void put16(struct image *im, size_t off, uint16_t v)
{
	im->b[off] = v & 0xff;
	im->b[off + 1] = v >> 8;
}

static void put32(struct image *im, size_t off, uint32_t v)
{
	put16(im, off, v & 0xffff);
	put16(im, off + 2, v >> 16);
}

static void fix(struct image *im)
{
	uint8_t s = 0;
	size_t i;

	im->b[SLACK] = 0;
	for (i = 0; i < im->len; i++)
		s += im->b[i];
	im->b[SLACK] = -s;
}

static size_t pcir(const struct image *im)
{
	return get16(im, VMI_OFF_PCI_HEADER);
}

static size_t pnp(const struct image *im)
{
	return get16(im, VMI_OFF_PNP_HEADER);
}

/* Growing assumes im->cap has room (the loader leaves 2 blocks spare). */
static void grow(struct image *im, size_t n)
{
	memset(im->b + im->len, 0, n);
	im->len += n;
}

static void m_valid(struct image *im) { (void)im; }
static void m_empty(struct image *im) { im->len = 0; }
static void m_short_header(struct image *im) { im->len = VMI_HEADER_SIZE - 1; }
static void m_drop_block(struct image *im) { im->len -= VMI_ROM_BLOCK; }
static void m_drop_bytes(struct image *im) { im->len -= 100; }
static void m_aa55(struct image *im) { im->b[0] = 0x56; fix(im); }
static void m_cvmi(struct image *im) { im->b[VMI_OFF_VROM_SIGNATURE] = 'X'; fix(im); }
static void m_major2(struct image *im) { im->b[VMI_OFF_API_MAJOR] = 2; fix(im); }
static void m_major4(struct image *im) { im->b[VMI_OFF_API_MAJOR] = 4; fix(im); }
static void m_unaligned(struct image *im) { grow(im, 100); }
static void m_extra_block(struct image *im) { grow(im, VMI_ROM_BLOCK); }
static void m_length_small(struct image *im) { im->b[VMI_OFF_ROM_LENGTH]--; fix(im); }
static void m_length_zero(struct image *im) { im->b[VMI_OFF_ROM_LENGTH] = 0; fix(im); }
static void m_checksum(struct image *im) { im->b[im->len - 1]++; }
static void m_code_byte(struct image *im) { im->b[VMI_HEADER_SIZE + 200] ^= 0x40; }

static void m_license_zero(struct image *im) { put16(im, VMI_OFF_LICENSE, 0); fix(im); }
static void m_license_outside(struct image *im)
{
	put16(im, VMI_OFF_LICENSE, im->len);
	fix(im);
}

static void m_license_far(struct image *im) { put16(im, VMI_OFF_LICENSE, 0xffff); fix(im); }

static void m_license_unterminated(struct image *im)
{
	memcpy(im->b + im->len - 3, "GPL", 3);
	put16(im, VMI_OFF_LICENSE, im->len - 3);
	fix(im);
}

static void set_license(struct image *im, const char *s)
{
	size_t off = get16(im, VMI_OFF_LICENSE);

	memset(im->b + off, 0, 7);	/* "GPL v2" + NUL in the real image */
	memcpy(im->b + off, s, strlen(s));
	fix(im);
}

static void m_license_mit(struct image *im) { set_license(im, "MIT"); }
static void m_license_gpl3(struct image *im) { set_license(im, "GPL v3"); }
static void m_license_gplv2(struct image *im) { set_license(im, "GPLv2"); }
static void m_license_lower(struct image *im) { set_license(im, "gpl"); }
static void m_license_gpl(struct image *im) { set_license(im, "GPL"); }
static void m_license_empty(struct image *im) { set_license(im, ""); }

static void m_pci_zero(struct image *im) { put16(im, VMI_OFF_PCI_HEADER, 0); fix(im); }
static void m_pci_outside(struct image *im)
{
	put16(im, VMI_OFF_PCI_HEADER, im->len - VMI_PCIR_SIZE + 1);
	fix(im);
}

static void m_pci_sig(struct image *im) { im->b[pcir(im) + 3] = 'Q'; fix(im); }
static void m_pci_length(struct image *im)
{
	im->b[pcir(im) + VMI_PCIR_OFF_IMAGE_LEN]++;
	fix(im);
}

static void m_pnp_zero(struct image *im) { put16(im, VMI_OFF_PNP_HEADER, 0); fix(im); }
static void m_pnp_outside(struct image *im)
{
	put16(im, VMI_OFF_PNP_HEADER, im->len - 16);
	fix(im);
}

static void m_pnp_sig(struct image *im) { im->b[pnp(im)] = '#'; fix(im); }
static void m_mfr_outside(struct image *im)
{
	put16(im, pnp(im) + VMI_PNP_OFF_MFR, 0xfff0);
	fix(im);
}

static void m_mfr_unterminated(struct image *im)
{
	memset(im->b + im->len - 2, 'x', 2);
	put16(im, pnp(im) + VMI_PNP_OFF_MFR, im->len - 2);
	fix(im);
}

static void m_product_outside(struct image *im)
{
	put16(im, pnp(im) + VMI_PNP_OFF_PRODUCT, im->len);
	fix(im);
}

static void m_product_unterminated(struct image *im)
{
	memset(im->b + im->len - 1, 'x', 1);
	put16(im, pnp(im) + VMI_PNP_OFF_PRODUCT, im->len - 1);
	fix(im);
}

static void m_strings_none(struct image *im)
{
	put16(im, pnp(im) + VMI_PNP_OFF_MFR, 0);
	put16(im, pnp(im) + VMI_PNP_OFF_PRODUCT, 0);
	fix(im);
}

static void slot_bytes(struct image *im, size_t slot, const uint8_t *b)
{
	memcpy(im->b + slot, b, VMI_ENTRY_SLOT_SIZE);
	fix(im);
}

static void rel32(struct image *im, size_t slot, int64_t target)
{
	im->b[slot] = 0xe9;
	put32(im, slot + 1, (uint32_t)(target - (int64_t)slot - 5));
	fix(im);
}

static const uint8_t zeros[VMI_ENTRY_SLOT_SIZE];
static const uint8_t call_insn[VMI_ENTRY_SLOT_SIZE] = { 0xe8, 0x10, 0, 0, 0 };
static const uint8_t rel8_ok[VMI_ENTRY_SLOT_SIZE] = { 0xeb, 0x20 };
static const uint8_t rel8_back[VMI_ENTRY_SLOT_SIZE] = { 0xeb, 0x80 };

static void m_init_zero(struct image *im) { slot_bytes(im, VMI_OFF_INIT, zeros); }
static void m_init_call(struct image *im) { slot_bytes(im, VMI_OFF_INIT, call_insn); }
static void m_init_far(struct image *im) { rel32(im, VMI_OFF_INIT, 0x7fff0000); }
static void m_init_end(struct image *im) { rel32(im, VMI_OFF_INIT, im->len); }
static void m_init_header(struct image *im) { rel32(im, VMI_OFF_INIT, 0x10); }
static void m_init_negative(struct image *im) { rel32(im, VMI_OFF_INIT, -4096); }
static void m_init_rel8_back(struct image *im) { slot_bytes(im, VMI_OFF_INIT, rel8_back); }
static void m_init_rel8(struct image *im) { slot_bytes(im, VMI_OFF_INIT, rel8_ok); }
static void m_reloc_zero(struct image *im) { slot_bytes(im, VMI_OFF_GET_RELOC, zeros); }
static void m_reloc_far(struct image *im) { rel32(im, VMI_OFF_GET_RELOC, im->len + 4096); }
static void m_reloc_header(struct image *im) { rel32(im, VMI_OFF_GET_RELOC, 0); }

static void m_state_zero(struct image *im) { put16(im, VMI_OFF_STATE_SIZE, 0); fix(im); }
static void m_state_odd(struct image *im) { put16(im, VMI_OFF_STATE_SIZE, 100); fix(im); }
static void m_align_huge(struct image *im) { im->b[VMI_OFF_STATE_ALIGN] = 31; fix(im); }
static void m_align_tiny(struct image *im) { im->b[VMI_OFF_STATE_ALIGN] = 0; fix(im); }
static void m_percpu_huge(struct image *im) { im->b[VMI_OFF_STATE_PERCPU] = 40; fix(im); }

/* The return-site table (3.14): magic, thunk, count, sites. */
static uint32_t get32(const struct image *im, size_t off)
{
	return get16(im, off) | (uint32_t)get16(im, off + 2) << 16;
}

static size_t rtab(const struct image *im) { return get32(im, VMI_OFF_RET_SITES); }
static size_t rthunk(const struct image *im) { return get32(im, rtab(im) + 4); }
static size_t rcount(const struct image *im) { return get32(im, rtab(im) + 8); }
static size_t rsite_at(const struct image *im, size_t i)
{
	return rtab(im) + VMI_RET_SITES_HDR + 4 * i;
}

static size_t rsite(const struct image *im, size_t i)
{
	return get32(im, rsite_at(im, i));
}

static void set_site(struct image *im, size_t i, uint32_t v)
{
	put32(im, rsite_at(im, i), v);
	fix(im);
}

static void m_ret_none(struct image *im) { put32(im, VMI_OFF_RET_SITES, 0); fix(im); }
static void m_ret_old_minor(struct image *im)
{
	/* Before 3.14 the field is reserved: whatever it holds is ignored. */
	im->b[VMI_OFF_API_MINOR] = VMI_API_MINOR_RET_SITES - 1;
	put32(im, VMI_OFF_RET_SITES, 0xdeadbeef);
	fix(im);
}

static void m_ret_empty(struct image *im) { put32(im, rtab(im) + 8, 0); fix(im); }
static void m_ret_jcc(struct image *im)
{
	/*
	 * A site as "je rel32" to the thunk: one byte longer, so one whose
	 * next byte is neither a site nor the table.
	 */
	size_t i = 0, s;

	while (i + 1 < rcount(im) && rsite(im, i + 1) < rsite(im, i) + 6)
		i++;
	s = rsite(im, i);

	im->b[s] = 0x0f;
	im->b[s + 1] = 0x84;
	put32(im, s + 2, (uint32_t)(rthunk(im) - (s + 6)));
	fix(im);
}

static void m_ret_tab_outside(struct image *im) { put32(im, VMI_OFF_RET_SITES, im->len); fix(im); }
static void m_ret_tab_header(struct image *im) { put32(im, VMI_OFF_RET_SITES, 0x10); fix(im); }
static void m_ret_tab_magic(struct image *im) { im->b[rtab(im)]++; fix(im); }
static void m_ret_tab_count(struct image *im) { put32(im, rtab(im) + 8, 0x40000000); fix(im); }
static void m_ret_thunk_header(struct image *im) { put32(im, rtab(im) + 4, 0x10); fix(im); }
static void m_ret_thunk_nop(struct image *im) { im->b[rthunk(im)] = 0x90; fix(im); }
static void m_ret_thunk_table(struct image *im)
{
	put32(im, rtab(im) + 4, rtab(im) + 4);
	fix(im);
}

static void m_ret_site_outside(struct image *im)
{
	set_site(im, rcount(im) - 1, im->len + 64);
}

static void m_ret_site_thunk(struct image *im) { set_site(im, 0, rthunk(im)); }
static void m_ret_site_swap(struct image *im)
{
	uint32_t a = rsite(im, 0);

	put32(im, rsite_at(im, 0), rsite(im, 1));
	set_site(im, 1, a);
}

static void m_ret_site_dup(struct image *im) { set_site(im, 1, rsite(im, 0)); }
static void m_ret_site_slot(struct image *im) { set_site(im, 0, VMI_OFF_INIT); }
static void m_ret_site_table(struct image *im)
{
	set_site(im, rcount(im) - 1, rtab(im));
}

static void m_ret_site_target(struct image *im)
{
	size_t s = rsite(im, 0);

	put32(im, s + 1, get32(im, s + 1) + 1);
	fix(im);
}

const struct mutant mutants[] = {
	{ "valid", VMI_ROM_OK, m_valid },
	{ "license-gpl", VMI_ROM_OK, m_license_gpl },
	{ "pnp-no-strings", VMI_ROM_OK, m_strings_none },
	{ "init-rel8", VMI_ROM_OK, m_init_rel8 },
	{ "empty", VMI_ROM_ETRUNC_HEADER, m_empty },
	{ "truncated-header", VMI_ROM_ETRUNC_HEADER, m_short_header },
	{ "truncated-block", VMI_ROM_ETRUNC_LENGTH, m_drop_block },
	{ "truncated-bytes", VMI_ROM_ETRUNC_LENGTH, m_drop_bytes },
	{ "bad-aa55", VMI_ROM_EROM_SIGNATURE, m_aa55 },
	{ "bad-cvmi", VMI_ROM_EVMI_SIGNATURE, m_cvmi },
	{ "major-2", VMI_ROM_EMAJOR, m_major2 },
	{ "major-4", VMI_ROM_EMAJOR, m_major4 },
	{ "size-unaligned", VMI_ROM_ESIZE_ALIGN, m_unaligned },
	{ "extra-block", VMI_ROM_ELENGTH, m_extra_block },
	{ "rom-length-small", VMI_ROM_ELENGTH, m_length_small },
	{ "rom-length-zero", VMI_ROM_ELENGTH, m_length_zero },
	{ "bad-checksum", VMI_ROM_ECHECKSUM, m_checksum },
	{ "code-byte-flipped", VMI_ROM_ECHECKSUM, m_code_byte },
	{ "license-missing", VMI_ROM_ELICENSE_MISSING, m_license_zero },
	{ "license-outside", VMI_ROM_ELICENSE_RANGE, m_license_outside },
	{ "license-far", VMI_ROM_ELICENSE_RANGE, m_license_far },
	{ "license-unterminated", VMI_ROM_ELICENSE_UNTERMINATED, m_license_unterminated },
	{ "license-mit", VMI_ROM_ELICENSE_NOT_GPL, m_license_mit },
	{ "license-gpl-v3", VMI_ROM_ELICENSE_NOT_GPL, m_license_gpl3 },
	{ "license-gplv2", VMI_ROM_ELICENSE_NOT_GPL, m_license_gplv2 },
	{ "license-lowercase", VMI_ROM_ELICENSE_NOT_GPL, m_license_lower },
	{ "license-empty", VMI_ROM_ELICENSE_NOT_GPL, m_license_empty },
	{ "pci-missing", VMI_ROM_EPCI_MISSING, m_pci_zero },
	{ "pci-outside", VMI_ROM_EPCI_RANGE, m_pci_outside },
	{ "bad-pcir", VMI_ROM_EPCI_SIGNATURE, m_pci_sig },
	{ "pci-image-length", VMI_ROM_EPCI_IMAGE_LENGTH, m_pci_length },
	{ "pnp-missing", VMI_ROM_EPNP_MISSING, m_pnp_zero },
	{ "pnp-outside", VMI_ROM_EPNP_RANGE, m_pnp_outside },
	{ "bad-pnp", VMI_ROM_EPNP_SIGNATURE, m_pnp_sig },
	{ "manufacturer-outside", VMI_ROM_EMANUFACTURER, m_mfr_outside },
	{ "manufacturer-unterminated", VMI_ROM_EMANUFACTURER, m_mfr_unterminated },
	{ "product-outside", VMI_ROM_EPRODUCT, m_product_outside },
	{ "product-unterminated", VMI_ROM_EPRODUCT, m_product_unterminated },
	{ "init-not-jmp", VMI_ROM_EINIT_DECODE, m_init_zero },
	{ "init-call-not-jmp", VMI_ROM_EINIT_DECODE, m_init_call },
	{ "init-target-far", VMI_ROM_EINIT_TARGET, m_init_far },
	{ "init-target-end", VMI_ROM_EINIT_TARGET, m_init_end },
	{ "init-target-header", VMI_ROM_EINIT_TARGET, m_init_header },
	{ "init-target-negative", VMI_ROM_EINIT_TARGET, m_init_negative },
	{ "init-rel8-backwards", VMI_ROM_EINIT_TARGET, m_init_rel8_back },
	{ "reloc-not-jmp", VMI_ROM_ERELOC_DECODE, m_reloc_zero },
	{ "reloc-target-far", VMI_ROM_ERELOC_TARGET, m_reloc_far },
	{ "reloc-target-header", VMI_ROM_ERELOC_TARGET, m_reloc_header },
	{ "state-size-zero", VMI_ROM_ESTATE, m_state_zero },
	{ "state-size-unaligned", VMI_ROM_ESTATE, m_state_odd },
	{ "state-align-huge", VMI_ROM_ESTATE, m_align_huge },
	{ "state-align-tiny", VMI_ROM_ESTATE, m_align_tiny },
	{ "state-percpu-huge", VMI_ROM_ESTATE, m_percpu_huge },
	{ "ret-table-none", VMI_ROM_OK, m_ret_none },
	{ "ret-table-ignored-before-3.14", VMI_ROM_OK, m_ret_old_minor },
	{ "ret-table-empty", VMI_ROM_OK, m_ret_empty },
	{ "ret-site-jcc", VMI_ROM_OK, m_ret_jcc },
	{ "ret-table-outside", VMI_ROM_ERET_TABLE, m_ret_tab_outside },
	{ "ret-table-in-header", VMI_ROM_ERET_TABLE, m_ret_tab_header },
	{ "ret-table-bad-magic", VMI_ROM_ERET_TABLE, m_ret_tab_magic },
	{ "ret-table-count-huge", VMI_ROM_ERET_TABLE, m_ret_tab_count },
	{ "ret-thunk-in-header", VMI_ROM_ERET_THUNK, m_ret_thunk_header },
	{ "ret-thunk-not-ret", VMI_ROM_ERET_THUNK, m_ret_thunk_nop },
	{ "ret-thunk-in-table", VMI_ROM_ERET_THUNK, m_ret_thunk_table },
	{ "ret-site-outside", VMI_ROM_ERET_SITE, m_ret_site_outside },
	{ "ret-site-not-jmp", VMI_ROM_ERET_SITE, m_ret_site_thunk },
	{ "ret-site-unordered", VMI_ROM_ERET_SITE, m_ret_site_swap },
	{ "ret-site-duplicate", VMI_ROM_ERET_SITE, m_ret_site_dup },
	{ "ret-site-entry-slot", VMI_ROM_ERET_SITE, m_ret_site_slot },
	{ "ret-site-in-table", VMI_ROM_ERET_SITE, m_ret_site_table },
	{ "ret-site-wrong-target", VMI_ROM_ERET_SITE, m_ret_site_target },
};

const size_t nr_mutants = sizeof(mutants) / sizeof(mutants[0]);
