// SPDX-License-Identifier: GPL-2.0
/*
 * File locks between two processes: fcntl record locks (conflicts,
 * F_GETLK naming the holder, splitting by a partial unlock, F_SETLKW
 * waiting for the holder's unlock, release on any close and on exit) and
 * flock() (exclusive and shared, shared by a forked child through the
 * same open file). The parent asks, a child answers over a pipe. One
 * line per check, then "all ok".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#define PATH "/tmp/locks.dat"

static int ok = 1;

static void check(int cond, const char *what)
{
	printf("locks: %s %s\n", what, cond ? "ok" : "FAILED");
	ok &= cond;
}

static int lock(int fd, int cmd, int type, off_t start, off_t len)
{
	struct flock fl = { .l_type = type, .l_whence = SEEK_SET,
			    .l_start = start, .l_len = len };

	return fcntl(fd, cmd, &fl);
}

/* In a child with its own open file: the result of one F_SETLK. */
static int try_in_child(int type, off_t start, off_t len)
{
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		int fd = open(PATH, O_RDWR);

		_exit(lock(fd, F_SETLK, type, start, len) == 0 ? 0 :
		      errno == EAGAIN || errno == EACCES ? 1 : 2);
	}
	waitpid(pid, &st, 0);
	return WEXITSTATUS(st);
}

static void records(int fd)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 5, .l_len = 1 };
	int other = open(PATH, O_RDONLY), p[2], st;
	struct pollfd pfd;
	pid_t pid;
	char c;

	check(lock(fd, F_SETLK, F_WRLCK, 0, 100) == 0, "write lock on bytes 0-99");
	check(try_in_child(F_WRLCK, 5, 1) == 1, "other process: write lock on byte 5 refused");
	check(try_in_child(F_RDLCK, 99, 1) == 1, "other process: read lock on byte 99 refused");
	check(try_in_child(F_WRLCK, 100, 10) == 0, "other process: bytes 100-109 free");
	if ((pid = fork()) == 0) {
		int cfd = open(PATH, O_RDWR);

		_exit(fcntl(cfd, F_GETLK, &fl) == 0 && fl.l_type == F_WRLCK &&
		      fl.l_pid == getppid() && fl.l_start == 0 && fl.l_len == 100 ? 0 : 1);
	}
	waitpid(pid, &st, 0);
	check(WEXITSTATUS(st) == 0, "F_GETLK names the holder, its pid and range");

	lock(fd, F_SETLK, F_UNLCK, 40, 20);
	check(try_in_child(F_WRLCK, 45, 10) == 0 && try_in_child(F_WRLCK, 10, 10) == 1 &&
	      try_in_child(F_WRLCK, 70, 10) == 1, "unlock of 40-59 splits the lock in two");

	/* F_SETLKW: the child waits until we unlock. */
	pipe(p);
	if ((pid = fork()) == 0) {
		int cfd = open(PATH, O_RDWR);

		(void)!write(p[1], "t", 1);
		if (lock(cfd, F_SETLKW, F_WRLCK, 0, 10))
			_exit(1);
		(void)!write(p[1], "g", 1);
		_exit(0);
	}
	(void)!read(p[0], &c, 1);
	pfd = (struct pollfd){ .fd = p[0], .events = POLLIN };
	check(poll(&pfd, 1, 50) == 0, "F_SETLKW waits while we hold the lock");
	lock(fd, F_SETLK, F_UNLCK, 0, 0);
	check(read(p[0], &c, 1) == 1 && c == 'g', "F_SETLKW granted after our unlock");
	waitpid(pid, &st, 0);
	close(p[0]);
	close(p[1]);

	/* Closing any descriptor of the file releases our locks. */
	lock(fd, F_SETLK, F_RDLCK, 0, 0);
	check(try_in_child(F_WRLCK, 0, 1) == 1, "read lock held");
	close(other);
	check(try_in_child(F_WRLCK, 0, 1) == 0, "closing another descriptor of the file released it");

	/* A process's locks go when it exits. */
	if ((pid = fork()) == 0) {
		int cfd = open(PATH, O_RDWR);

		lock(cfd, F_SETLK, F_WRLCK, 0, 0);
		_exit(0);	/* without unlocking */
	}
	waitpid(pid, &st, 0);
	check(lock(fd, F_SETLK, F_WRLCK, 0, 0) == 0, "a child's lock went with its exit");
	lock(fd, F_SETLK, F_UNLCK, 0, 0);
}

static int flock_in_child(int op, int inherited_fd)
{
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		int fd = inherited_fd >= 0 ? inherited_fd : open(PATH, O_RDONLY);

		_exit(flock(fd, op) == 0 ? 0 : errno == EWOULDBLOCK ? 1 : 2);
	}
	waitpid(pid, &st, 0);
	return WEXITSTATUS(st);
}

static void flocks(int fd)
{
	check(flock(fd, LOCK_EX) == 0, "flock LOCK_EX");
	check(flock_in_child(LOCK_EX | LOCK_NB, -1) == 1 &&
	      flock_in_child(LOCK_SH | LOCK_NB, -1) == 1,
	      "other open file: LOCK_EX and LOCK_SH refused (EWOULDBLOCK)");
	check(flock_in_child(LOCK_EX | LOCK_NB, fd) == 0,
	      "a forked child shares the lock through the same open file");
	flock(fd, LOCK_SH);
	check(flock_in_child(LOCK_SH | LOCK_NB, -1) == 0 &&
	      flock_in_child(LOCK_EX | LOCK_NB, -1) == 1,
	      "LOCK_SH shares with LOCK_SH, not with LOCK_EX");
	flock(fd, LOCK_UN);
	check(flock_in_child(LOCK_EX | LOCK_NB, -1) == 0, "LOCK_UN frees it");
}

int main(void)
{
	int fd = open(PATH, O_RDWR | O_CREAT | O_TRUNC, 0644);

	setvbuf(stdout, NULL, _IONBF, 0);
	(void)!write(fd, "0123456789", 10);
	records(fd);
	flocks(fd);
	close(fd);
	unlink(PATH);
	printf("locks: %s\n", ok ? "all ok" : "SOME FAILED");
	return !ok;
}
