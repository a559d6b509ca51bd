// SPDX-License-Identifier: GPL-2.0
/*
 * Shared memory between processes, as glibc programs use it: a POSIX
 * shm_open() object mapped MAP_SHARED before fork() and again by the
 * child at another address, a process-shared semaphore in it (what
 * sem_open makes: a /dev/shm file, a shared mapping and futexes in it,
 * across processes), an anonymous MAP_SHARED mapping, a System V
 * segment, msync() to the file and a partial munmap(). One line per
 * check; exit status 0 if all hold.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define SIZE (4 << 20)	/* large enough for 2 MiB pages */

static int failed;

static void check(int ok, const char *what)
{
	printf("%s %s\n", ok ? "ok" : "FAIL", what);
	fflush(stdout);
	failed |= !ok;
}

struct shared {
	sem_t ready;		/* process-shared, in the shm object */
	volatile int from_child;
	volatile int via_second_mapping;
};

static int child(struct shared *s, int *anon, char *sysv)
{
	int fd = shm_open("/kitten-dynshm", O_RDWR, 0);
	struct shared *again;

	if (fd < 0)
		return 10;
	again = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (again == MAP_FAILED || again == s)
		return 11;
	close(fd);
	s->from_child = 42;
	again->via_second_mapping = 7;	/* the parent reads it through s */
	*anon = 1234;
	strcpy(sysv, "written by the child");
	sem_post(&s->ready);
	return 0;
}

int main(void)
{
	int fd = shm_open("/kitten-dynshm", O_CREAT | O_RDWR | O_EXCL, 0600);
	struct shared *s;
	int *anon, id, status;
	char *sysv, buf[16];
	struct shmid_ds ds;
	pid_t pid;

	check(fd >= 0, "shm_open creates /dev/shm/kitten-dynshm");
	check(ftruncate(fd, SIZE) == 0, "ftruncate to 4 MiB");
	s = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	check(s != MAP_FAILED, "mmap MAP_SHARED of the object");
	if (s == MAP_FAILED)
		return 1;
	check(sem_init(&s->ready, 1, 0) == 0, "sem_init, process-shared");
	anon = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	check(anon != MAP_FAILED, "anonymous MAP_SHARED");
	id = shmget(IPC_PRIVATE, 8192, IPC_CREAT | 0600);
	check(id >= 0, "shmget");
	sysv = shmat(id, NULL, 0);
	check(sysv != (void *)-1, "shmat");
	if (anon == MAP_FAILED || sysv == (void *)-1)
		return 1;

	pid = fork();
	if (pid == 0)
		_exit(child(s, anon, sysv));
	/* The wait sleeps on a futex in pages the child maps too. */
	check(sem_wait(&s->ready) == 0, "sem_wait in the object, posted by the child");
	check(waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	      WEXITSTATUS(status) == 0, "the child exited with status 0");
	check(s->from_child == 42, "the child's write through the inherited mapping");
	check(s->via_second_mapping == 7, "the child's write through its own mapping");
	check(*anon == 1234, "the child's write to anonymous shared memory");
	check(!strcmp(sysv, "written by the child"), "the child's write to the System V segment");
	check(shmctl(id, IPC_STAT, &ds) == 0 && ds.shm_segsz == 8192 &&
	      ds.shm_nattch == 1, "shmctl IPC_STAT: size 8192, 1 attached");
	check(shmctl(id, IPC_RMID, NULL) == 0, "shmctl IPC_RMID");
	check(!strcmp(sysv, "written by the child"), "a removed segment stays attached");
	check(shmdt(sysv) == 0, "shmdt");

	/* msync: the file holds what the mapping holds. */
	memcpy((char *)s + 8192, "synced", 7);
	check(msync(s, SIZE, MS_SYNC) == 0, "msync");
	check(pread(fd, buf, 7, 8192) == 7 && !strcmp(buf, "synced"),
	      "read() sees the bytes msync wrote");
	/* Part of a mapping goes; the rest stays. */
	check(munmap(s, 4096) == 0, "munmap of the first page");
	check(((char *)s)[8192] == 's', "the rest of the mapping is still there");
	check(munmap((char *)s + 4096, SIZE - 4096) == 0, "munmap of the rest");
	close(fd);
	check(shm_unlink("/kitten-dynshm") == 0, "shm_unlink");
	printf("dynshm: %s\n", failed ? "FAILED" : "all passed");
	return failed;
}
