// SPDX-License-Identifier: GPL-2.0
/*
 * A program from command to exit: fork, execve of PROG (a dynamically
 * linked hello world: the loader maps its libraries, relocates, runs
 * main, exits), and wait, N times. The result is the time per run:
 *
 *	bench spawn ns=... runs=N
 *
 * PROG's output goes to /dev/null, so the console's speed is not timed.
 */
#include "bench.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

static void spawn_once(char *prog)
{
	char *argv[] = { prog, NULL }, *envp[] = { NULL };
	int status;
	pid_t pid = fork();

	if (pid < 0) {
		perror("spawn: fork");
		exit(1);
	}
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		if (null >= 0)
			dup2(null, 1);
		execve(prog, argv, envp);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status)) {
		fprintf(stderr, "spawn: %s did not exit with 0 (status %#x)\n",
			prog, status);
		exit(1);
	}
}

int main(int argc, char **argv)
{
	long runs = 20;
	uint64_t start;

	if (argc < 2 || argc > 3)
		bench_usage_error("usage: spawn PROG [RUNS]");
	if (argc == 3)
		runs = bench_arg_long("RUNS", argv[2], 1, 100000);
	spawn_once(argv[1]);	/* untimed: the first run fills caches */
	start = bench_now_ns();
	for (long i = 0; i < runs; i++)
		spawn_once(argv[1]);
	printf("bench spawn ns=%lu runs=%ld\n",
	       (unsigned long)((bench_now_ns() - start) / runs), runs);
	return 0;
}
