// SPDX-License-Identifier: GPL-2.0
/*
 * OpenMP (GCC's libgomp): a parallel-for reduction whose result is
 * checked, and the team size, which must equal the CPUs the job has.
 */
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	const long n = 2000000;
	int expect = argc > 1 ? atoi(argv[1]) : 0;
	int team = 0;
	double sum = 0;

#pragma omp parallel for reduction(+ : sum)
	for (long i = 1; i <= n; i++)
		sum += 1.0 / ((double)i * i);
#pragma omp parallel
	{
#pragma omp single
		team = omp_get_num_threads();
	}
	int sum_ok = sum > 1.6449330 && sum < 1.6449341;	/* pi^2/6 */

	printf("openmp: %d threads, sum %.7f (%s)\n", team, sum,
	       sum_ok ? "correct" : "WRONG");
	return !(sum_ok && (!expect || team == expect));
}
