// SPDX-License-Identifier: GPL-2.0
/* In-process VMI ROM runner for host tools and tests (see probe.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "probe.h"

int vmi_probe_map(struct vmi_probe *p, const void *img, size_t len, void *hint)
{
	void *m;

	memset(p, 0, sizeof(*p));
	m = mmap(hint, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS |
		 (hint ? MAP_FIXED_NOREPLACE : 0), -1, 0);
	if (m == MAP_FAILED)
		return -errno;
	if (hint && m != hint) {
		munmap(m, len);
		return -EEXIST;
	}
	memcpy(m, img, len);
	/* From here on the ROM is what a kernel would make it: read-only. */
	if (mprotect(m, len, PROT_READ | PROT_EXEC)) {
		int err = -errno;

		munmap(m, len);
		return err;
	}
	p->base = m;
	p->len = len;
	p->ncalls = len > VMI_OFF_API_MINOR ?
		    vmi_calls_for_minor(p->base[VMI_OFF_API_MINOR]) : 0;
	return 0;
}

static uint16_t hdr16(const struct vmi_probe *p, size_t off)
{
	return p->base[off] | p->base[off + 1] << 8;
}

int vmi_probe_init(struct vmi_probe *p, const struct vmi_init_args *args,
		   unsigned int ncpus)
{
	size_t align = (size_t)1 << p->base[VMI_OFF_STATE_ALIGN];
	unsigned int percpu_log2 = p->base[VMI_OFF_STATE_PERCPU];
	size_t percpu = percpu_log2 ? (size_t)1 << percpu_log2 : 0;
	vmi_fn(INIT) init = (vmi_fn(INIT))(void *)(p->base + VMI_OFF_INIT);

	p->state_size = hdr16(p, VMI_OFF_STATE_SIZE) + ncpus * percpu;
	free(p->state);
	p->state = aligned_alloc(align, (p->state_size + align - 1) / align * align);
	if (!p->state)
		return -ENOMEM;
	/* Garbage, so a ROM that forgets to initialise something shows it. */
	memset(p->state, 0xa5, p->state_size);
	p->init_ret = init(p->state, p->state_size, args);
	return 0;
}

/* Keep count of what the ROM was asked (struct vmi_probe's asked). */
static void asked(struct vmi_probe *p, unsigned long call)
{
	if (call >= p->asked)
		p->asked = call == ~0UL ? call : call + 1;
}

struct vmi_relocation vmi_probe_reloc(struct vmi_probe *p, unsigned long call)
{
	vmi_fn(GET_RELOCATION_INFO) reloc =
		(vmi_fn(GET_RELOCATION_INFO))(void *)(p->base + VMI_OFF_GET_RELOC);

	asked(p, call);
	return reloc(p->state, call);
}

unsigned long vmi_probe_backend(struct vmi_probe *p, unsigned long call)
{
	struct vmi_relocation r;

	if (call >= p->ncalls || VMI_CALL_GET_BACKEND >= p->ncalls)
		return VMI_BACKEND_NONE;
	r = vmi_probe_reloc(p, VMI_CALL_GET_BACKEND);
	if (r.type != VMI_RELOCATION_CALL_REL || r.address < (uintptr_t)p->base ||
	    r.address >= (uintptr_t)p->base + p->len)
		return VMI_BACKEND_NONE;
	asked(p, call);
	return vmi_call(GET_BACKEND, (void *)(uintptr_t)r.address)(p->state, call);
}

void vmi_probe_unmap(struct vmi_probe *p)
{
	if (p->base)
		munmap(p->base, p->len);
	free(p->state);
	memset(p, 0, sizeof(*p));
}
