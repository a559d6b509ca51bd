// SPDX-License-Identifier: GPL-2.0
/*
 * Process families as Linux keeps them, which shells, Python's subprocess
 * and MPI launchers rely on:
 *   - a child forked by a thread belongs to the process: the thread may
 *     end first, and another thread reaps the child;
 *   - wait4 by pid, by process group (0 and -pgid) and for any child,
 *     with WNOHANG, and the child's CPU time in its rusage;
 *   - waitid with WNOWAIT leaves the child to be reaped again, and with
 *     WNOHANG and nothing ended it reports si_pid 0;
 *   - SIGCHLD reaches the parent once for each child that ends;
 *   - a child that has called execve can still be signalled.
 * With "leave", the process also forks a child that never ends and
 * exits without waiting: the job ends with it (the init task's free-
 * memory check after the job shows whether it really went).
 *
 * Prints "family: N checks, N failed" and exits 0 only if none failed.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

static int checks, failed;
static volatile sig_atomic_t sigchld_count;

static void check(int ok, const char *what)
{
	checks++;
	if (!ok) {
		failed++;
		printf("family: FAILED: %s (errno %d)\n", what, errno);
	}
}

/* A child that spins long enough to use measurable CPU time. */
static pid_t spinning_child(int status)
{
	pid_t pid = fork();

	if (pid == 0) {
		volatile unsigned long n = 0;

		for (unsigned long i = 0; i < 20000000; i++)
			n += i;
		_exit(status);
	}
	return pid;
}

static void *fork_and_leave(void *arg)
{
	pid_t *pid = arg;

	*pid = spinning_child(7);
	return NULL;		/* the thread ends before its child */
}

static void *reap(void *arg)
{
	pid_t pid = *(pid_t *)arg;
	int status = 0;

	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 9)
		return (void *)1;
	return NULL;
}

static void on_sigchld(int sig)
{
	(void)sig;
	sigchld_count++;
}

static void threads_and_children(void)
{
	pthread_t t;
	pid_t pid = -1;
	void *ret = (void *)1;
	int status = 0;

	/* A thread forks, then ends; the main thread reaps its child. */
	check(pthread_create(&t, NULL, fork_and_leave, &pid) == 0 &&
		      pthread_join(t, NULL) == 0 && pid > 0,
	      "a thread forks a child and ends");
	check(waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
		      WEXITSTATUS(status) == 7,
	      "the main thread reaps the child of a thread that ended");

	/* The main thread forks; another thread reaps. */
	pid = spinning_child(9);
	check(pthread_create(&t, NULL, reap, &pid) == 0 &&
		      pthread_join(t, &ret) == 0 && ret == NULL,
	      "a thread reaps the main thread's child");
}

static void waits(void)
{
	struct rusage ru;
	siginfo_t si;
	pid_t pid, a, b;
	int status = 0;

	pid = spinning_child(3);
	memset(&ru, 0, sizeof(ru));
	check(wait4(pid, &status, 0, &ru) == pid && WEXITSTATUS(status) == 3,
	      "wait4 by pid");
	check(ru.ru_utime.tv_sec > 0 || ru.ru_utime.tv_usec > 0,
	      "wait4's rusage has the child's CPU time");

	/* Nothing has ended yet with WNOHANG: 0, and waitid's si_pid 0. */
	int gate[2];

	check(pipe(gate) == 0, "pipe");
	pid = fork();
	if (pid == 0) {
		char c;

		close(gate[1]);
		_exit(read(gate[0], &c, 1) == 1 ? 4 : 5);
	}
	close(gate[0]);
	check(waitpid(pid, &status, WNOHANG) == 0, "WNOHANG, child running: 0");
	memset(&si, 0xff, sizeof(si));
	check(waitid(P_PID, pid, &si, WEXITED | WNOHANG) == 0 &&
		      si.si_pid == 0,
	      "waitid WNOHANG, child running: si_pid 0");
	check(write(gate[1], "x", 1) == 1, "release the child");
	close(gate[1]);

	/* WNOWAIT: seen, not reaped; then reaped by waitpid. */
	memset(&si, 0, sizeof(si));
	check(waitid(P_PID, pid, &si, WEXITED | WNOWAIT) == 0 &&
		      si.si_pid == pid && si.si_code == CLD_EXITED &&
		      si.si_status == 4 && si.si_signo == SIGCHLD,
	      "waitid WNOWAIT reports the exit");
	check(waitpid(pid, &status, 0) == pid && WEXITSTATUS(status) == 4,
	      "the child is still there to reap after WNOWAIT");

	/* By process group: one child in ours, one in a group of its own. */
	a = spinning_child(1);
	b = fork();
	if (b == 0) {
		setpgid(0, 0);
		_exit(2);
	}
	setpgid(b, b);		/* either may run first: both set it */
	check(waitpid(-b, &status, 0) == b && WEXITSTATUS(status) == 2,
	      "waitpid(-pgid) reaps the child in that group");
	check(waitpid(0, &status, 0) == a && WEXITSTATUS(status) == 1,
	      "waitpid(0) reaps the child in the caller's group");
	check(waitpid(-1, &status, WNOHANG) == -1 && errno == ECHILD,
	      "no children left: ECHILD");

	/* A killed child's status says so. */
	pid = fork();
	if (pid == 0) {
		pause();
		_exit(0);
	}
	kill(pid, SIGTERM);
	memset(&si, 0, sizeof(si));
	check(waitid(P_ALL, 0, &si, WEXITED) == 0 && si.si_pid == pid &&
		      si.si_code == CLD_KILLED && si.si_status == SIGTERM,
	      "waitid reports a child killed by SIGTERM");
}

/* The child: exec this program again ("ready FD"), then be killed. */
static void exec_then_kill(void)
{
	int gate[2], status = 0;
	char fd[16], c;
	pid_t pid;

	check(pipe(gate) == 0, "pipe");
	pid = fork();
	if (pid == 0) {
		snprintf(fd, sizeof(fd), "%d", gate[1]);
		execl("/proc/self/exe", "family", "ready", fd, (char *)NULL);
		_exit(127);
	}
	close(gate[1]);
	check(read(gate[0], &c, 1) == 1, "the exec'd child says it is ready");
	close(gate[0]);
	check(kill(pid, SIGTERM) == 0 && waitpid(pid, &status, 0) == pid &&
		      WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM,
	      "SIGTERM ends a child that has called execve");
}

static void sigchld(void)
{
	struct sigaction sa = { .sa_handler = on_sigchld };
	int status;

	sigemptyset(&sa.sa_mask);
	check(sigaction(SIGCHLD, &sa, NULL) == 0, "sigaction(SIGCHLD)");
	for (int i = 0; i < 3; i++) {
		pid_t pid = fork();

		if (pid == 0)
			_exit(0);
		check(waitpid(pid, &status, 0) == pid, "reap a child");
	}
	/* Each exit sends SIGCHLD before the child can be reaped. */
	check(sigchld_count == 3, "SIGCHLD once per child");
	signal(SIGCHLD, SIG_DFL);
}

int main(int argc, char **argv)
{
	if (argc > 2 && !strcmp(argv[1], "ready")) {	/* exec_then_kill's */
		if (write(atoi(argv[2]), "r", 1) != 1)
			return 1;
		for (;;)
			pause();
	}
	threads_and_children();
	waits();
	sigchld();
	exec_then_kill();
	if (argc > 1 && !strcmp(argv[1], "leave")) {
		pid_t pid = fork();

		if (pid == 0) {
			for (;;)
				pause();
		}
		check(pid > 0, "fork a child that outlives the process");
	}
	printf("family: %d checks, %d failed\n", checks, failed);
	return failed ? 1 : 0;
}
