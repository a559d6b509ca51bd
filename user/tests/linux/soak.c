// SPDX-License-Identifier: GPL-2.0
/*
 * soak: one job of the soak test (tests/system/fuzz.sh runs it 50 times
 * in a row, `make fuzz` 1,000 times, and the init task compares the free
 * memory after the first run and after the last).
 *
 * Each run mixes what jobs do: four threads that each write, read back,
 * rename and unlink files in one shared directory and meet on a mutex;
 * a child made with fork and execve (this program again, as "soak echo")
 * that copies a pipe to another pipe; and everything checked. It leaves
 * nothing behind in the file system. Exits 0 when every check holds.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define THREADS	4
#define ROUNDS	8
#define DIR	"/tmp/soak"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int shared_count, failures;

#define CHECK(cond)                                                          \
	do {                                                                 \
		if (!(cond)) {                                               \
			printf("soak: FAILED %s (line %d)\n", #cond, __LINE__); \
			__atomic_fetch_add(&failures, 1, __ATOMIC_RELAXED);  \
		}                                                            \
	} while (0)

static void *files(void *arg)
{
	long t = (long)arg;
	char a[64], b[64], text[64], back[64];

	for (int i = 0; i < ROUNDS; i++) {
		int fd, len = snprintf(text, sizeof(text), "thread %ld round %d\n", t, i);

		snprintf(a, sizeof(a), DIR "/t%ld-a", t);
		snprintf(b, sizeof(b), DIR "/t%ld-b", t);
		fd = open(a, O_CREAT | O_WRONLY | O_TRUNC, 0644);
		CHECK(fd >= 0);
		CHECK(write(fd, text, len) == len);
		close(fd);
		CHECK(rename(a, b) == 0);
		fd = open(b, O_RDONLY);
		CHECK(fd >= 0 && read(fd, back, sizeof(back)) == len &&
		      !memcmp(back, text, len));
		close(fd);
		CHECK(unlink(b) == 0);
		pthread_mutex_lock(&lock);
		shared_count++;
		pthread_mutex_unlock(&lock);
	}
	return NULL;
}

/* The exec'd child: copy standard input to standard output, upper-cased. */
static int echo(void)
{
	char buf[256];
	long n;

	while ((n = read(0, buf, sizeof(buf))) > 0) {
		for (long i = 0; i < n; i++)
			if (buf[i] >= 'a' && buf[i] <= 'z')
				buf[i] -= 32;
		if (write(1, buf, n) != n)
			return 1;
	}
	return n < 0;
}

static void child_through_pipes(const char *self)
{
	static const char msg[] = "through a pipe and back\n";
	char back[64] = "";
	int in[2], out[2], status = -1;
	long got = 0, n;
	pid_t pid;

	CHECK(pipe(in) == 0 && pipe(out) == 0);
	pid = fork();
	if (pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		close(in[0]), close(in[1]), close(out[0]), close(out[1]);
		execl(self, "soak", "echo", (char *)NULL);
		_exit(127);
	}
	CHECK(pid > 0);
	close(in[0]);
	close(out[1]);
	CHECK(write(in[1], msg, sizeof(msg) - 1) == sizeof(msg) - 1);
	close(in[1]);
	while (got < (long)sizeof(back) - 1 &&
	       (n = read(out[0], back + got, sizeof(back) - 1 - got)) > 0)
		got += n;
	close(out[0]);
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	      WEXITSTATUS(status) == 0);
	CHECK(got == sizeof(msg) - 1 && !strcmp(back, "THROUGH A PIPE AND BACK\n"));
}

int main(int argc, char **argv)
{
	pthread_t tid[THREADS];

	if (argc > 1 && !strcmp(argv[1], "echo"))
		return echo();
	CHECK(mkdir(DIR, 0755) == 0);
	for (long t = 0; t < THREADS; t++)
		CHECK(pthread_create(&tid[t], NULL, files, (void *)t) == 0);
	child_through_pipes(argv[0]);
	for (int t = 0; t < THREADS; t++)
		pthread_join(tid[t], NULL);
	CHECK(shared_count == THREADS * ROUNDS);
	CHECK(rmdir(DIR) == 0);
	if (failures)
		printf("soak: %d checks failed\n", failures);
	return failures != 0;
}
