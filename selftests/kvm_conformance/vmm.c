// SPDX-License-Identifier: GPL-2.0
/*
 * vmi_conformance [-t SECONDS] [-r pv|nopv|all] ROM
 *
 * KVM conformance harness for the VMI ROM.  A small VMM: for every run it
 * creates a VM with an in-kernel irqchip and two vCPUs, starts both in
 * 64-bit mode (identity page tables, GDT, TSS, CR0/CR4/EFER set here),
 * copies the ROM into a read-only memslot and runs guest.c, which calls
 * VMI_Init, GetRelocationInfo and every implemented call at CPL0 and
 * reports each result through the mailbox page and an OUT to PORT_EVENT.
 *
 * Runs: KVM PV CPUID leaves exposed (from KVM_GET_SUPPORTED_CPUID) with the
 * ROM at two addresses, then the same with the leaves hidden (the native
 * fallback).  Afterwards the relocation tables are compared across the
 * copies.  Flat TAP 13 on stdout; exit 1 if anything failed.  Each run is
 * bounded by alarm(): a hung guest fails that run instead of the job.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <asm/kvm_para.h>
#include <linux/kvm.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "vmi/abi.h"
#include "../lib/tap.h"
#include "shared.h"

extern const uint8_t guest_bin[], guest_bin_end[];

#define ROM_A		0x00800000ULL		/* 8 MiB, below 4 GiB */
#define ROM_B		0x123450000ULL		/* above 4 GiB, odd 64 KiB */
#define STEAL_BUDGET_MS	3000
#define NR_SPINNERS	2

/* TAP: selftests/lib/tap.h (thread-safe: results come from vCPU threads). */

static void die(const char *fmt, ...)
{
	va_list ap;

	printf("Bail out! ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(" (%s)\n", strerror(errno));
	exit(2);
}

/* ---- globals --------------------------------------------------------------- */

static int kvm_fd, ncpus_host;
static struct kvm_cpuid2 *supported;
static uint8_t *rom_img;
static size_t rom_len;
static unsigned int run_timeout = 45;	/* 4 runs fit a 300 s job */

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
	/* steal-time load */
	pthread_t spinner[NR_SPINNERS];
	volatile int spin;
	int spinners;
	struct timespec steal_t0;
	uint64_t steal_s0;
	/* copied out for the cross-run checks */
	struct mbox result;
};

static struct vm *volatile cur_vm;
static volatile sig_atomic_t timed_out;

static void *g2h(struct vm *vm, uint64_t gpa)
{
	return vm->ram + gpa;
}

static double since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) + (t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* ---- stopping vCPUs -------------------------------------------------------- */

static void vcpu_stop(struct vcpu *v)
{
	v->stop = 1;
	if (v->run)
		v->run->immediate_exit = 1;
	if (v->th)
		pthread_kill(v->th, SIGUSR1);
}

static void vm_stop_all(struct vm *vm)
{
	int i;

	for (i = 0; i < NR_VCPUS; i++)
		vcpu_stop(&vm->v[i]);
}

static void on_sigusr1(int sig)
{
	(void)sig;
}

static void on_alarm(int sig)
{
	static const char msg[] = "Bail out! vCPU threads did not stop after the run timeout\n";
	struct vm *vm = cur_vm;

	(void)sig;
	if (timed_out) {	/* the vCPUs ignored the first alarm */
		if (write(1, msg, sizeof(msg) - 1) < 0)
			_exit(3);
		_exit(3);
	}
	timed_out = 1;
	if (vm)
		vm_stop_all(vm);
	alarm(10);
}

/* ---- steal-time load -------------------------------------------------------- */

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu % ncpus_host, &set);
	pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

static void *spinner(void *arg)
{
	struct vm *vm = arg;

	pin(0);			/* where vCPU0's thread runs */
	while (vm->spin)
		;
	return NULL;
}

static void steal_start(struct vm *vm)
{
	int i;

	vm->spin = 1;
	vm->spinners = 0;
	vm->steal_s0 = vm->mb->steal_now;
	clock_gettime(CLOCK_MONOTONIC, &vm->steal_t0);
	for (i = 0; i < NR_SPINNERS; i++)
		if (!pthread_create(&vm->spinner[i], NULL, spinner, vm))
			vm->spinners++;
}

static void steal_end(struct vm *vm)
{
	int i;

	vm->spin = 0;
	for (i = 0; i < vm->spinners; i++)
		pthread_join(vm->spinner[i], NULL);
	vm->spinners = 0;
}

/* ---- exits ----------------------------------------------------------------- */

static void describe_rip(struct vm *vm, uint64_t rip, char *buf, size_t n)
{
	if (rip >= vm->rom_gpa && rip < vm->rom_gpa + rom_len)
		snprintf(buf, n, "0x%llx (ROM+0x%llx)", (unsigned long long)rip,
			 (unsigned long long)(rip - vm->rom_gpa));
	else
		snprintf(buf, n, "0x%llx", (unsigned long long)rip);
}

static void fail_run(struct vcpu *v, const char *fmt, ...)
{
	struct vm *vm = v->vm;
	char what[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	tap_ok(0, "%s: %s: vCPU%d %s", vm->label, vm->mb->cur, v->id, what);
	vm->aborted = 1;
	vm_stop_all(vm);
}

static void handle_event(struct vcpu *v, uint32_t ev)
{
	struct vm *vm = v->vm;
	struct mbox *mb = vm->mb;
	char rip[64];

	switch (ev) {
	case EV_RESULT:
		mb->msg[sizeof(mb->msg) - 1] = 0;
		if (mb->status == ST_SKIP)
			tap_skip(mb->msg, "%s: %s", vm->label, mb->cur);
		else
			tap_ok(mb->status == ST_PASS, "%s: %s", vm->label, mb->msg);
		break;
	case EV_DIAG:
		mb->msg[sizeof(mb->msg) - 1] = 0;
		tap_diag("%s: %s", vm->label, mb->msg);
		break;
	case EV_TABLES:
		vm->tables = 1;
		break;
	case EV_DONE:
		vm->done = 1;
		break;
	case EV_EXCEPTION:
		describe_rip(vm, mb->exc_rip, rip, sizeof(rip));
		fail_run(v, "took exception %u (error 0x%llx) at %s, cr2 0x%llx",
			 mb->exc_vector, (unsigned long long)mb->exc_error, rip,
			 (unsigned long long)mb->exc_cr2);
		break;
	case EV_STEAL_START:
		steal_start(vm);
		break;
	case EV_STEAL_POLL:
		if (mb->steal_now > vm->steal_s0 ||
		    since(&vm->steal_t0) * 1000 > mb->steal_budget_ms)
			mb->steal_stop = 1;
		break;
	case EV_STEAL_END:
		steal_end(vm);
		tap_diag("%s: host load next to vCPU0 for %.2fs", vm->label,
		     since(&vm->steal_t0));
		break;
	default:
		fail_run(v, "sent unknown event %u", ev);
	}
}

static void handle_io(struct vcpu *v)
{
	struct kvm_run *run = v->run;
	struct mbox *mb = v->vm->mb;
	uint8_t *data = (uint8_t *)run + run->io.data_offset;
	uint32_t i, val;

	if (run->io.port == PORT_EVENT && run->io.direction == KVM_EXIT_IO_OUT &&
	    run->io.size == 4 && run->io.count == 1) {
		memcpy(&val, data, 4);
		handle_event(v, val);
		return;
	}
	if (run->io.port == PORT_TEST) {
		for (i = 0; i < run->io.count; i++, data += run->io.size) {
			if (run->io.direction == KVM_EXIT_IO_OUT) {
				val = 0;
				memcpy(&val, data, run->io.size);
				if (mb->io_count < 16) {
					mb->io_size[mb->io_count] = run->io.size;
					mb->io_val[mb->io_count] = val;
				}
				mb->io_count++;
			} else {
				memcpy(data, (const void *)&mb->io_in, run->io.size);
			}
		}
		return;
	}
	if (run->io.port == 0x80)	/* IODelay's native form */
		return;
	tap_diag("%s: vCPU%d: unexpected I/O port 0x%x (%s, size %u)", v->vm->label,
	     v->id, run->io.port, run->io.direction == KVM_EXIT_IO_OUT ? "out" : "in",
	     run->io.size);
	if (run->io.direction == KVM_EXIT_IO_IN)
		memset(data, 0xff, (size_t)run->io.size * run->io.count);
}

static void *vcpu_thread(void *arg)
{
	struct vcpu *v = arg;
	struct vm *vm = v->vm;
	struct kvm_regs regs;
	char rip[64];

	pin(v->id);
	while (!v->stop && !vm->done) {
		if (ioctl(v->fd, KVM_RUN, 0) < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			fail_run(v, "KVM_RUN failed: %s", strerror(errno));
			break;
		}
		switch (v->run->exit_reason) {
		case KVM_EXIT_IO:
			handle_io(v);
			break;
		case KVM_EXIT_MMIO:
			if (v->run->mmio.phys_addr >= vm->rom_gpa &&
			    v->run->mmio.phys_addr < vm->rom_gpa + vm->rom_map) {
				fail_run(v, "%s the read-only ROM at ROM+0x%llx",
					 v->run->mmio.is_write ? "wrote to" : "read",
					 (unsigned long long)(v->run->mmio.phys_addr - vm->rom_gpa));
				break;
			}
			tap_diag("%s: vCPU%d: unexpected MMIO %s 0x%llx", vm->label, v->id,
			     v->run->mmio.is_write ? "write" : "read",
			     (unsigned long long)v->run->mmio.phys_addr);
			if (!v->run->mmio.is_write)
				memset(v->run->mmio.data, 0xff, sizeof(v->run->mmio.data));
			break;
		case KVM_EXIT_INTR:
			break;
		case KVM_EXIT_SHUTDOWN:
			ioctl(v->fd, KVM_GET_REGS, &regs);
			describe_rip(vm, regs.rip, rip, sizeof(rip));
			fail_run(v, "shut down (triple fault) at %s", rip);
			break;
		case KVM_EXIT_HLT:
			fail_run(v, "halted in userspace although the irqchip is in the kernel");
			break;
		case KVM_EXIT_FAIL_ENTRY:
			fail_run(v, "failed entry, reason 0x%llx",
				 (unsigned long long)v->run->fail_entry.hardware_entry_failure_reason);
			break;
		case KVM_EXIT_INTERNAL_ERROR:
			fail_run(v, "KVM internal error, suberror %u",
				 v->run->internal.suberror);
			break;
		default:
			fail_run(v, "unexpected exit reason %u", v->run->exit_reason);
		}
	}
	return NULL;
}

/* ---- VM setup -------------------------------------------------------------- */

static void set_memslot(struct vm *vm, uint32_t slot, uint64_t gpa, void *hva,
			uint64_t size, uint32_t flags)
{
	struct kvm_userspace_memory_region r = {
		.slot = slot, .flags = flags, .guest_phys_addr = gpa,
		.memory_size = size, .userspace_addr = (uintptr_t)hva,
	};

	if (ioctl(vm->fd, KVM_SET_USER_MEMORY_REGION, &r) < 0)
		die("KVM_SET_USER_MEMORY_REGION slot %u", slot);
}

static void build_memory(struct vm *vm)
{
	uint64_t *pml4 = g2h(vm, GPA_PML4), *pdpt = g2h(vm, GPA_PDPT);
	uint64_t *gdt = g2h(vm, GPA_GDT), *pt = g2h(vm, GPA_PT);
	size_t gsize = (size_t)(guest_bin_end - guest_bin);
	int i, j;

	/* Identity map 0..8 GiB with 2 MiB pages (covers both ROM copies). */
	pml4[0] = GPA_PDPT | 3;
	for (i = 0; i < NR_PD; i++) {
		uint64_t *pd = g2h(vm, GPA_PD + i * 0x1000ULL);

		pdpt[i] = (GPA_PD + i * 0x1000ULL) | 3;
		for (j = 0; j < 512; j++)
			pd[j] = ((uint64_t)(i * 512 + j) << 21) | 0x83;
	}
	/* The TLB window: one 4 KiB page table under the last 2 MiB of GiB 0. */
	((uint64_t *)g2h(vm, GPA_PD))[TLB_VA >> 21] = GPA_PT | 3;
	pt[0] = GPA_TLB_P1 | 3;

	gdt[1] = 0x00af9b000000ffffULL;		/* 64-bit code */
	gdt[2] = 0x00cf93000000ffffULL;		/* data */
	gdt[3] = 0x67 | (GPA_TSS & 0xffffff) << 16 | 0x8bULL << 40 |
		 ((GPA_TSS >> 24) & 0xff) << 56;	/* busy 64-bit TSS */
	gdt[4] = GPA_TSS >> 32;

	if (gsize > GPA_CODE_MAX)
		die("guest image too large (%zu)", gsize);
	memcpy(g2h(vm, GPA_CODE), guest_bin, gsize);
}

static void set_seg(struct kvm_segment *s, uint16_t sel, uint8_t type, int code)
{
	memset(s, 0, sizeof(*s));
	s->selector = sel;
	s->limit = 0xffffffff;
	s->type = type;
	s->present = 1;
	s->s = 1;
	s->g = 1;
	s->l = code;
	s->db = !code;
}

static struct kvm_cpuid2 *guest_cpuid(struct vm *vm, int id)
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

static void setup_vcpu(struct vm *vm, int id, uint32_t *tsc_khz)
{
	struct vcpu *v = &vm->v[id];
	struct kvm_cpuid2 *cpuid;
	struct kvm_sregs sr;
	struct kvm_regs regs;
	int mmap_size, khz;

	v->vm = vm;
	v->id = id;
	v->fd = ioctl(vm->fd, KVM_CREATE_VCPU, id);
	if (v->fd < 0)
		die("KVM_CREATE_VCPU %d", id);
	mmap_size = ioctl(kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	v->run = mmap(NULL, mmap_size, PROT_READ | PROT_WRITE, MAP_SHARED, v->fd, 0);
	if (v->run == MAP_FAILED)
		die("mmap kvm_run");

	cpuid = guest_cpuid(vm, id);
	if (ioctl(v->fd, KVM_SET_CPUID2, cpuid) < 0)
		die("KVM_SET_CPUID2");
	free(cpuid);

	if (ioctl(v->fd, KVM_GET_SREGS, &sr) < 0)
		die("KVM_GET_SREGS");
	set_seg(&sr.cs, GDT_CODE, 0xb, 1);
	set_seg(&sr.ds, GDT_DATA, 0x3, 0);
	sr.es = sr.fs = sr.gs = sr.ss = sr.ds;
	memset(&sr.tr, 0, sizeof(sr.tr));
	sr.tr.selector = GDT_TSS;
	sr.tr.base = GPA_TSS;
	sr.tr.limit = 0x67;
	sr.tr.type = 0xb;
	sr.tr.present = 1;
	memset(&sr.ldt, 0, sizeof(sr.ldt));
	sr.ldt.type = 2;
	sr.ldt.unusable = 1;
	sr.gdt.base = GPA_GDT;
	sr.gdt.limit = GDT_ENTRIES * 8 - 1;
	sr.idt.base = 0;
	sr.idt.limit = 0;
	sr.cr0 = 0x80050033;	/* PG AM WP NE ET MP PE */
	sr.cr3 = GPA_PML4;
	sr.cr4 = 0x6a0;		/* OSXMMEXCPT OSFXSR PGE PAE */
	sr.efer = 0x500;	/* LMA LME */
	if (ioctl(v->fd, KVM_SET_SREGS, &sr) < 0)
		die("KVM_SET_SREGS");
	if (ioctl(v->fd, KVM_GET_SREGS, &sr) < 0)
		die("KVM_GET_SREGS");
	vm->mb->cr0 = sr.cr0;
	vm->mb->cr3 = sr.cr3;
	vm->mb->cr4 = sr.cr4;

	memset(&regs, 0, sizeof(regs));
	regs.rip = GPA_CODE;
	regs.rsp = id ? GPA_STACK1 : GPA_STACK0;
	regs.rdi = id;
	regs.rflags = 2;
	if (ioctl(v->fd, KVM_SET_REGS, &regs) < 0)
		die("KVM_SET_REGS");

	if (id) {
		/* An AP waits for INIT/SIPI; this one starts in long mode. */
		struct kvm_mp_state mp = { .mp_state = KVM_MP_STATE_RUNNABLE };

		if (ioctl(v->fd, KVM_SET_MP_STATE, &mp) < 0)
			die("KVM_SET_MP_STATE");
	} else {
		khz = ioctl(v->fd, KVM_GET_TSC_KHZ, 0);
		*tsc_khz = khz > 0 ? (uint32_t)khz : 0;
	}
}

/* One full pass of the guest suite.  Returns 0 if the run finished. */
static int run_suite(struct vm *vm, uint64_t rom_gpa, int pv, const char *label)
{
	struct mbox *mb;
	sigset_t alrm, old;
	uint32_t khz = 0;
	int i, finished;

	memset(vm, 0, sizeof(*vm));
	vm->rom_gpa = rom_gpa;
	vm->pv = pv;
	vm->label = label;
	vm->fd = ioctl(kvm_fd, KVM_CREATE_VM, 0);
	if (vm->fd < 0)
		die("KVM_CREATE_VM");
	if (ioctl(vm->fd, KVM_CREATE_IRQCHIP, 0) < 0)
		die("KVM_CREATE_IRQCHIP");

	vm->ram = mmap(NULL, RAM_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	vm->rom_map = (rom_len + 0xfff) & ~0xfffULL;
	vm->rom = mmap(NULL, vm->rom_map, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (vm->ram == MAP_FAILED || vm->rom == MAP_FAILED)
		die("mmap guest memory");
	memcpy(vm->rom, rom_img, rom_len);
	set_memslot(vm, 0, 0, vm->ram, RAM_SIZE, 0);
	set_memslot(vm, 1, rom_gpa, vm->rom, vm->rom_map, KVM_MEM_READONLY);
	build_memory(vm);

	mb = vm->mb = g2h(vm, GPA_MBOX);
	mb->rom_base = rom_gpa;
	mb->rom_len = rom_len;
	mb->state_gpa = GPA_STATE;
	mb->state_size = (rom_img[VMI_OFF_STATE_SIZE] | rom_img[VMI_OFF_STATE_SIZE + 1] << 8) +
		((uint64_t)NR_VCPUS << rom_img[VMI_OFF_STATE_PERCPU]);
	mb->gdt_base = GPA_GDT;
	mb->gdt_limit = GDT_ENTRIES * 8 - 1;
	mb->tr_sel = GDT_TSS;
	mb->pv = pv;
	mb->ncpus = NR_VCPUS;
	mb->pt_gpa = GPA_PT;
	mb->io_in = 0x5aa5c33c;
	mb->steal_budget_ms = STEAL_BUDGET_MS;
	if (mb->state_size > 0x1000 ||
	    (GPA_STATE & ((1ULL << rom_img[VMI_OFF_STATE_ALIGN]) - 1)))
		die("ROM state block does not fit the harness layout");

	for (i = 0; i < NR_VCPUS; i++)
		setup_vcpu(vm, i, &khz);
	mb->tsc_khz = khz;
	mb->kvm_features = vm->kvm_features;

	tap_diag("run %s: ROM at 0x%llx, KVM PV leaves %s (features 0x%x), TSC %u kHz",
	     label, (unsigned long long)rom_gpa, pv ? "exposed" : "hidden",
	     vm->kvm_features, khz);

	/* vCPU threads never take SIGALRM: the main thread handles it. */
	sigemptyset(&alrm);
	sigaddset(&alrm, SIGALRM);
	pthread_sigmask(SIG_BLOCK, &alrm, &old);
	timed_out = 0;
	cur_vm = vm;
	for (i = 0; i < NR_VCPUS; i++)
		if (pthread_create(&vm->v[i].th, NULL, vcpu_thread, &vm->v[i]))
			die("pthread_create");
	pthread_sigmask(SIG_SETMASK, &old, NULL);

	alarm(run_timeout);
	pthread_join(vm->v[0].th, NULL);
	vcpu_stop(&vm->v[1]);
	pthread_join(vm->v[1].th, NULL);
	alarm(0);
	cur_vm = NULL;
	steal_end(vm);

	finished = vm->done && !vm->aborted && !timed_out;
	if (timed_out && !vm->aborted)
		tap_ok(0, "%s: guest finishes within %us (stuck in: %s)", label,
		    run_timeout, mb->cur);
	else if (vm->done)
		tap_ok(!vm->aborted, "%s: guest ran every test to the end", label);

	vm->result = *mb;
	for (i = 0; i < NR_VCPUS; i++)
		close(vm->v[i].fd);
	close(vm->fd);
	munmap(vm->ram, RAM_SIZE);
	munmap(vm->rom, vm->rom_map);
	vm->mb = &vm->result;
	return finished ? 0 : -1;
}

/* ---- host-side checks of one run's tables ------------------------------------ */

static const char *bname(uint64_t b)
{
	static const char * const n[] = { "none", "native", "kvm", "nop", "rom" };

	return b < 5 ? n[b] : "?";
}

/* What docs/abi.md sections 5 and 6 say call @n gets on this VM. */
static uint64_t expected_backend(const struct vm *vm, unsigned int n)
{
	uint32_t f = vm->pv ? vm->kvm_features : 0;
	int steal = (f >> KVM_FEATURE_STEAL_TIME) & 1;

	switch (n) {
	case 14: case 40: case 41: case 42: case 43: case 44: case 45:
	case 48: case 73:
		return VMI_BACKEND_NOP;
	case 34: case 36: case 37: case 62: case 68: case 69: case 70:
	case 71: case 72:
		return VMI_BACKEND_NONE;
	case VMI_CALL_IO_DELAY:
		return (f >> KVM_FEATURE_NOP_IO_DELAY) & 1 ? VMI_BACKEND_NOP :
			VMI_BACKEND_NATIVE;
	case VMI_CALL_GET_CYCLE_FREQUENCY:	/* tsc_khz is passed */
		return vm->result.tsc_khz ? VMI_BACKEND_NATIVE : VMI_BACKEND_NONE;
	case VMI_CALL_GET_CYCLE_COUNTER:
		return steal && vm->result.tsc_khz ? VMI_BACKEND_KVM :
			VMI_BACKEND_NATIVE;
	case VMI_CALL_FLUSH_TLB_OTHERS:
		return steal && (f >> KVM_FEATURE_PV_TLB_FLUSH) & 1 ?
			VMI_BACKEND_KVM : VMI_BACKEND_NONE;
	case VMI_CALL_SEND_IPI_MASK:
		return (f >> KVM_FEATURE_PV_SEND_IPI) & 1 ? VMI_BACKEND_KVM :
			VMI_BACKEND_NONE;
	case VMI_CALL_KICK_CPU:
	case VMI_CALL_SPIN_WAIT:
		return (f >> KVM_FEATURE_PV_UNHALT) & 1 ? VMI_BACKEND_KVM :
			VMI_BACKEND_NONE;
	case VMI_CALL_YIELD_TO_CPU:
		return (f >> KVM_FEATURE_PV_SCHED_YIELD) & 1 ? VMI_BACKEND_KVM :
			VMI_BACKEND_NONE;
	case VMI_CALL_VCPU_IS_PREEMPTED:
	case VMI_CALL_STEAL_CLOCK:
	case VMI_CALL_REGISTER_STEAL_TIME:
		return steal ? VMI_BACKEND_KVM : VMI_BACKEND_NONE;
	case VMI_CALL_REGISTER_PV_EOI:
	case VMI_CALL_PV_EOI:
		return (f >> KVM_FEATURE_PV_EOI) & 1 ? VMI_BACKEND_KVM :
			VMI_BACKEND_NONE;
	case VMI_CALL_REGISTER_SYSTEM_TIME:
	case VMI_CALL_SYSTEM_TIME:
		return f & (1 << KVM_FEATURE_CLOCKSOURCE |
			    1 << KVM_FEATURE_CLOCKSOURCE2) ? VMI_BACKEND_KVM :
			VMI_BACKEND_NONE;
	case VMI_CALL_GET_BACKEND:
		return VMI_BACKEND_ROM;
	}
	return n < VMI_CALL_COUNT ? VMI_BACKEND_NATIVE : VMI_BACKEND_NONE;
}

static void check_tables(struct vm *vm)
{
	const struct mbox *mb = &vm->result;
	char line[1024], bad[512];
	size_t l = 0, b = 0;
	unsigned int n, outside = 0, noendbr = 0, incons = 0, wrong = 0;

	for (n = 0; n < NRELOC; n++) {
		uint64_t a = mb->reloc_addr[n], t = mb->reloc_type[n];
		uint64_t be = mb->backend[n];
		uint64_t want_t;

		if (t != VMI_RELOCATION_NONE) {
			if (a < vm->rom_gpa || a >= vm->rom_gpa + rom_len) {
				outside++;
			} else if (memcmp(rom_img + (a - vm->rom_gpa),
					  "\xf3\x0f\x1e\xfa", 4)) {
				noendbr++;
			}
		}
		switch (be) {
		case VMI_BACKEND_NONE:
			want_t = VMI_RELOCATION_NONE;
			break;
		case VMI_BACKEND_NOP:
			want_t = VMI_RELOCATION_NOP;
			break;
		default:
			want_t = n == VMI_CALL_IRET ? VMI_RELOCATION_JUMP_REL :
				VMI_RELOCATION_CALL_REL;
		}
		if (t != want_t || (t == VMI_RELOCATION_NONE && a))
			incons++;
		if (be != expected_backend(vm, n)) {
			wrong++;
			if (b < sizeof(bad) - 40)
				b += snprintf(bad + b, sizeof(bad) - b, " %u:%s(want %s)",
					      n, bname(be), bname(expected_backend(vm, n)));
		}
	}
	tap_ok(!outside && !noendbr,
	    "%s: every relocation points into this ROM copy at an ENDBR64 (%u outside, %u without)",
	    vm->label, outside, noendbr);
	tap_ok(!incons, "%s: relocation types agree with GetBackend for 0..%u (%u differ)",
	    vm->label, NRELOC - 1, incons);
	if (!tap_ok(!wrong, "%s: GetBackend table matches docs/abi.md for this host",
		 vm->label))
		tap_diag("%s: differences:%s", vm->label, bad);

	for (n = 0; n < NRELOC; n++) {
		if (n < VMI_CALL_COUNT_3_0 && n != VMI_CALL_IO_DELAY &&
		    n != VMI_CALL_GET_CYCLE_FREQUENCY &&
		    n != VMI_CALL_GET_CYCLE_COUNTER)
			continue;
		l += snprintf(line + l, sizeof(line) - l, " %u:%s", n,
			      bname(mb->backend[n]));
	}
	tap_diag("%s: backends (0-73 not listed are as docs/abi.md says):%s",
	     vm->label, line);

	if (vm->pv) {
		tap_ok(mb->backend[75] == VMI_BACKEND_KVM &&
		    mb->backend[76] == VMI_BACKEND_KVM &&
		    mb->backend[77] == VMI_BACKEND_KVM,
		    "%s: GetBackend reports kvm for SendIPIMask/KickCPU/YieldToCPU (75/76/77: %s/%s/%s)",
		    vm->label, bname(mb->backend[75]), bname(mb->backend[76]),
		    bname(mb->backend[77]));
	} else {
		for (wrong = 0, n = VMI_CALL_COUNT_3_0; n < VMI_CALL_COUNT; n++)
			if (n != VMI_CALL_GET_BACKEND &&
			    (mb->reloc_type[n] != VMI_RELOCATION_NONE ||
			    mb->reloc_addr[n] || mb->backend[n] != VMI_BACKEND_NONE))
				wrong++;
		tap_ok(!wrong, "%s: every appended KVM call (74..%u but GetBackend) answers NONE without KVM PV leaves (%u do not)",
		    vm->label, VMI_CALL_COUNT - 1, wrong);
		tap_ok(mb->backend[VMI_CALL_GET_BACKEND] == VMI_BACKEND_ROM,
		    "%s: GetBackend itself stays available (rom)", vm->label);
	}
}

/* Same relocations relative to the base at both addresses. */
static void compare_copies(const struct vm *a, const struct vm *b, const char *what)
{
	unsigned int n, diff = 0;

	for (n = 0; n < NRELOC; n++) {
		const uint64_t xa = a->result.reloc_addr[n], xb = b->result.reloc_addr[n];

		if (a->result.reloc_type[n] != b->result.reloc_type[n] ||
		    !!xa != !!xb || (xa && xa - a->rom_gpa != xb - b->rom_gpa) ||
		    a->result.backend[n] != b->result.backend[n])
			diff++;
	}
	tap_ok(!diff, "%s: relocations relative to the ROM base are identical at 0x%llx and 0x%llx (%u differ)",
	    what, (unsigned long long)a->rom_gpa, (unsigned long long)b->rom_gpa, diff);
}

/* The native calls keep their code whether or not KVM PV is offered. */
static void compare_fallback(const struct vm *pv, const struct vm *np)
{
	unsigned int n, diff = 0;

	for (n = 0; n < VMI_CALL_COUNT_3_0; n++) {
		if (n == VMI_CALL_IO_DELAY || n == VMI_CALL_GET_CYCLE_COUNTER)
			continue;
		if (pv->result.reloc_type[n] != np->result.reloc_type[n] ||
		    pv->result.reloc_addr[n] - pv->rom_gpa !=
		    np->result.reloc_addr[n] - np->rom_gpa)
			diff++;
	}
	tap_ok(!diff, "fallback: calls 0..73 (but 65/67) relocate identically with and without KVM PV leaves (%u differ)",
	    diff);
}

/* ---- main ------------------------------------------------------------------ */

static void load_rom(const char *path)
{
	struct stat st;
	FILE *f = fopen(path, "rb");

	if (!f || fstat(fileno(f), &st))
		die("open %s", path);
	rom_len = (size_t)st.st_size;
	rom_img = malloc(rom_len);
	if (!rom_img || fread(rom_img, 1, rom_len, f) != rom_len)
		die("read %s", path);
	fclose(f);
	if (rom_len < VMI_HEADER_SIZE || rom_img[0] != 0x55 || rom_img[1] != 0xaa ||
	    memcmp(rom_img + VMI_OFF_VROM_SIGNATURE, "cVmi", 4))
		die("%s is not a VMI ROM", path);
}

static void usage(void)
{
	fprintf(stderr, "usage: vmi_conformance [-t SECONDS] [-r pv|nopv|all] ROM\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static struct vm runs[4];
	const char *which = "all";
	struct sigaction sa;
	struct timespec t0;
	int opt, nent = 256, done_pv = 0, done_np = 0;

	while ((opt = getopt(argc, argv, "t:r:h")) != -1) {
		switch (opt) {
		case 't':
			run_timeout = (unsigned int)atoi(optarg);
			break;
		case 'r':
			which = optarg;
			break;
		default:
			usage();
		}
	}
	if (optind + 1 != argc || (strcmp(which, "all") && strcmp(which, "pv") &&
				   strcmp(which, "nopv")))
		usage();
	clock_gettime(CLOCK_MONOTONIC, &t0);
	tap_header();
	load_rom(argv[optind]);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigusr1;
	sigaction(SIGUSR1, &sa, NULL);	/* no SA_RESTART: KVM_RUN gets EINTR */
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);

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
	tap_diag("ROM %s, %zu bytes; %d host CPUs; %us per run", argv[optind],
	     rom_len, ncpus_host, run_timeout);

	if (strcmp(which, "nopv")) {
		run_suite(&runs[0], ROM_A, 1, "pv@A");
		run_suite(&runs[1], ROM_B, 1, "pv@B");
		done_pv = runs[0].tables && runs[1].tables;
		if (runs[0].tables)
			check_tables(&runs[0]);
		if (runs[1].tables)
			check_tables(&runs[1]);
		if (done_pv)
			compare_copies(&runs[0], &runs[1], "pv");
	}
	if (strcmp(which, "pv")) {
		run_suite(&runs[2], ROM_A, 0, "nopv@A");
		run_suite(&runs[3], ROM_B, 0, "nopv@B");
		done_np = runs[2].tables && runs[3].tables;
		if (runs[2].tables)
			check_tables(&runs[2]);
		if (runs[3].tables)
			check_tables(&runs[3]);
		if (done_np)
			compare_copies(&runs[2], &runs[3], "nopv");
	}
	if (done_pv && done_np)
		compare_fallback(&runs[0], &runs[2]);

	tap_diag("%d tests, %d failed, %d skipped, %.1fs", tap_n, tap_failed,
	     tap_skipped, since(&t0));
	return tap_finish();
}
