// SPDX-License-Identifier: GPL-2.0
/*
 * sysfuzz: a system call fuzzer that runs as an ordinary job.
 *
 * Worker threads (4 by default, spread over the job's CPUs) issue random
 * system call numbers -- Kitten's list (kitten/syscall_list.h, included
 * below so it never falls behind), any Linux number, Kitten's native
 * numbers from 1000 and wild ones -- with hostile arguments: kernel
 * direct-map and kernel-image addresses, non-canonical addresses, SMARTMAP
 * windows of ranks that do not exist, unmapped, misaligned and
 * page-straddling pointers, huge sizes, bad descriptors and random flags.
 * "Valid" pointers point into a scratch arena the fuzzer never touches, so
 * whatever the kernel writes there cannot hurt it. Every thread draws
 * from its own generator seeded from (seed, thread): a run is reproducible
 * from its seed, exactly so with --threads 1 (--trace prints each call).
 *
 * It skips only what would end or block the fuzzer for good, and shapes a
 * few arguments so that a call cannot destroy the fuzzer itself (the table
 * in docs/fuzzing.md says why for each):
 *   - exit, exit_group, rt_sigreturn, execve of a real program, pause,
 *     reboot and vhangup are never issued;
 *   - kill/tkill/tgkill never send SIGKILL or SIGSTOP, nor a fault signal
 *     (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP: those mean a real fault);
 *     as root they only target the fuzzer itself;
 *   - rt_sigaction installs only the fuzzer's handler or SIG_IGN, without
 *     SA_RESETHAND, and leaves the fault signals alone;
 *   - sleeps, futex waits, poll and select get timeouts of at most 1 ms;
 *   - munmap, mremap, mprotect, madvise and MAP_FIXED reach only the arena,
 *     the fuzzer's own mappings or hostile addresses, never its code,
 *     stacks or data; brk never goes below its starting value;
 *   - a new pipe loses one end at once, so no read or write on it can
 *     block for good; sockets, eventfds, timerfds and signalfds are made
 *     non-blocking (accept, eventfd and signalfd, which cannot say so, are
 *     skipped), F_SETFL keeps O_NONBLOCK and flock gets LOCK_NB;
 *   - clone/fork/vfork children exit at once, before touching memory;
 *   - arch_prctl(ARCH_SET_FS) is undone in the same instruction sequence;
 *   - file names are under /tmp/fz, removed at the end, with whatever
 *     names made of arena bytes created in / and /tmp, so the next job
 *     finds the file system and the free memory as they were.
 *
 * Progress: each thread publishes its count and current call in a shared
 * table; the main thread prints a line at every tenth of the run, and if
 * no call completes for 60 s it prints the seed and every thread's call.
 * A real fault in the fuzzer prints the same and exits with status 3; a
 * memory call that took the fuzzer's own file-name buffers, status 4.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#define MAX_THREADS	8
#define ARENA_SIZE	(512 << 10)
#define STACK_SIZE	(128 << 10)
#define CHILD_STACK	(16 << 10)
#define OUT_FD		200		/* progress output; fuzzed fds stay below 64 */
#define FD_RANGE	64
#define NR_MAPS		16
#define PATH_BUF	8192
#define PAGE		4096
/* Each thread's file names, then a PROT_NONE page that stops any write. */
#define PATH_STRIDE	(PATH_BUF + PAGE)

/* System calls Kitten has, straight from its list. */
#define SYSCALL(nr, name) nr,
static const int kitten_calls[] = {
#include "../../../kitten/include/kitten/syscall_list.h"
};
#undef SYSCALL
#define SYSCALL(nr, name) [nr] = #name,
static const char *const kitten_names[1100] = {
#include "../../../kitten/include/kitten/syscall_list.h"
};
#undef SYSCALL
#define NR_KITTEN_CALLS (sizeof(kitten_calls) / sizeof(kitten_calls[0]))

/* The numbers used below, spelled as Linux spells them. */
enum {
	NR_READ = 0, NR_MMAP = 9, NR_MPROTECT = 10, NR_MUNMAP = 11, NR_BRK = 12,
	NR_RT_SIGACTION = 13, NR_RT_SIGRETURN = 15, NR_PIPE = 22,
	NR_SELECT = 23, NR_MREMAP = 25, NR_MADVISE = 28, NR_PAUSE = 34,
	NR_NANOSLEEP = 35, NR_CLONE = 56, NR_FORK = 57, NR_VFORK = 58,
	NR_EXECVE = 59, NR_EXIT = 60, NR_WAIT4 = 61, NR_KILL = 62,
	NR_FCNTL = 72, NR_CHDIR = 80, NR_SIGALTSTACK = 131, NR_ARCH_PRCTL = 158,
	NR_REBOOT = 169, NR_VHANGUP = 153, NR_TKILL = 200, NR_FUTEX = 202,
	NR_EPOLL_WAIT = 232, NR_CLOCK_NANOSLEEP = 230, NR_EXIT_GROUP = 231,
	NR_TGKILL = 234, NR_PSELECT6 = 270, NR_PPOLL = 271,
	NR_EPOLL_PWAIT = 281, NR_PIPE2 = 293, NR_PRLIMIT64 = 302,
	NR_EXECVEAT = 322, NR_CLONE3 = 435, NR_FUTEX_WAITV = 449,
	NR_POLL = 7, NR_RT_SIGSUSPEND = 130, NR_RT_SIGTIMEDWAIT = 128,
	NR_CLOSE = 3, NR_DUP2 = 33, NR_DUP3 = 292, NR_CLOSE_RANGE = 436,
	NR_KITTEN_VM_CONSOLE_READ = 1017,
	/* Descriptors that could wait for good: made non-blocking. */
	NR_SOCKET = 41, NR_ACCEPT = 43, NR_SOCKETPAIR = 53, NR_FLOCK = 73,
	NR_SIGNALFD = 282, NR_TIMERFD_CREATE = 283, NR_EVENTFD = 284,
	NR_ACCEPT4 = 288, NR_SIGNALFD4 = 289, NR_EVENTFD2 = 290,
	NR_EPOLL_PWAIT2 = 441,
	/* Native calls that change the caller's own address space. */
	NR_KITTEN_ASPACE_UNMAP = 1007, NR_KITTEN_ASPACE_SET_BRK = 1012,
	NR_KITTEN_ASPACE_PROTECT = 1021,
};
#define KITTEN_ASPACE_SELF 0

struct slot {			/* one thread's state, read by the monitor */
	volatile uint64_t count;	/* calls completed */
	volatile uint64_t skipped;
	volatile uint64_t nr;
	volatile uint64_t arg[6];
	volatile long ret;
	volatile int done;
} __attribute__((aligned(64)));

struct kernel_sigaction {
	uint64_t handler, flags, restorer, mask;
};

struct worker {
	int id;
	uint64_t rng;
	uint64_t calls;
	uint64_t fs_base;
	uint64_t maps[NR_MAPS][2];	/* the fuzzer's own mmap results */
	/*
	 * File names live in a mapping of their own (paths_region): a name is
	 * handed out as any pointer, and a call may write a megabyte there.
	 */
	char *path;
	/* Arguments the fuzzer shapes for one call of known size. */
	int64_t ts[2];
	int pipefd[2];
	struct kernel_sigaction sa;
	char child_stack[CHILD_STACK] __attribute__((aligned(16)));
};

static struct slot slots[MAX_THREADS];
static struct worker workers[MAX_THREADS];
static char stacks[MAX_THREADS][STACK_SIZE] __attribute__((aligned(4096)));
static uint64_t seed = 1, total_calls = 1000000;
static int nthreads = 4, trace, is_root, memory;
static uint64_t trace_from = UINT64_MAX;	/* each thread's calls from this on */
static uint64_t nranks = 1;	/* SMARTMAP windows 0..nranks-1 are the job's */
static uint64_t skips[16];	/* --skip NR: to narrow down a failure */
static int nr_skips;
static char *arena, *paths_region;
static uint64_t brk_start;
static volatile uint64_t signals_caught;
static volatile int go;
static struct kernel_sigaction base_sa;
static pid_t my_pid;

/* --- output without stdio (no locks, no allocation) ------------------- */

static void out(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 1)
		n = sizeof(buf) - 1;
	syscall(SYS_write, OUT_FD, buf, n);
}

static const char *call_name(uint64_t nr)
{
	return nr < 1100 && kitten_names[nr] ? kitten_names[nr] : "?";
}

static void print_call(const char *what, int t)
{
	volatile struct slot *s = &slots[t];

	out("sysfuzz: %s seed %lu thread %d call %lu: %s (%lu)(%#lx, %#lx, %#lx, %#lx, %#lx, %#lx)\n",
	    what, seed, t, s->count, call_name(s->nr), s->nr, s->arg[0],
	    s->arg[1], s->arg[2], s->arg[3], s->arg[4], s->arg[5]);
}

/* --- randomness ------------------------------------------------------- */

static uint64_t rnd(struct worker *w)
{
	/* xorshift64* */
	w->rng ^= w->rng >> 12;
	w->rng ^= w->rng << 25;
	w->rng ^= w->rng >> 27;
	return w->rng * 0x2545f4914f6cdd1dULL;
}

static uint64_t below(struct worker *w, uint64_t n)
{
	return rnd(w) % n;
}

static uint64_t mix(uint64_t x)
{
	/* splitmix64: independent streams from (seed, thread) */
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* --- arguments -------------------------------------------------------- */

static const char *const paths[] = {
	"/tmp/fz", "/tmp/fz/a", "/tmp/fz/b", "/tmp/fz/d", "/tmp/fz/d/e",
	"/tmp/fz/d/../a", "/tmp/fz//b/", "/tmp/fz/a/x", "", ".", "..",
	"/tmp/fz/d/./e", "/tmp/fz/\xff\xfe", "/tmp/fz/nonexistent/deeper",
};
#define NR_PATHS (sizeof(paths) / sizeof(paths[0]))

/* An address nobody may touch from user space, or nobody maps. */
static uint64_t hostile_addr(struct worker *w)
{
	switch (below(w, 14)) {
	case 0: return 0xffff888000000000ULL + (rnd(w) & 0x3ffffff8ULL);
	case 1: return 0xffffffff80000000ULL + (rnd(w) & 0xffffffULL);
	case 2: return 0x0000800000000000ULL + (rnd(w) & 0x7fffffffffffULL);
	case 3: return 0x8000000000000000ULL >> below(w, 2);
	case 4: return 0xdead000000000000ULL + below(w, 4096);
	case 5: return below(w, 4096);				/* page zero */
	case 6: return -(uint64_t)below(w, 4096) - 1;		/* top of memory */
	case 7: return 0x00007ffffffff000ULL + below(w, 4096);	/* end of user */
	case 8:	/* a SMARTMAP window of a rank the job does not have */
		return ((1 + nranks + below(w, 255 - nranks)) << 39) +
		       (rnd(w) & 0xfffffff);
	case 9: return (uint64_t)arena + ARENA_SIZE - below(w, 64); /* straddles */
	case 10: return 0x4000000000ULL + (rnd(w) & 0xffffff);	/* init's window */
	case 11: return 0x100000000ULL + (rnd(w) & 0xfffffffff);
	case 12: return 0xffffffffff600000ULL;			/* vsyscall page */
	default: return rnd(w);
	}
}

static uint64_t valid_ptr(struct worker *w)
{
	uint64_t off = below(w, ARENA_SIZE);

	if (below(w, 4))
		off &= ~7ULL;
	else if (!below(w, 2))
		off |= 1;		/* misaligned */
	if (!below(w, 8)) {
		uint64_t *m = w->maps[below(w, NR_MAPS)];

		if (m[0])
			return m[0] + below(w, m[1]);
	}
	return (uint64_t)arena + off;
}

static uint64_t path_ptr(struct worker *w)
{
	if (!below(w, 16)) {		/* far longer than PATH_MAX */
		memset(w->path, 'a', PATH_BUF - 1);
		w->path[0] = '/';
		w->path[PATH_BUF - 1] = '\0';
		return (uint64_t)w->path;
	}
	if (!below(w, 16)) {		/* runs into the guard page */
		char *end = w->path + PATH_BUF - 8;

		memcpy(end, "/tmp/fza", 8);
		return (uint64_t)end;
	}
	strcpy(w->path, paths[below(w, NR_PATHS)]);
	return (uint64_t)w->path;
}

static uint64_t size_arg(struct worker *w)
{
	static const uint64_t sizes[] = {
		0, 1, 7, 8, 4095, 4096, 4097, 65536, 1ULL << 21, 1ULL << 30,
		1ULL << 40, 0x7fffffff, 0x80000000, 0xffffffff, -1ULL,
		-4096ULL, 1ULL << 63, ARENA_SIZE, ARENA_SIZE + 1,
	};

	return below(w, 2) ? sizes[below(w, sizeof(sizes) / 8)] : below(w, 8192);
}

static uint64_t fd_arg(struct worker *w)
{
	static const uint64_t bad[] = {
		-1ULL, (uint64_t)-100 /* AT_FDCWD */, 256, 1 << 20, 0x7fffffff,
		0x80000000, 0xffffffff, -2ULL,
	};

	return below(w, 4) ? below(w, FD_RANGE) : bad[below(w, 8)];
}

static uint64_t flags_arg(struct worker *w)
{
	switch (below(w, 4)) {
	case 0: return 1ULL << below(w, 64);
	case 1: return rnd(w) & rnd(w) & 0xffffffff;
	case 2: return rnd(w) & 0xffff;
	default: return rnd(w);
	}
}

static uint64_t any_arg(struct worker *w)
{
	switch (below(w, 10)) {
	case 0: case 1: return below(w, 2) ? below(w, 64) : -(uint64_t)below(w, 3);
	case 2: return fd_arg(w);
	case 3: case 4: return valid_ptr(w);
	case 5: return path_ptr(w);
	case 6: case 7: return hostile_addr(w);
	case 8: return size_arg(w);
	default: return flags_arg(w);
	}
}

static uint64_t pick_nr(struct worker *w)
{
	switch (below(w, 20)) {
	case 0: case 1: case 2: case 3: return below(w, 460);
	case 4: return 1000 + below(w, 40);
	case 5: return below(w, 2) ? rnd(w) : 0x40000000 + below(w, 460);
	default: return kitten_calls[below(w, NR_KITTEN_CALLS)];
	}
}

/* --- shaping the calls that could end or block the fuzzer ------------- */

/* Signal numbers are ints: the kernel may ignore the upper 32 bits. */
static bool is_fault_signal(uint64_t arg)
{
	int sig = (int)arg;

	return sig == SIGSEGV || sig == SIGBUS || sig == SIGILL ||
	       sig == SIGFPE || sig == SIGTRAP;
}

static uint64_t safe_signal(struct worker *w, uint64_t sig)
{
	if ((int)sig == SIGKILL || (int)sig == SIGSTOP || is_fault_signal(sig))
		return below(w, 2) ? SIGUSR1 : 0;
	return sig;
}

static bool is_ours(struct worker *w, uint64_t a);

/* A hostile address that is surely not readable (not the arena's end). */
static uint64_t bad_addr(struct worker *w)
{
	uint64_t p;

	do
		p = hostile_addr(w);
	while (is_ours(w, p) || (p >= (uint64_t)paths_region &&
				 p < (uint64_t)paths_region + MAX_THREADS * PATH_STRIDE));
	return p;
}

/* The timespec the fuzzer gives blocking calls: at most 1 ms, or invalid. */
static uint64_t short_time(struct worker *w)
{
	if (!below(w, 8))
		return bad_addr(w);
	w->ts[0] = below(w, 8) ? 0 : -(int64_t)below(w, 3);
	w->ts[1] = below(w, 8) ? (int64_t)below(w, 1000000) : 1000000000;
	return (uint64_t)w->ts;
}

static bool is_ours(struct worker *w, uint64_t a)
{
	if (a >= (uint64_t)arena && a < (uint64_t)arena + ARENA_SIZE)
		return true;
	for (int i = 0; i < NR_MAPS; i++)
		if (w->maps[i][0] && a >= w->maps[i][0] &&
		    a < w->maps[i][0] + w->maps[i][1])
			return true;
	return false;
}

/* An address memory-management calls may change: never the fuzzer's own. */
static uint64_t mm_addr(struct worker *w, uint64_t a)
{
	if (is_ours(w, a))
		return a;
	switch (below(w, 3)) {
	case 0: return (uint64_t)arena + (below(w, ARENA_SIZE) & ~0xfffULL);
	case 1: {
		uint64_t *m = w->maps[below(w, NR_MAPS)];

		if (m[0])
			return m[0];
	}
	/* fall through */
	default: return hostile_addr(w);
	}
}

/* Within the mapping a starts in: a huge length would reach the stacks. */
static uint64_t mm_len(struct worker *w, uint64_t a, uint64_t len)
{
	uint64_t end = 0;

	if (len >= (1ULL << 47))	/* more than user space: refused anyway */
		return len;
	if (a >= (uint64_t)arena && a < (uint64_t)arena + ARENA_SIZE)
		end = (uint64_t)arena + ARENA_SIZE;
	for (int i = 0; i < NR_MAPS; i++)
		if (w->maps[i][0] && a >= w->maps[i][0] &&
		    a < w->maps[i][0] + w->maps[i][1])
			end = w->maps[i][0] + w->maps[i][1];
	return end && a + len > end ? end - a : len;
}

/* Returns false to skip the call; may rewrite the arguments. */
static bool shape(struct worker *w, uint64_t nr, uint64_t *a)
{
	for (int i = 0; i < nr_skips; i++)
		if (nr == skips[i])
			return false;
	switch (nr) {
	case NR_EXIT: case NR_EXIT_GROUP: case NR_RT_SIGRETURN: case NR_PAUSE:
	case NR_REBOOT: case NR_VHANGUP: case NR_RT_SIGSUSPEND: case NR_EXECVEAT:
		return false;
	case NR_CLOSE: case NR_DUP2: case NR_DUP3:	/* the progress output */
		if (a[nr != NR_CLOSE] == OUT_FD)
			a[nr != NR_CLOSE]++;
		return true;
	case NR_CLOSE_RANGE:
		if (a[1] >= OUT_FD)
			a[1] = OUT_FD - 1;
		return true;
	case NR_EXECVE:
		/* Only programs that cannot start: a hostile path or no file. */
		if (below(w, 2))
			a[0] = bad_addr(w);
		else
			a[0] = (uint64_t)strcpy(w->path, below(w, 2) ? "/tmp/fz/nope" : "/tmp/fz");
		return true;
	case NR_KILL:
		if (is_root)	/* root could kill other jobs: aim at itself */
			a[0] = below(w, 2) ? 0 : (uint64_t)my_pid;
		a[1] = safe_signal(w, a[1]);
		return true;
	case NR_TKILL:
		if (is_root)
			a[0] = syscall(SYS_gettid);
		a[1] = safe_signal(w, a[1]);
		return true;
	case NR_TGKILL:
		if (is_root) {
			a[0] = my_pid;
			a[1] = syscall(SYS_gettid);
		}
		a[2] = safe_signal(w, a[2]);
		return true;
	case NR_RT_SIGACTION:
		if (is_fault_signal(a[0]) || (int)a[0] == SIGKILL ||
		    (int)a[0] == SIGSTOP)
			a[1] = 0;
		else if (!below(w, 2))
			a[1] = bad_addr(w);
		else
			a[1] = (uint64_t)&w->sa;
		w->sa = base_sa;		/* the handler set up at start */
		w->sa.flags = (flags_arg(w) | 0x04000000) & ~0x80000000ULL;
		w->sa.mask = rnd(w);
		if (!below(w, 4))
			w->sa.handler = (uint64_t)SIG_IGN;
		return true;
	case NR_SIGALTSTACK:
		a[0] = below(w, 2) ? 0 : bad_addr(w);
		return true;
	case NR_NANOSLEEP:
		a[0] = short_time(w);
		return true;
	case NR_CLOCK_NANOSLEEP:
		a[2] = short_time(w);
		return true;
	case NR_FUTEX: {
		unsigned cmd = a[1] & 0x7f;

		/* WAIT, LOCK_PI, WAIT_BITSET, WAIT_REQUEUE_PI, LOCK_PI2 */
		if (cmd == 0 || cmd == 6 || cmd == 9 || cmd == 11 || cmd == 13)
			a[3] = short_time(w);
		return true;
	}
	case NR_FUTEX_WAITV: case NR_RT_SIGTIMEDWAIT:
		a[nr == NR_FUTEX_WAITV ? 3 : 2] = short_time(w);
		return true;
	case NR_POLL:
		a[2] = below(w, 2);	/* milliseconds */
		return true;
	case NR_EPOLL_WAIT: case NR_EPOLL_PWAIT:
		a[3] = below(w, 2);	/* milliseconds */
		return true;
	case NR_EPOLL_PWAIT2:
		a[3] = short_time(w);
		return true;
	case NR_SOCKET: case NR_SOCKETPAIR:
		a[1] |= 04000;		/* SOCK_NONBLOCK */
		return true;
	case NR_ACCEPT4:
		a[3] |= 04000;
		return true;
	case NR_EVENTFD2: case NR_TIMERFD_CREATE:
		a[1] |= 04000;		/* EFD_NONBLOCK, TFD_NONBLOCK */
		return true;
	case NR_SIGNALFD4:
		a[3] |= 04000;
		return true;
	case NR_ACCEPT: case NR_EVENTFD: case NR_SIGNALFD:
		return false;		/* no flags: a blocking descriptor */
	case NR_FLOCK:
		a[1] |= 4;		/* LOCK_NB */
		return true;
	case NR_PPOLL:
		a[2] = short_time(w);
		return true;
	case NR_SELECT: case NR_PSELECT6:
		w->ts[0] = 0;
		w->ts[1] = below(w, 1000);	/* a timeval or a timespec */
		a[4] = below(w, 8) ? (uint64_t)w->ts : bad_addr(w);
		return true;
	case NR_FCNTL:
		if (a[1] == 7 || a[1] == 38 || a[1] == 1025 + 13)
			a[1] = 6;	/* F_SETLKW, F_OFD_SETLKW: F_SETLK */
		if (a[1] == 4)		/* F_SETFL keeps O_NONBLOCK */
			a[2] |= 04000;
		return true;
	case NR_WAIT4:
		return true;
	case NR_MUNMAP: case NR_MPROTECT: case NR_MADVISE: case NR_MREMAP:
		a[0] = mm_addr(w, a[0]);
		a[1] = mm_len(w, a[0], a[1]);
		if (nr == NR_MREMAP && (a[3] & 2))	/* MREMAP_FIXED */
			a[4] = mm_addr(w, a[4]);
		return true;
	case NR_KITTEN_ASPACE_UNMAP: case NR_KITTEN_ASPACE_PROTECT:
		/* On itself, these are munmap and mprotect without the heap's
		 * bookkeeping: the same rules. */
		if (a[0] == KITTEN_ASPACE_SELF) {
			a[1] = mm_addr(w, a[1]);
			a[2] = mm_len(w, a[1], a[2]);
		}
		return true;
	case NR_KITTEN_ASPACE_SET_BRK:
		/* On itself, it would forget every mapping the job has. */
		return a[0] != KITTEN_ASPACE_SELF;
	case NR_MMAP:
		if (a[3] & (0x10 | 0x100000))		/* MAP_FIXED(_NOREPLACE) */
			a[0] = mm_addr(w, a[0]);
		return true;
	case NR_BRK:		/* glibc's own data lies below brk_start */
		if (a[0] && a[0] < brk_start)
			a[0] = brk_start + below(w, 1 << 20);
		return true;
	case NR_PIPE: case NR_PIPE2:	/* the fuzzer must see both ends */
		a[0] = below(w, 4) ? (uint64_t)w->pipefd : bad_addr(w);
		return true;
	case NR_CLONE:
		a[0] = (a[0] & ~0xffULL) | safe_signal(w, a[0] & 0xff);
		/* A stack of its own, for a signal that comes before it exits. */
		if ((a[0] & 0x100) || below(w, 4))
			a[1] = (uint64_t)w->child_stack + CHILD_STACK;
		else
			a[1] = 0;
		return true;
	case NR_PRLIMIT64:
		if (a[1] == 0 /* RLIMIT_CPU */ || a[1] == 3 /* RLIMIT_STACK */)
			a[2] = 0;
		return true;
	case NR_KITTEN_VM_CONSOLE_READ:
		a[3] = below(w, 1000000);	/* timeout in ns */
		return true;
	case NR_CHDIR:
		a[0] = path_ptr(w);
		return true;
	}
	return true;
}

/* --- issuing a call --------------------------------------------------- */

static long raw_syscall(uint64_t nr, const uint64_t *a, int forky)
{
	register uint64_t r10 __asm__("r10") = a[3];
	register uint64_t r8 __asm__("r8") = a[4];
	register uint64_t r9 __asm__("r9") = a[5];
	long ret = nr;

	/* A child of fork/vfork/clone leaves at once, touching no memory. */
	__asm__ __volatile__("syscall\n\t"
			     "test %%rax, %%rax\n\t"
			     "jnz 1f\n\t"
			     "test %[forky], %[forky]\n\t"
			     "jz 1f\n\t"
			     "mov $60, %%eax\n\t"
			     "xor %%edi, %%edi\n\t"
			     "syscall\n\t"
			     "ud2\n"
			     "1:"
			     : "+a"(ret)
			     : "D"(a[0]), "S"(a[1]), "d"(a[2]), "r"(r10), "r"(r8),
			       "r"(r9), [forky] "r"((uint64_t)forky)
			     : "rcx", "r11", "memory");
	return ret;
}

/* ARCH_SET_FS, with the fuzzer's own FS base put back before any C runs. */
static long set_fs_and_restore(const uint64_t *a, uint64_t fs)
{
	uint64_t code = a[0], addr = a[1];
	long ret = NR_ARCH_PRCTL;

	__asm__ __volatile__("syscall\n\t"
			     "mov %%rax, %%r12\n\t"
			     "mov $158, %%eax\n\t"
			     "mov $0x1002, %%edi\n\t"
			     "mov %[fs], %%rsi\n\t"
			     "syscall\n\t"
			     "mov %%r12, %%rax"
			     : "+a"(ret), "+D"(code), "+S"(addr)
			     : [fs] "r"(fs)
			     : "rcx", "r11", "r12", "memory");
	return ret;
}

/*
 * [start, start+len) is no longer mapped: entries of maps[] keep only the
 * pages they still have, so no later call takes memory the fuzzer gave
 * away (and the kernel may have handed to someone else) for its own.
 */
static void forget(struct worker *w, uint64_t start, uint64_t len)
{
	uint64_t end = start + ((len + PAGE - 1) & ~(uint64_t)(PAGE - 1));

	if (end < start)
		end = -1ULL;
	for (int i = 0; i < NR_MAPS; i++) {
		uint64_t *m = w->maps[i], m_end = m[0] + m[1];

		if (!m[0] || end <= m[0] || start >= m_end)
			continue;
		if (start > m[0])		/* keeps its lower part */
			m[1] = start - m[0];
		else if (end < m_end)		/* keeps its upper part */
			m[0] = end, m[1] = m_end - end;
		else
			m[0] = m[1] = 0;
	}
}

static void after(struct worker *w, uint64_t nr, const uint64_t *a, long ret)
{
	if (ret < 0 && ret > -4096)
		return;
	if (nr == NR_MUNMAP) {
		forget(w, a[0], a[1]);
	} else if (nr == NR_MMAP || nr == NR_MREMAP) {
		uint64_t *m = w->maps[below(w, NR_MAPS)];
		uint64_t len = nr == NR_MMAP ? a[1] : a[2];

		if (nr == NR_MREMAP)	/* moved or shrunk: the old range went */
			forget(w, a[0], a[1]);
		if (m[0] && !syscall(SYS_munmap, m[0], m[1]))	/* make room */
			forget(w, m[0], m[1]);
		m[0] = ret;
		/* Never more than it has: the length is rounded down. */
		m[1] = len < ARENA_SIZE ? (len ? len : 1) : ARENA_SIZE;
	} else if ((nr == NR_PIPE || nr == NR_PIPE2) && a[0] == (uint64_t)w->pipefd) {
		syscall(SYS_close, w->pipefd[below(w, 2)]);
	}
}

/*
 * The kernel was given no pointer to the fuzzer's own state: if that
 * changed, a call wrote where it had no business. Say so and stop.
 */
static void check_own_state(struct worker *w, int id, uint64_t calls)
{
	if (w->id == id && w->calls == calls && slots[id].done == 0)
		return;
	out("sysfuzz: CORRUPTED the fuzzer's own memory (thread %d: id %d, "
	    "calls %lu)\n", id, w->id, w->calls);
	for (int t = 0; t < nthreads; t++)
		print_call("corrupted", t);
	syscall(SYS_exit_group, 4);
}

/* Calls that can change which memory the fuzzer has. */
static bool is_mm_call(uint64_t nr)
{
	return nr == NR_MMAP || nr == NR_MUNMAP || nr == NR_MREMAP ||
	       nr == NR_MPROTECT || nr == NR_MADVISE || nr == NR_BRK ||
	       nr == NR_KITTEN_ASPACE_UNMAP || nr == NR_KITTEN_ASPACE_PROTECT ||
	       nr == NR_KITTEN_ASPACE_SET_BRK;
}

/*
 * No memory call is ever aimed at the file-name buffers: if one is no
 * longer mapped whole, a call took memory it was not given (munmap of a
 * length past the end of user space freed every mapping above its
 * address; seed 1). A write there would fault much later, far from the
 * cause; this names the call. mremap to the same size only checks.
 */
static void check_own_maps(void)
{
	for (int t = 0; t < nthreads; t++) {
		char *p = paths_region + t * PATH_STRIDE;

		if (syscall(SYS_mremap, p, PATH_BUF, PATH_BUF, 0) == (long)p)
			continue;
		out("sysfuzz: CORRUPTED: thread %d's file names at %p are no "
		    "longer mapped\n", t, p);
		for (int i = 0; i < nthreads; i++)
			print_call("corrupted", i);
		syscall(SYS_exit_group, 4);
	}
}

static void *fuzz_thread(void *p)
{
	struct worker *w = p;
	const int id = w->id;
	const uint64_t calls = w->calls;
	volatile struct slot *s = &slots[w->id];
	uint64_t a[6];

	syscall(SYS_arch_prctl, 0x1003 /* ARCH_GET_FS */, &w->fs_base);
	while (!go)
		;
	while (s->count + s->skipped < w->calls) {
		uint64_t nr = pick_nr(w);
		long ret;
		int forky;

		for (int i = 0; i < 6; i++)
			a[i] = any_arg(w);
		if (!shape(w, nr, a)) {
			s->skipped++;
			continue;
		}
		/* A fork copies the whole job: keep them to one in 16. */
		forky = nr == NR_FORK || nr == NR_VFORK || nr == NR_CLONE ||
			nr == NR_CLONE3;
		if (forky && !(nr == NR_CLONE && (a[0] & 0x10100) == 0x10100) &&
		    below(w, 16))
			continue;
		s->nr = nr;
		for (int i = 0; i < 6; i++)
			s->arg[i] = a[i];
		if (trace || s->count >= trace_from)
			print_call("call", w->id);
		if (nr == NR_ARCH_PRCTL && a[0] == 0x1002)
			ret = set_fs_and_restore(a, w->fs_base);
		else
			ret = raw_syscall(nr, a, forky);
		s->ret = ret;
		check_own_state(w, id, calls);
		after(w, nr, a, ret);
		if (is_mm_call(nr))
			check_own_maps();
		s->count++;
		/* Reap what the random calls made, so children do not pile up. */
		if (forky && ret > 0)
			syscall(SYS_wait4, -1, NULL, 1 /* WNOHANG */, NULL);
	}
	s->done = 1;
	return NULL;
}

/* --- signals ---------------------------------------------------------- */

static void on_signal(int sig)
{
	(void)sig;
	__atomic_fetch_add(&signals_caught, 1, __ATOMIC_RELAXED);
}

/* A fault signal is never sent by the fuzzer: the fuzzer itself faulted. */
static void on_fault(int sig, siginfo_t *si, void *ucp)
{
	ucontext_t *uc = ucp;

	out("sysfuzz: FAULT signal %d at %p, rip %#llx rsp %#llx, pid %ld (fuzzer %d) tid %ld\n",
	    sig, si->si_addr, uc->uc_mcontext.gregs[REG_RIP],
	    uc->uc_mcontext.gregs[REG_RSP], syscall(SYS_getpid), my_pid,
	    syscall(SYS_gettid));
	for (int t = 0; t < nthreads; t++)
		print_call("fault", t);
	syscall(SYS_exit_group, 3);
}

__asm__(".text\n"
	"fz_restorer:\n\t"
	"mov $15, %eax\n\t"
	"syscall\n\t"
	"hlt\n");
extern void fz_restorer(void);

static void install_handlers(void)
{
	struct kernel_sigaction sa = {
		.handler = (uint64_t)on_signal,
		.flags = 0x04000000 /* SA_RESTORER */ | SA_RESTART,
		.restorer = (uint64_t)fz_restorer,
	};
	struct kernel_sigaction fault = {
		.handler = (uint64_t)on_fault,
		.flags = 0x04000000 | SA_SIGINFO,
		.restorer = (uint64_t)fz_restorer,
	};

	for (int sig = 1; sig <= 64; sig++) {
		if (sig == SIGKILL || sig == SIGSTOP)
			continue;
		syscall(SYS_rt_sigaction, sig, is_fault_signal(sig) ? &fault : &sa,
			NULL, 8);
	}
	base_sa = sa;
}

/* --- setup and cleanup ------------------------------------------------ */

static void make_tree(void)
{
	syscall(SYS_mkdir, "/tmp/fz", 0755);
	syscall(SYS_mkdir, "/tmp/fz/d", 0755);
	syscall(SYS_close, syscall(SYS_open, "/tmp/fz/a", O_CREAT | O_WRONLY, 0644));
	syscall(SYS_chdir, "/tmp/fz");
}

/* Remove what the calls made under dir (depth first), then dir itself. */
static void remove_tree(const char *dir, int depth)
{
	char buf[4096], sub[512];
	long n;
	int fd;

	for (int pass = 0; pass < 64 && depth < 16; pass++) {
		int removed = 0;

		fd = syscall(SYS_open, dir, O_RDONLY | O_DIRECTORY);
		if (fd < 0)
			return;
		while ((n = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
			for (long off = 0; off < n;) {
				struct {
					uint64_t ino, off;
					unsigned short reclen;
					unsigned char type;
					char name[];
				} *d = (void *)(buf + off);

				off += d->reclen;
				if (!strcmp(d->name, ".") || !strcmp(d->name, ".."))
					continue;
				snprintf(sub, sizeof(sub), "%s/%s", dir, d->name);
				if (syscall(SYS_unlink, sub) == 0)
					removed++;
				else
					remove_tree(sub, depth + 1);
			}
		}
		syscall(SYS_close, fd);
		if (!removed)
			break;
	}
	syscall(SYS_rmdir, dir);
}

/*
 * The kernel's account of its memory (/proc/kitten/memory), one line
 * each: printed by a run without calls before and after the measured
 * one, it names what a leak holds (docs/fuzzing.md).
 */
static void print_memory(void)
{
	char buf[2048];
	long n, fd = syscall(SYS_open, "/proc/kitten/memory", O_RDONLY);

	if (fd < 0) {
		out("sysfuzz: memory: cannot open /proc/kitten/memory (%ld)\n", fd);
		return;
	}
	n = syscall(SYS_read, fd, buf, sizeof(buf) - 1);
	syscall(SYS_close, fd);
	buf[n > 0 ? n : 0] = '\0';
	for (char *line = buf, *nl; *line; line = nl + 1) {
		nl = strchr(line, '\n');
		if (!nl)
			break;
		*nl = '\0';
		out("sysfuzz: memory: %s\n", line);
	}
}

/*
 * A path made of arena bytes is absolute or relative to a cwd that may
 * have left /tmp/fz (chdir("..")), so calls may create entries in / and
 * /tmp too (the fuzzer runs as a user who may). What was not in them at
 * the start is removed at the end, with /tmp/fz.
 */
#define NAME_MAX_	256
#define MAX_NAMES	256
static const char *const top_dirs[] = { "/", "/tmp" };
#define NR_TOP (sizeof(top_dirs) / sizeof(top_dirs[0]))
static char top_names[NR_TOP][MAX_NAMES][NAME_MAX_];
static int nr_top_names[NR_TOP];

/* The names in dir, at most max of them; their number, or max + 1 when
 * there are more. */
static int list_names(const char *dir, char (*names)[NAME_MAX_], int max)
{
	char buf[4096];
	long n;
	int count = 0, fd = syscall(SYS_open, dir, O_RDONLY | O_DIRECTORY);

	if (fd < 0)
		return 0;
	while ((n = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
		for (long off = 0; off < n;) {
			struct {
				uint64_t ino, off;
				unsigned short reclen;
				unsigned char type;
				char name[];
			} *d = (void *)(buf + off);

			off += d->reclen;
			if (count < max)
				snprintf(names[count], NAME_MAX_, "%s", d->name);
			if (count <= max)
				count++;
		}
	}
	syscall(SYS_close, fd);
	return count;
}

static void remove_new_entries(void)
{
	static char now[MAX_NAMES][NAME_MAX_];
	char path[NAME_MAX_ + 8];

	for (unsigned i = 0; i < NR_TOP; i++) {
		int n = list_names(top_dirs[i], now, MAX_NAMES);

		/* A directory too full to list whole at the start: leave it. */
		if (nr_top_names[i] > MAX_NAMES)
			continue;
		for (int k = 0; k < n && k < MAX_NAMES; k++) {
			int old = !strcmp(now[k], ".") || !strcmp(now[k], "..");

			for (int j = 0; j < nr_top_names[i] && !old; j++)
				old = !strcmp(now[k], top_names[i][j]);
			if (old)
				continue;
			snprintf(path, sizeof(path), "%s/%s",
				 strcmp(top_dirs[i], "/") ? top_dirs[i] : "", now[k]);
			if (syscall(SYS_unlink, path))
				remove_tree(path, 1);
		}
	}
}

static void usage(void)
{
	out("usage: sysfuzz [--seed N] [--calls N] [--threads N] [--skip NR]... [--trace] [--trace-from N] [--memory]\n");
	syscall(SYS_exit_group, 2);
}

static void parse_args(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--trace"))
			trace = 1;
		else if (!strcmp(argv[i], "--memory"))
			memory = 1;
		else if (i + 1 < argc && !strcmp(argv[i], "--trace-from"))
			trace_from = strtoull(argv[++i], NULL, 0);
		else if (i + 1 < argc && !strcmp(argv[i], "--seed"))
			seed = strtoull(argv[++i], NULL, 0);
		else if (i + 1 < argc && !strcmp(argv[i], "--calls"))
			total_calls = strtoull(argv[++i], NULL, 0);
		else if (i + 1 < argc && !strcmp(argv[i], "--threads"))
			nthreads = atoi(argv[++i]);
		else if (i + 1 < argc && !strcmp(argv[i], "--skip") && nr_skips < 16)
			skips[nr_skips++] = strtoull(argv[++i], NULL, 0);
		else
			usage();
	}
	if (nthreads < 1 || nthreads > MAX_THREADS)
		usage();
}

static uint64_t seconds(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec;
}

static uint64_t total_done(void)
{
	uint64_t sum = 0;

	for (int t = 0; t < nthreads; t++)
		sum += slots[t].count;
	return sum;
}

/* Wait for the workers, printing progress; report a thread that stops. */
static void monitor(void)
{
	struct timespec tick = { 0, 100 * 1000 * 1000 };
	uint64_t next = total_calls / 10, last = 0;
	int still = 0, running;

	do {
		uint64_t sum;

		syscall(SYS_nanosleep, &tick, NULL);
		running = 0;
		for (int t = 0; t < nthreads; t++)
			running += !slots[t].done;
		sum = total_done();
		while (next && sum >= next) {
			out("sysfuzz: seed %lu: %lu of %lu calls, %lu signals, %lu s\n",
			    seed, sum, total_calls, signals_caught, seconds());
			next += total_calls / 10;
		}
		still = sum == last ? still + 1 : 0;
		last = sum;
		if (still && still % 600 == 0) {
			out("sysfuzz: HANG? no call finished for %d s\n", still / 10);
			for (int t = 0; t < nthreads; t++)
				if (!slots[t].done)
					print_call("stuck", t);
		}
		/* Counted in ticks that ran, so a starved machine is no hang. */
		if (still == 3000) {
			out("sysfuzz: seed %lu: giving up, the calls above hang\n", seed);
			syscall(SYS_exit_group, 5);
		}
	} while (running);
}

int main(int argc, char **argv)
{
	pthread_t tid[MAX_THREADS];
	pthread_attr_t attr;
	uint64_t skipped = 0;

	if (syscall(SYS_fcntl, 1, F_DUPFD, OUT_FD) != OUT_FD) {
		printf("sysfuzz: cannot keep standard output at fd %d\n", OUT_FD);
		return 2;
	}
	parse_args(argc, argv);
	if (memory)
		print_memory();
	my_pid = getpid();
	if (getenv("KITTEN_NRANKS"))
		nranks = strtoull(getenv("KITTEN_NRANKS"), NULL, 0);
	if (nranks < 1 || nranks > 254)
		nranks = 1;
	is_root = getuid() == 0;
	arena = (char *)syscall(SYS_mmap, 0, ARENA_SIZE, 3, 0x22, -1, 0);
	if ((long)arena < 0 && (long)arena > -4096) {
		out("sysfuzz: no memory for the arena\n");
		return 2;
	}
	paths_region = (char *)syscall(SYS_mmap, 0, MAX_THREADS * PATH_STRIDE, 3, 0x22, -1, 0);
	if ((long)paths_region < 0 && (long)paths_region > -4096) {
		out("sysfuzz: no memory for file names\n");
		return 2;
	}
	for (int t = 0; t < MAX_THREADS; t++)
		if (syscall(SYS_mprotect, paths_region + t * PATH_STRIDE + PATH_BUF,
			    PAGE, 0)) {
			out("sysfuzz: cannot protect the guard pages\n");
			return 2;
		}
	for (unsigned i = 0; i < NR_TOP; i++)
		nr_top_names[i] = list_names(top_dirs[i], top_names[i], MAX_NAMES);
	make_tree();
	out("sysfuzz: seed %lu, %lu calls on %d threads, %zu known calls, uid %d%s\n",
	    seed, total_calls, nthreads, NR_KITTEN_CALLS, getuid(),
	    is_root ? " (root: kill reaches only the fuzzer)" : "");
	for (int t = 0; t < nthreads; t++) {
		workers[t].id = t;
		workers[t].path = paths_region + t * PATH_STRIDE;
		workers[t].rng = mix(seed * MAX_THREADS + t) | 1;
		workers[t].calls = total_calls / nthreads +
				   (t < (int)(total_calls % nthreads));
		pthread_attr_init(&attr);
		pthread_attr_setstack(&attr, stacks[t], STACK_SIZE);
		if (pthread_create(&tid[t], &attr, fuzz_thread, &workers[t])) {
			out("sysfuzz: cannot start thread %d\n", t);
			return 2;
		}
	}
	/*
	 * After pthread_create, which may have grown glibc's heap, and which
	 * installs glibc's own handlers for signals 32 and 33 the first time:
	 * a fuzzed tgkill(33) to itself then ran glibc's set*id handler with
	 * no command set up, a SIGSEGV in glibc (seed 1).
	 */
	brk_start = syscall(SYS_brk, 0);
	install_handlers();
	go = 1;
	monitor();
	/* Workers changed cwd, descriptors and signal dispositions; undo what
	 * outlives the job: the files. */
	while (syscall(SYS_wait4, -1, NULL, 0, NULL) > 0)
		;
	/* A full descriptor table (EMFILE) would keep remove_tree from
	 * opening a directory, and the tree would outlive the job. */
	for (int fd = 0; fd < 1024; fd++)
		if (fd != OUT_FD)
			syscall(SYS_close, fd);
	remove_tree("/tmp/fz", 0);
	remove_new_entries();
	if (syscall(SYS_access, "/tmp/fz", F_OK) == 0)
		out("sysfuzz: seed %lu: /tmp/fz is left: it could not be removed\n", seed);
	for (int t = 0; t < nthreads; t++)
		skipped += slots[t].skipped;
	out("sysfuzz: seed %lu: %lu calls survived (%lu skipped), %lu signals caught\n",
	    seed, total_done(), skipped, signals_caught);
	syscall(SYS_exit_group, 0);
	return 0;
}
