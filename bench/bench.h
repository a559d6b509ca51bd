// SPDX-License-Identifier: GPL-2.0
/*
 * What the benchmark programs share: the clock, argument parsing that
 * refuses what it cannot read, pinning to a CPU, and the result line.
 *
 * Every program prints its results as one line per benchmark,
 *
 *	bench <name> key=value key=value ...
 *
 * where every value is a number, so the harness turns each pair into a
 * CSV row without knowing the benchmark (bench/README.md). Diagnostics
 * go to stderr and never start with "bench ".
 *
 * The clock is CLOCK_MONOTONIC through clock_gettime(): under QEMU with
 * -icount it is a function of the instructions executed, which is what
 * makes the results comparable across kernels. Header-only so that each
 * program stays one source file (plus region.c for CG).
 */
#ifndef BENCH_H
#define BENCH_H

#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static inline uint64_t bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Bad arguments end the program with status 2 (a wrong answer is 1). */
static inline void __attribute__((noreturn, format(printf, 1, 2)))
bench_usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

static inline long bench_arg_long(const char *what, const char *s, long min,
				  long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 0);
	if (errno || end == s || *end || v < min || v > max)
		bench_usage_error("bad %s '%s': want an integer in [%ld, %ld]",
				  what, s, min, max);
	return v;
}

static inline double bench_arg_double(const char *what, const char *s,
				      double min, double max)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !(v >= min && v <= max))
		bench_usage_error("bad %s '%s': want a number in [%g, %g]",
				  what, s, min, max);
	return v;
}

/* Pin the calling thread; 0 or a negative errno. */
static inline int bench_pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set) ? -errno : 0;
}

/* Memory the benchmarks own, cache-line aligned, or the program ends. */
static inline void *bench_alloc(size_t bytes)
{
	void *p = NULL;

	if (posix_memalign(&p, 64, bytes ? bytes : 64)) {
		fprintf(stderr, "out of memory (%zu bytes)\n", bytes);
		exit(2);
	}
	return p;
}

#endif /* BENCH_H */
