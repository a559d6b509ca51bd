// SPDX-License-Identifier: GPL-2.0
/*
 * Files as programs use them: write a file in /tmp and read it back,
 * rename and unlink it, list a directory, statx a path and a descriptor,
 * grow a large allocation with realloc (mremap), and ask the system through
 * /proc and sysconf how many CPUs there are (argv[1] says how many the
 * test gave). Exits 0 when everything agrees.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static int failures;

#define CHECK(cond)                                                      \
	do {                                                             \
		if (!(cond)) {                                           \
			printf("files: FAILED %s (line %d)\n", #cond, __LINE__); \
			failures++;                                      \
		}                                                        \
	} while (0)

int main(int argc, char **argv)
{
	const char text[] = "kitten writes a file\n";
	char buf[128] = "";
	long cpus = argc > 1 ? atol(argv[1]) : 0;
	int fd, entries = 0, seen = 0;
	struct stat st;
	DIR *dir;
	struct dirent *de;
	FILE *f;

	CHECK(mkdir("/tmp/dir", 0755) == 0);
	fd = open("/tmp/dir/a.txt", O_CREAT | O_WRONLY | O_TRUNC, 0644);
	CHECK(fd >= 0);
	CHECK(write(fd, text, sizeof(text) - 1) == (ssize_t)sizeof(text) - 1);
	CHECK(close(fd) == 0);
	CHECK(rename("/tmp/dir/a.txt", "/tmp/dir/b.txt") == 0);
	CHECK(stat("/tmp/dir/a.txt", &st) != 0);
	CHECK(stat("/tmp/dir/b.txt", &st) == 0 && st.st_size == sizeof(text) - 1);
	f = fopen("/tmp/dir/b.txt", "r");
	CHECK(f && fgets(buf, sizeof(buf), f) && strcmp(buf, text) == 0);
	if (f)
		fclose(f);
	f = fopen("/tmp/dir/c.txt", "w");
	CHECK(f != NULL);
	if (f) {
		fprintf(f, "%d\n", 42);
		fclose(f);
	}
	dir = opendir("/tmp/dir");
	CHECK(dir != NULL);
	while (dir && (de = readdir(dir))) {
		entries++;
		seen += !strcmp(de->d_name, "b.txt") || !strcmp(de->d_name, "c.txt");
	}
	if (dir)
		closedir(dir);
	CHECK(entries == 4 && seen == 2);	/* ., .., b.txt, c.txt */
	CHECK(unlink("/tmp/dir/b.txt") == 0 && unlink("/tmp/dir/c.txt") == 0);
	CHECK(rmdir("/tmp/dir") == 0);
	CHECK(access("/tmp/dir", F_OK) != 0);

	/*
	 * A rename onto "." or ".." (the cwd or its parent) is EBUSY. Kitten
	 * once unlinked the cwd and linked the directory into it as ".":
	 * both left the tree, their memory lost for good (the fuzzer).
	 */
	CHECK(mkdir("/tmp/r", 0755) == 0 && mkdir("/tmp/r/cwd", 0755) == 0 &&
	      mkdir("/tmp/r/m", 0755) == 0 && chdir("/tmp/r/cwd") == 0);
	CHECK(rename("/tmp/r/m", ".") == -1 && errno == EBUSY);
	CHECK(rename("/tmp/r/m", "..") == -1 && errno == EBUSY);
	CHECK(access("/tmp/r/cwd", F_OK) == 0 && access("/tmp/r/m", F_OK) == 0);
	CHECK(chdir("/") == 0 && rmdir("/tmp/r/m") == 0 &&
	      rmdir("/tmp/r/cwd") == 0 && rmdir("/tmp/r") == 0);

	/* statx (by path and by descriptor), and a large realloc (mremap). */
	unsigned char sx[256];
	uint32_t sx_size_lo;

	CHECK(syscall(SYS_statx, AT_FDCWD, "/proc/meminfo", 0, 0x7ff, sx) == 0);
	fd = open("/tmp/x", O_CREAT | O_RDWR, 0600);
	CHECK(fd >= 0 && write(fd, "12345", 5) == 5);
	CHECK(syscall(SYS_statx, fd, "", AT_EMPTY_PATH, 0x7ff, sx) == 0);
	memcpy(&sx_size_lo, sx + 40, 4);	/* stx_size */
	CHECK(sx_size_lo == 5);
	close(fd);
	unlink("/tmp/x");
	char *big = malloc(1 << 20);

	CHECK(big != NULL);
	memset(big, 7, 1 << 20);
	big = realloc(big, 4 << 20);
	CHECK(big && big[(1 << 20) - 1] == 7 && big[0] == 7);
	free(big);

	/* What the C library and OpenMP runtimes ask. */
	long online = sysconf(_SC_NPROCESSORS_ONLN);
	int in_cpuinfo = 0;

	f = fopen("/proc/cpuinfo", "r");
	CHECK(f != NULL);
	while (f && fgets(buf, sizeof(buf), f))
		in_cpuinfo += !strncmp(buf, "processor", 9);
	if (f)
		fclose(f);
	CHECK(!cpus || (online == cpus && in_cpuinfo == cpus));
	printf("files: /tmp write, read back, rename, unlink, readdir %s; "
	       "%ld CPUs online, %d in /proc/cpuinfo\n",
	       failures ? "FAILED" : "ok", online, in_cpuinfo);
	return failures != 0;
}
