// SPDX-License-Identifier: GPL-2.0
/*
 * leader_exit SECONDS: a process whose main thread exits while another
 * thread lives on for SECONDS. Its mm is then reachable only through that
 * thread (the main thread is a zombie without one). Prints the thread's
 * TID.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static unsigned int secs = 60;

static void *live_on(void *unused)
{
	(void)unused;
	printf("%ld\n", (long)syscall(SYS_gettid));
	fflush(stdout);
	sleep(secs);
	exit(0);
}

int main(int argc, char **argv)
{
	pthread_t t;

	if (argc > 1)
		secs = (unsigned int)atoi(argv[1]);
	/*
	 * No transparent huge pages: khugepaged would take the mm's
	 * mmap_lock for writing, and the test's lock holder would take it
	 * for the shim's wait.
	 */
	prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0);
	if (pthread_create(&t, NULL, live_on, NULL))
		return 1;
	pthread_exit(NULL);
}
