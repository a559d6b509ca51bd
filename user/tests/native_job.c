// SPDX-License-Identifier: GPL-2.0
/*
 * A native Kitten test job. Each rank checks that the init task gave it
 * what the LWK memory model promises (physically contiguous memory,
 * mapped with 2 MiB pages), then all ranks exchange data through SMARTMAP.
 * `native_job fault` touches unmapped memory instead, to be killed.
 * Exits 0 when every check passed.
 */
#include "kitten.h"

#define SLOT_SHIFT	39
#define WAIT_SPINS	200000000UL

static volatile uint64_t mailbox;	/* in .bss: part of the image */
/*
 * Spans a 2 MiB page of its own: the one the image starts in has 4 KiB
 * pages, since text (RX) and data (RW) share it.
 */
static char heap_probe[3 << 20];

static unsigned env_number(char **envp, const char *name)
{
	size_t len = strlen(name);

	for (; *envp; envp++)
		if (!strncmp(*envp, name, len) && (*envp)[len] == '=') {
			unsigned v = 0;

			for (const char *p = *envp + len + 1; *p >= '0' && *p <= '9'; p++)
				v = v * 10 + (*p - '0');
			return v;
		}
	return 0;
}

/* The address of a variable in another rank's memory (SMARTMAP). */
static volatile uint64_t *in_rank(volatile uint64_t *var, unsigned rank)
{
	return (volatile uint64_t *)((uint64_t)var + ((uint64_t)(rank + 1) << SLOT_SHIFT));
}

static int check_memory(unsigned rank)
{
	struct kitten_mapping first, last, mid;
	uint64_t lo = (uint64_t)&heap_probe[0];
	uint64_t hi = (uint64_t)&heap_probe[sizeof(heap_probe) - 1];

	memset(heap_probe, rank, sizeof(heap_probe));
	if (aspace_query(KITTEN_ASPACE_SELF, lo, &first) ||
	    aspace_query(KITTEN_ASPACE_SELF, hi, &last) ||
	    aspace_query(KITTEN_ASPACE_SELF, (lo + (2 << 20)) & ~((2UL << 20) - 1),
			 &mid)) {
		printf("rank %u: cannot query my mappings\n", rank);
		return 1;
	}
	if (last.phys - first.phys != hi - lo) {
		printf("rank %u: memory not physically contiguous\n", rank);
		return 1;
	}
	printf("rank %u: heap at %#lx is physical %#lx, page size %lu KiB\n",
	       rank, lo, first.phys, mid.page_size >> 10);
	if (mid.page_size < (2 << 20)) {
		printf("rank %u: expected 2 MiB pages\n", rank);
		return 1;
	}
	return 0;
}

static int exchange(unsigned rank, unsigned nranks)
{
	mailbox = 1000 + rank;
	for (unsigned peer = 0; peer < nranks; peer++) {
		volatile uint64_t *theirs = in_rank(&mailbox, peer);
		unsigned long spins = 0;

		while (*theirs != 1000 + peer && ++spins < WAIT_SPINS)
			__asm__ __volatile__("pause");
		if (*theirs != 1000 + peer) {
			printf("rank %u: rank %u's mailbox reads %lu\n", rank, peer,
			       (unsigned long)*theirs);
			return 1;
		}
	}
	printf("rank %u: read all %u mailboxes through SMARTMAP\n", rank, nranks);
	return 0;
}

#define EFAULT	14
#define EPERM	1

/* System calls with bad pointers fail cleanly, and a job has no rights. */
static int bad_arguments(void)
{
	struct kitten_mapping m;
	uint64_t pa = 0x1000000;
	int failures = 0;

#define EXPECT(call, want)                                                \
	do {                                                              \
		long got = (call);                                        \
		if (got != (want)) {                                      \
			printf("badptr: %s gave %ld, expected %d\n", #call, \
			       got, (want));                              \
			failures++;                                       \
		}                                                         \
	} while (0)

	EXPECT(write(1, (void *)0x10, 5), -EFAULT);
	EXPECT(write(1, (void *)0xffffffff80100000UL, 5), -EFAULT);
	/* Linux checks the buffer before it looks for input: -EFAULT. */
	EXPECT(read(0, (void *)0xffff888000000000UL, 5), -EFAULT);
	EXPECT(open((const char *)0x20, 0), -EFAULT);
	EXPECT(aspace_query(KITTEN_ASPACE_SELF, (uint64_t)&m, (void *)0x30), -EFAULT);
	EXPECT(pmem_alloc(1 << 21, 1 << 21, &pa), -EPERM);
	EXPECT(aspace_map_pmem(KITTEN_ASPACE_SELF, 0x10000000, 0, 1 << 21), -EPERM);
	EXPECT(aspace_create((uint32_t *)&pa), -EPERM);
	EXPECT(syscall6(999, 0, 0, 0, 0, 0, 0), -38);	/* ENOSYS */
	printf("badptr: %s\n", failures ? "FAILED" : "all refused as expected");
	return failures != 0;
}

/*
 * Floating point across context switches: run with other ranks on the
 * same CPU; the time slices interleave them, and every sum must still be
 * exact (the kernel saves and restores each task's SSE state).
 */
static int fpu_check(unsigned rank)
{
	volatile double scale = 0.5 + rank;
	double sum = 0;
	const unsigned n = 3000000;

	for (unsigned i = 1; i <= n; i++)
		sum += i * scale;
	double want = scale * ((double)n * (n + 1) / 2);

	printf("fpu: rank %u sum %s\n", rank, sum == want ? "exact" : "WRONG");
	return sum != want;
}

/*
 * The same with AVX: four lanes in a YMM register, whose upper half only
 * XSAVE preserves. Each lane must come out exact.
 */
__attribute__((target("avx"))) static int avx_check(unsigned rank)
{
	double lanes[4] __attribute__((aligned(32)));
	double step[4] __attribute__((aligned(32))) = { 1, 2, 3, 4 + rank };
	const unsigned n = 2000000;

	__asm__ __volatile__(
		"vxorpd %%ymm0, %%ymm0, %%ymm0\n\t"
		"vmovapd (%1), %%ymm1\n\t"
		"1: vaddpd %%ymm1, %%ymm0, %%ymm0\n\t"
		"dec %2\n\t"
		"jnz 1b\n\t"
		"vmovapd %%ymm0, (%0)\n\t"
		"vzeroupper"
		: : "r"(lanes), "r"(step), "r"((uint64_t)n)
		: "memory", "xmm0", "xmm1");
	int bad = 0;

	for (int i = 0; i < 4; i++)
		bad |= lanes[i] != step[i] * n;
	printf("avx: rank %u lanes %s\n", rank, bad ? "WRONG" : "exact");
	return bad;
}

/*
 * The same with AVX-512: eight lanes in ZMM16 (a register only AVX-512
 * has) and a mask in k1, three XSAVE components beyond AVX's.
 */
__attribute__((target("avx512f"))) static int avx512_check(unsigned rank)
{
	double lanes[8] __attribute__((aligned(64)));
	double step[8] __attribute__((aligned(64))) = { 1, 2, 3, 4, 5, 6, 7, 8 + rank };
	const unsigned n = 2000000;
	uint64_t mask = 0, count = n;

	__asm__ __volatile__(
		"vpxorq %%zmm16, %%zmm16, %%zmm16\n\t"
		"vmovapd (%3), %%zmm17\n\t"
		"movl $0xa5, %%eax\n\t"
		"kmovw %%eax, %%k1\n\t"
		"1: vaddpd %%zmm17, %%zmm16, %%zmm16\n\t"
		"dec %1\n\t"
		"jnz 1b\n\t"
		"vmovapd %%zmm16, (%2)\n\t"
		"kmovw %%k1, %%eax\n\t"
		"movq %%rax, %0\n\t"
		"vzeroupper"
		: "=m"(mask), "+r"(count)
		: "r"(lanes), "r"(step)
		: "memory", "rax", "xmm16", "xmm17", "k1");
	int bad = mask != 0xa5;

	for (int i = 0; i < 8; i++)
		bad |= lanes[i] != step[i] * n;
	printf("avx512: rank %u lanes and mask %s\n", rank, bad ? "WRONG" : "exact");
	return bad;
}

int main(int argc, char **argv)
{
	char **envp = argv + argc + 1;
	unsigned rank = env_number(envp, "KITTEN_RANK");
	unsigned nranks = env_number(envp, "KITTEN_NRANKS");

	if (argc > 1 && !strcmp(argv[1], "fault")) {
		printf("rank %u: touching unmapped memory\n", rank);
		*(volatile int *)0x1000 = 1;
		return 0;
	}
	if (argc > 1 && !strcmp(argv[1], "quiet"))
		return 0;
	if (argc > 1 && !strcmp(argv[1], "badptr"))
		return bad_arguments();
	if (argc > 1 && !strcmp(argv[1], "fpu"))
		return fpu_check(rank);
	if (argc > 1 && !strcmp(argv[1], "avx"))
		return avx_check(rank);
	if (argc > 1 && !strcmp(argv[1], "avx512"))
		return avx512_check(rank);
	return check_memory(rank) || exchange(rank, nranks ? nranks : 1);
}
