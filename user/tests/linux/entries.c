// SPDX-License-Identifier: GPL-2.0
/*
 * A job whose kernel entries are known, for `tools/kitten run --stats`
 * (tests/system/stats.sh):
 *
 *   entries getppid N    exactly N getppid system calls (syscall(), so
 *                        no library cache answers them)
 *   entries compute MIB  write every page of a fresh MIB MiB allocation,
 *                        then compute on it with no system call: on
 *                        Kitten, whose job memory is mapped before the
 *                        job starts, neither takes a page fault
 *   entries clock N      N clock_gettime(CLOCK_MONOTONIC) reads, and N
 *                        gettimeofday() calls: through the vDSO, no
 *                        kernel entry for either
 *
 * It prints one line saying what it did; the counts come from the
 * kernel's table.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static long getppid_calls(long n)
{
	long sum = 0;

	for (long i = 0; i < n; i++)
		sum += syscall(SYS_getppid);
	return sum;
}

/* A sum over the pages, so the compiler keeps the loops. */
static double compute(size_t mib)
{
	size_t n = (mib << 20) / sizeof(double);
	double *a = malloc(n * sizeof(double)), sum = 0;

	if (!a)
		return -1;
	for (size_t i = 0; i < n; i += 4096 / sizeof(double))
		a[i] = (double)i;
	for (int round = 0; round < 4; round++)
		for (size_t i = 0; i < n; i += 4096 / sizeof(double))
			sum += a[i] * 0.5;
	free(a);
	return sum;
}

static long clock_reads(long n)
{
	struct timespec ts;
	struct timeval tv;
	long ok = 0;

	for (long i = 0; i < n; i++)
		ok += clock_gettime(CLOCK_MONOTONIC, &ts) == 0;
	for (long i = 0; i < n; i++)
		ok += gettimeofday(&tv, NULL) == 0;
	return ok;
}

int main(int argc, char **argv)
{
	long n = argc > 2 ? atol(argv[2]) : 0;

	if (argc != 3 || n <= 0) {
		fprintf(stderr, "usage: entries getppid|compute|clock N\n");
		return 2;
	}
	if (!strcmp(argv[1], "getppid")) {
		getppid_calls(n);
		printf("entries: %ld getppid calls\n", n);
	} else if (!strcmp(argv[1], "compute")) {
		printf("entries: computed on %ld MiB, sum %.0f\n", n,
		       compute(n));
	} else if (!strcmp(argv[1], "clock")) {
		printf("entries: %ld clock reads, %ld ok\n", 2 * n,
		       clock_reads(n));
	} else {
		fprintf(stderr, "entries: unknown mode %s\n", argv[1]);
		return 2;
	}
	return 0;
}
