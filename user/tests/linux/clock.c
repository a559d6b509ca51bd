// SPDX-License-Identifier: GPL-2.0
/*
 * The clock through the vDSO: the auxiliary vector points at an ELF image
 * that exports __vdso_clock_gettime (version LINUX_2.6), as on Linux.
 * Called directly, and through the C library (which uses it when it is
 * there), it must read the same clock as the system call: each value
 * lies between two system-call reads taken around it. gettimeofday and
 * time must agree too. Exits 0 when everything does.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define ROUNDS 1000

typedef int (*clock_fn)(clockid_t, struct timespec *);

static int failures;

static uint64_t ns_of(const struct timespec *ts)
{
	return (uint64_t)ts->tv_sec * 1000000000u + ts->tv_nsec;
}

static uint64_t sys_clock(clockid_t clock)
{
	struct timespec ts;

	syscall(SYS_clock_gettime, clock, &ts);
	return ns_of(&ts);
}

static uint64_t sys_now(void)
{
	return sys_clock(CLOCK_MONOTONIC);
}

/* The vDSO's own symbol, found the way a dynamic linker would. */
static clock_fn vdso_clock_gettime(const Elf64_Ehdr *eh)
{
	const Elf64_Phdr *ph = (const void *)((const char *)eh + eh->e_phoff);
	const Elf64_Dyn *dyn = NULL;
	const Elf64_Sym *syms = NULL;
	const Elf32_Word *hash = NULL;
	const char *strs = NULL;
	uintptr_t base = (uintptr_t)eh;

	for (int i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_DYNAMIC)
			dyn = (const void *)(base + ph[i].p_offset);
	for (; dyn && dyn->d_tag != DT_NULL; dyn++) {
		if (dyn->d_tag == DT_SYMTAB)
			syms = (const void *)(base + dyn->d_un.d_ptr);
		else if (dyn->d_tag == DT_STRTAB)
			strs = (const void *)(base + dyn->d_un.d_ptr);
		else if (dyn->d_tag == DT_HASH)
			hash = (const void *)(base + dyn->d_un.d_ptr);
	}
	if (!syms || !strs || !hash)
		return NULL;
	for (Elf32_Word i = 0; i < hash[1]; i++)	/* nchain: the symbol count */
		if (!strcmp(strs + syms[i].st_name, "__vdso_clock_gettime"))
			return (clock_fn)(base + syms[i].st_value);
	return NULL;
}

/* Each read of fn lies between system-call reads around it. */
static void check_between(const char *what, clock_fn fn)
{
	unsigned bad = 0;

	for (int i = 0; i < ROUNDS; i++) {
		struct timespec ts;
		uint64_t before = sys_now(), mid, after;

		fn(CLOCK_MONOTONIC, &ts);
		after = sys_now();
		mid = ns_of(&ts);
		bad += mid < before || mid > after;
	}
	if (bad) {
		printf("clock: %s: %u of %d reads outside the system call's\n",
		       what, bad, ROUNDS);
		failures++;
	}
}

int main(void)
{
	const Elf64_Ehdr *eh = (const void *)getauxval(AT_SYSINFO_EHDR);
	struct timeval tv;
	uint64_t before, after, t;
	clock_fn direct;

	if (!eh || memcmp(eh->e_ident, ELFMAG, SELFMAG)) {
		printf("clock: no vDSO in the auxiliary vector\n");
		return 1;
	}
	direct = vdso_clock_gettime(eh);
	if (!direct) {
		printf("clock: the vDSO has no __vdso_clock_gettime\n");
		return 1;
	}
	check_between("vDSO", direct);
	check_between("libc", clock_gettime);

	/* gettimeofday and time read the wall clock. */
	before = sys_clock(CLOCK_REALTIME);
	gettimeofday(&tv, NULL);
	after = sys_clock(CLOCK_REALTIME);
	t = (uint64_t)tv.tv_sec * 1000000 + tv.tv_usec;
	if (t < before / 1000 || t > after / 1000) {
		printf("clock: gettimeofday %llu us outside [%llu, %llu] ns\n",
		       (unsigned long long)t, (unsigned long long)before,
		       (unsigned long long)after);
		failures++;
	}
	t = time(NULL);
	if (t < before / 1000000000 || t > sys_clock(CLOCK_REALTIME) / 1000000000) {
		printf("clock: time() %llu s disagrees\n", (unsigned long long)t);
		failures++;
	}
	printf("clock: vDSO at %p, %d reads each through it and libc: %s\n",
	       (const void *)eh, ROUNDS, failures ? "FAILED" : "all ok");
	return failures != 0;
}
