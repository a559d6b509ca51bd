// SPDX-License-Identifier: GPL-2.0
/*
 * Conjugate gradient on a 27-point stencil, with the structure of the
 * HPCCG mini-app: a sparse matrix in compressed rows (CSR), and a solve
 * made of three kernels, the sparse matrix-vector product (SpMV), the dot
 * product and WAXPBY (w = alpha x + beta y).
 *
 * The matrix is the 27-point stencil of an nx x ny x nz grid: 27 on the
 * diagonal, -1 for each of a point's neighbours inside the grid. The
 * right-hand side is each row's sum, so the exact solution is all ones
 * and the answer can be checked; the solve starts from zero and stops
 * when the residual, relative to the right-hand side, is below the
 * tolerance. The arithmetic is the same in every run of one binary with
 * one thread count, so every configuration (Linux, Kitten, a guest) runs
 * the same iterations: only the time differs.
 *
 * One source, two programs: built with -fopenmp the solve runs in one
 * parallel region whose threads share every loop (static schedule); built
 * without, the pragmas are ignored and the same code is serial. Dot
 * products add per-thread partial sums in rank order, so every thread
 * gets the same bits and takes the same branch at the convergence test.
 *
 * Timing: the team's rank 0 reads CLOCK_MONOTONIC after each kernel and
 * charges the time since its previous read to that kernel's phase: a lap
 * timer, one read per kernel instead of a start/stop pair, because each
 * read is time the kernel under test adds (a system call on Kitten). The
 * solve time is first read to last. MFLOPS follow HPCCG's counts: two
 * flops per matrix entry in SpMV, two per element in a dot product and in
 * WAXPBY. The timed region is one function, bench_timed_solve(), that
 * every thread enters once, so callgrind --toggle-collect on it counts
 * the region's user-mode instructions in all threads (bench/README.md).
 */
#include "bench.h"
#include "region.h"

#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <strings.h>
#ifdef _OPENMP
#include <omp.h>
#define CG_NAME "cg-omp"
#else
#define CG_NAME "cg-serial"
#endif

enum phase { SPMV, DOT, WAXPBY, NPHASES };

struct csr {
	int rows;
	long nnz;
	int *start; /* row i is entries start[i] .. start[i + 1] - 1 */
	int *col;
	double *val;
};

/* One thread's share of a dot product, on a cache line of its own. */
struct partial {
	double sum;
	char pad[64 - sizeof(double)];
};

struct cg {
	struct csr a;
	double *x, *b, *r, *p, *ap;
	double bnorm;
	int max_iter;
	double tol;
	/* two generations of partial sums: see dot() */
	struct partial *partial[2];
	/* results, written by the team's rank 0 */
	int threads, iters;
	double resid;
	uint64_t start_ns, last_ns;
	uint64_t phase_ns[NPHASES];
	double flops[NPHASES];
	long clock_reads;
};

/* What a thread of the team knows about itself during the solve. */
struct member {
	int rank, size;
	unsigned int dots; /* dot products so far: picks the partial sums */
};

static int team_rank(void)
{
#ifdef _OPENMP
	return omp_get_thread_num();
#else
	return 0;
#endif
}

static int team_size(void)
{
#ifdef _OPENMP
	return omp_get_num_threads();
#else
	return 1;
#endif
}

static int max_team(void)
{
#ifdef _OPENMP
	return omp_get_max_threads();
#else
	return 1;
#endif
}

#ifdef _OPENMP
/*
 * libgomp spins at barriers unless OMP_WAIT_POLICY is passive, and under
 * -icount spinning is time, so every configuration (and valgrind) must
 * run with the same policy: the result line says which one this was.
 */
static int wait_passive(void)
{
	const char *policy = getenv("OMP_WAIT_POLICY");

	return policy && !strcasecmp(policy, "passive");
}
#endif

/* Rank 0 charges the time since its previous read to phase ph. */
static void lap(struct cg *cg, const struct member *m, enum phase ph,
		double flops)
{
	uint64_t now;

	if (m->rank)
		return;
	now = bench_now_ns();
	cg->phase_ns[ph] += now - cg->last_ns;
	cg->last_ns = now;
	cg->flops[ph] += flops;
	cg->clock_reads++;
}

static void spmv(const struct csr *a, const double *x, double *y)
{
#pragma omp for schedule(static)
	for (int i = 0; i < a->rows; i++) {
		double sum = 0;

		for (int k = a->start[i]; k < a->start[i + 1]; k++)
			sum += a->val[k] * x[a->col[k]];
		y[i] = sum;
	}
}

/* w = alpha x + beta y; w may be x or y, as in HPCCG. */
static void waxpby(int n, double alpha, const double *x, double beta,
		   const double *y, double *w)
{
#pragma omp for schedule(static)
	for (int i = 0; i < n; i++)
		w[i] = alpha * x[i] + beta * y[i];
}

/*
 * Each thread adds its rows, publishes the sum, waits for the others and
 * adds all sums in rank order. Consecutive dot products use alternate
 * buffers: a thread can reach the dot product after next only through the
 * barrier of the next one, which no thread passes before every thread has
 * finished reading this one's sums, so one barrier per dot product is
 * enough.
 */
static double dot(struct cg *cg, struct member *m, int n, const double *x,
		  const double *y)
{
	struct partial *part = cg->partial[m->dots++ & 1];
	double mine = 0, sum = 0;

#pragma omp for schedule(static) nowait
	for (int i = 0; i < n; i++)
		mine += x[i] * y[i];
	part[m->rank].sum = mine;
#pragma omp barrier
	for (int t = 0; t < m->size; t++)
		sum += part[t].sum;
	return sum;
}

/*
 * The timed region. noipa keeps it a real function under its own name
 * (not inlined, not cloned as bench_timed_solve.constprop.0), which is
 * what --toggle-collect=bench_timed_solve needs.
 */
__attribute__((noipa)) void bench_timed_solve(struct cg *cg)
{
	struct member m = {team_rank(), team_size(), 0};
	int n = cg->a.rows, k;
	double rr, rr_old, alpha, beta = 0, resid;

	/* Start the clock when the whole team is here, not while it wakes. */
#pragma omp barrier
	if (m.rank == 0) {
		bench_region_begin();
		cg->threads = m.size;
		cg->start_ns = cg->last_ns = bench_now_ns();
		cg->clock_reads++;
	}

	spmv(&cg->a, cg->x, cg->ap);
	lap(cg, &m, SPMV, 2.0 * cg->a.nnz);
	waxpby(n, 1.0, cg->b, -1.0, cg->ap, cg->r);
	lap(cg, &m, WAXPBY, 2.0 * n);
	rr = dot(cg, &m, n, cg->r, cg->r);
	lap(cg, &m, DOT, 2.0 * n);
	resid = sqrt(rr) / cg->bnorm;

	for (k = 0; k < cg->max_iter && resid > cg->tol; k++) {
		/* p = r + beta p; p starts at zero, so p = r the first time */
		waxpby(n, 1.0, cg->r, beta, cg->p, cg->p);
		lap(cg, &m, WAXPBY, 2.0 * n);
		spmv(&cg->a, cg->p, cg->ap);
		lap(cg, &m, SPMV, 2.0 * cg->a.nnz);
		alpha = rr / dot(cg, &m, n, cg->p, cg->ap);
		lap(cg, &m, DOT, 2.0 * n);
		waxpby(n, 1.0, cg->x, alpha, cg->p, cg->x);
		lap(cg, &m, WAXPBY, 2.0 * n);
		waxpby(n, 1.0, cg->r, -alpha, cg->ap, cg->r);
		lap(cg, &m, WAXPBY, 2.0 * n);
		rr_old = rr;
		rr = dot(cg, &m, n, cg->r, cg->r);
		lap(cg, &m, DOT, 2.0 * n);
		beta = rr / rr_old;
		resid = sqrt(rr) / cg->bnorm;
	}

	/* The last lap is the end of the solve. */
	if (m.rank == 0) {
		cg->iters = k;
		cg->resid = resid;
		bench_region_end();
	}
}

static int axis_neighbours(int i, int n)
{
	return 1 + (i > 0) + (i < n - 1);
}

/*
 * Build the matrix and vectors. A row's length is known in closed form,
 * so the row starts are a prefix sum and the rows can then be filled in
 * parallel, each by the thread that will use it in the solve (same static
 * schedule): first touch puts the pages near that thread, and the team
 * exists before the timed region starts.
 */
static void build(struct cg *cg, int nx, int ny, int nz)
{
	struct csr *a = &cg->a;
	int rows = nx * ny * nz;
	size_t vec = (size_t)rows * sizeof(double);
	double bb = 0;

	a->rows = rows;
	a->start = bench_alloc((size_t)(rows + 1) * sizeof(int));
	a->start[0] = 0;
	for (int i = 0; i < rows; i++)
		a->start[i + 1] =
			a->start[i] + axis_neighbours(i % nx, nx) *
					      axis_neighbours(i / nx % ny, ny) *
					      axis_neighbours(i / nx / ny, nz);
	a->nnz = a->start[rows];
	a->col = bench_alloc((size_t)a->nnz * sizeof(int));
	a->val = bench_alloc((size_t)a->nnz * sizeof(double));
	cg->x = bench_alloc(vec);
	cg->b = bench_alloc(vec);
	cg->r = bench_alloc(vec);
	cg->p = bench_alloc(vec);
	cg->ap = bench_alloc(vec);
	for (int g = 0; g < 2; g++)
		cg->partial[g] =
			bench_alloc(max_team() * sizeof(struct partial));

#pragma omp parallel for schedule(static)
	for (int i = 0; i < rows; i++) {
		int ix = i % nx, iy = i / nx % ny, iz = i / nx / ny;
		int k = a->start[i];

		for (int dz = -1; dz <= 1; dz++)
			for (int dy = -1; dy <= 1; dy++)
				for (int dx = -1; dx <= 1; dx++) {
					int jx = ix + dx, jy = iy + dy;
					int jz = iz + dz;

					if (jx < 0 || jx >= nx || jy < 0 ||
					    jy >= ny || jz < 0 || jz >= nz)
						continue;
					a->col[k] = jx + nx * (jy + ny * jz);
					a->val[k] =
						a->col[k] == i ? 27.0 : -1.0;
					k++;
				}
		cg->b[i] = 27.0 - (k - a->start[i] - 1);
		cg->x[i] = cg->r[i] = cg->p[i] = cg->ap[i] = 0;
	}
	for (int i = 0; i < rows; i++)
		bb += cg->b[i] * cg->b[i];
	cg->bnorm = sqrt(bb);
}

/*
 * Check x against the exact solution. The matrix is 28 I - K (x) K (x) K
 * with K = tridiag(1, 1, 1), whose eigenvalues are below 3, so every
 * eigenvalue of the matrix exceeds 1 and |x - 1| <= |b - A x| (2-norms):
 * the error can be no larger than the true residual. The true residual is
 * recomputed from x because the solve's residual is a recurrence that
 * drifts from it by rounding; the factor 2 allows for that drift, and the
 * 1% on the error bound for rounding in recomputing the residual.
 */
static int check(struct cg *cg, double *true_resid, double *max_err)
{
	double rr = 0, err = 0;

	spmv(&cg->a, cg->x, cg->ap);
	for (int i = 0; i < cg->a.rows; i++) {
		double d = cg->b[i] - cg->ap[i];

		rr += d * d;
		err = fmax(err, fabs(cg->x[i] - 1.0));
	}
	*true_resid = sqrt(rr) / cg->bnorm;
	*max_err = err;
	return cg->resid <= cg->tol && *true_resid <= 2 * cg->tol &&
	       err <= 1.01 * sqrt(rr) + 1e-12;
}

static double mflops(double flops, uint64_t ns)
{
	return ns ? flops / (double)ns * 1e3 : 0;
}

static void usage(void)
{
	bench_usage_error(
		"usage: " CG_NAME
		" [--quick] [nx ny nz [max_iter [tolerance]]]\n"
		"  defaults: 48 48 48 150 1e-10; --quick: 16 16 16 50 1e-10");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {{"quick", no_argument, 0, 'q'},
					     {0, 0, 0, 0}};
	int nx = 48, ny = 48, nz = 48, c;
	struct cg cg = {.max_iter = 150, .tol = 1e-10};
	double true_resid, max_err;
	uint64_t solve_ns;
	int ok;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c != 'q')
			usage();
		nx = ny = nz = 16;
		cg.max_iter = 50;
	}
	argc -= optind;
	argv += optind;
	if (argc != 0 && argc != 3 && argc != 4 && argc != 5)
		usage();
	if (argc >= 3) {
		/* at most 27 entries per row must fit an int */
		nx = bench_arg_long("nx", argv[0], 2, 1000);
		ny = bench_arg_long("ny", argv[1], 2, 1000);
		nz = bench_arg_long("nz", argv[2], 2, 1000);
		if ((long)nx * ny * nz > INT_MAX / 27)
			usage();
	}
	if (argc >= 4)
		cg.max_iter = bench_arg_long("max_iter", argv[3], 1, 1000000);
	if (argc >= 5)
		cg.tol = bench_arg_double("tolerance", argv[4], 0, 1);

	build(&cg, nx, ny, nz);
#pragma omp parallel
	bench_timed_solve(&cg);
	solve_ns = cg.last_ns - cg.start_ns;
	ok = check(&cg, &true_resid, &max_err);

	printf("bench " CG_NAME " threads=%d nx=%d ny=%d nz=%d rows=%d "
	       "nnz=%ld max_iter=%d tolerance=%g iters=%d solve_s=%.9f "
	       "spmv_s=%.9f dot_s=%.9f waxpby_s=%.9f mflops=%.3f "
	       "spmv_mflops=%.3f dot_mflops=%.3f waxpby_mflops=%.3f "
	       "residual=%.6e true_residual=%.6e max_err=%.6e "
	       "clock_reads=%ld",
	       cg.threads, nx, ny, nz, cg.a.rows, cg.a.nnz, cg.max_iter, cg.tol,
	       cg.iters, solve_ns * 1e-9, cg.phase_ns[SPMV] * 1e-9,
	       cg.phase_ns[DOT] * 1e-9, cg.phase_ns[WAXPBY] * 1e-9,
	       mflops(cg.flops[SPMV] + cg.flops[DOT] + cg.flops[WAXPBY],
		      solve_ns),
	       mflops(cg.flops[SPMV], cg.phase_ns[SPMV]),
	       mflops(cg.flops[DOT], cg.phase_ns[DOT]),
	       mflops(cg.flops[WAXPBY], cg.phase_ns[WAXPBY]), cg.resid,
	       true_resid, max_err, cg.clock_reads);
#ifdef _OPENMP
	printf(" passive=%d", wait_passive());
#endif
	printf(" ok=%d\n", ok);
	if (!ok)
		fprintf(stderr,
			CG_NAME ": wrong answer: residual %.3e, "
				"true residual %.3e, max error %.3e after %d "
				"iterations (tolerance %g)\n",
			cg.resid, true_resid, max_err, cg.iters, cg.tol);
	return ok ? 0 : 1;
}
