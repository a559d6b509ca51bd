// SPDX-License-Identifier: GPL-2.0
/*
 * The `make run` demo: a 2-D heat equation solved by Jacobi iteration on
 * a 128 x 128 grid, one POSIX thread per CPU, each owning a band of rows
 * and meeting the others at a barrier every sweep. It prints its progress
 * (the largest change per sweep) and a temperature near the hot edge, so a
 * person can see an ordinary multi-threaded Linux program working on
 * Kitten.
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define N	128
#define SWEEPS	300
#define REPORT	50

static double grid[2][N][N];
static double change[64];
static int nthreads;
static pthread_barrier_t barrier;

static void *sweep_band(void *arg)
{
	long id = (long)arg;
	int first = 1 + id * (N - 2) / nthreads;
	int last = 1 + (id + 1) * (N - 2) / nthreads;

	for (int s = 0; s < SWEEPS; s++) {
		double (*in)[N] = grid[s % 2], (*out)[N] = grid[(s + 1) % 2];
		double worst = 0;

		for (int i = first; i < last; i++)
			for (int j = 1; j < N - 1; j++) {
				out[i][j] = 0.25 * (in[i - 1][j] + in[i + 1][j] +
						    in[i][j - 1] + in[i][j + 1]);
				worst = fmax(worst, fabs(out[i][j] - in[i][j]));
			}
		change[id] = worst;
		pthread_barrier_wait(&barrier);
		if (id == 0 && (s + 1) % REPORT == 0) {
			double all = 0;

			for (int t = 0; t < nthreads; t++)
				all = fmax(all, change[t]);
			printf("  sweep %3d: largest change %.6f, 8 rows from "
			       "the hot edge %.4f\n", s + 1, all, out[8][N / 2]);
		}
		pthread_barrier_wait(&barrier);
	}
	return NULL;
}

int main(void)
{
	pthread_t t[64];

	nthreads = sysconf(_SC_NPROCESSORS_ONLN);
	if (nthreads < 1 || nthreads > 64)
		nthreads = 1;
	/* A hot edge at 100 degrees, the others held at 0. */
	for (int b = 0; b < 2; b++)
		for (int j = 0; j < N; j++)
			grid[b][0][j] = 100.0;
	printf("heat: %dx%d grid, %d sweeps, %d threads on %d CPUs\n", N, N,
	       SWEEPS, nthreads, nthreads);
	pthread_barrier_init(&barrier, NULL, nthreads);
	for (long i = 0; i < nthreads; i++)
		pthread_create(&t[i], NULL, sweep_band, (void *)i);
	for (int i = 0; i < nthreads; i++)
		pthread_join(t[i], NULL);
	printf("heat: done, temperature 8 rows from the hot edge %.4f\n",
	       grid[SWEEPS % 2][8][N / 2]);
	return 0;
}
