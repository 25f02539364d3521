// SPDX-License-Identifier: GPL-2.0
/*
 * pv_bench [-t SEC] [-j THREADS] [-m membarrier|futex] tlb|ipi|lock|all
 *
 * Throughput of the kernel paths that KVM's paravirt features speed up,
 * for comparing one guest with and without them (tools/vmi-bench,
 * docs/performance.md). Not a test: it prints one line per benchmark,
 *
 *   bench NAME ops_per_sec=X threads=N secs=S [method=M]
 *
 * and exits 0 when the benchmark ran. Each runs for a fixed wall time
 * (-t, default 3 s) with -j threads (default: the online CPUs), thread i
 * pinned to the i-th CPU it may run on (wrapping around).
 *
 *   tlb   every thread faults in a private page of the shared mm and
 *         drops it with madvise(MADV_DONTNEED): each op is a remote TLB
 *         shootdown to every other CPU running the mm (PV TLB flush).
 *         madvise takes mmap_lock for reading only, so the threads do not
 *         serialize on it as mprotect/munmap would.
 *   ipi   one thread calls membarrier(PRIVATE_EXPEDITED), which IPIs every
 *         other CPU running the mm and waits for all of them, while the
 *         other threads spin (PV IPIs); an op is one membarrier call.
 *         Without membarrier (or with -m futex): a futex ping-pong between
 *         two threads on two CPUs; an op is one round trip (two wakeups,
 *         each a cross-CPU reschedule IPI to an idle CPU).
 *   lock  every thread loops rt_sigprocmask(SIG_BLOCK) and (SIG_UNBLOCK):
 *         both take the process-wide sighand->siglock spinlock (PV
 *         spinlocks); an op is one block+unblock pair.
 *   all   the three in sequence.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <linux/membarrier.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define MAX_THREADS 256

struct worker {
	pthread_t tid;
	int idx;
	int cpu;
	unsigned long ops;
	char pad[64];
};

static struct {
	int nthreads;
	double secs;
	const char *ipi_method;
	int cpus[CPU_SETSIZE];
	int ncpus;
} cfg;

static atomic_int go, stop;
static pthread_barrier_t ready;

static void usage(FILE *f)
{
	fprintf(f,
		"usage: pv_bench [-t SEC] [-j THREADS] [-m membarrier|futex] tlb|ipi|lock|all\n"
		"  -t SEC      wall time of each benchmark (default 3)\n"
		"  -j THREADS  threads (default: online CPUs), each pinned to a CPU\n"
		"  -m METHOD   ipi: membarrier (default, futex if unavailable) or futex\n"
		"prints: bench NAME ops_per_sec=X threads=N secs=S [method=M]\n");
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	/* Best effort: an unpinned thread still measures the same path. */
	if (sched_setaffinity(0, sizeof(set), &set))
		perror("pv_bench: sched_setaffinity");
}

/* Common worker prologue: pin, wait for all threads, then for "go". */
static void start(struct worker *w)
{
	pin(w->cpu);
	pthread_barrier_wait(&ready);
	while (!atomic_load_explicit(&go, memory_order_acquire))
		;
}

static int stopped(void)
{
	return atomic_load_explicit(&stop, memory_order_relaxed);
}

static void *tlb_worker(void *arg)
{
	struct worker *w = arg;
	long pg = sysconf(_SC_PAGESIZE);
	volatile char *p = mmap(NULL, pg, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		perror("pv_bench: mmap");
		exit(1);
	}
	start(w);
	while (!stopped()) {
		p[0] = 1;
		if (madvise((void *)p, pg, MADV_DONTNEED)) {
			perror("pv_bench: madvise");
			exit(1);
		}
		w->ops++;
	}
	munmap((void *)p, pg);
	return NULL;
}

static void *spin_worker(void *arg)
{
	struct worker *w = arg;

	start(w);
	while (!stopped())
		w->ops++;
	w->ops = 0;	/* spinners only keep the mm running on their CPU */
	return NULL;
}

static void *membarrier_worker(void *arg)
{
	struct worker *w = arg;

	start(w);
	while (!stopped()) {
		if (syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0)) {
			perror("pv_bench: membarrier");
			exit(1);
		}
		w->ops++;
	}
	return NULL;
}

/* Futex ping-pong: worker 0 hands the token (1) over, worker 1 hands it
 * back (0); each hand-over wakes the other CPU.
 */
static atomic_int token;

static void futex_wait(int val)
{
	syscall(SYS_futex, &token, FUTEX_WAIT_PRIVATE, val, NULL, NULL, 0);
}

static void futex_wake(void)
{
	syscall(SYS_futex, &token, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

static void *pingpong_worker(void *arg)
{
	struct worker *w = arg;
	int mine = w->idx == 0 ? 0 : 1;	/* token value when it is my turn */

	start(w);
	for (;;) {
		while (atomic_load(&token) != mine) {
			if (stopped())
				goto out;
			futex_wait(!mine);
		}
		if (stopped())
			break;
		atomic_store(&token, !mine);
		futex_wake();
		if (w->idx == 0)
			w->ops++;
	}
out:
	/* Release the partner, which may be asleep waiting for its turn. */
	atomic_store(&token, !mine);
	futex_wake();
	return NULL;
}

static void *lock_worker(void *arg)
{
	struct worker *w = arg;
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	start(w);
	while (!stopped()) {
		/* Raw syscalls: each one takes sighand->siglock. */
		syscall(SYS_rt_sigprocmask, SIG_BLOCK, &set, NULL, _NSIG / 8);
		syscall(SYS_rt_sigprocmask, SIG_UNBLOCK, &set, NULL, _NSIG / 8);
		w->ops++;
	}
	return NULL;
}

/* Run fn on n threads (fn0 on thread 0 if given); print the line. */
static int run(const char *name, int n, void *(*fn0)(void *),
	       void *(*fn)(void *), const char *method)
{
	static struct worker w[MAX_THREADS];
	unsigned long total = 0;
	double t0, t1;
	int i, err;

	memset(w, 0, sizeof(w));
	atomic_store(&go, 0);
	atomic_store(&stop, 0);
	pthread_barrier_init(&ready, NULL, n + 1);
	for (i = 0; i < n; i++) {
		w[i].idx = i;
		w[i].cpu = cfg.cpus[i % cfg.ncpus];
		err = pthread_create(&w[i].tid, NULL, i == 0 && fn0 ? fn0 : fn, &w[i]);
		if (err) {
			fprintf(stderr, "pv_bench: pthread_create: %s\n", strerror(err));
			exit(1);
		}
	}
	pthread_barrier_wait(&ready);
	t0 = now();
	atomic_store_explicit(&go, 1, memory_order_release);
	usleep((useconds_t)(cfg.secs * 1e6));
	atomic_store(&stop, 1);
	t1 = now();
	for (i = 0; i < n; i++) {
		pthread_join(w[i].tid, NULL);
		total += w[i].ops;
	}
	pthread_barrier_destroy(&ready);
	printf("bench %s ops_per_sec=%.0f threads=%d secs=%.2f%s%s\n", name,
	       total / (t1 - t0), n, t1 - t0, method ? " method=" : "",
	       method ? method : "");
	fflush(stdout);
	return 0;
}

static int bench_tlb(void)
{
	return run("tlb", cfg.nthreads, NULL, tlb_worker, NULL);
}

static int bench_ipi(void)
{
	int use_membarrier = strcmp(cfg.ipi_method, "futex") != 0;
	long r;

	if (use_membarrier) {
		r = syscall(SYS_membarrier, MEMBARRIER_CMD_QUERY, 0, 0);
		if (r < 0 || !(r & MEMBARRIER_CMD_PRIVATE_EXPEDITED) ||
		    syscall(SYS_membarrier,
			    MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0)) {
			fprintf(stderr, "pv_bench: membarrier private expedited unavailable (%s); futex ping-pong instead\n",
				r < 0 ? strerror(errno) : "not supported");
			use_membarrier = 0;
		}
	}
	if (use_membarrier)
		return run("ipi", cfg.nthreads, membarrier_worker, spin_worker,
			   "membarrier");
	if (cfg.ncpus < 2)
		fprintf(stderr, "pv_bench: ipi: one CPU only, the ping-pong stays on it\n");
	atomic_store(&token, 0);
	return run("ipi", 2, NULL, pingpong_worker, "futex");
}

static int bench_lock(void)
{
	return run("lock", cfg.nthreads, NULL, lock_worker, NULL);
}

static int parse_num(const char *s, double min, double max, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int main(int argc, char **argv)
{
	cpu_set_t set;
	double v;
	int opt, i;

	cfg.secs = 3;
	cfg.ipi_method = "membarrier";
	while ((opt = getopt(argc, argv, "t:j:m:h")) != -1) {
		switch (opt) {
		case 't':
			if (parse_num(optarg, 0.1, 3600, &cfg.secs)) {
				fprintf(stderr, "pv_bench: -t wants seconds (0.1 to 3600), not '%s'\n", optarg);
				return 2;
			}
			break;
		case 'j':
			if (parse_num(optarg, 1, MAX_THREADS, &v) || v != (int)v) {
				fprintf(stderr, "pv_bench: -j wants a thread count (1 to %d), not '%s'\n",
					MAX_THREADS, optarg);
				return 2;
			}
			cfg.nthreads = (int)v;
			break;
		case 'm':
			if (strcmp(optarg, "membarrier") && strcmp(optarg, "futex")) {
				fprintf(stderr, "pv_bench: -m wants membarrier or futex, not '%s'\n", optarg);
				return 2;
			}
			cfg.ipi_method = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "pv_bench: %s\n", optind >= argc ?
			"which benchmark? (tlb, ipi, lock or all)" :
			"one benchmark only");
		usage(stderr);
		return 2;
	}
	if (sched_getaffinity(0, sizeof(set), &set)) {
		perror("pv_bench: sched_getaffinity");
		return 1;
	}
	for (i = 0; i < CPU_SETSIZE; i++)
		if (CPU_ISSET(i, &set))
			cfg.cpus[cfg.ncpus++] = i;
	if (!cfg.nthreads) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);

		cfg.nthreads = n < 1 ? 1 : n > MAX_THREADS ? MAX_THREADS : (int)n;
	}

	if (!strcmp(argv[optind], "tlb"))
		return bench_tlb();
	if (!strcmp(argv[optind], "ipi"))
		return bench_ipi();
	if (!strcmp(argv[optind], "lock"))
		return bench_lock();
	if (!strcmp(argv[optind], "all"))
		return bench_tlb() || bench_ipi() || bench_lock();
	fprintf(stderr, "pv_bench: unknown benchmark '%s' (tlb, ipi, lock or all)\n",
		argv[optind]);
	return 2;
}
