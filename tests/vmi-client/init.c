// SPDX-License-Identifier: GPL-2.0
/*
 * init for a genuine VMI client kernel (Linux 2.6.32 i386, issue 15):
 * the whole userspace of its initramfs. Debian 12's glibc needs 3.2+, so
 * this is freestanding: no libc, int $0x80 system calls, static, i386.
 *
 * As PID 1 it mounts proc and sysfs, reports what the kernel runs on
 * (release, clocksource, clock event devices, CPUs), one "key: value"
 * line each, then runs a workload whose every step can fail, one KTAP
 * line each:
 *   fork-exec    200 times fork + execve of itself in worker mode, each
 *                worker's exit code checked;
 *   page-faults  16 MiB anonymous: every page touched, verified, copied on
 *                write by a child, munmapped; a new mapping reads zero;
 *   timers       10 x nanosleep(100 ms): gettimeofday, CLOCK_MONOTONIC
 *                and the TSC advance, each step within bounds, and the
 *                TSC at the rate the kernel says (cpu MHz) within 15%;
 *                then CLOCK_MONOTONIC against the CMOS RTC's seconds
 *                (iopl(3), ports 0x70/0x71) over 4 s, within 2%: the one
 *                reference the kernel's clock cannot fool, since the
 *                others all derive from the same cycle frequency;
 *   smp          a child pinned on each online CPU (sched_setaffinity)
 *                runs there (getcpu) while it works; a SKIP with one CPU;
 * then "vmi-client: P passed, F failed, S skipped" (P + F + S is the
 * plan's count, "1..N") and power-off.
 *
 * Output goes to /dev/console and to /dev/ttyS1, the result port of
 * tools/vmi-run (with its @@VMI-JOB-START@@ and @@VMI-EXIT rc@@
 * markers); rc is 0 when nothing failed.
 */

typedef unsigned int u32;
typedef unsigned long long u64;
typedef int s32;
typedef long long s64;

#define NR_exit			1
#define NR_fork			2
#define NR_read			3
#define NR_write		4
#define NR_open			5
#define NR_close		6
#define NR_ioctl		54
#define NR_execve		11
#define NR_mknod		14
#define NR_getpid		20
#define NR_mount		21
#define NR_mkdir		39
#define NR_ioperm		101
#define NR_iopl			110
#define NR_gettimeofday		78
#define NR_reboot		88
#define NR_old_mmap		90
#define NR_munmap		91
#define NR_wait4		114
#define NR_sync			36
#define NR_sched_yield		158
#define NR_nanosleep		162
#define NR_sched_setaffinity	241
#define NR_clock_gettime	265
#define NR_getcpu		318

#define O_RDONLY	0
#define O_RDWR		2
#define O_NOCTTY	0400
#define PROT_RW		3
#define MAP_PRIVATE	0x02
#define MAP_ANONYMOUS	0x20
#define CLOCK_MONOTONIC	1

static long sc3(long n, long a, long b, long c)
{
	long r;

	asm volatile("int $0x80" : "=a"(r) : "0"(n), "b"(a), "c"(b), "d"(c)
		     : "memory");
	return r;
}

static long sc5(long n, long a, long b, long c, long d, long e)
{
	long r;

	asm volatile("int $0x80" : "=a"(r) : "0"(n), "b"(a), "c"(b), "d"(c),
		     "S"(d), "D"(e) : "memory");
	return r;
}

#define sys0(n)		sc3(n, 0, 0, 0)
#define sys1(n, a)	sc3(n, (long)(a), 0, 0)
#define sys2(n, a, b)	sc3(n, (long)(a), (long)(b), 0)
#define sys3(n, a, b, c) sc3(n, (long)(a), (long)(b), (long)(c))

/* wait4(pid, status, 0, NULL): all four registers, rusage NULL */
static long wait4(long pid, int *status)
{
	return sc5(NR_wait4, pid, (long)status, 0, 0, 0);
}

void *memset(void *d, int c, unsigned long n)
{
	unsigned char *p = d;

	while (n--)
		*p++ = c;
	return d;
}

void *memcpy(void *d, const void *s, unsigned long n)
{
	unsigned char *p = d;
	const unsigned char *q = s;

	while (n--)
		*p++ = *q++;
	return d;
}

static _Noreturn void sys_exit(int code)
{
	for (;;)
		sys1(NR_exit, code);
}

static unsigned long slen(const char *s)
{
	unsigned long n = 0;

	while (s[n])
		n++;
	return n;
}

static int sstarts(const char *s, const char *p)
{
	while (*p)
		if (*s++ != *p++)
			return 0;
	return 1;
}

static int seq(const char *a, const char *b)
{
	return sstarts(a, b) && slen(a) == slen(b);
}

/* Output: the console and the result port */
static int con_fd = -1, res_fd = -1;
static char obuf[1024];
static unsigned int olen;

static void flush(void)
{
	if (con_fd >= 0)
		sys3(NR_write, con_fd, obuf, olen);
	if (res_fd >= 0)
		sys3(NR_write, res_fd, obuf, olen);
	olen = 0;
}

/* A runner's marker: the result port only, on a line of its own */
static void marker(const char *s)
{
	flush();
	if (res_fd >= 0) {
		sys3(NR_write, res_fd, "\n", 1);
		sys3(NR_write, res_fd, s, slen(s));
		sys3(NR_write, res_fd, "\n", 1);
	}
}

static void puts_(const char *s)
{
	while (*s) {
		if (olen == sizeof(obuf))
			flush();
		obuf[olen++] = *s;
		if (*s++ == '\n')
			flush();
	}
}

static void putu(u64 v)
{
	char b[24];
	int i = sizeof(b) - 1;

	b[i] = 0;
	do {
		b[--i] = '0' + v % 10;
		v /= 10;
	} while (v);
	puts_(b + i);
}

static void puti(s64 v)
{
	if (v < 0) {
		puts_("-");
		v = -v;
	}
	putu(v);
}

/* A whole small file into buf, NUL-terminated; its length or -errno. */
static long read_file(const char *path, char *buf, long size)
{
	long fd, n, len = 0;

	fd = sys3(NR_open, path, O_RDONLY, 0);
	if (fd < 0)
		return fd;
	while (len < size - 1) {
		n = sys3(NR_read, fd, buf + len, size - 1 - len);
		if (n <= 0)
			break;
		len += n;
	}
	sys1(NR_close, fd);
	buf[len] = 0;
	return len;
}

static char fbuf[65536];

static int passed, failed, skipped, tests;

/* The workload's tests, in order; the KTAP plan says how many. */
#define NR_TESTS	4

static void skip(const char *name, const char *why)
{
	tests++;
	skipped++;
	puts_("ok ");
	putu(tests);
	puts_(" - ");
	puts_(name);
	puts_(" # SKIP ");
	puts_(why);
	puts_("\n");
}

static void result(int ok, const char *name, const char *why)
{
	tests++;
	if (ok)
		passed++;
	else
		failed++;
	puts_(ok ? "ok " : "not ok ");
	putu(tests);
	puts_(" - ");
	puts_(name);
	if (!ok && why) {
		puts_(" # ");
		puts_(why);
	}
	puts_("\n");
}

/* Worker mode: exit with a code the parent derives from its argument. */
static int worker_code(const char *arg)
{
	u32 n = 0;

	while (*arg >= '0' && *arg <= '9')
		n = n * 10 + (*arg++ - '0');
	return (n * 7 + 3) & 0xff;
}

static char **g_envp;

#define WIFEXITED_CODE(st, code) (((st) & 0x7f) == 0 && (((st) >> 8) & 0xff) == (code))

static void test_fork_exec(void)
{
	const int n = 200;
	char num[12];
	char *argv[4];
	int i, st;
	long pid, r;

	for (i = 0; i < n; i++) {
		int k = sizeof(num) - 1, v = i;

		num[k] = 0;
		do {
			num[--k] = '0' + v % 10;
			v /= 10;
		} while (v);
		argv[0] = "/init";
		argv[1] = "worker";
		argv[2] = num + k;
		argv[3] = 0;
		pid = sys0(NR_fork);
		if (pid == 0) {
			sys3(NR_execve, "/init", argv, g_envp);
			sys_exit(127);
		}
		if (pid < 0) {
			puts_("# fork failed at ");
			putu(i);
			puts_("\n");
			result(0, "fork-exec", "fork failed");
			return;
		}
		st = 0;
		r = wait4(pid, &st);
		if (r != pid || !WIFEXITED_CODE(st, worker_code(num + k))) {
			puts_("# worker ");
			putu(i);
			puts_(": wait4 ");
			puti(r);
			puts_(" status ");
			putu(st);
			puts_("\n");
			result(0, "fork-exec", "a worker's exit status is wrong");
			return;
		}
	}
	puts_("# 200 workers forked, exec'd and reaped, exit codes right\n");
	result(1, "fork-exec", 0);
}

struct mmap_args {
	u32 addr, len, prot, flags, fd, offset;
};

static long map_anon(u32 len)
{
	struct mmap_args a = { 0, len, PROT_RW, MAP_PRIVATE | MAP_ANONYMOUS,
			       (u32)-1, 0 };

	return sys1(NR_old_mmap, &a);
}

static u32 pattern(u32 page, u32 word)
{
	return (page * 2654435761u) ^ (word * 40503u) ^ 0x5a5a5a5au;
}

static void test_page_faults(void)
{
	const u32 len = 16u << 20, pages = len / 4096;
	u32 *m, p, w, bad = 0;
	long pid, r;
	int st = 0;

	m = (u32 *)map_anon(len);
	if ((long)m < 0 && (long)m > -4096) {
		result(0, "page-faults", "mmap failed");
		return;
	}
	for (p = 0; p < pages; p++)
		if (m[p * 1024] || m[p * 1024 + 1023])
			bad++;
	for (p = 0; p < pages; p++)
		for (w = 0; w < 1024; w += 64)
			m[p * 1024 + w] = pattern(p, w);
	for (p = 0; p < pages; p++)
		for (w = 0; w < 1024; w += 64)
			if (m[p * 1024 + w] != pattern(p, w))
				bad++;
	if (bad) {
		result(0, "page-faults", "a page read back wrong (or not zero)");
		sys2(NR_munmap, m, len);
		return;
	}
	/* copy on write: the child sees the data, writes, and the parent
	 * keeps its own
	 */
	pid = sys0(NR_fork);
	if (pid == 0) {
		for (p = 0; p < pages; p++) {
			if (m[p * 1024] != pattern(p, 0))
				sys_exit(1);
			m[p * 1024] = ~pattern(p, 0);
		}
		for (p = 0; p < pages; p++)
			if (m[p * 1024] != ~pattern(p, 0))
				sys_exit(2);
		sys_exit(0);
	}
	r = wait4(pid, &st);
	for (p = 0; p < pages; p++)
		if (m[p * 1024] != pattern(p, 0))
			bad++;
	if (r != pid || !WIFEXITED_CODE(st, 0) || bad) {
		result(0, "page-faults", "copy on write went wrong");
		sys2(NR_munmap, m, len);
		return;
	}
	if (sys2(NR_munmap, m, len)) {
		result(0, "page-faults", "munmap failed");
		return;
	}
	m = (u32 *)map_anon(len);
	if ((long)m < 0 && (long)m > -4096) {
		result(0, "page-faults", "second mmap failed");
		return;
	}
	for (p = 0; p < pages; p++)
		if (m[p * 1024 + 17])
			bad++;
	sys2(NR_munmap, m, len);
	if (bad) {
		result(0, "page-faults", "a new mapping is not zero");
		return;
	}
	puts_("# 4096 pages faulted in, verified, copied on write, unmapped\n");
	result(1, "page-faults", 0);
}

static u64 rdtsc(void)
{
	u32 lo, hi;

	asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((u64)hi << 32) | lo;
}

struct timeval_ {
	s32 sec, usec;
};

struct timespec_ {
	s32 sec, nsec;
};

static s64 now_us(void)
{
	struct timeval_ tv;

	sys2(NR_gettimeofday, &tv, 0);
	return (s64)tv.sec * 1000000 + tv.usec;
}

static s64 mono_us(void)
{
	struct timespec_ ts;

	sys2(NR_clock_gettime, CLOCK_MONOTONIC, &ts);
	return (s64)ts.sec * 1000000 + ts.nsec / 1000;
}

/* kHz from /proc/cpuinfo's first "cpu MHz\t\t: 2893.202", or 0 */
static u64 cpuinfo_khz(void)
{
	char *s;
	u64 khz = 0;
	int frac = -1;

	if (read_file("/proc/cpuinfo", fbuf, sizeof(fbuf)) <= 0)
		return 0;
	for (s = fbuf; *s; s++)
		if (sstarts(s, "cpu MHz"))
			break;
	while (*s && (*s < '0' || *s > '9'))
		s++;
	for (; *s && frac < 3; s++) {
		if (*s == '.') {
			frac = 0;
			continue;
		}
		if (*s < '0' || *s > '9')
			break;
		khz = khz * 10 + (*s - '0');
		if (frac >= 0)
			frac++;
	}
	if (frac < 0)
		frac = 0;
	while (frac++ < 3)
		khz *= 10;
	return khz;
}

static void port_out(unsigned char v, unsigned short port)
{
	asm volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static unsigned char port_in(unsigned short port)
{
	unsigned char v;

	asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

/* The CMOS RTC's seconds register (raw: BCD or binary, only compared) */
static int rtc_seconds(void)
{
	unsigned char a, b;

	do {
		port_out(0x00, 0x70);
		a = port_in(0x71);
		port_out(0x00, 0x70);
		b = port_in(0x71);
	} while (a != b);
	return a;
}

/*
 * Wait for the RTC's seconds to change: the CLOCK_MONOTONIC time of the
 * change, the middle of the last read before it and the first after it,
 * into *at; the width of that window into *width. -1 when no change comes
 * within 2.5 s of CLOCK_MONOTONIC.
 */
static int rtc_edge(s64 *at, s64 *width)
{
	s64 start = mono_us(), before, after;
	int s0 = rtc_seconds();

	before = mono_us();
	for (;;) {
		int s = rtc_seconds();

		after = mono_us();
		if (s != s0)
			break;
		if (after - start > 2500000)
			return -1;
		before = after;
	}
	*at = (before + after) / 2;
	*width = after - before;
	return 0;
}

/*
 * CLOCK_MONOTONIC over 4 RTC seconds, from one change of the seconds
 * register to the fourth after it. A change seen more than 5 ms after the
 * read before it (a vCPU preempted) is not used as an end: the next one
 * is (up to 8 s). NULL on success, else why not.
 */
static const char *rtc_check(void)
{
	static const char *const stopped =
		"the RTC seconds did not change in 2.5 s of CLOCK_MONOTONIC";
	s64 t0 = 0, t1 = 0, w0 = 0, w1 = 0, dt;
	int i = 0, tries = 0;

	if (sys1(NR_iopl, 3) && sys3(NR_ioperm, 0x70, 2, 1))
		return "neither iopl(3) nor ioperm gives the CMOS RTC's ports";
	do {
		if (rtc_edge(&t0, &w0))
			return stopped;
	} while (w0 > 5000 && ++tries < 5);
	do {
		if (rtc_edge(&t1, &w1))
			return stopped;
		i++;
	} while (i < 4 || (w1 > 5000 && i < 8));
	dt = t1 - t0;
	puts_("# rtc: ");
	putu(i);
	puts_(" RTC seconds took ");
	puti(dt);
	puts_(" us of CLOCK_MONOTONIC (edges seen within ");
	puti(w0);
	puts_(" and ");
	puti(w1);
	puts_(" us)\n");
	puts_("rtc-seconds: ");
	putu(i);
	puts_("\nrtc-monotonic-us: ");
	puti(dt);
	puts_("\n");
	if (dt * 100 < (s64)i * 1000000 * 98 ||
	    dt * 100 > (s64)i * 1000000 * 102)
		return "CLOCK_MONOTONIC does not keep the CMOS RTC's time (2%)";
	return 0;
}

static void test_timers(void)
{
	struct timespec_ req = { 0, 100 * 1000 * 1000 };
	s64 t0, t1, m0, m1, total_us = 0, dt, dm;
	u64 c0, c1, total_cyc = 0, khz, rate;
	int i, ok = 1;
	const char *why = 0;

	khz = cpuinfo_khz();
	for (i = 0; i < 10; i++) {
		t0 = now_us();
		m0 = mono_us();
		c0 = rdtsc();
		if (sys2(NR_nanosleep, &req, 0)) {
			ok = 0;
			why = "nanosleep failed";
			break;
		}
		c1 = rdtsc();
		m1 = mono_us();
		t1 = now_us();
		dt = t1 - t0;
		dm = m1 - m0;
		puts_("# sleep ");
		putu(i);
		puts_(": gettimeofday +");
		puti(dt);
		puts_(" us, monotonic +");
		puti(dm);
		puts_(" us, tsc +");
		putu(c1 - c0);
		puts_("\n");
		/* at least the 100 ms asked, at most 2 s on a loaded rig */
		if (dt < 99000 || dt > 2000000 || dm < 99000 || dm > 2000000) {
			ok = 0;
			why = "a 100 ms sleep took less than 99 ms or more than 2 s";
		}
		if (c1 <= c0) {
			ok = 0;
			why = "the TSC did not advance";
		}
		total_us += dt;
		total_cyc += c1 - c0;
	}
	if (ok && total_us > 0) {
		rate = total_cyc * 1000 / (u64)total_us;	/* kHz */
		puts_("tsc-khz-measured: ");
		putu(rate);
		puts_("\ntsc-khz-kernel: ");
		putu(khz);
		puts_("\n");
		if (!khz || rate * 100 < khz * 85 || rate * 100 > khz * 115) {
			ok = 0;
			why = "the TSC does not run at the kernel's cpu MHz (15%)";
		}
	}
	if (ok) {
		why = rtc_check();
		ok = !why;
	}
	result(ok, "timers", why);
}

static long getcpu(void)
{
	u32 cpu = ~0u;

	if (sys3(NR_getcpu, &cpu, 0, 0))
		return -1;
	return cpu;
}

static int online_cpus(u32 *mask)
{
	char *s;
	u32 a, b;
	int n = 0;

	*mask = 0;
	if (read_file("/sys/devices/system/cpu/online", fbuf, sizeof(fbuf)) <= 0)
		return 0;
	for (s = fbuf; *s >= '0' && *s <= '9';) {
		a = 0;
		while (*s >= '0' && *s <= '9')
			a = a * 10 + (*s++ - '0');
		b = a;
		if (*s == '-') {
			s++;
			b = 0;
			while (*s >= '0' && *s <= '9')
				b = b * 10 + (*s++ - '0');
		}
		for (; a <= b && a < 32; a++) {
			*mask |= 1u << a;
			n++;
		}
		if (*s == ',')
			s++;
	}
	return n;
}

static void test_smp(u32 mask)
{
	long pids[32];
	int cpu, n = 0, bad = 0, st;
	u32 x;
	u32 i;

	for (cpu = 0; cpu < 32; cpu++) {
		if (!(mask & (1u << cpu)))
			continue;
		pids[cpu] = sys0(NR_fork);
		if (pids[cpu] == 0) {
			u32 one = 1u << cpu;
			int round;

			if (sys3(NR_sched_setaffinity, 0, sizeof(one), &one))
				sys_exit(1);
			sys0(NR_sched_yield);
			for (round = 0; round < 20; round++) {
				if (getcpu() != cpu)
					sys_exit(2);
				for (i = 0, x = 0; i < 200000; i++) {
					x = x * 31 + i;
					/* work the compiler cannot drop */
					asm volatile("" : "+r"(x));
				}
			}
			sys_exit(0);
		}
		if (pids[cpu] < 0)
			bad++;
		n++;
	}
	for (cpu = 0; cpu < 32; cpu++) {
		if (!(mask & (1u << cpu)) || pids[cpu] < 0)
			continue;
		st = -1;
		if (wait4(pids[cpu], &st) != pids[cpu] ||
		    !WIFEXITED_CODE(st, 0)) {
			puts_("# the child pinned on CPU ");
			putu(cpu);
			puts_(" exited with status ");
			puti(st);
			puts_("\n");
			bad++;
		}
	}
	puts_("# ");
	putu(n);
	puts_(" children, each pinned on its own CPU, ran there\n");
	result(n > 0 && !bad, "smp", n ? "a pinned child failed" : "no CPU online");
}

static void test_smp_or_skip(u32 mask, int ncpu)
{
	/* one CPU proves nothing about the others: a lost AP shows here */
	if (ncpu == 1)
		skip("smp", "one CPU online");
	else
		test_smp(mask);
}

static void report_clock_events(void)
{
	char *s, *e;
	char cpu[12] = "broadcast";

	if (read_file("/proc/timer_list", fbuf, sizeof(fbuf)) <= 0) {
		puts_("clockevent: unknown (no /proc/timer_list)\n");
		return;
	}
	for (s = fbuf; *s; s = *e ? e + 1 : e) {
		for (e = s; *e && *e != '\n'; e++)
			;
		if (sstarts(s, "Per CPU device: ")) {
			char *d = s + 16;
			int k = 0;

			while (d < e && k < 11)
				cpu[k++] = *d++;
			cpu[k] = 0;
		} else if (sstarts(s, "Broadcast device")) {
			memcpy(cpu, "broadcast", 10);
		} else if (sstarts(s, "Clock Event Device: ")) {
			char c = *e;

			*e = 0;
			puts_("clockevent");
			puts_(seq(cpu, "broadcast") ? " " : " cpu");
			puts_(cpu);
			puts_(": ");
			puts_(s + 20);
			puts_("\n");
			*e = c;
		}
	}
}

static void report_line(const char *key, const char *path)
{
	long n = read_file(path, fbuf, sizeof(fbuf));

	puts_(key);
	puts_(": ");
	if (n <= 0) {
		puts_("unknown\n");
		return;
	}
	while (n > 0 && fbuf[n - 1] == '\n')
		fbuf[--n] = 0;
	puts_(fbuf);
	puts_("\n");
}

static void open_outputs(void)
{
	sys2(NR_mkdir, "/dev", 0755);
	/* the initramfs has them; a kernel started without does not */
	sys3(NR_mknod, "/dev/console", 020600, (5 << 8) | 1);
	sys3(NR_mknod, "/dev/ttyS1", 020600, (4 << 8) | 65);
	con_fd = sys3(NR_open, "/dev/console", O_RDWR | O_NOCTTY, 0);
	res_fd = sys3(NR_open, "/dev/ttyS1", O_RDWR | O_NOCTTY, 0);
}

/* tcdrain(): ioctl(TCSBRK, 1) waits until the tty has sent it all */
#define TCSBRK			0x5409

static _Noreturn void power_off(void)
{
	/*
	 * The console is a tty drained by interrupts: without this, the
	 * kernel's own power-off messages, printed straight to the UART,
	 * land in the middle of the summary line still queued.
	 */
	if (con_fd >= 0)
		sys3(NR_ioctl, con_fd, TCSBRK, 1);
	if (res_fd >= 0)
		sys3(NR_ioctl, res_fd, TCSBRK, 1);
	sys0(NR_sync);
	/* reboot(LINUX_REBOOT_MAGIC1, MAGIC2, LINUX_REBOOT_CMD_POWER_OFF) */
	sc5(NR_reboot, 0xfee1dead, 672274793, 0x4321fedc, 0, 0);
	puts_("vmi-client: power-off failed\n");
	for (;;)
		sys0(NR_sched_yield);
}

int main(int argc, char **argv, char **envp)
{
	u32 mask;
	int ncpu;

	if (argc >= 3 && seq(argv[1], "worker"))
		return worker_code(argv[2]);
	g_envp = envp;
	open_outputs();
	marker("@@VMI-JOB-START@@");
	sys2(NR_mkdir, "/proc", 0555);
	sys2(NR_mkdir, "/sys", 0555);
	if (sc5(NR_mount, (long)"proc", (long)"/proc", (long)"proc", 0, 0))
		puts_("# cannot mount /proc\n");
	if (sc5(NR_mount, (long)"sysfs", (long)"/sys", (long)"sysfs", 0, 0))
		puts_("# cannot mount /sys\n");
	puts_("vmi-client: freestanding init, pid ");
	putu(sys0(NR_getpid));
	puts_("\n");
	report_line("kernel", "/proc/sys/kernel/osrelease");
	report_line("cmdline", "/proc/cmdline");
	report_line("clocksource",
		    "/sys/devices/system/clocksource/clocksource0/current_clocksource");
	report_clock_events();
	ncpu = online_cpus(&mask);
	puts_("cpus: ");
	putu(ncpu);
	puts_("\n");
	puts_("KTAP version 1\n1..");
	putu(NR_TESTS);
	puts_("\n");
	test_fork_exec();
	test_page_faults();
	test_timers();
	test_smp_or_skip(mask, ncpu);
	puts_("vmi-client: ");
	putu(passed);
	puts_(" passed, ");
	putu(failed);
	puts_(" failed, ");
	putu(skipped);
	puts_(" skipped\n");
	marker(failed ? "@@VMI-EXIT 1@@" : "@@VMI-EXIT 0@@");
	power_off();
}

/* The entry: argc, argv..., 0, envp..., 0 on the stack. */
asm(".text\n"
	".globl _start\n"
	"_start:\n"
	"	xorl %ebp, %ebp\n"
	"	movl (%esp), %eax\n"		/* argc */
	"	leal 4(%esp), %ecx\n"		/* argv */
	"	leal 8(%esp,%eax,4), %edx\n"	/* envp */
	"	andl $-16, %esp\n"
	"	subl $4, %esp\n"
	"	pushl %edx\n"
	"	pushl %ecx\n"
	"	pushl %eax\n"
	"	call main\n"
	"	movl %eax, %ebx\n"
	"	movl $1, %eax\n"
	"	int $0x80\n"
	"	hlt\n");
