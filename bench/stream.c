// SPDX-License-Identifier: GPL-2.0
/*
 * Memory bandwidth, STREAM-style: four loops over three arrays of n
 * doubles,
 *
 *	copy	c = a		16 bytes moved per element
 *	scale	b = s c		16
 *	add	c = a + b	24
 *	triad	a = b + s c	24
 *
 * run in that order, trials times. Each kernel's rate is its bytes over its
 * best (shortest) time, leaving out the first trial, which pays for page
 * faults and cold caches. The arrays must be much larger than the caches
 * for the figure to be memory bandwidth (the default, 3 x 16 MB, is).
 *
 * Validation replays the same operations on one scalar per array: every
 * element must end equal to its scalar. With a = 1, b = 2, c = 0 and s = 3
 * the values stay integers, exact in a double for the trials allowed, and
 * x86-64 without -march has no fused multiply-add to round differently,
 * so the comparison can be (almost) exact.
 */
#include "bench.h"

#include <getopt.h>
#include <math.h>

enum kernel { COPY, SCALE, ADD, TRIAD, NKERNELS };

static const char *const kernel_name[NKERNELS] = {"copy", "scale", "add",
						  "triad"};
static const int kernel_arrays[NKERNELS] = {2, 2, 3, 3};

#define SCALAR 3.0

/*
 * GCC turns this loop into a memcpy() call, whose variant glibc picks per
 * CPU (some use non-temporal stores): keep the loop as written, so every
 * configuration runs the same instructions.
 */
__attribute__((optimize("no-tree-loop-distribute-patterns"))) static void
copy(long n, const double *a, double *c)
{
	for (long i = 0; i < n; i++)
		c[i] = a[i];
}

static void scale(long n, const double *c, double *b)
{
	for (long i = 0; i < n; i++)
		b[i] = SCALAR * c[i];
}

static void add(long n, const double *a, const double *b, double *c)
{
	for (long i = 0; i < n; i++)
		c[i] = a[i] + b[i];
}

static void triad(long n, const double *b, const double *c, double *a)
{
	for (long i = 0; i < n; i++)
		a[i] = b[i] + SCALAR * c[i];
}

/* Largest relative difference between x[] and the value it should hold. */
static double worst_error(long n, const double *x, double want)
{
	double worst = 0;

	for (long i = 0; i < n; i++)
		worst = fmax(worst, fabs(x[i] - want) / want);
	return worst;
}

static void usage(void)
{
	bench_usage_error("usage: stream [--quick] [n [trials]]\n"
			  "  defaults: 2000000 10; --quick: 100000 3");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {{"quick", no_argument, 0, 'q'},
					     {0, 0, 0, 0}};
	long n = 2000000, trials = 10;
	double best[NKERNELS], want_a = 1, want_b = 2, want_c = 0, worst;
	double *a, *b, *c;
	int c_opt, ok;

	while ((c_opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c_opt != 'q')
			usage();
		n = 100000;
		trials = 3;
	}
	argc -= optind;
	argv += optind;
	if (argc > 2)
		usage();
	if (argc >= 1)
		n = bench_arg_long("n", argv[0], 1000, 1L << 30);
	/* 15^13 < 2^53: the values stay exact integers (see the top) */
	if (argc >= 2)
		trials = bench_arg_long("trials", argv[1], 2, 13);

	a = bench_alloc(n * sizeof(double));
	b = bench_alloc(n * sizeof(double));
	c = bench_alloc(n * sizeof(double));
	for (long i = 0; i < n; i++) {
		a[i] = 1;
		b[i] = 2;
		c[i] = 0;
	}

	for (int k = 0; k < NKERNELS; k++)
		best[k] = INFINITY;
	for (long t = 0; t < trials; t++) {
		uint64_t ns[NKERNELS + 1];

		ns[COPY] = bench_now_ns();
		copy(n, a, c);
		ns[SCALE] = bench_now_ns();
		scale(n, c, b);
		ns[ADD] = bench_now_ns();
		add(n, a, b, c);
		ns[TRIAD] = bench_now_ns();
		triad(n, b, c, a);
		ns[NKERNELS] = bench_now_ns();

		want_c = want_a;
		want_b = SCALAR * want_c;
		want_c = want_a + want_b;
		want_a = want_b + SCALAR * want_c;
		for (int k = 0; t > 0 && k < NKERNELS; k++)
			best[k] = fmin(best[k], (ns[k + 1] - ns[k]) * 1e-9);
	}

	worst = fmax(
		worst_error(n, a, want_a),
		fmax(worst_error(n, b, want_b), worst_error(n, c, want_c)));
	ok = worst <= 1e-13;

	printf("bench stream n=%ld trials=%ld", n, trials);
	for (int k = 0; k < NKERNELS; k++)
		printf(" %s_mbs=%.1f", kernel_name[k],
		       kernel_arrays[k] * sizeof(double) * n / best[k] * 1e-6);
	printf(" ok=%d\n", ok);
	if (!ok)
		fprintf(stderr, "stream: wrong results: relative error %.3e\n",
			worst);
	return ok ? 0 : 1;
}
