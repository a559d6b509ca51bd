// SPDX-License-Identifier: GPL-2.0
/*
 * Every system call that takes a pointer or a choice, given a bad one:
 * each must fail with the error Linux gives, and nothing else may happen
 * (the kernel keeps running, the program continues).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define BAD ((long)1)		/* an address nobody maps */

static int checks, wrong;

static void expect(const char *what, long ret, int want)
{
	checks++;
	if (ret == -1 && errno == want)
		return;
	wrong++;
	printf("badargs: %s gave %ld (errno %d), expected errno %d\n", what,
	       ret, ret == -1 ? errno : 0, want);
}

#define SYS(what, want, ...) expect(what, syscall(__VA_ARGS__), want)

int main(void)
{
	char buf[64];

	SYS("write bad buffer", EFAULT, SYS_write, 1, BAD, 10);
	SYS("write bad fd", EBADF, SYS_write, 999, buf, 1);
	SYS("read bad fd", EBADF, SYS_read, -5, buf, 1);
	SYS("open bad path", EFAULT, SYS_open, BAD, O_RDONLY);
	SYS("open missing", ENOENT, SYS_open, "/no/such/file", O_RDONLY);
	SYS("openat bad dirfd", EBADF, SYS_openat, 999, "x", O_RDONLY);
	SYS("open dir for writing", EISDIR, SYS_open, "/tmp", O_WRONLY);
	SYS("close bad fd", EBADF, SYS_close, 999);
	SYS("lseek console", ESPIPE, SYS_lseek, 1, 0, SEEK_SET);
	SYS("fstat bad buffer", EFAULT, SYS_fstat, 0, BAD);
	SYS("stat bad path", EFAULT, SYS_stat, BAD, buf);
	SYS("stat missing", ENOENT, SYS_stat, "/nope", buf);
	SYS("clock_gettime bad clock", EINVAL, SYS_clock_gettime, 99, buf);
	SYS("clock_gettime bad buffer", EFAULT, SYS_clock_gettime,
	    CLOCK_MONOTONIC, BAD);
	SYS("nanosleep bad time", EINVAL, SYS_nanosleep,
	    (struct timespec[]){ { 0, 2000000000 } }, NULL);
	SYS("mmap length 0", EINVAL, SYS_mmap, 0, 0, 3, 0x22, -1, 0);
	SYS("munmap unaligned", EINVAL, SYS_munmap, 4097, 4096);
	SYS("futex bad address", EFAULT, SYS_futex, 8, 0, 0, NULL, NULL, 0);
	SYS("futex bad op", ENOSYS, SYS_futex, buf, 99, 0, NULL, NULL, 0);
	SYS("rt_sigaction SIGKILL", EINVAL, SYS_rt_sigaction, SIGKILL, buf,
	    NULL, 8);
	SYS("rt_sigprocmask bad how", EINVAL, SYS_rt_sigprocmask, 99, buf,
	    NULL, 8);
	SYS("getcwd too small", ERANGE, SYS_getcwd, buf, 1);
	SYS("dup2 bad target", EBADF, SYS_dup2, 1, 99999);
	SYS("dup3 same fd", EINVAL, SYS_dup3, 1, 1, 0);
	SYS("mkdir existing", EEXIST, SYS_mkdir, "/tmp", 0755);
	SYS("unlink directory", EISDIR, SYS_unlink, "/tmp");
	SYS("rmdir file", ENOTDIR, SYS_rmdir, "/dev/null");
	SYS("rename missing", ENOENT, SYS_rename, "/nope", "/tmp/x");
	SYS("getdents64 on console", ENOTDIR, SYS_getdents64, 1, buf, sizeof(buf));
	SYS("sched_setaffinity empty", EINVAL, SYS_sched_setaffinity, 0, 8,
	    (unsigned long[]){ 0 });
	SYS("arch_prctl bad code", EINVAL, SYS_arch_prctl, 0x9999, 0);
	SYS("kill other pid", ESRCH, SYS_kill, 99999, 0);
	SYS("unknown system call", ENOSYS, 999);
	printf("badargs: %d checks, %d wrong\n", checks, wrong);
	return wrong != 0;
}
