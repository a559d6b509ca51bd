// SPDX-License-Identifier: GPL-2.0
/*
 * timerfd and signalfd. Timers are checked by expiration counts and
 * order, never by how long anything took: a one-shot timer expires once,
 * a periodic one at least once per read, an earlier timer has expired
 * whenever a later one has, a disarmed one never. Armed periodic timers
 * are closed from another thread (on 4 CPUs, another CPU) while they
 * fire. Signals blocked with sigprocmask are read from a signalfd,
 * through read, poll and epoll, with their senders. One line per check,
 * then "all ok".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MS 1000000L
#define CLOSES 200

static int ok = 1;

static void check(int cond, const char *what)
{
	printf("timersig: %s %s\n", what, cond ? "ok" : "FAILED");
	ok &= cond;
}

static void arm(int fd, long value_ns, long interval_ns, int flags)
{
	struct itimerspec its = {
		.it_interval = { interval_ns / 1000000000L, interval_ns % 1000000000L },
		.it_value = { value_ns / 1000000000L, value_ns % 1000000000L },
	};

	timerfd_settime(fd, flags, &its, NULL);
}

static uint64_t ticks(int fd)
{
	uint64_t n = 0;

	return read(fd, &n, 8) == 8 ? n : 0;
}

static void timers(void)
{
	int a = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
	int b = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
	struct itimerspec cur;
	struct timespec now;
	uint64_t n, total = 0;
	int good = 1, ep;
	struct epoll_event ev = { .events = EPOLLIN }, out;

	arm(a, 1 * MS, 0, 0);
	check(ticks(a) == 1, "one-shot timer: read blocks, then 1 expiration");
	timerfd_gettime(a, &cur);
	check(cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec == 0,
	      "one-shot timer: disarmed after it fired");

	arm(a, 1 * MS, 1 * MS, 0);
	for (int i = 0; i < 5; i++) {
		n = ticks(a);
		good &= n >= 1;
		total += n;
	}
	timerfd_gettime(a, &cur);
	check(good && total >= 5 && cur.it_interval.tv_nsec == 1 * MS,
	      "periodic timer: 5 reads, each at least 1 expiration");
	arm(a, 0, 0, 0);
	timerfd_gettime(a, &cur);
	check(cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec == 0 &&
	      cur.it_interval.tv_nsec == 0, "disarmed by a zero setting");

	/* Order: when the later one has fired, the earlier one has too. */
	arm(b, 2 * MS, 0, 0);
	arm(a, 6 * MS, 0, 0);
	n = ticks(a);
	check(n == 1 && ticks(b) == 1, "earlier timer expired when the later one did");
	errno = 0;
	check(ticks(b) == 0 && errno == EAGAIN, "TFD_NONBLOCK: no expiration, EAGAIN");

	arm(b, 1000L * 1000 * MS, 0, 0);	/* 1000 s: disarmed long before */
	timerfd_gettime(b, &cur);
	check(cur.it_value.tv_sec > 990, "gettime: time left of a far timer");
	arm(b, 0, 0, 0);
	errno = 0;
	check(ticks(b) == 0 && errno == EAGAIN, "disarmed far timer never fires");
	close(b);

	b = timerfd_create(CLOCK_REALTIME, 0);
	clock_gettime(CLOCK_REALTIME, &now);
	now.tv_nsec += 2 * MS;
	if (now.tv_nsec >= 1000000000L)
		now.tv_sec++, now.tv_nsec -= 1000000000L;
	timerfd_settime(b, TFD_TIMER_ABSTIME,
			&(struct itimerspec){ .it_value = now }, NULL);
	check(ticks(b) == 1, "CLOCK_REALTIME absolute time: 1 expiration");
	timerfd_settime(b, TFD_TIMER_ABSTIME,
			&(struct itimerspec){ .it_value = { 0, 1 } }, NULL);
	check(ticks(b) == 1, "absolute time in the past: fires at once");

	ep = epoll_create1(0);
	epoll_ctl(ep, EPOLL_CTL_ADD, b, &ev);
	arm(b, 1 * MS, 0, 0);
	check(epoll_wait(ep, &out, 1, -1) == 1 && ticks(b) == 1, "epoll wakes on expiry");
	close(ep);
	close(a);
	close(b);
}

static int handoff[2];

static void *closer(void *arg)
{
	int fd, n = 0;

	(void)arg;
	while (read(handoff[0], &fd, sizeof(fd)) == sizeof(fd) && fd >= 0)
		n += close(fd) == 0;
	return (void *)(long)n;
}

/* Timers firing every 50 us, closed by another thread while they fire. */
static void close_while_firing(void)
{
	pthread_t t;
	void *closed;
	int fd = -1;

	pipe(handoff);
	pthread_create(&t, NULL, closer, NULL);
	for (int i = 0; i < CLOSES; i++) {
		fd = timerfd_create(CLOCK_MONOTONIC, 0);
		arm(fd, 50000, 50000, 0);
		if (i % 2)
			ticks(fd);	/* half of them have fired for sure */
		(void)!write(handoff[1], &fd, sizeof(fd));
	}
	fd = -1;
	(void)!write(handoff[1], &fd, sizeof(fd));
	pthread_join(t, &closed);
	printf("timersig: %ld armed timerfds closed by another thread\n", (long)closed);
	check((long)closed == CLOSES, "armed periodic timers closed from another thread");
}

static void signals(void)
{
	sigset_t set;
	struct signalfd_siginfo si[2];
	struct pollfd pfd;
	struct epoll_event ev = { .events = EPOLLIN }, out;
	int sfd, ep, n;
	pid_t pid;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, NULL);
	sfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	errno = 0;
	check(read(sfd, si, sizeof(si)) == -1 && errno == EAGAIN, "signalfd: none pending, EAGAIN");
	raise(SIGUSR1);
	n = read(sfd, si, sizeof(si));
	check(n == 128 && si[0].ssi_signo == SIGUSR1 && si[0].ssi_pid == (uint32_t)getpid(),
	      "raise(SIGUSR1) read from the signalfd, with our pid");
	raise(SIGUSR2);
	raise(SIGUSR1);
	n = read(sfd, si, sizeof(si));
	check(n == 256 && si[0].ssi_signo == SIGUSR1 && si[1].ssi_signo == SIGUSR2,
	      "two pending signals in one read, lowest first");

	if ((pid = fork()) == 0)
		_exit(kill(getppid(), SIGUSR2) ? 1 : 0);
	pfd = (struct pollfd){ .fd = sfd, .events = POLLIN };
	n = poll(&pfd, 1, -1);
	check(n == 1 && read(sfd, si, sizeof(si)) == 128 && si[0].ssi_signo == SIGUSR2 &&
	      si[0].ssi_pid == (uint32_t)pid && si[0].ssi_code == SI_USER,
	      "poll wakes for a signal from another process; its pid and SI_USER");
	waitpid(pid, NULL, 0);

	ep = epoll_create1(0);
	epoll_ctl(ep, EPOLL_CTL_ADD, sfd, &ev);
	if ((pid = fork()) == 0)
		_exit(kill(getppid(), SIGUSR1) ? 1 : 0);
	n = epoll_wait(ep, &out, 1, -1);
	check(n == 1 && read(sfd, si, sizeof(si)) == 128 && si[0].ssi_signo == SIGUSR1,
	      "epoll wakes for a signal from another process");
	waitpid(pid, NULL, 0);

	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	signalfd(sfd, &set, 0);
	raise(SIGUSR1);
	errno = 0;
	n = read(sfd, si, sizeof(si));
	check(n == -1 && errno == EAGAIN, "new mask without SIGUSR1: it stays pending");
	sigaddset(&set, SIGUSR1);
	signalfd(sfd, &set, 0);
	check(read(sfd, si, sizeof(si)) == 128 && si[0].ssi_signo == SIGUSR1,
	      "mask with SIGUSR1 again: it was still pending");
	close(ep);
	close(sfd);

	/* SIGCHLD blocked, its action the default: still read from a signalfd. */
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, NULL);
	sfd = signalfd(-1, &set, 0);
	if ((pid = fork()) == 0)
		_exit(7);
	n = read(sfd, si, sizeof(si));
	check(n == 128 && si[0].ssi_signo == SIGCHLD && si[0].ssi_pid == (uint32_t)pid,
	      "SIGCHLD of an exiting child read from a signalfd, with its pid");
	waitpid(pid, NULL, 0);
	close(sfd);
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	timers();
	close_while_firing();
	signals();
	printf("timersig: %s\n", ok ? "all ok" : "SOME FAILED");
	return !ok;
}
