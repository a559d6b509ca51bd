// SPDX-License-Identifier: GPL-2.0
/*
 * eventfd and epoll as event loops (Python's asyncio, libuv) use them:
 * eventfd counting and semaphore reads, non-blocking -EAGAIN, epoll's
 * level-triggered, edge-triggered and one-shot items, an epoll over
 * pipes fed by forked children, and a ping-pong of 2000 wake-ups between
 * two threads, each waiting in epoll_wait on its own eventfd (on 4 CPUs
 * the waker and the sleeper race). One line per check, then "all ok".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/wait.h>
#include <unistd.h>

#define NPIPES	4
#define ROUNDS	1000

static int ok = 1;

static void check(int cond, const char *what)
{
	printf("epoll: %s %s\n", what, cond ? "ok" : "FAILED");
	ok &= cond;
}

static void eventfds(void)
{
	int e = eventfd(0, EFD_NONBLOCK);
	uint64_t v = 3, got = 0;
	int r;

	r = read(e, &got, 8);
	check(r == -1 && errno == EAGAIN, "eventfd empty read EAGAIN");
	(void)!write(e, &v, 8);
	(void)!write(e, &v, 8);
	check(read(e, &got, 8) == 8 && got == 6, "eventfd read takes the sum 6");
	v = UINT64_MAX - 1;
	(void)!write(e, &v, 8);
	v = 1;
	r = write(e, &v, 8);
	check(r == -1 && errno == EAGAIN, "eventfd full write EAGAIN");
	close(e);

	e = eventfd(2, EFD_SEMAPHORE | EFD_NONBLOCK);
	int a = read(e, &got, 8) == 8 && got == 1;
	int b = read(e, &got, 8) == 8 && got == 1;
	r = read(e, &got, 8);
	check(a && b && r == -1 && errno == EAGAIN, "EFD_SEMAPHORE reads 1, 1, then EAGAIN");
	close(e);
}

static int wait_n(int ep, struct epoll_event *ev, int timeout)
{
	return epoll_wait(ep, ev, 8, timeout);
}

static void triggers(void)
{
	int p[2], ep = epoll_create1(EPOLL_CLOEXEC), tmp;
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = 7 }, out[8];
	char c;

	pipe(p);
	epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev);
	check(wait_n(ep, out, 0) == 0, "empty pipe: no event");
	(void)!write(p[1], "ab", 2);
	check(wait_n(ep, out, -1) == 1 && out[0].data.u32 == 7 &&
	      out[0].events == EPOLLIN && wait_n(ep, out, 0) == 1,
	      "level-triggered: reported while unread");
	(void)!read(p[0], &c, 1);
	(void)!read(p[0], &c, 1);
	check(wait_n(ep, out, 0) == 0, "level-triggered: drained, no event");

	ev.events = EPOLLIN | EPOLLET;
	check(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev) == 0, "EPOLL_CTL_MOD to EPOLLET");
	(void)!write(p[1], "ab", 2);
	check(wait_n(ep, out, -1) == 1 && wait_n(ep, out, 0) == 0,
	      "edge-triggered: reported once");
	(void)!write(p[1], "c", 1);
	check(wait_n(ep, out, -1) == 1, "edge-triggered: new data, reported again");
	(void)!read(p[0], &c, 1);
	(void)!read(p[0], &c, 1);
	(void)!read(p[0], &c, 1);

	ev.events = EPOLLIN | EPOLLONESHOT;
	epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev);
	(void)!write(p[1], "d", 1);
	tmp = wait_n(ep, out, -1);
	(void)!write(p[1], "e", 1);
	check(tmp == 1 && wait_n(ep, out, 0) == 0, "EPOLLONESHOT: once, then disabled");
	epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev);
	check(wait_n(ep, out, -1) == 1, "EPOLLONESHOT: re-armed by EPOLL_CTL_MOD");

	close(p[1]);
	ev.events = EPOLLIN;
	epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev);
	(void)!read(p[0], &c, 1);
	(void)!read(p[0], &c, 1);
	check(wait_n(ep, out, -1) == 1 && (out[0].events & EPOLLHUP), "writer closed: EPOLLHUP");
	check(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev) == -1 && errno == EEXIST, "ADD twice: EEXIST");
	check(epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL) == 0 &&
	      epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL) == -1 && errno == ENOENT,
	      "DEL, DEL again: ENOENT");
	tmp = open("/proc/self/status", O_RDONLY);
	if (tmp < 0)
		tmp = open("/bin/epoll-glibc", O_RDONLY);
	check(tmp >= 0 && epoll_ctl(ep, EPOLL_CTL_ADD, tmp, &ev) == -1 && errno == EPERM,
	      "regular file: EPERM");
	close(tmp);
	close(p[0]);
	close(ep);
}

/* Children write when told; epoll names exactly the pipe written. */
static void children(void)
{
	int data[NPIPES][2], go[NPIPES][2], ep = epoll_create1(0), good = 0;
	struct epoll_event ev, out[8];
	char c;

	for (int i = 0; i < NPIPES; i++) {
		pipe(data[i]);
		pipe(go[i]);
		if (fork() == 0) {
			for (int j = 0; j <= i; j++)
				close(go[j][1]);
			while (read(go[i][0], &c, 1) == 1)
				(void)!write(data[i][1], &c, 1);
			_exit(0);
		}
		close(go[i][0]);
		close(data[i][1]);
		ev = (struct epoll_event){ .events = EPOLLIN, .data.u32 = i };
		epoll_ctl(ep, EPOLL_CTL_ADD, data[i][0], &ev);
	}
	for (int round = 0; round < 3; round++)
		for (int i = NPIPES - 1; i >= 0; i--) {
			(void)!write(go[i][1], "x", 1);
			if (epoll_wait(ep, out, 8, -1) == 1 && out[0].data.u32 == (unsigned)i &&
			    read(data[i][0], &c, 1) == 1)
				good++;
		}
	check(good == 3 * NPIPES, "epoll names the one pipe of 4 written, 12 times");
	for (int i = 0; i < NPIPES; i++) {
		close(go[i][1]);
		wait(NULL);
		close(data[i][0]);
	}
	close(ep);
}

struct side {
	int mine, theirs, ep;
	int got;
};

static void *player(void *arg)
{
	struct side *s = arg;
	struct epoll_event out;
	uint64_t v = 1;

	for (int i = 0; i < ROUNDS; i++) {
		if (epoll_wait(s->ep, &out, 1, -1) != 1 || read(s->mine, &v, 8) != 8)
			break;
		s->got += v;
		(void)!write(s->theirs, &v, 8);
	}
	return NULL;
}

/* Two threads hand one token back and forth through eventfds. */
static void pingpong(void)
{
	struct side a, b;
	struct epoll_event ev = { .events = EPOLLIN };
	pthread_t ta, tb;
	uint64_t one = 1;
	int ea = eventfd(0, 0), eb = eventfd(0, 0);

	a = (struct side){ .mine = ea, .theirs = eb, .ep = epoll_create1(0) };
	b = (struct side){ .mine = eb, .theirs = ea, .ep = epoll_create1(0) };
	epoll_ctl(a.ep, EPOLL_CTL_ADD, ea, &ev);
	epoll_ctl(b.ep, EPOLL_CTL_ADD, eb, &ev);
	pthread_create(&ta, NULL, player, &a);
	pthread_create(&tb, NULL, player, &b);
	(void)!write(ea, &one, 8);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	printf("epoll: ping-pong %d + %d wake-ups\n", a.got, b.got);
	check(a.got == ROUNDS && b.got == ROUNDS, "ping-pong between threads");
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	eventfds();
	triggers();
	children();
	pingpong();
	printf("epoll: %s\n", ok ? "all ok" : "SOME FAILED");
	return !ok;
}
