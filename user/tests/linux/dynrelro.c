// SPDX-License-Identifier: GPL-2.0
/*
 * Page rights after dynamic loading, and parts of mappings: the
 * program's RELRO range (PT_GNU_RELRO; linked -z relro -z now) is read
 * only once ld.so is done, so a write there faults; mprotect() of the
 * middle of an anonymous mapping leaves its ends alone; MADV_DONTNEED
 * zeroes a range even with a PROT_NONE page in it, and again after the
 * pages were written anew (only written pages are zeroed by Kitten: the
 * answer must still be all zeros), and leaves the vDSO, which every
 * process shares, as it was; mremap grows a mapping keeping its bytes.
 * One line per check.
 */
#define _GNU_SOURCE
#include <link.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static int failed;
static sigjmp_buf env;
static uintptr_t relro_start, relro_end;

static void check(int ok, const char *what)
{
	printf("%s %s\n", ok ? "ok" : "FAIL", what);
	failed |= !ok;
}

static void on_segv(int sig)
{
	(void)sig;
	siglongjmp(env, 1);
}

/* Does a write to p fault? (The byte is written back unchanged.) */
static int write_faults(volatile char *p)
{
	if (sigsetjmp(env, 1))
		return 1;
	*p = *p;
	return 0;
}

static int find_relro(struct dl_phdr_info *info, size_t size, void *arg)
{
	(void)size, (void)arg;
	if (info->dlpi_name[0])		/* the program comes first, unnamed */
		return 0;
	for (int i = 0; i < info->dlpi_phnum; i++)
		if (info->dlpi_phdr[i].p_type == PT_GNU_RELRO) {
			relro_start = info->dlpi_addr + info->dlpi_phdr[i].p_vaddr;
			relro_end = relro_start + info->dlpi_phdr[i].p_memsz;
		}
	return 1;
}

static int all_zero(const char *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (p[i])
			return 0;
	return 1;
}

/* MADV_DONTNEED of the vDSO: its code is still there and still runs. */
static void vdso_survives_dontneed(long page)
{
	char *vdso = (char *)getauxval(AT_SYSINFO_EHDR);
	struct timespec ts = { 0, 0 };

	check(vdso != NULL, "the vDSO is mapped");
	if (!vdso)
		return;
	madvise((void *)((uintptr_t)vdso & ~(uintptr_t)(page - 1)), page,
		MADV_DONTNEED);
	check(memcmp(vdso, "\177ELF", 4) == 0,
	      "MADV_DONTNEED leaves the vDSO as it was");
	check(clock_gettime(CLOCK_MONOTONIC, &ts) == 0 && ts.tv_sec + ts.tv_nsec > 0,
	      "clock_gettime through the vDSO after it");
}

int main(void)
{
	long page = sysconf(_SC_PAGESIZE);
	char *m, *g;

	signal(SIGSEGV, on_segv);
	vdso_survives_dontneed(page);
	dl_iterate_phdr(find_relro, NULL);
	check(relro_start != 0, "the program has a PT_GNU_RELRO range");
	uintptr_t in = (relro_start + page - 1) & ~(uintptr_t)(page - 1);

	if (in < (relro_end & ~(uintptr_t)(page - 1)))
		check(write_faults((char *)in), "a write to its RELRO pages faults");
	else
		check(write_faults((char *)relro_start), "a write to RELRO faults");

	m = mmap(NULL, 4 * page, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	check(m != MAP_FAILED, "mmap 4 pages");
	memset(m, 1, 4 * page);
	check(mprotect(m + page, 2 * page, PROT_READ) == 0, "mprotect the middle two");
	check(!write_faults(m) && write_faults(m + page) &&
	      write_faults(m + 2 * page) && !write_faults(m + 3 * page),
	      "only the middle pages are read-only");

	/* A thread stack's shape: a guard page, then used memory. */
	g = mmap(NULL, 64 * page, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(g, 7, 64 * page);
	check(mprotect(g, page, PROT_NONE) == 0, "a PROT_NONE guard page");
	check(madvise(g, 64 * page, MADV_DONTNEED) == 0,
	      "MADV_DONTNEED over the guard page");
	check(all_zero(g + page, 63 * page), "it zeroed the rest");
	g[5 * page + 3] = 9;		/* written again: must go again */
	check(madvise(g + page, 63 * page, MADV_DONTNEED) == 0 &&
	      all_zero(g + page, 63 * page), "a second MADV_DONTNEED zeroes what was written since");
	check(mprotect(g, page, PROT_READ) == 0 && all_zero(g, page),
	      "the guard page reads as zeros too");

	/* One mapping again (Linux moves only one), then grown. */
	check(mprotect(m, 4 * page, PROT_READ | PROT_WRITE) == 0, "mprotect it whole");
	m = mremap(m, 4 * page, 64 * page, MREMAP_MAYMOVE);
	check(m != MAP_FAILED && m[0] == 1 && m[3 * page] == 1 &&
	      all_zero(m + 4 * page, 60 * page), "mremap grows, keeping the bytes");
	printf("dynrelro: %s\n", failed ? "FAILED" : "all passed");
	return failed;
}
