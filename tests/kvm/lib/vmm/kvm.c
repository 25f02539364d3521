// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/kvm and the host: the capabilities the harness needs, the CPUID
 * KVM supports (the base of every vCPU's CPUID) and where threads run.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "vmm.h"

int kvm_fd, ncpus_host;
static struct kvm_cpuid2 *supported;

void kvm_open(void)
{
	int nent = 256;

	ncpus_host = (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (ncpus_host < 1)
		ncpus_host = 1;
	kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm_fd < 0)
		die("open /dev/kvm");
	if (ioctl(kvm_fd, KVM_GET_API_VERSION, 0) != KVM_API_VERSION)
		die("KVM API version");
	if (ioctl(kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_IRQCHIP) <= 0 ||
	    ioctl(kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_READONLY_MEM) <= 0)
		die("KVM lacks IRQCHIP or READONLY_MEM");
	for (;;) {
		supported = calloc(1, sizeof(*supported) +
				   nent * sizeof(supported->entries[0]));
		supported->nent = nent;
		if (!ioctl(kvm_fd, KVM_GET_SUPPORTED_CPUID, supported))
			break;
		if (errno != E2BIG)
			die("KVM_GET_SUPPORTED_CPUID");
		free(supported);
		nent *= 2;
	}
}

/*
 * vCPU @id's CPUID: what KVM supports, with its APIC ID, the hypervisor
 * bit, and the KVM PV leaves only if @vm exposes them (vm->pv).  Notes
 * the KVM features offered in vm->kvm_features.  The caller frees it.
 */
struct kvm_cpuid2 *vcpu_cpuid(struct vm *vm, int id)
{
	struct kvm_cpuid2 *c;
	uint32_t i, n = 0;

	c = calloc(1, sizeof(*c) + supported->nent * sizeof(c->entries[0]));
	if (!c)
		die("calloc");
	for (i = 0; i < supported->nent; i++) {
		struct kvm_cpuid_entry2 e = supported->entries[i];

		if (e.function >= 0x40000000 && e.function < 0x50000000) {
			if (!vm->pv)
				continue;	/* the fallback run: no KVM leaves */
			if (e.function == 0x40000001)
				vm->kvm_features = e.eax;
		}
		if (e.function == 1) {
			e.ebx = (e.ebx & 0x00ffffff) | (uint32_t)id << 24;
			e.ecx |= 1U << 31;	/* hypervisor present */
		}
		if (e.function == 0xb || e.function == 0x1f)
			e.edx = id;
		c->entries[n++] = e;
	}
	c->nent = n;
	return c;
}

/* Run the calling thread on host CPU @cpu (modulo the host's count). */
void pin_to_host_cpu(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu % ncpus_host, &set);
	pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}
