// SPDX-License-Identifier: GPL-2.0
/*
 * Microbenchmarks of what a kernel does for a program, one result line
 * each:
 *
 *	null_syscall	getppid() through syscall(), so no library cache can
 *			answer it: the cost of entering and leaving the kernel
 *	thread_create	pthread_create() + pthread_join() of a thread that
 *			returns at once: clone, scheduling, exit, the wake-up
 *	futex_pingpong	two threads on two CPUs hand a token back and forth,
 *			each sleeping in FUTEX_WAIT until the other's
 *			FUTEX_WAKE: a cross-CPU wake-up and a sleep per hop
 *	page_touch	one write per 4 KiB page over a fresh mapping of M MiB
 *			(first: page faults on Linux, none where memory is
 *			mapped up front, as on Kitten), then a second pass over
 *			the same pages (the TLB: small pages miss once per
 *			page, large pages once per 2 MiB)
 *	map_churn	map 1 MiB, write each 4 KiB page, unmap, again and
 *			again: page-table work (faults, entries made and
 *			torn down, TLB flushes) with little else, the load
 *			that shadow paging makes expensive in a guest
 *
 * Each loop runs a few times untimed first, so that one-time costs (the
 * first thread stack, the first wake-up) are not averaged in. The futex
 * test wants two CPUs; given one (one CPU online, or pinning refused) it
 * runs both threads on it, says so on stderr and in its result (cpus=1).
 */
#include "bench.h"

#include <getopt.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define PAGE 4096
#define WARMUP 16

static void null_syscall(long calls)
{
	uint64_t t0;

	for (int i = 0; i < WARMUP; i++)
		syscall(SYS_getppid);
	t0 = bench_now_ns();
	for (long i = 0; i < calls; i++)
		syscall(SYS_getppid);
	printf("bench null_syscall calls=%ld ns=%.1f\n", calls,
	       (double)(bench_now_ns() - t0) / calls);
}

static void *nothing(void *arg)
{
	return arg;
}

static int thread_create(long threads)
{
	uint64_t t0 = 0;
	pthread_t t;
	int err;

	for (long i = -WARMUP; i < threads; i++) {
		if (i == 0)
			t0 = bench_now_ns();
		err = pthread_create(&t, NULL, nothing, NULL);
		if (err) {
			fprintf(stderr, "micro: pthread_create: %s\n",
				strerror(err));
			return 1;
		}
		pthread_join(t, NULL);
	}
	printf("bench thread_create threads=%ld ns=%.1f\n", threads,
	       (double)(bench_now_ns() - t0) / threads);
	return 0;
}

/* The token: 0 while the main thread holds it, 1 while the partner does. */
struct pingpong {
	int token;
	long hops;
	int partner_cpu;
};

static void futex_wait(int *word, int val)
{
	syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, val, NULL, NULL, 0);
}

static void futex_wake(int *word)
{
	syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

/* Wait until the token says it is ours (mine), then hand it over. */
static void hop(int *token, int mine)
{
	while (__atomic_load_n(token, __ATOMIC_ACQUIRE) != mine)
		futex_wait(token, !mine);
	__atomic_store_n(token, !mine, __ATOMIC_RELEASE);
	futex_wake(token);
}

static void *partner(void *arg)
{
	struct pingpong *pp = arg;

	if (pp->partner_cpu >= 0)
		bench_pin(pp->partner_cpu);
	for (long i = 0; i < pp->hops; i++)
		hop(&pp->token, 1);
	return NULL;
}

/*
 * The two CPUs: those asked for, else the first two this process may use.
 * Returns how many distinct CPUs the test gets, after pinning the caller.
 */
static int pick_cpus(int want_a, int want_b, int *partner_cpu)
{
	cpu_set_t set;
	int found = 0, cpus[2] = {want_a, want_b}, err;

	if (want_a < 0) {
		if (sched_getaffinity(0, sizeof(set), &set))
			CPU_ZERO(&set);
		for (int c = 0; c < CPU_SETSIZE && found < 2; c++)
			if (CPU_ISSET(c, &set))
				cpus[found++] = c;
		if (found < 2) {
			fprintf(stderr, "micro: futex ping-pong on one CPU: "
					"only one CPU available\n");
			*partner_cpu = -1;
			return 1;
		}
	}
	err = bench_pin(cpus[0]);
	if (!err)
		err = bench_pin(cpus[1]) ?: bench_pin(cpus[0]);
	if (err) {
		fprintf(stderr,
			"micro: futex ping-pong on one CPU: cannot "
			"pin to CPUs %d and %d: %s\n",
			cpus[0], cpus[1], strerror(-err));
		*partner_cpu = -1;
		return 1;
	}
	*partner_cpu = cpus[1];
	return 2;
}

static int futex_pingpong(long round_trips, int cpu_a, int cpu_b)
{
	struct pingpong pp = {.hops = round_trips + WARMUP};
	int cpus = pick_cpus(cpu_a, cpu_b, &pp.partner_cpu);
	uint64_t t0 = 0, ns;
	pthread_t t;
	int err;

	err = pthread_create(&t, NULL, partner, &pp);
	if (err) {
		fprintf(stderr, "micro: pthread_create: %s\n", strerror(err));
		return 1;
	}
	for (long i = -WARMUP; i < round_trips; i++) {
		if (i == 0)
			t0 = bench_now_ns();
		hop(&pp.token, 0);
	}
	/* the last round trip ends when the token comes back */
	while (__atomic_load_n(&pp.token, __ATOMIC_ACQUIRE) != 0)
		futex_wait(&pp.token, 1);
	ns = bench_now_ns() - t0;
	pthread_join(t, NULL);
	printf("bench futex_pingpong round_trips=%ld cpus=%d ns=%.1f "
	       "round_trips_per_s=%.1f\n",
	       round_trips, cpus, (double)ns / round_trips,
	       round_trips * 1e9 / ns);
	return 0;
}

static int page_touch(long mib)
{
	long pages = mib * (1 << 20) / PAGE, bad = 0;
	uint64_t t0, t1, t2;
	char *p;

	p = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		fprintf(stderr, "micro: mmap %ld MiB: %s\n", mib,
			strerror(errno));
		return 1;
	}
	/* the asm keeps GCC from merging the two passes into one */
	t0 = bench_now_ns();
	for (long i = 0; i < pages; i++)
		p[i * PAGE] = 1;
	__asm__ volatile("" ::: "memory");
	t1 = bench_now_ns();
	for (long i = 0; i < pages; i++)
		p[i * PAGE]++;
	__asm__ volatile("" ::: "memory");
	t2 = bench_now_ns();
	for (long i = 0; i < pages; i++)
		bad += p[i * PAGE] != 2;
	munmap(p, pages * PAGE);
	printf("bench page_touch mib=%ld pages=%ld first_ns=%.1f "
	       "second_ns=%.1f ok=%d\n",
	       mib, pages, (double)(t1 - t0) / pages, (double)(t2 - t1) / pages,
	       !bad);
	return bad ? 1 : 0;
}

static int map_churn(long rounds)
{
	const long pages = (1 << 20) / PAGE;
	uint64_t t0 = 0;
	long bad = 0;

	for (long r = -WARMUP; r < rounds; r++) {
		char *p = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED) {
			fprintf(stderr, "micro: mmap: %s\n", strerror(errno));
			return 1;
		}
		if (r == 0)
			t0 = bench_now_ns();
		for (long i = 0; i < pages; i++)
			p[i * PAGE] = (char)(r + i);
		for (long i = 0; i < pages; i++)
			bad += p[i * PAGE] != (char)(r + i);
		munmap(p, pages * PAGE);
	}
	printf("bench map_churn rounds=%ld pages=%ld ns=%.1f ok=%d\n", rounds,
	       pages, (double)(bench_now_ns() - t0) / rounds, !bad);
	return bad ? 1 : 0;
}

static void usage(void)
{
	bench_usage_error(
		"usage: micro [--quick] [--cpus A,B] "
		"[syscalls threads round_trips mib rounds]\n"
		"  defaults: 100000 1000 10000 64 200; --quick: 10000 100 1000 8 20");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"quick", no_argument, 0, 'q'},
		{"cpus", required_argument, 0, 'c'},
		{0, 0, 0, 0},
	};
	long calls = 100000, threads = 1000, round_trips = 10000, mib = 64;
	long rounds = 200;
	int cpu_a = -1, cpu_b = -1, c, failed = 0;
	char *comma;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'q') {
			calls = 10000;
			threads = 100;
			round_trips = 1000;
			mib = 8;
			rounds = 20;
		} else if (c == 'c' && (comma = strchr(optarg, ','))) {
			*comma = 0;
			cpu_a = bench_arg_long("cpu", optarg, 0,
					       CPU_SETSIZE - 1);
			cpu_b = bench_arg_long("cpu", comma + 1, 0,
					       CPU_SETSIZE - 1);
		} else {
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 0 && argc != 5)
		usage();
	if (argc == 5) {
		calls = bench_arg_long("syscalls", argv[0], 1, 1L << 40);
		threads = bench_arg_long("threads", argv[1], 1, 1L << 30);
		round_trips =
			bench_arg_long("round_trips", argv[2], 1, 1L << 40);
		mib = bench_arg_long("mib", argv[3], 1, 1L << 20);
		rounds = bench_arg_long("rounds", argv[4], 1, 1L << 30);
	}

	null_syscall(calls);
	failed |= thread_create(threads);
	failed |= futex_pingpong(round_trips, cpu_a, cpu_b);
	failed |= page_touch(mib);
	failed |= map_churn(rounds);
	return failed;
}
