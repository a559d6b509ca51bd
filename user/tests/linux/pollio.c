// SPDX-License-Identifier: GPL-2.0
/*
 * Waiting on pipes as shells and Python's subprocess do: non-blocking
 * ends (pipe2 and fcntl), poll and select over several pipes fed by
 * forked children, end of file as POLLHUP, a timeout, ppoll's signal
 * mask, and a blocked read ended by a signal: -EINTR without SA_RESTART,
 * restarted with it. Each check prints one line; the last says "all ok".
 * Nothing depends on timing: children are told when to write, and
 * signals are re-sent until the reader has been interrupted.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/select.h>
#include <sys/wait.h>
#include <unistd.h>

#define NPIPES 4

static int ok = 1;
static int ack[2];
static volatile sig_atomic_t handled;

static void check(int cond, const char *what)
{
	printf("pollio: %s %s\n", what, cond ? "ok" : "FAILED");
	ok &= cond;
}

static void on_usr1(int sig)
{
	(void)sig;
	handled++;
	(void)!write(ack[1], "a", 1);	/* tell the sender it landed */
}

static void handle_usr1(int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sa.sa_flags = flags;
	sigaction(SIGUSR1, &sa, NULL);
}

static void nonblocking(void)
{
	int p[2], n = 0, fl;
	char buf[512] = { 0 };
	ssize_t r;

	pipe2(p, O_NONBLOCK);
	r = read(p[0], buf, 1);
	check(r == -1 && errno == EAGAIN, "pipe2(O_NONBLOCK) empty read EAGAIN");
	while ((r = write(p[1], buf, sizeof(buf))) > 0)
		n += r;
	check(r == -1 && errno == EAGAIN && n == 16384,
	      "non-blocking write fills 16384 bytes then EAGAIN");
	fl = fcntl(p[0], F_GETFL);
	check((fl & O_NONBLOCK) && fcntl(p[0], F_SETFL, fl & ~O_NONBLOCK) == 0 &&
	      !(fcntl(p[0], F_GETFL) & O_NONBLOCK), "F_SETFL clears O_NONBLOCK");
	while (n > 0 && (r = read(p[0], buf, sizeof(buf))) > 0)
		n -= r;
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	r = read(p[0], buf, 1);
	check(n == 0 && r == -1 && errno == EAGAIN, "F_SETFL sets O_NONBLOCK");
	close(p[0]);
	close(p[1]);
}

/*
 * NPIPES children, each with its own pipe, write when told (in reverse
 * order); the parent's poll and select must name exactly that pipe.
 */
static void several(void)
{
	int data[NPIPES][2], go[NPIPES][2], good_poll = 0, good_select = 0;
	struct pollfd pfd[NPIPES];
	char c;

	for (int i = 0; i < NPIPES; i++) {
		pipe(data[i]);
		pipe(go[i]);
		if (fork() == 0) {
			for (int j = 0; j <= i; j++)	/* so go[j] can end */
				close(go[j][1]);
			while (read(go[i][0], &c, 1) == 1)	/* until go closes */
				(void)!write(data[i][1], &c, 1);
			_exit(0);
		}
		close(go[i][0]);
		close(data[i][1]);
	}
	for (int i = NPIPES - 1; i >= 0; i--) {	/* poll */
		int n, which = -1;

		(void)!write(go[i][1], "p", 1);
		for (int j = 0; j < NPIPES; j++)
			pfd[j] = (struct pollfd){ .fd = data[j][0], .events = POLLIN };
		n = poll(pfd, NPIPES, -1);
		for (int j = 0; j < NPIPES; j++)
			if (pfd[j].revents)
				which = j;
		if (n == 1 && which == i && pfd[i].revents == POLLIN &&
		    read(data[i][0], &c, 1) == 1 && c == 'p')
			good_poll++;
	}
	check(good_poll == NPIPES, "poll names the one pipe of 4 written");
	for (int i = NPIPES - 1; i >= 0; i--) {	/* select */
		fd_set rd;
		int n, max = 0;

		(void)!write(go[i][1], "s", 1);
		FD_ZERO(&rd);
		for (int j = 0; j < NPIPES; j++) {
			FD_SET(data[j][0], &rd);
			max = data[j][0] > max ? data[j][0] : max;
		}
		n = select(max + 1, &rd, NULL, NULL, NULL);
		if (n == 1 && FD_ISSET(data[i][0], &rd) &&
		    read(data[i][0], &c, 1) == 1 && c == 's')
			good_select++;
	}
	check(good_select == NPIPES, "select names the one pipe of 4 written");
	for (int i = 0; i < NPIPES; i++) {
		struct pollfd hup = { .fd = data[i][0], .events = POLLIN };

		close(go[i][1]);
		wait(NULL);
		if (!(poll(&hup, 1, -1) == 1 && (hup.revents & POLLHUP)))
			good_poll = -1;
		close(data[i][0]);
	}
	check(good_poll == NPIPES, "writer gone: POLLHUP");
}

static void timeouts(void)
{
	int p[2];
	struct pollfd pfd;
	struct timeval tv = { 0, 20000 };
	fd_set rd;

	pipe(p);
	pfd = (struct pollfd){ .fd = p[0], .events = POLLIN };
	check(poll(&pfd, 1, 0) == 0 && pfd.revents == 0, "poll timeout 0 on empty pipe");
	check(poll(&pfd, 1, 20) == 0, "poll timeout 20 ms expires with 0");
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	check(select(p[0] + 1, &rd, NULL, NULL, &tv) == 0 && !FD_ISSET(p[0], &rd) &&
	      tv.tv_sec == 0 && tv.tv_usec == 0, "select timeout, time left 0");
	pfd = (struct pollfd){ .fd = p[1], .events = POLLOUT };
	check(poll(&pfd, 1, -1) == 1 && pfd.revents == POLLOUT, "empty pipe writable");
	pfd = (struct pollfd){ .fd = 999, .events = POLLIN };
	check(poll(&pfd, 1, 0) == 1 && pfd.revents == POLLNVAL, "closed fd POLLNVAL");
	close(p[0]);
	close(p[1]);
}

/*
 * A child signals the parent until the parent says stop; each signal is
 * acknowledged by the handler, so at most one is in flight. An
 * acknowledgement left over stays in the pipe: the next user drains it.
 */
static pid_t start_signaller(int stop_fd)
{
	pid_t parent = getpid(), pid = fork();
	char c;

	if (pid)
		return pid;
	for (;;) {
		struct pollfd pfd[2] = { { .fd = stop_fd, .events = POLLIN },
					 { .fd = ack[0], .events = POLLIN } };

		kill(parent, SIGUSR1);
		/* The last one may wait for the parent's wait4 to end. */
		if (poll(pfd, 2, -1) < 0 || pfd[0].revents || read(ack[0], &c, 1) != 1)
			_exit(0);
	}
}

static void stop_signaller(pid_t pid, int stop[2])
{
	char c;

	(void)!write(stop[1], "s", 1);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	/* Its last signal has been handled by now: drop the last ack. */
	fcntl(ack[0], F_SETFL, O_NONBLOCK);
	while (read(ack[0], &c, 1) == 1)
		;
	fcntl(ack[0], F_SETFL, 0);
	close(stop[0]);
	close(stop[1]);
}

static void interrupted(void)
{
	int p[2], stop[2], r, e;
	sigset_t block, none;
	struct pollfd pfd;
	pid_t pid;
	char c;

	pipe(ack);
	pipe(p);

	/* ppoll: SIGUSR1 blocked except during the call. */
	handle_usr1(0);
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, NULL);
	pipe(stop);
	handled = 0;
	pid = start_signaller(stop[0]);
	sigemptyset(&none);
	pfd = (struct pollfd){ .fd = p[0], .events = POLLIN };
	r = ppoll(&pfd, 1, NULL, &none);
	e = errno;
	check(r == -1 && e == EINTR && handled == 1, "ppoll unblocks SIGUSR1: EINTR, handler ran");
	sigprocmask(SIG_SETMASK, NULL, &none);
	check(sigismember(&none, SIGUSR1), "ppoll restores the mask");
	sigprocmask(SIG_UNBLOCK, &block, NULL);
	stop_signaller(pid, stop);

	/* A blocked read without SA_RESTART. */
	pipe(stop);
	pid = start_signaller(stop[0]);
	r = read(p[0], &c, 1);
	e = errno;
	check(r == -1 && e == EINTR && handled > 0, "read interrupted: EINTR");
	stop_signaller(pid, stop);

	/* With SA_RESTART: the read goes on after each handler. */
	handle_usr1(SA_RESTART);
	handled = 0;
	if ((pid = fork()) == 0) {
		pid_t parent = getppid();

		for (int i = 0; i < 3; i++) {
			kill(parent, SIGUSR1);
			if (read(ack[0], &c, 1) != 1)
				_exit(1);
		}
		(void)!write(p[1], "d", 1);
		_exit(0);
	}
	r = read(p[0], &c, 1);
	check(r == 1 && c == 'd' && handled == 3, "SA_RESTART read restarted: data after 3 handlers");
	waitpid(pid, NULL, 0);
}

/*
 * A process blocked in each kind of wait ends when killed: it says it
 * is about to block, the parent kills it, and wait4 reports the signal.
 */
static void killed(void)
{
	static const char *what[] = { "read", "poll", "select", "write" };
	int good = 0;

	for (int k = 0; k < 4; k++) {
		int p[2], ready[2], st;
		char c, buf[4096] = { 0 };
		pid_t pid;

		pipe(p);
		pipe(ready);
		if ((pid = fork()) == 0) {
			struct pollfd pfd = { .fd = p[0], .events = POLLIN };
			fd_set rd;

			(void)!write(ready[1], "r", 1);
			switch (k) {
			case 0:
				(void)!read(p[0], &c, 1);
				break;
			case 1:
				poll(&pfd, 1, -1);
				break;
			case 2:
				FD_ZERO(&rd);
				FD_SET(p[0], &rd);
				select(p[0] + 1, &rd, NULL, NULL, NULL);
				break;
			default:
				for (;;)	/* fills the pipe, then blocks */
					(void)!write(p[1], buf, sizeof(buf));
			}
			_exit(0);
		}
		(void)!read(ready[0], &c, 1);
		kill(pid, SIGTERM);
		waitpid(pid, &st, 0);
		if (WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM)
			good++;
		else
			printf("pollio: blocked in %s, not killed\n", what[k]);
		close(p[0]);
		close(p[1]);
		close(ready[0]);
		close(ready[1]);
	}
	check(good == 4, "killed while blocked in read, poll, select, write");
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	nonblocking();
	several();
	timeouts();
	interrupted();
	killed();
	printf("pollio: %s\n", ok ? "all ok" : "SOME FAILED");
	return !ok;
}
