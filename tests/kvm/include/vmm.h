/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The VMM side's library (lib/vmm/): KVM itself, one VM per run of the
 * guest suite with NR_VCPUS vCPUs and the ROM in a read-only memslot, the
 * vCPU run loop, the port protocol (mbox.h) and the TAP output.  What the
 * test groups' VMM sides (vmm/) build on.
 */
#ifndef VMI_CONFORMANCE_VMM_H
#define VMI_CONFORMANCE_VMM_H

#include <linux/kvm.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "mbox.h"

struct vcpu {
	struct vm *vm;
	int id, fd;
	struct kvm_run *run;
	pthread_t th;
	volatile int stop;
};

struct vm {
	int fd;
	uint8_t *ram, *rom;
	size_t rom_map;
	uint64_t rom_gpa;
	int pv;
	uint32_t kvm_features;
	const char *label;
	struct mbox *mb;
	struct vcpu v[NR_VCPUS];
	volatile int done, aborted, tables;
	/* copied out for the cross-run checks */
	struct mbox result;
};

/*
 * A test group's VMM side: the parts of the protocol that are its own.
 * Any hook may be NULL.  The lib asks every group in vmm_groups[] order.
 */
struct vmm_group {
	/* fill in the group's mailbox fields of a new VM */
	void (*setup)(struct vm *vm);
	/* an event code of the group's: returns false if @ev is not one */
	bool (*event)(struct vcpu *v, uint32_t ev);
	/* an I/O exit to a port of the group's: returns false if not one */
	bool (*port_io)(struct vcpu *v);
	/* every vCPU thread of @vm has ended */
	void (*stopped)(struct vm *vm);
};

/* The groups with a VMM side, NULL-terminated (vmm/main.c). */
extern const struct vmm_group *const vmm_groups[];

/* ---- lib/vmm/report.c: TAP 13 on stdout, from any thread ------------- */
void report_header(void);
__attribute__((format(printf, 2, 3)))
int report_ok(int pass, const char *fmt, ...);
__attribute__((format(printf, 2, 3)))
void report_skip(const char *reason, const char *fmt, ...);
__attribute__((format(printf, 1, 2)))
void report_diag(const char *fmt, ...);
int report_finish(double secs);
__attribute__((format(printf, 1, 2), noreturn))
void die(const char *fmt, ...);

/* ---- lib/vmm/kvm.c: /dev/kvm and the host ---------------------------- */
extern int kvm_fd, ncpus_host;
void kvm_open(void);
struct kvm_cpuid2 *vcpu_cpuid(struct vm *vm, int id);
void pin_to_host_cpu(int cpu);

/* ---- lib/vmm/rom_image.c: the ROM file under test -------------------- */
extern uint8_t *rom_img;
extern size_t rom_len;
void rom_load(const char *path);

/* ---- lib/vmm/memory.c, vcpu.c, vm.c: one VM -------------------------- */
static inline void *g2h(struct vm *vm, uint64_t gpa)
{
	return vm->ram + gpa;
}

void vm_memory_create(struct vm *vm);
void vm_memory_destroy(struct vm *vm);
void vcpu_setup(struct vm *vm, int id, uint32_t *tsc_khz);
void vcpu_stop(struct vcpu *v);
void vm_stop_all(struct vm *vm);
int vm_run_suite(struct vm *vm, uint64_t rom_gpa, int pv, const char *label);

/* ---- lib/vmm/run.c: the vCPU threads --------------------------------- */
extern unsigned int run_timeout;
void run_signals_init(void);
int vm_run(struct vm *vm);
__attribute__((format(printf, 2, 3)))
void fail_run(struct vcpu *v, const char *fmt, ...);
void describe_rip(struct vm *vm, uint64_t rip, char *buf, size_t n);

/* ---- lib/vmm/ucall.c: the port protocol ------------------------------ */
void vcpu_handle_io(struct vcpu *v);

static inline double since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) + (t.tv_nsec - t0->tv_nsec) / 1e9;
}

#endif
