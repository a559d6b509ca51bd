// SPDX-License-Identifier: GPL-2.0
/*
 * Fixed work quanta: operating-system noise seen from one CPU. The same
 * quantum of work, a loop of count steps that touches no memory, is timed
 * samples times back to back. Whatever the kernel does on that CPU while
 * a quantum runs (a timer tick, an interrupt, a scheduler decision) makes
 * that sample longer, so the spread of the samples is the noise: the
 * report's figure is max/min, which is 1 on a CPU the kernel leaves
 * alone.
 *
 * Under QEMU with -icount the quantum is the same number of instructions
 * every time, so any excess is instructions the kernel executed. Each
 * sample includes one clock read (a vDSO call on Linux and on Kitten);
 * that cost is in min as well as max and cancels out of the spread, as
 * long as it is the same every time.
 *
 * The step is one multiply-add of a 64-bit linear congruential generator:
 * a dependency chain the compiler can neither fold nor vectorise (the
 * empty asm hides the value from it), so count steps cost the same every
 * time. One quantum runs untimed first, so the samples do not include the
 * first touch of the code and the sample array is touched before timing.
 */
#include "bench.h"

#include <getopt.h>
#include <math.h>

static uint64_t quantum(long count)
{
	uint64_t x = 1;

	for (long i = 0; i < count; i++) {
		x = x * 6364136223846793005u + 1442695040888963407u;
		__asm__ volatile("" : "+r"(x));
	}
	return x;
}

static void usage(void)
{
	bench_usage_error("usage: fwq [--quick] [--cpu N] [count [samples]]\n"
			  "  defaults: 100000 1000; --quick: 10000 100");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"quick", no_argument, 0, 'q'},
		{"cpu", required_argument, 0, 'c'},
		{0, 0, 0, 0},
	};
	long count = 100000, samples = 1000, cpu = -1;
	uint64_t min = UINT64_MAX, max = 0, *ns;
	double mean = 0, var = 0;
	int c, err;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'q') {
			count = 10000;
			samples = 100;
		} else if (c == 'c') {
			cpu = bench_arg_long("cpu", optarg, 0, CPU_SETSIZE - 1);
		} else {
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc > 2)
		usage();
	if (argc >= 1)
		count = bench_arg_long("count", argv[0], 1, 1L << 40);
	if (argc >= 2)
		samples = bench_arg_long("samples", argv[1], 2, 100000000);

	if (cpu >= 0 && (err = bench_pin(cpu))) {
		fprintf(stderr, "fwq: cannot run on CPU %ld: %s\n", cpu,
			strerror(-err));
		return 2;
	}
	ns = bench_alloc(samples * sizeof(*ns));
	memset(ns, 0, samples * sizeof(*ns));

	quantum(count);
	for (long s = 0; s < samples; s++) {
		uint64_t t0 = bench_now_ns();

		quantum(count);
		ns[s] = bench_now_ns() - t0;
	}

	for (long s = 0; s < samples; s++) {
		min = ns[s] < min ? ns[s] : min;
		max = ns[s] > max ? ns[s] : max;
		mean += ns[s];
	}
	mean /= samples;
	for (long s = 0; s < samples; s++)
		var += (ns[s] - mean) * (ns[s] - mean);

	printf("bench fwq cpu=%ld count=%ld samples=%ld min_ns=%llu "
	       "max_ns=%llu mean_ns=%.1f stddev_ns=%.1f max_over_min=%.6f\n",
	       cpu, count, samples, (unsigned long long)min,
	       (unsigned long long)max, mean, sqrt(var / samples),
	       min ? (double)max / min : 0);
	return 0;
}
