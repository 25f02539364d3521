// SPDX-License-Identifier: GPL-2.0
/*
 * vCPU creation: every vCPU starts in 64-bit mode at GPA_CODE (identity
 * page tables, GDT, TSS, CR0/CR4/EFER set here) with rdi = its index and
 * rsp = its stack top; and stopping vCPUs from another thread.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "vmm.h"

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

static void set_long_mode(struct vcpu *v)
{
	struct kvm_sregs sr;

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
	v->vm->mb->cr0 = sr.cr0;
	v->vm->mb->cr3 = sr.cr3;
	v->vm->mb->cr4 = sr.cr4;
}

/* Create vCPU @id; vCPU0 answers the TSC frequency in *tsc_khz. */
void vcpu_setup(struct vm *vm, int id, uint32_t *tsc_khz)
{
	struct vcpu *v = &vm->v[id];
	struct kvm_cpuid2 *cpuid;
	struct kvm_regs regs;
	int mmap_size, khz;

	v->vm = vm;
	v->id = id;
	v->fd = ioctl(vm->fd, KVM_CREATE_VCPU, id);
	if (v->fd < 0)
		die("KVM_CREATE_VCPU %d", id);
	mmap_size = ioctl(kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	v->run = mmap(NULL, mmap_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		      v->fd, 0);
	if (v->run == MAP_FAILED)
		die("mmap kvm_run");

	cpuid = vcpu_cpuid(vm, id);
	if (ioctl(v->fd, KVM_SET_CPUID2, cpuid) < 0)
		die("KVM_SET_CPUID2");
	free(cpuid);

	set_long_mode(v);

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

/* Make @v's thread leave KVM_RUN (SIGUSR1 has no SA_RESTART) and end. */
void vcpu_stop(struct vcpu *v)
{
	v->stop = 1;
	if (v->run)
		v->run->immediate_exit = 1;
	if (v->th)
		pthread_kill(v->th, SIGUSR1);
}

void vm_stop_all(struct vm *vm)
{
	int i;

	for (i = 0; i < NR_VCPUS; i++)
		vcpu_stop(&vm->v[i]);
}
