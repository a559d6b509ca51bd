// SPDX-License-Identifier: GPL-2.0
/*
 * The process calls of issue 13 that answer about the machine and the
 * process, each checked against what the kernel must then do:
 *   - resource limits: honest values (NOFILE the table's size, STACK the
 *     stack mapped), a lowered NOFILE enforced (EMFILE, EBADF) and kept
 *     by a forked child, refusals (soft above hard, above what exists, a
 *     user raising a hard limit);
 *   - affinity: the job's CPUs; a thread set to one CPU runs there
 *     (getcpu), another thread may not be given a set without its CPU;
 *   - sched_getscheduler and friends: SCHED_OTHER, Linux's ranges;
 *   - sysinfo: uptime, memory and a process count that sees a child;
 *   - getrandom: long reads whole, two reads differ, bad flags refused;
 *   - membarrier: QUERY, PRIVATE_EXPEDITED refused before registering;
 *   - process_vm_readv/writev with a forked child: its data read and
 *     written, a read-only page not written, unmapped memory EFAULT,
 *     no such pid ESRCH.
 * Argument: the job's CPU count. Prints one line per group and
 * "limits: N checks, 0 wrong".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#define MEMBARRIER_CMD_QUERY 0
#define MEMBARRIER_CMD_GLOBAL 1
#define MEMBARRIER_CMD_PRIVATE_EXPEDITED 8
#define MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED 16

static int checks, failures;

static void check(int ok, const char *what)
{
	checks++;
	if (!ok) {
		printf("limits: FAIL %s (errno %d)\n", what, errno);
		failures++;
	}
}

static void rlimits(void)
{
	struct rlimit r, low = { 16, 64 };
	int fds = 0, fd, status;
	pid_t child;

	check(getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur == 256 &&
	      r.rlim_max == 256, "RLIMIT_NOFILE is the descriptor table");
	check(getrlimit(RLIMIT_STACK, &r) == 0 && r.rlim_cur == 2 << 20,
	      "RLIMIT_STACK is the stack mapped");
	check(getrlimit(RLIMIT_AS, &r) == 0 && r.rlim_cur > (2 << 20) &&
	      r.rlim_cur != RLIM_INFINITY, "RLIMIT_AS is the memory mapped");
	check(getrlimit(RLIMIT_CORE, &r) == 0 && r.rlim_max == 0, "no core dumps");
	check(getrlimit(RLIMIT_CPU, &r) == 0 && r.rlim_cur == RLIM_INFINITY,
	      "no CPU-time limit");
	r.rlim_cur = 512, r.rlim_max = 512;
	check(setrlimit(RLIMIT_NOFILE, &r) == -1 && errno == EPERM,
	      "more descriptors than the table holds: EPERM");
	r.rlim_cur = 100, r.rlim_max = 50;
	check(setrlimit(RLIMIT_NOFILE, &r) == -1 && errno == EINVAL,
	      "soft above hard: EINVAL");
	check(setrlimit(RLIMIT_NOFILE, &low) == 0, "NOFILE lowered to 16");
	while ((fd = open("/dev/null", O_RDONLY)) >= 0)
		fds++;
	check(errno == EMFILE && fds == 13, "the 17th descriptor is EMFILE");
	check(dup2(0, 20) == -1 && errno == EBADF, "dup2 beyond the limit: EBADF");
	check(fcntl(0, F_DUPFD, 16) == -1 && errno == EINVAL, "F_DUPFD at the limit: EINVAL");
	child = fork();
	if (child == 0) {
		struct rlimit c;

		getrlimit(RLIMIT_NOFILE, &c);
		_exit(c.rlim_cur == 16 ? 0 : 1);
	}
	check(waitpid(child, &status, 0) == child && WIFEXITED(status) &&
	      WEXITSTATUS(status) == 0, "a forked child keeps the lowered limit");
	for (fd = 3; fd < 16; fd++)
		close(fd);
	check(prlimit(0, RLIMIT_NOFILE, NULL, &r) == 0 && r.rlim_cur == 16 &&
	      r.rlim_max == 64, "prlimit64 reads it back");
	r.rlim_cur = 64;
	check(setrlimit(RLIMIT_NOFILE, &r) == 0, "the soft limit back up to the hard");
	r.rlim_cur = 256, r.rlim_max = 256;
	if (geteuid() == 0)
		check(setrlimit(RLIMIT_NOFILE, &r) == 0, "root raises it again");
	else
		check(setrlimit(RLIMIT_NOFILE, &r) == -1 && errno == EPERM,
		      "a user may not raise the hard limit");
	check(prlimit(999999, RLIMIT_NOFILE, NULL, &r) == -1 && errno == ESRCH,
	      "prlimit64 of no process: ESRCH");
	printf("limits: rlimits honest, NOFILE 16 enforced and inherited\n");
}

static volatile int other_tid;
static volatile int other_stop;

static void *spin(void *arg)
{
	(void)arg;
	other_tid = gettid();
	while (!other_stop)
		sched_yield();
	return NULL;
}

static void affinity(int cpus)
{
	cpu_set_t set, one;
	unsigned cpu, node;
	pthread_t th;

	check(sched_getaffinity(0, sizeof(set), &set) == 0 &&
	      CPU_COUNT(&set) == cpus, "the affinity is the job's CPUs");
	for (int c = cpus - 1; c >= 0; c--) {
		CPU_ZERO(&one);
		CPU_SET(c, &one);
		check(sched_setaffinity(0, sizeof(one), &one) == 0, "sched_setaffinity");
		check(getcpu(&cpu, &node) == 0 && (int)cpu == c && node == 0,
		      "getcpu: on the CPU set");
		check(sched_getaffinity(0, sizeof(set), &set) == 0 &&
		      CPU_COUNT(&set) == 1 && CPU_ISSET(c, &set), "the set reads back");
	}
	CPU_ZERO(&one);
	CPU_SET(cpus, &one);	/* not the job's */
	check(sched_setaffinity(0, sizeof(one), &one) == -1 && errno == EINVAL,
	      "a set outside the job's CPUs: EINVAL");
	pthread_create(&th, NULL, spin, NULL);
	while (!other_tid)
		sched_yield();
	/* As on Linux, a new thread has its creator's set: CPU 0 by now. */
	check(sched_getaffinity(other_tid, sizeof(set), &set) == 0 &&
	      CPU_COUNT(&set) == 1 && CPU_ISSET(0, &set),
	      "a new thread inherits its creator's set");
	if (cpus > 1) {
		int its = -1;

		for (int c = 0; c < cpus; c++) {
			CPU_ZERO(&one);
			CPU_SET(c, &one);
			if (sched_setaffinity(other_tid, sizeof(one), &one) == 0)
				its = c;
		}
		check(its >= 0, "another thread: a set with its CPU is taken");
	}
	other_stop = 1;
	pthread_join(th, NULL);
	check(sched_getaffinity(999999, sizeof(set), &set) == -1 && errno == ESRCH,
	      "no such thread: ESRCH");
	check(sched_getscheduler(0) == SCHED_OTHER, "SCHED_OTHER");
	check(sched_get_priority_max(SCHED_FIFO) == 99 &&
	      sched_get_priority_min(SCHED_FIFO) == 1 &&
	      sched_get_priority_max(SCHED_OTHER) == 0, "Linux's priority ranges");
	{
		struct sched_param p = { .sched_priority = 10 };

		check(sched_getparam(0, &p) == 0 && p.sched_priority == 0, "priority 0");
		p.sched_priority = 10;
		check(sched_setscheduler(0, SCHED_FIFO, &p) == -1 && errno == EPERM,
		      "SCHED_FIFO is not kept: EPERM");
	}
	printf("limits: affinity within %d CPUs, getcpu follows it\n", cpus);
}

static void machine(void)
{
	struct sysinfo si;
	unsigned char a[65536], b[65536];
	int status, p[2];
	pid_t child;
	long mb;

	pipe(p);
	child = fork();
	if (child == 0) {
		char c;

		read(p[0], &c, 1);	/* alive until the parent has counted */
		_exit(0);
	}
	check(sysinfo(&si) == 0 && si.totalram > si.freeram && si.freeram > 0 &&
	      si.mem_unit == 1 && si.uptime >= 0 && si.procs >= 2,
	      "sysinfo: memory, and the child counted");
	write(p[1], "x", 1);
	waitpid(child, &status, 0);

	check(getrandom(a, sizeof(a), 0) == sizeof(a), "getrandom: 64 KiB at once");
	check(getrandom(b, sizeof(b), 0) == sizeof(b) && memcmp(a, b, sizeof(a)),
	      "two reads differ");
	check(getrandom(a, 16, 0x40) == -1 && errno == EINVAL, "unknown flags: EINVAL");
	check(syscall(SYS_getrandom, (void *)8, 16, 0) == -1 && errno == EFAULT, "a bad buffer: EFAULT");

	mb = syscall(SYS_membarrier, MEMBARRIER_CMD_QUERY, 0, 0);
	check(mb > 0 && (mb & MEMBARRIER_CMD_PRIVATE_EXPEDITED) &&
	      (mb & MEMBARRIER_CMD_GLOBAL), "membarrier QUERY");
	check(syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0) == -1 &&
	      errno == EPERM, "PRIVATE_EXPEDITED before registering: EPERM");
	check(syscall(SYS_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0) == 0 &&
	      syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0) == 0 &&
	      syscall(SYS_membarrier, MEMBARRIER_CMD_GLOBAL, 0, 0) == 0,
	      "membarrier after registering");
	check(syscall(SYS_membarrier, 1 << 10, 0, 0) == -1 && errno == EINVAL,
	      "an unknown command: EINVAL");
	printf("limits: sysinfo, getrandom, membarrier\n");
}

static char shared[8192] = "the child's own words";

static void process_vm(void)
{
	int to_child[2], to_parent[2], status;
	char buf[64] = { 0 }, c;
	struct iovec local[2], remote[1];
	pid_t child;

	pipe(to_child);
	pipe(to_parent);
	child = fork();
	if (child == 0) {
		strcpy(shared, "the child's own words");
		write(to_parent[1], "r", 1);
		read(to_child[0], &c, 1);	/* the parent has written */
		_exit(strcmp(shared + 4096, "written by the parent") ? 1 : 0);
	}
	strcpy(shared, "the parent's words!!");	/* differs from the child's */
	read(to_parent[0], &c, 1);
	local[0] = (struct iovec){ buf, 10 };
	local[1] = (struct iovec){ buf + 10, 11 };
	remote[0] = (struct iovec){ shared, 21 };
	check(process_vm_readv(child, local, 2, remote, 1, 0) == 21 &&
	      !strcmp(buf, "the child's own words"), "process_vm_readv: the child's data");
	strcpy(buf, "written by the parent");
	local[0] = (struct iovec){ buf, 22 };
	remote[0] = (struct iovec){ shared + 4096, 22 };
	check(process_vm_writev(child, local, 1, remote, 1, 0) == 22,
	      "process_vm_writev");
	remote[0] = (struct iovec){ (void *)process_vm, 8 };
	check(process_vm_writev(child, local, 1, remote, 1, 0) == -1 &&
	      errno == EFAULT, "its code is not written: EFAULT");
	remote[0] = (struct iovec){ (void *)0x1000, 8 };
	check(process_vm_readv(child, local, 1, remote, 1, 0) == -1 &&
	      errno == EFAULT, "unmapped memory: EFAULT");
	check(process_vm_readv(999999, local, 1, remote, 1, 0) == -1 &&
	      errno == ESRCH, "no such process: ESRCH");
	write(to_child[1], "w", 1);
	check(waitpid(child, &status, 0) == child && WIFEXITED(status) &&
	      WEXITSTATUS(status) == 0, "the child saw the parent's write");
	printf("limits: process_vm_readv/writev with a child\n");
}

int main(int argc, char **argv)
{
	int cpus = argc > 1 ? atoi(argv[1]) : 1;

	rlimits();
	affinity(cpus);
	machine();
	process_vm();
	printf("limits: %d checks, %d wrong\n", checks, failures);
	return failures != 0;
}
