// SPDX-License-Identifier: GPL-2.0
/*
 * vmirom: inspect and validate VMI ROM images on the host.
 *
 *   vmirom check FILE              validate; "OK" and exit 0, or one
 *                                  message per defect class and exit 1
 *   vmirom info [--hypervisor] FILE
 *                                  header fields, then the relocation of
 *                                  every call the header's minor defines
 *                                  (docs/abi.md, "Versions"; no other
 *                                  number is asked) as the ROM itself
 *                                  reports it (run in-process).  By
 *                                  default VMI_Init
 *                                  gets VMI_INIT_NO_HYPERVISOR: the table
 *                                  a machine without KVM would see;
 *                                  --hypervisor lets it read this CPU's
 *                                  hypervisor leaves.
 * A ROM signed for locked-down kernels (docs/sysfs.md) is read without its
 * signature trailer, which is parsed (common/sigtrailer.c) but not
 * verified: the kernel does that against its keyrings.
 * Exit codes: 0 ok, 1 invalid image or failed probe, 2 usage or I/O error.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../include/vmi/abi.h"
#include "../../include/vmi/romcheck.h"
#include "../../include/vmi/sigtrailer.h"
#include "../../include/vmi/names.h"
#include "probe.h"

#define PROBE_CPUS	4	/* per-CPU slots given to the probe */

static const char *prog = "vmirom";

/* -h: to stdout, exit 0; a usage error: to stderr, exit 2 */
static void usage(int status)
{
	fprintf(status ? stderr : stdout, "usage: %s check FILE\n"
		"       %s info [--hypervisor] FILE\n", prog, prog);
	exit(status);
}

static uint8_t *read_file(const char *path, size_t *len)
{
	uint8_t *buf = NULL;
	size_t cap = 0, n = 0, got;
	FILE *f = fopen(path, "rb");

	if (!f) {
		fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
		exit(2);
	}
	do {
		if (n == cap) {
			cap = cap ? cap * 2 : 65536;
			buf = realloc(buf, cap);
			if (!buf) {
				fprintf(stderr, "%s: out of memory\n", prog);
				exit(2);
			}
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
	} while (got);
	if (ferror(f)) {
		fprintf(stderr, "%s: %s: read error\n", prog, path);
		exit(2);
	}
	fclose(f);
	*len = n;
	return buf;
}

/*
 * A ROM signed for locked-down kernels (docs/sysfs.md) ends in a signature
 * trailer: the ROM is what precedes it. Its size goes to *@sig_len (0 when
 * unsigned); a malformed trailer exits 1.
 */
static void strip_signature(const char *path, const uint8_t *img, size_t *len,
			    size_t *sig_len)
{
	size_t data_len;

	*sig_len = 0;
	switch (vmi_sig_split(img, *len, &data_len, sig_len)) {
	case VMI_SIG_NONE:
		return;
	case VMI_SIG_FOUND:
		*len = data_len;
		return;
	default:
		fprintf(stderr, "%s: %s: malformed appended signature\n", prog,
			path);
		exit(1);
	}
}

static int report_invalid(const char *path, int ret)
{
	fprintf(stderr, "%s: %s: invalid VMI ROM: %s (error %d)\n", prog, path,
		vmi_rom_strerror(ret), ret);
	return 1;
}

static int cmd_check(const char *path)
{
	size_t len, sig_len;
	uint8_t *img = read_file(path, &len);
	int ret;

	strip_signature(path, img, &len, &sig_len);
	ret = vmi_rom_check(img, len, NULL);

	free(img);
	if (ret)
		return report_invalid(path, ret);
	printf("OK\n");
	return 0;
}

static void print_header(const char *path, const struct vmi_rom_info *in)
{
	printf("file:          %s\n", path);
	printf("size:          %zu bytes (rom_length %u x 512)\n", in->size,
	       in->rom_length);
	printf("checksum:      byte 0x%02x, image sums to 0\n", in->checksum);
	printf("VMI version:   %u.%u\n", in->api_major, in->api_minor);
	printf("virtual_top:   0x%08" PRIx32 "\n", in->virtual_top);
	printf("license:       %s\n", in->license);
	printf("PCI:           %04x:%04x, ROM version %u.%u\n", in->pci_vendor,
	       in->pci_device, in->rom_version_major, in->rom_version_minor);
	printf("PnP:           device id 0x%08" PRIx32 "\n", in->pnp_device_id);
	printf("manufacturer:  %s\n", in->manufacturer ? in->manufacturer : "(none)");
	printf("product:       %s\n", in->product ? in->product : "(none)");
	printf("VMI_Init:      slot 0x%02x -> 0x%04" PRIx32 "\n", VMI_OFF_INIT,
	       in->init_target);
	printf("GetRelocationInfo: slot 0x%02x -> 0x%04" PRIx32 "\n",
	       VMI_OFF_GET_RELOC, in->reloc_target);
	if (in->state_size)
		printf("state block:   %" PRIu32 " bytes + %" PRIu32
		       " per CPU, aligned to %" PRIu32 "\n",
		       in->state_size, in->state_percpu, in->state_align);
	else
		printf("state block:   none (VMI 3.0 image: the i386 ROM)\n");
	if (in->ret_sites_offs)
		printf("return sites:  %" PRIu32 " (table at 0x%04" PRIx32
		       "), thunk at 0x%04" PRIx32 "\n", in->ret_sites,
		       in->ret_sites_offs, in->ret_thunk);
	else
		printf("return sites:  none (plain ret)\n");
}

/*
 * The version negotiation (docs/abi.md, "Versions"): which calls the
 * header's minor defines, and so which numbers vmirom asks for.
 */
static void print_versions(const struct vmi_rom_info *in)
{
	unsigned int n = vmi_calls_for_minor(in->api_minor);

	printf("calls:         0-%u, those VMI %u.%u defines", n - 1,
	       in->api_major, in->api_minor);
	if (in->api_minor > VMI_API_MINOR)
		printf(" (rom %u.%u, using %u.%u: vmirom knows no later call)",
		       in->api_major, in->api_minor, VMI_API_MAJOR,
		       VMI_API_MINOR);
	else if (n == VMI_CALL_COUNT - 1)
		printf("; %u came later: not asked", n);
	else if (n < VMI_CALL_COUNT)
		printf("; %u-%u came later: not asked", n, VMI_CALL_COUNT - 1);
	printf("\n");
}

static int print_relocations(struct vmi_probe *p, int hypervisor)
{
	unsigned long call;
	struct vmi_relocation r;
	int bad = 0;

	printf("relocations:   in-process probe, %s, VMI_Init returned %" PRId64 "\n",
	       hypervisor ? "this CPU's hypervisor leaves" : "no hypervisor",
	       p->init_ret);
	printf("  %3s  %-20s %-9s %-8s %s\n", "nr", "call", "type", "offset",
	       "backend");
	for (call = 0; call < p->ncalls; call++) {
		r = vmi_probe_reloc(p, call);
		printf("  %3lu  %-20s %-9s ", call, vmi_call_name(call),
		       vmi_relocation_name(r.type));
		if (r.type == VMI_RELOCATION_NONE) {
			printf("%-8s ", "-");
		} else if (r.address >= (uintptr_t)p->base &&
			   r.address < (uintptr_t)p->base + p->len) {
			printf("0x%04lx   ", (unsigned long)(r.address -
						     (uintptr_t)p->base));
		} else {
			printf("%-8s ", "OUTSIDE");
			bad = 1;
		}
		if (p->ncalls > VMI_CALL_GET_BACKEND)
			printf("%s\n", vmi_backend_name(vmi_probe_backend(p, call)));
		else
			printf("-\n");	/* before 3.9: no GetBackend */
	}
	/* What the probe saw: the ROM was asked for nothing else. */
	if (p->asked)
		printf("asked:         GetRelocationInfo%s for 0-%lu only\n",
		       p->ncalls > VMI_CALL_GET_BACKEND ? " and GetBackend" : "",
		       p->asked - 1);
	return bad;
}

static int cmd_info(const char *path, int hypervisor)
{
	struct vmi_init_args args = { .size = sizeof(args) };
	struct vmi_rom_info info;
	struct vmi_probe probe;
	size_t len, sig_len;
	uint8_t *img = read_file(path, &len);
	int ret;

	strip_signature(path, img, &len, &sig_len);
	ret = vmi_rom_check(img, len, &info);

	/* Never execute an image the validator refused. */
	if (ret) {
		free(img);
		return report_invalid(path, ret);
	}
	print_header(path, &info);
	print_versions(&info);
	if (sig_len)
		printf("signature:     PKCS#7, %zu bytes appended (the kernel checks it; docs/sysfs.md)\n",
		       sig_len);

	/*
	 * A state-less image is the i386 ROM: 32-bit code in VMI 3.0's own
	 * convention, which this x86-64 probe must not run (tests/host's
	 * test_rom32 runs it, -m32).
	 */
	if (!info.state_size) {
		printf("relocations:   not probed: 32-bit code in the i386 "
		       "convention (docs/abi.md, \"i386\")\n");
		free(img);
		return 0;
	}
	ret = vmi_probe_map(&probe, img, len, NULL);
	if (!ret) {
		if (!hypervisor)
			args.flags = VMI_INIT_NO_HYPERVISOR;
		ret = vmi_probe_init(&probe, &args, PROBE_CPUS);
	}
	if (ret) {
		fprintf(stderr, "%s: cannot run the ROM: %s\n", prog, strerror(-ret));
		free(img);
		return 2;
	}
	ret = print_relocations(&probe, hypervisor);
	if (probe.init_ret)
		ret = 1;
	vmi_probe_unmap(&probe);
	free(img);
	return ret;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "hypervisor", no_argument, NULL, 'H' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *cmd = argc > 1 ? argv[1] : "";
	int info = !strcmp(cmd, "info"), hypervisor = 0, c;

	if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help"))
		usage(0);
	if (!info && strcmp(cmd, "check"))
		usage(2);
	/*
	 * The command's options follow its name; only info has one. getopt's
	 * messages begin with argv[0]: "vmirom", as all others do.
	 */
	argv[0] = (char *)prog;
	optind = 2;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c != 'H' || !info)
			usage(c == 'h' ? 0 : 2);
		hypervisor = 1;
	}
	if (optind != argc - 1)
		usage(2);
	return info ? cmd_info(argv[optind], hypervisor) :
		      cmd_check(argv[optind]);
}
