// SPDX-License-Identifier: GPL-2.0
/*
 * Hard links and what comes with them, as C libraries use them: link and
 * linkat (nlink, one inode under two names, the file living on under its
 * second name, rename between two names of one file doing nothing, the
 * refusals), POSIX named semaphores (sem_open makes its file under a
 * temporary name and links it into place), statfs, and fsync. With a
 * directory argument (a 9P export), links are made there too and a link
 * from /tmp into it is refused as crossing file systems.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <semaphore.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <unistd.h>

#define TMPFS_MAGIC 0x01021994
#define V9FS_MAGIC 0x01021997

static int failures;

#define CHECK(cond)                                                      \
	do {                                                             \
		if (!(cond)) {                                           \
			printf("links: FAILED %s (line %d, errno %d)\n", \
			       #cond, __LINE__, errno);                  \
			failures++;                                      \
		}                                                        \
	} while (0)

static void put(const char *path, const char *text)
{
	int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);

	CHECK(fd >= 0 && write(fd, text, strlen(text)) == (ssize_t)strlen(text));
	CHECK(fd >= 0 && fsync(fd) == 0);
	if (fd >= 0)
		close(fd);
}

static int has(const char *path, const char *text)
{
	char buf[64] = "";
	int fd = open(path, O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;

	if (fd >= 0)
		close(fd);
	return n == (ssize_t)strlen(text) && !memcmp(buf, text, n);
}

static nlink_t nlink_of(const char *path)
{
	struct stat st;

	return stat(path, &st) ? (nlink_t)-1 : st.st_nlink;
}

/* Two names of one file in dir, then the first removed. */
static void links_in(const char *dir)
{
	char a[256], b[256], c[256];
	struct stat sa, sb;

	snprintf(a, sizeof(a), "%s/link-a", dir);
	snprintf(b, sizeof(b), "%s/link-b", dir);
	snprintf(c, sizeof(c), "%s/link-c", dir);
	put(a, "first");
	CHECK(link(a, b) == 0);
	CHECK(stat(a, &sa) == 0 && stat(b, &sb) == 0);
	CHECK(sa.st_ino == sb.st_ino && sa.st_nlink == 2 && sb.st_nlink == 2);
	CHECK(link(a, b) == -1 && errno == EEXIST);
	put(b, "second");		/* one file: written through b ... */
	CHECK(has(a, "second"));	/* ... read through a */
	CHECK(rename(a, b) == 0);	/* names of one file: nothing done */
	CHECK(has(a, "second") && has(b, "second"));
	CHECK(unlink(a) == 0);
	CHECK(has(b, "second") && nlink_of(b) == 1);
	CHECK(linkat(AT_FDCWD, b, AT_FDCWD, c, 0) == 0 && nlink_of(c) == 2);
	CHECK(unlink(b) == 0 && unlink(c) == 0);
	CHECK(link(a, c) == -1 && errno == ENOENT);
}

/* An open file keeps its data; its path follows the name it still has. */
static void open_file_names(void)
{
	char target[256] = "", self[64];
	struct stat st;
	int fd;

	put("/tmp/first", "kept");
	CHECK(link("/tmp/first", "/tmp/dir/second") == 0);
	fd = open("/tmp/first", O_RDONLY);
	CHECK(fd >= 0);
	CHECK(unlink("/tmp/first") == 0);
	CHECK(fstat(fd, &st) == 0 && st.st_nlink == 1);
	snprintf(self, sizeof(self), "/proc/self/fd/%d", fd);
	CHECK(readlink(self, target, sizeof(target) - 1) > 0 &&
	      !strcmp(target, "/tmp/dir/second"));
	CHECK(unlink("/tmp/dir/second") == 0);
	CHECK(fstat(fd, &st) == 0 && st.st_nlink == 0);
	CHECK(close(fd) == 0);
}

static void refusals(void)
{
	CHECK(link("/tmp/dir", "/tmp/dir2") == -1 && errno == EPERM);
	CHECK(link("/tmp/missing", "/tmp/x") == -1 && errno == ENOENT);
	CHECK(link("/proc/self/status", "/tmp/status") == -1 && errno == EXDEV);
	CHECK(link("/dev/null", "/tmp/null") == -1 && errno == EXDEV);
	CHECK(link("/tmp/dir", "/tmp/missing/x") == -1 && errno == ENOENT);
	CHECK(linkat(AT_FDCWD, "/tmp/dir", AT_FDCWD, "/tmp/y", 0x8000) == -1 &&
	      errno == EINVAL);
	CHECK(link((const char *)0xffff800000000000ULL, "/tmp/z") == -1 &&
	      errno == EFAULT);
}

/* sem_open links its file into /dev/shm; a second open finds it. */
static void named_semaphores(void)
{
	sem_t *s = sem_open("/links-sem", O_CREAT | O_EXCL, 0600, 1);
	sem_t *again;
	int value = -1;

	CHECK(s != SEM_FAILED);
	if (s == SEM_FAILED)
		return;
	again = sem_open("/links-sem", 0);
	CHECK(again != SEM_FAILED);
	CHECK(sem_open("/links-sem", O_CREAT | O_EXCL, 0600, 1) == SEM_FAILED &&
	      errno == EEXIST);
	CHECK(sem_wait(s) == 0 && sem_getvalue(again, &value) == 0 && value == 0);
	CHECK(sem_post(again) == 0 && sem_getvalue(s, &value) == 0 && value == 1);
	CHECK(sem_unlink("/links-sem") == 0);
	CHECK(sem_open("/links-sem", 0) == SEM_FAILED && errno == ENOENT);
	sem_close(s);
	if (again != SEM_FAILED)
		sem_close(again);
}

static void statfs_and_fsync(const char *dir)
{
	struct statfs fs;
	int p[2];

	CHECK(statfs("/tmp", &fs) == 0 && fs.f_type == TMPFS_MAGIC &&
	      fs.f_bsize == 4096 && fs.f_bfree > 0 && fs.f_bfree <= fs.f_blocks);
	CHECK(pipe(p) == 0);
	CHECK(fsync(p[1]) == -1 && errno == EINVAL);
	CHECK(fstatfs(p[0], &fs) == -1 && errno == EINVAL);
	close(p[0]);
	close(p[1]);
	CHECK(fsync(99) == -1 && errno == EBADF);
	CHECK(statfs("/tmp/missing", &fs) == -1 && errno == ENOENT);
	if (dir) {
		CHECK(statfs(dir, &fs) == 0 && fs.f_type == V9FS_MAGIC &&
		      fs.f_blocks > 0);
		CHECK(statfs("/usr", &fs) == 0 && fs.f_type == V9FS_MAGIC &&
		      (fs.f_flags & ST_RDONLY));
	}
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : NULL;
	char across[256];

	CHECK(mkdir("/tmp/dir", 0755) == 0);
	links_in("/tmp");
	open_file_names();
	refusals();
	named_semaphores();
	statfs_and_fsync(dir);
	if (dir) {
		links_in(dir);
		snprintf(across, sizeof(across), "%s/across", dir);
		put("/tmp/here", "here");
		CHECK(link("/tmp/here", across) == -1 && errno == EXDEV);
	}
	if (failures)
		return 1;
	printf("links: link, nlink, rename, sem_open, statfs, fsync ok%s\n",
	       dir ? " (and over 9p)" : "");
	return 0;
}
