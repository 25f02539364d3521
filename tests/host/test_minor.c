// SPDX-License-Identifier: GPL-2.0
/*
 * Version negotiation (docs/abi.md, "Versions"), the rule and the ROMs.
 *
 * The rule, vmi_calls_for_minor() (include/vmi/calls.h), which the ROM,
 * the module and vmirom share: for every minor, the calls it gives are
 * exactly those whose minor in the table is at most that minor, numbers
 * 0 to n - 1, and n is what docs/abi.md's numbering says.
 *
 * The ROMs (make rom VMI_ROM_MINOR=n): each ROM:MINOR argument is a ROM
 * built for MINOR. Its header says 3.MINOR; run in-process, without a
 * hypervisor and with this machine's hypervisor leaves (on a KVM guest
 * the newest ROM then answers appended calls), GetRelocationInfo (and
 * GetBackend, where the ROM has it) answers NONE for every number the
 * minor does not define, and for the numbers it does, the relocation
 * type the newest ROM (NEWEST) gives;
 * VMI_Init refuses VMI_INIT_IDLE_VERW before 3.14 and takes it from then
 * on; the return-site table is there from 3.14 on only.
 *
 * A ROM:MINOR whose MINOR is past VMI_API_MINOR is a future ROM (make rom
 * VMI_ROM_FUTURE=m): its header says 3.MINOR, calls 0..VMI_CALL_COUNT - 1
 * answer as the newest ROM's do, and the two numbers past them answer
 * CALL_REL (GetBackend: rom) at an entry that is ENDBR64 then UD2, so that
 * a caller that asked for them and called one would fault; none after.
 *
 *   test_minor NEWEST [ROM:MINOR...]
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../include/vmi/abi.h"
#include "../../include/vmi/romcheck.h"
#include "../../include/vmi/names.h"
#include "../../tools/vmirom/probe.h"
#include "../lib/tap.h"

#define PAST	(VMI_CALL_COUNT + 16)	/* numbers asked of a ROM under test */

/* Each call's minor, straight from the table. */
static const unsigned int call_minor[VMI_CALL_COUNT] = {
#define VMI_X(nr, id, name, minor, ret, params) [nr] = (minor),
	VMI_CALLS(VMI_X)
#undef VMI_X
};

/* docs/abi.md: 3.0 is 74 calls, 3.n (n = 1..13) adds call 73 + n, 3.14 none, 3.15 call 87. */
static unsigned int documented(unsigned int m)
{
	if (m == 0)
		return 74;
	if (m <= 13)
		return 74 + m;
	if (m == 14)
		return 87;
	return 88;
}

static void test_rule(void)
{
	unsigned int m, c, n;
	int ok = 1, doc = 1;

	for (m = 0; m <= VMI_API_MINOR + 5; m++) {
		n = vmi_calls_for_minor(m);
		for (c = 0; c < VMI_CALL_COUNT; c++) {
			if ((c < n) != (call_minor[c] <= m)) {
				tap_diag("3.%u: %u calls, but %s (%u) has minor %u",
					 m, n, vmi_call_name(c), c, call_minor[c]);
				ok = 0;
			}
		}
		if (n != documented(m)) {
			tap_diag("3.%u: %u calls, docs/abi.md says %u", m, n,
				 documented(m));
			doc = 0;
		}
	}
	tap_ok(ok, "vmi_calls_for_minor(m), m = 0..%u: exactly the calls whose minor is <= m, numbers 0..n-1",
	       VMI_API_MINOR + 5);
	tap_ok(doc, "vmi_calls_for_minor(): 74 at 3.0, 74 + m to 3.13, 87 at 3.14, 88 from 3.15 (docs/abi.md)");
	tap_ok(vmi_calls_for_minor(VMI_API_MINOR) == VMI_CALL_COUNT &&
	       vmi_calls_for_minor(255) == VMI_CALL_COUNT &&
	       vmi_calls_for_minor(0) == VMI_CALL_COUNT_3_0,
	       "a minor newer than the table gives every call the table knows");
}

struct rom {
	uint8_t *img;
	size_t len;
	struct vmi_rom_info info;
	struct vmi_probe p;
};

/* Load, validate, map and VMI_Init (no hypervisor) @path; 0 or -1. */
static int rom_open(struct rom *r, const char *path, uint32_t flags)
{
	struct vmi_init_args a = { .size = sizeof(a), .flags = flags };
	FILE *f = fopen(path, "rb");

	memset(r, 0, sizeof(*r));
	if (!f) {
		perror(path);
		return -1;
	}
	r->img = malloc(256 * VMI_ROM_BLOCK);
	if (!r->img) {
		fclose(f);
		return -1;
	}
	r->len = fread(r->img, 1, 256 * VMI_ROM_BLOCK, f);
	fclose(f);
	if (vmi_rom_check(r->img, r->len, &r->info) ||
	    vmi_probe_map(&r->p, r->img, r->len, NULL) ||
	    vmi_probe_init(&r->p, &a, 4)) {
		tap_diag("%s: does not validate or map", path);
		return -1;
	}
	return 0;
}

static void rom_close(struct rom *r)
{
	vmi_probe_unmap(&r->p);
	free(r->img);
}

/*
 * ROM @path built for 3.@m against the newest, both initialised with
 * @flags: no hypervisor, or this machine's hypervisor leaves (where a
 * KVM host makes the newest ROM answer appended calls: then the older
 * one must not, past its minor).
 */
static void test_answers(struct rom *newest, const char *path, unsigned int m,
			 uint32_t flags)
{
	const char *how = flags & VMI_INIT_NO_HYPERVISOR ? "no hypervisor" :
			  "this machine's hypervisor leaves";
	unsigned int n = vmi_calls_for_minor(m), offered = 0, used = 0;
	unsigned long c;
	struct rom r;
	int none = 1, same = 1;

	if (rom_open(&r, path, flags) || r.p.init_ret) {
		tap_ok(0, "3.%u: %s validates and initialises (%s)", m, path, how);
		rom_close(&r);
		return;
	}
	/* This test asks past the calls on purpose: the ROM's own answer. */
	for (c = n; c < PAST; c++) {
		struct vmi_relocation rel = vmi_probe_reloc(&r.p, c);
		struct vmi_relocation gb = vmi_probe_reloc(&r.p, VMI_CALL_GET_BACKEND);
		uint64_t b = VMI_BACKEND_NONE;

		if (c < VMI_CALL_COUNT &&
		    vmi_probe_reloc(&newest->p, c).type != VMI_RELOCATION_NONE)
			offered++;
		if (gb.type == VMI_RELOCATION_CALL_REL)
			b = vmi_call(GET_BACKEND, (void *)(uintptr_t)gb.address)(r.p.state, c);
		if (rel.type != VMI_RELOCATION_NONE || rel.address ||
		    b != VMI_BACKEND_NONE) {
			tap_diag("3.%u: call %lu answers %s, backend %s", m, c,
				 vmi_relocation_name(rel.type),
				 vmi_backend_name(b));
			none = 0;
		}
	}
	tap_ok(none, "3.%u, %s: NONE for %u..%u from GetRelocationInfo%s (the newest ROM answers %u of them)",
	       m, how, n, PAST - 1,
	       n > VMI_CALL_GET_BACKEND ? " and GetBackend" : "", offered);
	for (c = 0; c < n; c++) {
		unsigned long want = vmi_probe_reloc(&newest->p, c).type;
		unsigned long got = vmi_probe_reloc(&r.p, c).type;

		used += c >= VMI_CALL_COUNT_3_0 && got != VMI_RELOCATION_NONE;
		if (got != want) {
			tap_diag("3.%u: %s (%lu) answers %s, the newest ROM %s",
				 m, vmi_call_name(c), c, vmi_relocation_name(got),
				 vmi_relocation_name(want));
			same = 0;
		}
	}
	tap_ok(same, "3.%u, %s: calls 0..%u answer as the newest ROM's do (%u appended ones answered)",
	       m, how, n - 1, used);
	rom_close(&r);
}

static void test_rom(struct rom *newest, struct rom *newest_hv,
		     const char *path, unsigned int m)
{
	struct rom r, v;
	int verw;

	if (rom_open(&r, path, VMI_INIT_NO_HYPERVISOR) || r.p.init_ret) {
		tap_ok(0, "3.%u: %s validates and initialises", m, path);
		rom_close(&r);
		return;
	}
	tap_ok(r.info.api_major == 3 && r.info.api_minor == m,
	       "3.%u: the header says %u.%u", m, r.info.api_major,
	       r.info.api_minor);
	test_answers(newest, path, m, VMI_INIT_NO_HYPERVISOR);
	test_answers(newest_hv, path, m, 0);
	verw = !rom_open(&v, path, VMI_INIT_NO_HYPERVISOR | VMI_INIT_IDLE_VERW);
	tap_ok(verw && v.p.init_ret == (m < VMI_API_MINOR_RET_SITES ? VMI_INIT_EARGS : 0),
	       "3.%u: VMI_Init %s VMI_INIT_IDLE_VERW (returned %lld)", m,
	       m < VMI_API_MINOR_RET_SITES ? "refuses" : "takes",
	       verw ? (long long)v.p.init_ret : 99LL);
	rom_close(&v);
	tap_ok(m < VMI_API_MINOR_RET_SITES ? !r.info.ret_sites_offs :
	       r.info.ret_sites > 0,
	       "3.%u: return-site table %s (%u sites)", m,
	       m < VMI_API_MINOR_RET_SITES ? "absent" : "present",
	       r.info.ret_sites);
	rom_close(&r);
}

/* A future ROM (make rom VMI_ROM_FUTURE=m), run without a hypervisor. */
static void test_future(struct rom *newest, const char *path, unsigned int m)
{
	static const uint8_t entry[] = { 0xf3, 0x0f, 0x1e, 0xfa, 0x0f, 0x0b };
	struct vmi_relocation gb;
	unsigned long c;
	struct rom r;
	int same = 1, extra = 1, none = 1;

	if (rom_open(&r, path, VMI_INIT_NO_HYPERVISOR) || r.p.init_ret) {
		tap_ok(0, "3.%u: %s validates and initialises", m, path);
		rom_close(&r);
		return;
	}
	tap_ok(r.info.api_major == 3 && r.info.api_minor == m,
	       "future 3.%u: the header says %u.%u", m, r.info.api_major,
	       r.info.api_minor);
	for (c = 0; c < VMI_CALL_COUNT; c++) {
		unsigned long want = vmi_probe_reloc(&newest->p, c).type;
		unsigned long got = vmi_probe_reloc(&r.p, c).type;

		if (got != want) {
			tap_diag("3.%u: %s (%lu) answers %s, the newest ROM %s",
				 m, vmi_call_name(c), c, vmi_relocation_name(got),
				 vmi_relocation_name(want));
			same = 0;
		}
	}
	tap_ok(same, "future 3.%u: calls 0..%u answer as the newest ROM's do",
	       m, VMI_CALL_COUNT - 1);
	gb = vmi_probe_reloc(&r.p, VMI_CALL_GET_BACKEND);
	/* This test asks past the calls on purpose: the ROM's own answer. */
	for (c = VMI_CALL_COUNT; c < VMI_CALL_COUNT + 2; c++) {
		struct vmi_relocation rel = vmi_probe_reloc(&r.p, c);
		const uint8_t *a = (const uint8_t *)(uintptr_t)rel.address;
		uint64_t b = VMI_BACKEND_NONE;

		if (gb.type == VMI_RELOCATION_CALL_REL)
			b = vmi_call(GET_BACKEND, (void *)(uintptr_t)gb.address)(r.p.state, c);
		if (rel.type != VMI_RELOCATION_CALL_REL ||
		    a < r.p.base || a + sizeof(entry) > r.p.base + r.p.len ||
		    memcmp(a, entry, sizeof(entry)) || b != VMI_BACKEND_ROM) {
			tap_diag("3.%u: call %lu answers %s, backend %s", m, c,
				 vmi_relocation_name(rel.type),
				 vmi_backend_name(b));
			extra = 0;
		}
	}
	tap_ok(extra, "future 3.%u: calls %u and %u answer CALL_REL (backend rom), an entry that traps",
	       m, VMI_CALL_COUNT, VMI_CALL_COUNT + 1);
	for (c = VMI_CALL_COUNT + 2; c < PAST; c++) {
		if (vmi_probe_reloc(&r.p, c).type != VMI_RELOCATION_NONE) {
			tap_diag("3.%u: call %lu answers", m, c);
			none = 0;
		}
	}
	tap_ok(none, "future 3.%u: NONE for %u..%u", m, VMI_CALL_COUNT + 2,
	       PAST - 1);
	rom_close(&r);
}

int main(int argc, char **argv)
{
	struct rom newest, newest_hv;
	int i;

	if (argc < 2) {
		fprintf(stderr, "usage: %s NEWEST [ROM:MINOR...]\n", argv[0]);
		return 2;
	}
	tap_header();
	test_rule();
	if (rom_open(&newest, argv[1], VMI_INIT_NO_HYPERVISOR) ||
	    rom_open(&newest_hv, argv[1], 0) ||
	    newest.info.api_minor != VMI_API_MINOR) {
		tap_ok(0, "the newest ROM %s validates and says 3.%u", argv[1],
		       VMI_API_MINOR);
		return 1;
	}
	for (i = 2; i < argc; i++) {
		char *colon = strrchr(argv[i], ':');

		if (!colon) {
			tap_ok(0, "argument %s is ROM:MINOR", argv[i]);
			continue;
		}
		*colon = 0;
		if ((unsigned int)atoi(colon + 1) > VMI_API_MINOR)
			test_future(&newest, argv[i],
				    (unsigned int)atoi(colon + 1));
		else
			test_rom(&newest, &newest_hv, argv[i],
				 (unsigned int)atoi(colon + 1));
	}
	rom_close(&newest);
	rom_close(&newest_hv);
	return tap_failed;
}
