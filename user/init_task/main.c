// SPDX-License-Identifier: GPL-2.0
/*
 * The init task: Kitten's first user program and its job loader. The
 * kernel decides nothing about a job's memory; this program does, through
 * Kitten's native API, before the job runs:
 *
 *   1. read the job description (/job, format in docs/native-api.md),
 *   2. check the program (ELF64; a dynamically linked one brings its
 *      interpreter, ld.so, which is loaded as a second image),
 *   3. per rank: create an address space, allocate physically contiguous
 *      memory for image + heap and for the stack, copy the program in
 *      (through a window in init's own address space), map it with the
 *      largest pages the alignment allows,
 *   4. give every rank a SMARTMAP view of every other rank,
 *   5. give each rank the job's credentials (uid=, gid=, cap=),
 *   6. start one task per rank on its CPU, wait for all, report, free.
 *
 * A job that fails to load is reported and the next one runs.
 */
#include "kitten.h"
#include "job.h"

#include <kitten/elf.h>
#include <kitten/vdso.h>

#define WINDOW		0x4000000000ULL		/* init's view of job memory */
#define WINDOW_SIZE	(64ULL << 30)
#define LARGE		(2ULL << 20)
#define STACK_SIZE	LARGE
#define STACK_TOP	((1ULL << 39) - LARGE)
#define PIE_BASE	0x400000ULL
#define MAX_FILE	(16 << 20)

#define MAX_INTERP	(4 << 20)

static char file_buf[MAX_FILE] __attribute__((aligned(4096)));
static char interp_buf[MAX_INTERP] __attribute__((aligned(4096)));

struct rank {
	uint32_t aspace;
	uint64_t image_pa, image_size;
	uint64_t stack_pa;
	uint64_t interp_pa;
	struct kitten_task_spec spec;
	int task;
	int status;
};

static struct rank ranks[JOB_MAX_RANKS];

static long load_file_into(const char *path, char *buf, long max)
{
	int fd = open(path, 0);
	long size, got = 0;

	if (fd < 0)
		return fd;
	size = file_size(fd);
	if (size > max)
		size = -27;	/* EFBIG */
	while (size > 0 && got < size) {
		long n = read(fd, buf + got, size - got);

		if (n <= 0)
			break;
		got += n;
	}
	close(fd);
	return size < 0 ? size : got;
}

static long load_file(const char *path)
{
	return load_file_into(path, file_buf, MAX_FILE);
}

/* Map extent pa into init's window, run fn on it, unmap. */
static int with_window(uint64_t pa, uint64_t size, void *ctx,
		       void (*fn)(void *mem, void *ctx))
{
	int err = aspace_map_pmem(KITTEN_ASPACE_SELF, WINDOW, pa, size);

	if (err)
		return err;
	fn((void *)WINDOW, ctx);
	return aspace_unmap(KITTEN_ASPACE_SELF, WINDOW, size);
}

struct image_ctx {
	const struct elf_image *img;
	const char *file;
};

/* The memory is clean already: the kernel zeroes what pmem_alloc()
 * hands out, so the heap and .bss are not zeroed a second time here. */
static void copy_image(void *mem, void *p)
{
	const struct image_ctx *c = p;

	for (unsigned i = 0; i < c->img->nr_segs; i++) {
		const struct elf_segment *s = &c->img->segs[i];

		memcpy((char *)mem + (s->vaddr - c->img->lowest),
		       c->file + s->offset, s->filesz);
	}
}

struct stack_ctx {
	const struct job *job;
	const struct elf_image *img;
	uint64_t bias;
	uint64_t interp_bias;	/* AT_BASE: 0 for a static program */
	unsigned rank;
	uint64_t sp;		/* out: the user stack pointer, 0: no room */
};

static uint32_t cpuid_1_edx(void);

static void build_stack(void *mem, void *p)
{
	struct stack_ctx *c = p;
	char env[2][32];
	const char *envp[2 + JOB_MAX_ENV];
	int nenv = 2 + c->job->nr_env;
	struct elf_auxv aux = {
		.phdr = c->img->phdr_vaddr + c->bias,
		.phent = c->img->phentsize,
		.phnum = c->img->phnum,
		.entry = c->img->entry + c->bias,
		.base = c->interp_bias,
		.sysinfo_ehdr = VDSO_TEXT_VA,
		.hwcap = cpuid_1_edx(),
		.minsigstksz = 2048,
		.uid = c->job->uid, .euid = c->job->uid,
		.gid = c->job->gid, .egid = c->job->gid,
		.execfn = c->job->argv[0],
	};

	snprintf(env[0], sizeof(env[0]), "KITTEN_RANK=%u", c->rank);
	snprintf(env[1], sizeof(env[1]), "KITTEN_NRANKS=%u", c->job->ranks);
	envp[0] = env[0];
	envp[1] = env[1];
	for (int i = 0; i < c->job->nr_env; i++)
		envp[2 + i] = c->job->env[i];
	/* 16 bytes for AT_RANDOM: C libraries seed stack canaries from them. */
	for (int b = 0; b < 16; b++) {
		uint32_t lo, hi;

		__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
		aux.random[b] = (uint8_t)(lo ^ (lo >> 8) ^ hi ^ (b * 131));
	}
	memset(mem, 0, STACK_SIZE);
	c->sp = elf_build_stack((char *)mem + STACK_SIZE, STACK_TOP,
				STACK_SIZE / 2, c->job->argv, c->job->argc,
				envp, nenv, &aux);
}

static uint32_t cpuid_1_edx(void)
{
	uint32_t a = 1, b, c = 0, d;

	__asm__ __volatile__("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	return d;
}

static unsigned perms_of(const struct elf_image *img)
{
	unsigned p = KITTEN_PERM_R | KITTEN_PERM_W;	/* heap follows */

	for (unsigned i = 0; i < img->nr_segs; i++)
		if (img->segs[i].flags & ELF_PF_X)
			p |= KITTEN_PERM_X;
	return p;
}

/*
 * Text RX, read-only data R, data RW, nothing between segments, and the
 * heap after the image RW: no page both writable and executable.
 */
static int protect_image(uint32_t as, const struct elf_image *img,
			 uint64_t bias, uint64_t size)
{
	uint64_t end, heap_end = img->lowest + size;
	uint32_t flags;
	int err = 0;

	for (uint64_t va = img->lowest; va < img->highest && !err; va = end) {
		end = elf_flags_run(img, va, &flags);
		err = aspace_protect(as, va + bias, end - va,
				     (flags & ELF_PF_R ? KITTEN_PERM_R : 0) |
				     (flags & ELF_PF_W ? KITTEN_PERM_W : 0) |
				     (flags & ELF_PF_X ? KITTEN_PERM_X : 0));
	}
	if (!err && heap_end > img->highest)
		err = aspace_protect(as, img->highest + bias,
				     heap_end - img->highest,
				     KITTEN_PERM_R | KITTEN_PERM_W);
	return err;
}

/* One image in its own extent at img->lowest + bias, size bytes. */
static int map_image(uint32_t as, const struct elf_image *img,
		     const char *file, uint64_t bias, uint64_t size,
		     uint64_t *pa, const char *name)
{
	struct image_ctx ic = { img, file };
	int err;

	if ((err = pmem_alloc(size, LARGE, pa)) ||
	    (err = with_window(*pa, size, &ic, copy_image)) ||
	    (err = aspace_add_region(as, img->lowest + bias, size,
				     perms_of(img), name)) ||
	    (err = aspace_map_pmem(as, img->lowest + bias, *pa, size)))
		return err;
	return protect_image(as, img, bias, size);
}

/* ii: the interpreter's image (in interp_buf), or NULL. */
static int setup_rank(const struct job *job, const struct elf_image *img,
		      const struct elf_image *ii, unsigned r)
{
	struct rank *rk = &ranks[r];
	uint64_t bias = img->pie ? PIE_BASE - img->lowest : 0;
	uint64_t ibias = ii ? ELF_INTERP_BASE - ii->lowest : 0;
	uint64_t span = img->highest - img->lowest + job->heap;
	struct stack_ctx sc = { job, img, bias, ibias, r, 0 };
	int err;

	rk->image_size = (span + LARGE - 1) & ~(LARGE - 1);
	if ((err = aspace_create(&rk->aspace)) ||
	    (err = map_image(rk->aspace, img, file_buf, bias, rk->image_size,
			     &rk->image_pa, "image")) ||
	    (err = aspace_set_brk(rk->aspace, img->highest + bias,
				  img->lowest + bias + rk->image_size)) ||
	    (ii && (err = map_image(rk->aspace, ii, interp_buf, ibias,
				    (ii->highest - ii->lowest + LARGE - 1) &
					    ~(LARGE - 1),
				    &rk->interp_pa, "interp"))) ||
	    (err = pmem_alloc(STACK_SIZE, LARGE, &rk->stack_pa)) ||
	    (err = with_window(rk->stack_pa, STACK_SIZE, &sc, build_stack)) ||
	    (err = sc.sp ? 0 : -7 /* E2BIG */) ||
	    (err = aspace_add_region(rk->aspace, STACK_TOP - STACK_SIZE,
				     STACK_SIZE, KITTEN_PERM_R | KITTEN_PERM_W |
				     (img->stack_flags & ELF_PF_X ?
				      KITTEN_PERM_X : 0), "stack")) ||
	    (err = aspace_map_pmem(rk->aspace, STACK_TOP - STACK_SIZE,
				   rk->stack_pa, STACK_SIZE)))
		return err;
	uint64_t mask = 0;

	for (unsigned i = 0; i < job->nr_cpus; i++)
		mask |= 1ULL << job->cpus[i];
	/* Threads of every rank spread over the job's CPUs. */
	err = aspace_set_cpus(rk->aspace, mask);
	if (err)
		return err;
	struct kitten_cred cred = { job->uid, job->gid, job->caps };

	err = aspace_set_cred(rk->aspace, &cred);
	if (err)
		return err;
	rk->spec = (struct kitten_task_spec){
		.aspace = rk->aspace,
		.cpu = job->cpus[r % job->nr_cpus],
		.entry = ii ? ii->entry + ibias : img->entry + bias,
		.stack = sc.sp,
	};
	snprintf(rk->spec.name, sizeof(rk->spec.name), "rank%u", r);
	strlcpy(rk->spec.exe, job->argv[0], sizeof(rk->spec.exe));
	return 0;
}

static void release_rank(struct rank *rk)
{
	if (rk->image_pa)
		pmem_free(rk->image_pa);
	if (rk->stack_pa)
		pmem_free(rk->stack_pa);
	if (rk->interp_pa)
		pmem_free(rk->interp_pa);
	if (rk->aspace)
		aspace_destroy(rk->aspace);
	memset(rk, 0, sizeof(*rk));
}

/*
 * System V shared memory segments outlive their processes (shmctl
 * IPC_RMID removes them, ipcrm's job on Linux): what a job left behind
 * goes with it, so the next job starts with all the memory.
 */
static void remove_sysv_segments(void)
{
	enum { SHMCTL = 31, IPC_RMID = 0, NR_SEGMENTS = 64 };

	for (long id = 0; id < NR_SEGMENTS; id++)
		syscall6(SHMCTL, id, IPC_RMID, 0, 0, 0, 0);
}

/* The start of a line that is exactly word, or NULL. */
static char *strstr_line(char *text, const char *word)
{
	size_t len = strlen(word);

	for (char *p = text; *p;) {
		if (!strncmp(p, word, len) && (p[len] == '\n' || !p[len]))
			return p;
		p = strchr(p, '\n');
		if (!p)
			break;
		p++;
	}
	return NULL;
}

/*
 * The job's kernel entries (/proc/kitten/stats): "start" just before its
 * first rank, so that loading it is not counted, and the table after the
 * last rank, to the console (the kernel log), where `kitten run --stats`
 * finds its "stats: " lines.
 */
static void stats_command(const char *what)
{
	int fd = open("/proc/kitten/stats", 1 /* O_WRONLY */);

	if (fd < 0 || write(fd, what, strlen(what)) < 0)
		printf("init: cannot %s the job's kernel statistics\n", what);
	if (fd >= 0)
		close(fd);
}

static void stats_print(void)
{
	int fd = open("/proc/kitten/stats", 0);
	long n;

	if (fd < 0) {
		printf("init: no /proc/kitten/stats (error %d)\n", fd);
		return;
	}
	while ((n = read(fd, file_buf, MAX_FILE)) > 0)
		write(1, file_buf, n);
	close(fd);
	stats_command("stop");
}

/* Load, connect, start and wait for every rank; returns the worst status. */
static int run_job(const struct job *job)
{
	static struct elf_image img, interp;
	const char *why;
	uint64_t start = now_ns();
	long size, cwd_err;
	int worst = 0, err = 0;
	unsigned started = 0;

	/* The ranks' tables start in init's working directory. */
	cwd_err = syscall6(80 /* chdir */, (long)(job->cwd ? job->cwd : "/"),
			   0, 0, 0, 0, 0);
	if (cwd_err < 0) {
		printf("init: %s: cannot change directory (error %ld)\n",
		       job->cwd, cwd_err);
		return 125;
	}
	size = load_file(job->argv[0]);
	if (size < 0) {
		printf("init: %s: cannot read (error %ld)\n", job->argv[0], size);
		return 127;
	}
	if (elf_parse(file_buf, size, &img, &why)) {
		printf("init: %s: cannot run: %s\n", job->argv[0], why);
		return 126;
	}
	if (img.interp[0]) {
		size = load_file_into(img.interp, interp_buf, MAX_INTERP);
		if (size < 0) {
			printf("init: %s: cannot read its interpreter %s (error %ld)\n",
			       job->argv[0], img.interp, size);
			return 127;
		}
		if (elf_parse(interp_buf, size, &interp, &why) ||
		    (interp.interp[0] && (why = "dynamically linked itself"))) {
			printf("init: %s: cannot run its interpreter %s: %s\n",
			       job->argv[0], img.interp, why);
			return 126;
		}
	}
	for (unsigned r = 0; r < job->ranks && !err; r++)
		err = setup_rank(job, &img, img.interp[0] ? &interp : NULL, r);
	for (unsigned r = 0; r < job->ranks && !err; r++)
		for (unsigned peer = 0; peer < job->ranks && !err; peer++)
			err = smartmap_attach(ranks[r].aspace, peer,
					      ranks[peer].aspace);
	if (err) {
		printf("init: %s: cannot set up %u ranks: %s (error %d)\n",
		       job->argv[0], job->ranks,
		       err == -12 ? "not enough memory" : "refused", err);
		worst = 125;
	}
	if (job->stats && !err)
		stats_command("start");
	for (unsigned r = 0; r < job->ranks && !err; r++) {
		ranks[r].task = task_create(&ranks[r].spec);
		if (ranks[r].task < 0) {
			printf("init: rank %u: cannot start (error %d)\n", r,
			       ranks[r].task);
			worst = 125;
			break;
		}
		started++;
	}
	if (job->verbose && started)
		printf("init: launched %u rank(s) in %lu us\n", started,
		       (now_ns() - start) / 1000);
	for (unsigned r = 0; r < started; r++) {
		task_wait(ranks[r].task, &ranks[r].status);
		if (job->verbose)
			printf("init: rank %u exited with status %d\n", r,
			       ranks[r].status);
		if (ranks[r].status > worst)
			worst = ranks[r].status;
	}
	if (job->stats && started)
		stats_print();
	for (unsigned r = 0; r < job->ranks; r++)
		release_rank(&ranks[r]);
	remove_sysv_segments();
	return worst;
}

/* Run one job description: repeat it as asked and check for leaks. */
static int run_description(const char *text)
{
	static struct job job;
	struct kitten_pmem_info before, after;
	int status = 0;

	if (job_parse(text, &job)) {
		printf("init: /job: %s\n", job.error);
		return 2;
	}
	pmem_query(&before);
	printf("init: running %s, %u rank(s), %u time(s); %lu KiB free\n",
	       job.argv[0], job.ranks, job.repeat, before.free >> 10);
	if (job.uid || job.gid || job.caps)
		printf("init: as uid %u gid %u, capabilities 0x%lx\n", job.uid,
		       job.gid, job.caps);
	/*
	 * Leak check: the first run may grow kernel caches for good, so the
	 * free memory after it is the reference for all the runs after.
	 */
	for (unsigned i = 0; i < job.repeat; i++) {
		status = run_job(&job);
		if (i == 0)
			pmem_query(&before);
	}
	pmem_query(&after);
	printf("init: %s done, status %d; %lu KiB free after the first run, "
	       "%lu KiB after the last (%s)\n", job.argv[0], status,
	       before.free >> 10, after.free >> 10,
	       after.free == before.free ? "no leak" : "LEAK");
	return status;
}

/* /job holds one or more descriptions, separated by "---" lines. */
int main(int argc, char **argv)
{
	static char text[64 << 10];
	long size;
	int status = 0;

	(void)argc, (void)argv;
	if (aspace_add_region(KITTEN_ASPACE_SELF, WINDOW, WINDOW_SIZE,
			      KITTEN_PERM_R | KITTEN_PERM_W, "window")) {
		printf("init: cannot reserve a window for loading jobs\n");
		return 1;
	}
	size = load_file("/job");
	if (size < 0) {
		printf("init: no /job to run\n");
		return 0;
	}
	if (size >= (long)sizeof(text)) {
		printf("init: /job is too long\n");
		return 2;
	}
	memcpy(text, file_buf, size);
	text[size] = '\0';
	for (char *p = text; p && *p;) {
		char *sep = strstr_line(p, "---");

		if (sep)
			*sep = '\0';
		status = run_description(p);
		p = sep ? sep + 3 + (sep[3] == '\n') : NULL;
	}
	printf("init: all jobs done, status %d\n", status);
	return status;
}
