// SPDX-License-Identifier: GPL-2.0
/*
 * The run loop: a thread per vCPU in KVM_RUN, its exits, and the bound on
 * a run.  Each run is bounded by alarm(): a hung guest fails that run
 * instead of the job.  Anything unexpected (an exception, a triple fault,
 * an access to the read-only ROM) fails the run, blamed on the test in
 * progress (mbox.cur), and stops every vCPU.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "vmm.h"

unsigned int run_timeout = 45;	/* 4 runs fit a 300 s job */

static struct vm *volatile cur_vm;
static volatile sig_atomic_t timed_out;

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

void run_signals_init(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigusr1;
	sigaction(SIGUSR1, &sa, NULL);	/* no SA_RESTART: KVM_RUN gets EINTR */
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
}

void describe_rip(struct vm *vm, uint64_t rip, char *buf, size_t n)
{
	if (rip >= vm->rom_gpa && rip < vm->rom_gpa + rom_len)
		snprintf(buf, n, "0x%llx (ROM+0x%llx)", (unsigned long long)rip,
			 (unsigned long long)(rip - vm->rom_gpa));
	else
		snprintf(buf, n, "0x%llx", (unsigned long long)rip);
}

void fail_run(struct vcpu *v, const char *fmt, ...)
{
	struct vm *vm = v->vm;
	char what[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	report_ok(0, "%s: %s: vCPU%d %s", vm->label, vm->mb->cur, v->id, what);
	vm->aborted = 1;
	vm_stop_all(vm);
}

static void handle_mmio(struct vcpu *v)
{
	struct vm *vm = v->vm;
	struct kvm_run *run = v->run;

	if (run->mmio.phys_addr >= vm->rom_gpa &&
	    run->mmio.phys_addr < vm->rom_gpa + vm->rom_map) {
		fail_run(v, "%s the read-only ROM at ROM+0x%llx",
			 run->mmio.is_write ? "wrote to" : "read",
			 (unsigned long long)(run->mmio.phys_addr - vm->rom_gpa));
		return;
	}
	report_diag("%s: vCPU%d: unexpected MMIO %s 0x%llx", vm->label, v->id,
		    run->mmio.is_write ? "write" : "read",
		    (unsigned long long)run->mmio.phys_addr);
	if (!run->mmio.is_write)
		memset(run->mmio.data, 0xff, sizeof(run->mmio.data));
}

static void handle_exit(struct vcpu *v)
{
	struct kvm_run *run = v->run;
	struct kvm_regs regs;
	char rip[64];

	switch (run->exit_reason) {
	case KVM_EXIT_IO:
		vcpu_handle_io(v);
		break;
	case KVM_EXIT_MMIO:
		handle_mmio(v);
		break;
	case KVM_EXIT_INTR:
		break;
	case KVM_EXIT_SHUTDOWN:
		ioctl(v->fd, KVM_GET_REGS, &regs);
		describe_rip(v->vm, regs.rip, rip, sizeof(rip));
		fail_run(v, "shut down (triple fault) at %s", rip);
		break;
	case KVM_EXIT_HLT:
		fail_run(v, "halted in userspace although the irqchip is in the kernel");
		break;
	case KVM_EXIT_FAIL_ENTRY:
		fail_run(v, "failed entry, reason 0x%llx",
			 (unsigned long long)run->fail_entry.hardware_entry_failure_reason);
		break;
	case KVM_EXIT_INTERNAL_ERROR:
		fail_run(v, "KVM internal error, suberror %u",
			 run->internal.suberror);
		break;
	default:
		fail_run(v, "unexpected exit reason %u", run->exit_reason);
	}
}

static void *vcpu_thread(void *arg)
{
	struct vcpu *v = arg;

	pin_to_host_cpu(v->id);
	while (!v->stop && !v->vm->done) {
		if (ioctl(v->fd, KVM_RUN, 0) < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			fail_run(v, "KVM_RUN failed: %s", strerror(errno));
			break;
		}
		handle_exit(v);
	}
	return NULL;
}

/*
 * Run @vm's vCPUs until vCPU0 is done, the run failed or the timeout hit;
 * returns whether it timed out.
 */
int vm_run(struct vm *vm)
{
	sigset_t alrm, old;
	int i;

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
	for (i = 0; vmm_groups[i]; i++)
		if (vmm_groups[i]->stopped)
			vmm_groups[i]->stopped(vm);
	return timed_out;
}
