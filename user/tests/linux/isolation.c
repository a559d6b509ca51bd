// SPDX-License-Identifier: GPL-2.0
/*
 * isolation: a job reaches only its own memory.
 *
 * 1. Every system call that takes a pointer, given an address the job may
 *    not touch, fails with -EFAULT and changes nothing: the kernel's direct
 *    map and image, non-canonical addresses, the SMARTMAP window of a rank
 *    that is not in the job, and memory a forked child mapped after the
 *    fork (another process's). One line per wrong answer.
 * 2. SMARTMAP only within the job: the window of each rank of this job
 *    shows that rank's copy of the program; the windows of every other
 *    rank number are unmapped.
 * 3. Its threads stay on its CPUs: it cannot widen its CPU set. A forked
 *    process cannot give back the memory the kernel gave it (its page
 *    tables would still map what another then gets).
 * 4. Nothing of an earlier job shows through: each rank first looks for
 *    the secret an earlier run left in its stack and heap, then leaves its
 *    own there for the next job (tests/system/isolation.sh runs it twice).
 *
 * Exits 0 when every check holds.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define SECRET		"kitten-isolation-secret-0123456\n"	/* 32 bytes */
#define SECRET_LEN	32
#define STACK_SPAN	(2UL << 20)	/* the stack is one 2 MiB extent */
#define HEAP_SPAN	(4UL << 20)
#define SMARTMAP_SHIFT	39

static int checks, wrong, trace;
static int fd_zero, fd_file, fd_dir, pipefd[2];
static char good[4096];

static long raw(long nr, long a0, long a1, long a2, long a3, long a4, long a5)
{
	register long r10 __asm__("r10") = a3;
	register long r8 __asm__("r8") = a4;
	register long r9 __asm__("r9") = a5;
	long ret = nr;

	__asm__ __volatile__("syscall"
			     : "+a"(ret)
			     : "D"(a0), "S"(a1), "d"(a2), "r"(r10), "r"(r8), "r"(r9)
			     : "rcx", "r11", "memory");
	return ret;
}

static void check(int ok, const char *fmt, const char *what, uint64_t p,
		  long ret)
{
	checks++;
	if (ok)
		return;
	wrong++;
	printf("isolation: ");
	printf(fmt, what, (unsigned long)p, ret);
	printf("\n");
}

/* A call with the pointer argument marked P. */
#define P 0x5050505050505050L
struct call {
	const char *name;
	long nr;
	long a[6];
};

static void pointer_calls(uint64_t p, const char *where)
{
	long s = (long)"/tmp/iso-file";
	long g = (long)good;
	struct iovec {
		uint64_t base, len;
	} iov = { p, 16 };
	const struct call calls[] = {
		{ "read", SYS_read, { fd_zero, P, 16 } },
		{ "write", SYS_write, { pipefd[1], P, 16 } },
		{ "pread64", SYS_pread64, { fd_file, P, 16, 0 } },
		{ "pwrite64", SYS_pwrite64, { fd_file, P, 16, 0 } },
		{ "readv iov", SYS_readv, { fd_zero, P, 1 } },
		{ "readv base", SYS_readv, { fd_zero, (long)&iov, 1 } },
		{ "writev iov", SYS_writev, { pipefd[1], P, 1 } },
		{ "writev base", SYS_writev, { pipefd[1], (long)&iov, 1 } },
		{ "open", SYS_open, { P, O_RDONLY } },
		{ "openat", SYS_openat, { AT_FDCWD, P, O_RDONLY } },
		{ "stat path", SYS_stat, { P, g } },
		{ "stat buf", SYS_stat, { s, P } },
		{ "lstat buf", SYS_lstat, { s, P } },
		{ "fstat", SYS_fstat, { fd_file, P } },
		{ "newfstatat path", SYS_newfstatat, { AT_FDCWD, P, g, 0 } },
		{ "newfstatat buf", SYS_newfstatat, { AT_FDCWD, s, P, 0 } },
		{ "statx path", SYS_statx, { AT_FDCWD, P, 0, 0x7ff, g } },
		{ "statx buf", SYS_statx, { AT_FDCWD, s, 0, 0x7ff, P } },
		{ "access", SYS_access, { P, 0 } },
		{ "faccessat", SYS_faccessat, { AT_FDCWD, P, 0 } },
		{ "readlink path", SYS_readlink, { P, g, 64 } },
		{ "readlink buf", SYS_readlink, { (long)"/proc/self/exe", P, 64 } },
		{ "mkdir", SYS_mkdir, { P, 0755 } },
		{ "mkdirat", SYS_mkdirat, { AT_FDCWD, P, 0755 } },
		{ "rmdir", SYS_rmdir, { P } },
		{ "unlink", SYS_unlink, { P } },
		{ "unlinkat", SYS_unlinkat, { AT_FDCWD, P, 0 } },
		{ "rename from", SYS_rename, { P, (long)"/tmp/iso-x" } },
		{ "rename to", SYS_rename, { s, P } },
		{ "renameat", SYS_renameat, { AT_FDCWD, s, AT_FDCWD, P } },
		{ "renameat2", SYS_renameat2, { AT_FDCWD, P, AT_FDCWD, s, 0 } },
		{ "chdir", SYS_chdir, { P } },
		{ "getcwd", SYS_getcwd, { P, 64 } },
		{ "execve", SYS_execve, { P, 0, 0 } },
		{ "getdents64", SYS_getdents64, { fd_dir, P, 4096 } },
		{ "pipe", SYS_pipe, { P } },
		{ "pipe2", SYS_pipe2, { P, 0 } },
		{ "clock_gettime", SYS_clock_gettime, { 1, P } },
		{ "gettimeofday", SYS_gettimeofday, { P, 0 } },
		{ "time", SYS_time, { P } },
		{ "times", SYS_times, { P } },
		{ "getrusage", SYS_getrusage, { 0, P } },
		{ "sysinfo", SYS_sysinfo, { P } },
		{ "uname", SYS_uname, { P } },
		{ "nanosleep", SYS_nanosleep, { P, 0 } },
		{ "clock_nanosleep", SYS_clock_nanosleep, { 1, 0, P, 0 } },
		{ "futex wait", SYS_futex, { P, 0, 0, 0 } },
		{ "futex wake", SYS_futex, { P, 1, 1 } },
		{ "rt_sigaction act", SYS_rt_sigaction, { 10, P, 0, 8 } },
		{ "rt_sigaction old", SYS_rt_sigaction, { 10, 0, P, 8 } },
		{ "rt_sigprocmask set", SYS_rt_sigprocmask, { 0, P, 0, 8 } },
		{ "rt_sigprocmask old", SYS_rt_sigprocmask, { 0, 0, P, 8 } },
		{ "sched_getaffinity", SYS_sched_getaffinity, { 0, 8, P } },
		{ "sched_setaffinity", SYS_sched_setaffinity, { 0, 8, P } },
		{ "arch_prctl GET_FS", SYS_arch_prctl, { 0x1003, P } },
		{ "getrandom", SYS_getrandom, { P, 16, 0 } },
		{ "prlimit64 new", SYS_prlimit64, { 0, 7, P, 0 } },
		{ "prlimit64 old", SYS_prlimit64, { 0, 7, 0, P } },
		{ "kitten_pmem_query", 1000, { P } },
	};

	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		long a[6];
		long ret;

		for (int k = 0; k < 6; k++)
			a[k] = calls[i].a[k] == P ? (long)p : calls[i].a[k];
		if (trace)
			printf("isolation: %s(%#lx)\n", calls[i].name, (unsigned long)p);
		ret = raw(calls[i].nr, a[0], a[1], a[2], a[3], a[4], a[5]);
		checks++;
		if (ret != -EFAULT) {
			wrong++;
			printf("isolation: %s(%s %#lx) gave %ld, expected -EFAULT\n",
			       calls[i].name, where, (unsigned long)p, ret);
		}
	}
}

/* Is p readable by the kernel on this job's behalf? (16 bytes, no fault) */
static int readable(uint64_t p, void *copy)
{
	char buf[16];

	if (raw(SYS_write, pipefd[1], p, 16, 0, 0, 0) != 16)
		return 0;
	if (read(pipefd[0], buf, 16) != 16)
		return 0;
	if (copy)
		memcpy(copy, buf, 16);
	return 1;
}

/* An address a forked child maps after the fork: not this process's. */
static void other_process(void)
{
	int report[2], release[2];
	uint64_t addr = 0;
	pid_t pid;

	if (pipe(report) || pipe(release))
		return;
	pid = fork();
	if (pid == 0) {
		char *mem = malloc(HEAP_SPAN);	/* past what the parent has */

		close(release[1]);
		for (size_t i = 0; mem && i + SECRET_LEN <= HEAP_SPAN; i += SECRET_LEN)
			memcpy(mem + i, SECRET, SECRET_LEN);
		addr = mem ? (uint64_t)mem + HEAP_SPAN - 4096 : 0;
		write(report[1], &addr, sizeof(addr));
		read(release[0], &addr, 1);	/* stay until the parent is done */
		_exit(0);
	}
	close(report[1]);
	close(release[0]);
	if (read(report[0], &addr, sizeof(addr)) == sizeof(addr)) {
		char seen[16];

		/* Mapped here too (both heaps grew), the parent sees its own. */
		if (readable(addr, seen)) {
			check(memcmp(seen, SECRET, 16) != 0,
			      "%s %#lx shows the child's memory (%ld)",
			      "address", addr, 0);
		} else {
			pointer_calls(addr, "child's");
		}
	}
	check(addr != 0, "%s %#lx: the child could not map memory (%ld)",
	      "address", addr, 0);
	close(report[0]);
	close(release[1]);
	waitpid(pid, NULL, 0);
}

static void smartmap(int rank, int nranks)
{
	uint64_t self = (uint64_t)&good;
	char seen[16];

	memcpy(good, SECRET, SECRET_LEN);
	for (int r = 0; r < 255; r++) {
		uint64_t p = self + ((uint64_t)(r + 1) << SMARTMAP_SHIFT);
		int ok = readable(p, seen);

		if (r < nranks)
			check(ok, "%s %#lx: rank in the job, not readable (%ld)",
			      "window", p, r);
		else
			check(!ok, "%s %#lx: rank not in the job, readable (%ld)",
			      "window", p, r);
	}
	(void)rank;
	pointer_calls(self + ((uint64_t)(nranks + 1) << SMARTMAP_SHIFT),
		      "SMARTMAP");
}

/*
 * A job's threads stay on the CPUs it was given: it may not widen its
 * set (kitten_aspace_set_cpus, 1013, on itself) nor drop it (0 is "all").
 */
static void cpu_set(void)
{
	static const uint64_t wider[] = { ~0ULL, 0, 1ULL << 63 };
	uint64_t before = 0, after = 0;

	raw(SYS_sched_getaffinity, 0, 8, (long)&before, 0, 0, 0);
	for (size_t i = 0; i < sizeof(wider) / 8; i++) {
		long ret = raw(1013, 0 /* self */, (long)wider[i], 0, 0, 0, 0);

		check(ret == -EPERM, "%s %#lx: a job set its own CPUs (%ld)",
		      "mask", wider[i], ret);
	}
	raw(SYS_sched_getaffinity, 0, 8, (long)&after, 0, 0, 0);
	check(before && after == before,
	      "%s %#lx: the job's CPUs changed (%ld)", "mask", after,
	      (long)before);
}

/* Look for an earlier job's secret below our stack and in our heap. */
/*
 * A forked child owns its copy of the program (an extent of its own): it
 * asks where main's page is and tries to free it (kitten_pmem_free). It
 * must be refused; a kernel that let it would hand the page to the next
 * caller while the child still runs from it.
 */
int main(void);

static void own_memory(void)
{
	struct { uint64_t phys, page_size; } map = { 0, 0 };
	int status = -1;
	pid_t pid = fork();

	if (pid == 0) {
		long err = raw(1008 /* kitten_aspace_query */, 0,
			       (long)main & ~4095L, (long)&map, 0, 0, 0);
		long freed = err ? err : raw(1002 /* kitten_pmem_free */,
					     (long)(map.phys & ~(map.page_size - 1)),
					     0, 0, 0, 0, 0);

		_exit(err ? 2 : freed == -EPERM ? 0 : 1);
	}
	waitpid(pid, &status, 0);
	check(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "%s %#lx: a forked process could free its own memory (status %ld)",
	      "extent", 0, status);
}

static void __attribute__((noinline)) earlier_jobs(void)
{
	char here;
	uint64_t sp = (uint64_t)&here;
	uint64_t lo = sp & ~(STACK_SPAN - 1), hi = sp - (64 << 10);
	char *heap = malloc(HEAP_SPAN);
	int found = 0;

	for (uint64_t p = lo; p + SECRET_LEN <= hi; p += 8)
		found += !memcmp((void *)p, SECRET, SECRET_LEN);
	check(!found, "%s: %lu copies of an earlier job's secret (%ld)",
	      "stack", found, 0);
	found = 0;
	for (size_t i = 0; heap && i + SECRET_LEN <= HEAP_SPAN; i += 8)
		found += !memcmp(heap + i, SECRET, SECRET_LEN);
	check(heap && !found, "%s: %lu copies of an earlier job's secret (%ld)",
	      "heap", found, 0);
	for (size_t i = 0; heap && i + SECRET_LEN <= HEAP_SPAN; i += SECRET_LEN)
		memcpy(heap + i, SECRET, SECRET_LEN);
	free(heap);
}

/* Leave a secret in the deep stack for the next job to look for. */
static void __attribute__((noinline)) leave_secret(void)
{
	volatile char deep[1 << 20];

	for (size_t i = 0; i + SECRET_LEN <= sizeof(deep); i += SECRET_LEN)
		for (int k = 0; k < SECRET_LEN; k++)
			deep[i + k] = SECRET[k];
}

int main(void)
{
	static const uint64_t kernel[] = {
		0xffff888000000000ULL,	/* the direct map */
		0xffff888000100000ULL,
		0xffffffff80000000ULL,	/* the kernel image */
		0xffffffff80100000ULL,
		0xffffffffff600000ULL,	/* vsyscall page on Linux */
		0xfffffffffffff000ULL,
	};
	static const uint64_t noncanonical[] = {
		0x0000800000000000ULL, 0x7ffffffffffff000ULL,
		0xdead000000000000ULL, 0x8000000000000000ULL,
	};
	const char *r = getenv("KITTEN_RANK"), *n = getenv("KITTEN_NRANKS");
	int rank = r ? atoi(r) : 0, nranks = n ? atoi(n) : 1;
	char name[32];

	setvbuf(stdout, NULL, _IONBF, 0);	/* a hang still shows where */
	trace = getenv("ISOLATION_TRACE") != NULL;
	earlier_jobs();
	snprintf(name, sizeof(name), "/tmp/iso-dir-%d", rank);
	fd_zero = open("/dev/zero", O_RDONLY);
	fd_file = open("/tmp/iso-file", O_CREAT | O_RDWR, 0644);
	mkdir(name, 0755);
	fd_dir = open(name, O_RDONLY | O_DIRECTORY);
	if (fd_zero < 0 || fd_file < 0 || fd_dir < 0 || pipe(pipefd)) {
		printf("isolation: cannot set up (%d %d %d)\n", fd_zero,
		       fd_file, fd_dir);
		return 2;
	}
	write(fd_file, SECRET, SECRET_LEN);
	for (size_t i = 0; i < sizeof(kernel) / 8; i++)
		pointer_calls(kernel[i], "kernel");
	for (size_t i = 0; i < sizeof(noncanonical) / 8; i++)
		pointer_calls(noncanonical[i], "non-canonical");
	smartmap(rank, nranks);
	cpu_set();
	own_memory();
	other_process();
	leave_secret();
	close(fd_dir);
	close(fd_file);
	rmdir(name);
	unlink("/tmp/iso-file");	/* the other rank may have done it */
	printf("isolation: rank %d of %d: %d checks, %d wrong\n", rank, nranks,
	       checks, wrong);
	return wrong != 0;
}
