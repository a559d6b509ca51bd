// SPDX-License-Identifier: GPL-2.0
/*
 * A dynamically linked hello world (built as a plain and as a PIE
 * executable): it prints one line per check of what the loader gave it,
 * the auxiliary vector and the interpreter's mapping.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <link.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>

static int failed;

static void check(int ok, const char *what)
{
	printf("%s %s\n", ok ? "ok" : "FAIL", what);
	failed |= !ok;
}

static int count_objects(struct dl_phdr_info *info, size_t size, void *n)
{
	(void)info, (void)size;
	++*(int *)n;
	return 0;
}

int main(int argc, char **argv)
{
	const char *execfn = (const char *)getauxval(AT_EXECFN);
	const char *platform = (const char *)getauxval(AT_PLATFORM);
	int objects = 0;

	(void)argc;
	printf("hello from a dynamically linked program\n");
	check(getauxval(AT_BASE) != 0, "AT_BASE: the interpreter was loaded");
	check(getauxval(AT_ENTRY) != 0 && getauxval(AT_PHDR) != 0 &&
	      getauxval(AT_PHENT) == sizeof(Elf64_Phdr), "AT_ENTRY, AT_PHDR, AT_PHENT");
	check(getauxval(AT_PAGESZ) == 4096, "AT_PAGESZ");
	check(execfn && !strcmp(execfn, argv[0]), "AT_EXECFN is argv[0]");
	check(platform && !strcmp(platform, "x86_64"), "AT_PLATFORM");
	check(getauxval(AT_SYSINFO_EHDR) != 0, "AT_SYSINFO_EHDR: the vDSO");
	check(getauxval(AT_HWCAP) != 0, "AT_HWCAP");
	check(getauxval(AT_SECURE) == 0, "AT_SECURE");
	check(getauxval(AT_MINSIGSTKSZ) >= 1024, "AT_MINSIGSTKSZ");
	dl_iterate_phdr(count_objects, &objects);
	/* The program, the vDSO, libc and ld.so at least. */
	check(objects >= 4, "dl_iterate_phdr sees the program, vDSO, libc, ld.so");
	return failed;
}
