// SPDX-License-Identifier: GPL-2.0
/*
 * pv_exercise SECONDS: drive the kernel through paravirt ops from
 * userspace, so their counters must move: threads on different CPUs churn
 * mmap/mprotect/munmap on a shared mm (TLB flushes, local and remote),
 * yield, and read /dev/cpu/N/cpuid (the kernel's cpuid op) when present.
 * Prints TAP: one result that the work ran.
 */
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "lib/tap.h"

static volatile int stop;
static unsigned long rounds[4];

static void *churn(void *arg)
{
	long id = (long)arg;
	size_t len = 16 * 4096;

	while (!stop) {
		char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			break;
		for (size_t i = 0; i < len; i += 4096)
			p[i] = (char)i;
		mprotect(p, len, PROT_READ);
		mprotect(p, len, PROT_READ | PROT_WRITE);
		munmap(p, len);
		sched_yield();
		rounds[id]++;
	}
	return NULL;
}

int main(int argc, char **argv)
{
	int secs = argc > 1 ? atoi(argv[1]) : 2;
	pthread_t t[4];
	unsigned long total = 0, cpuid_reads = 0;
	time_t end = time(NULL) + secs;
	long i;
	int fd;

	tap_header();
	for (i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, churn, (void *)i);
	fd = open("/dev/cpu/0/cpuid", O_RDONLY);
	while (time(NULL) < end) {
		uint32_t regs[4];

		if (fd >= 0 && pread(fd, regs, sizeof(regs), 0) == sizeof(regs))
			cpuid_reads++;
		usleep(1000);	/* idle: safe_halt */
	}
	stop = 1;
	for (i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		total += rounds[i];
	}
	tap_diag("%lu mmap/mprotect/munmap rounds, %lu cpuid reads", total,
		 cpuid_reads);
	tap_ok(total > 0, "userspace exercised TLB flushes for %ds", secs);
	return tap_finish();
}
