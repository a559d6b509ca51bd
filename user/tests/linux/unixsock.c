// SPDX-License-Identifier: GPL-2.0
/*
 * AF_UNIX sockets between processes: a fork + socketpair ping-pong and a
 * 1 MiB stream, datagram and packet boundaries (and truncation), a
 * server on a path name and one on an abstract name, SCM_RIGHTS passing
 * a pipe's read end to another process, SO_PEERCRED and SCM_CREDENTIALS,
 * non-blocking ends, end of file, EPIPE and shutdown. One line per
 * check, then "all ok". Every wait is on a message, never on time.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#define ROUNDS 1000
#define BIG (1 << 20)

static int ok = 1;

static void check(int cond, const char *what)
{
	printf("unixsock: %s %s\n", what, cond ? "ok" : "FAILED");
	ok &= cond;
}

static int child_status(pid_t pid)
{
	int st;

	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void pingpong(void)
{
	int sv[2], n = 0, got = 0;
	long sum = 0;
	pid_t pid;
	char *buf;

	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	if ((pid = fork()) == 0) {
		close(sv[0]);
		for (int i = 0; i < ROUNDS; i++) {
			if (read(sv[1], &n, sizeof(n)) != sizeof(n))
				_exit(1);
			n++;
			(void)!write(sv[1], &n, sizeof(n));
		}
		buf = malloc(BIG);
		for (int i = 0; i < BIG; i++)
			buf[i] = i % 251;
		_exit(write(sv[1], buf, BIG) == BIG ? 0 : 2);
	}
	close(sv[1]);
	for (int i = 0; i < ROUNDS; i++) {
		(void)!write(sv[0], &n, sizeof(n));
		if (read(sv[0], &n, sizeof(n)) != sizeof(n))
			break;
		n++;
	}
	check(n == 2 * ROUNDS, "fork + socketpair ping-pong, 1000 round trips");
	buf = malloc(4096);
	for (;;) {
		ssize_t r = read(sv[0], buf, 4096);

		if (r <= 0)
			break;
		for (ssize_t i = 0; i < r; i++)
			sum += (unsigned char)buf[i] == (got + i) % 251;
		got += r;
	}
	check(got == BIG && sum == BIG && child_status(pid) == 0,
	      "1 MiB stream intact, then end of file");
	free(buf);
	close(sv[0]);
}

static void boundaries(void)
{
	int sv[2], sizes[3] = { 10, 20, 30 }, good = 0;
	char buf[100] = { 0 };
	struct iovec iov = { buf, 5 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t r;

	socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
	for (int i = 0; i < 3; i++)
		(void)!send(sv[0], buf, sizes[i], 0);
	for (int i = 0; i < 3; i++)
		good += recv(sv[1], buf, sizeof(buf), 0) == sizes[i];
	check(good == 3, "datagrams keep their boundaries");
	(void)!send(sv[0], buf, 30, 0);
	r = recvmsg(sv[1], &mh, MSG_TRUNC);
	check(r == 30 && (mh.msg_flags & MSG_TRUNC), "datagram truncated: MSG_TRUNC, real length");
	close(sv[0]);
	close(sv[1]);

	socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv);
	(void)!send(sv[0], buf, 7, 0);
	(void)!send(sv[0], buf, 9, 0);
	close(sv[0]);
	good = recv(sv[1], buf, sizeof(buf), 0) == 7;
	good += recv(sv[1], buf, sizeof(buf), 0) == 9;
	good += recv(sv[1], buf, sizeof(buf), 0) == 0;
	check(good == 3, "SOCK_SEQPACKET: 7, 9, then end of file");
	close(sv[1]);
}

static socklen_t name(struct sockaddr_un *a, const char *path, int abstract)
{
	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	if (abstract) {
		memcpy(a->sun_path + 1, path, strlen(path));
		return offsetof(struct sockaddr_un, sun_path) + 1 + strlen(path);
	}
	strcpy(a->sun_path, path);
	return offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1;
}

static void path_server(void)
{
	struct sockaddr_un a, peer;
	socklen_t len = name(&a, "/tmp/kitten.sock", 0), plen = sizeof(peer);
	int s = socket(AF_UNIX, SOCK_STREAM, 0), c, again;
	struct ucred cred;
	socklen_t clen = sizeof(cred);
	struct stat st;
	char buf[16] = { 0 };
	pid_t pid;

	check(bind(s, (struct sockaddr *)&a, len) == 0 && listen(s, 4) == 0,
	      "bind /tmp/kitten.sock, listen");
	check(stat("/tmp/kitten.sock", &st) == 0 && S_ISSOCK(st.st_mode),
	      "the path is a socket in the file tree");
	again = socket(AF_UNIX, SOCK_STREAM, 0);
	check(bind(again, (struct sockaddr *)&a, len) == -1 && errno == EADDRINUSE,
	      "bind the same path again: EADDRINUSE");
	close(again);
	if ((pid = fork()) == 0) {
		int t = socket(AF_UNIX, SOCK_STREAM, 0);

		if (connect(t, (struct sockaddr *)&a, len))
			_exit(1);
		(void)!write(t, "hello", 5);
		_exit(read(t, buf, 1) == 0 ? 0 : 2);	/* until the server closes */
	}
	c = accept4(s, (struct sockaddr *)&peer, &plen, SOCK_CLOEXEC);
	check(c >= 0 && (fcntl(c, F_GETFD) & FD_CLOEXEC) && read(c, buf, 5) == 5 &&
	      !strcmp(buf, "hello"), "accept4 (SOCK_CLOEXEC), read the client's hello");
	check(getsockopt(c, SOL_SOCKET, SO_PEERCRED, &cred, &clen) == 0 &&
	      cred.pid == pid && cred.uid == getuid(), "SO_PEERCRED names the client");
	plen = sizeof(peer);
	check(getsockname(c, (struct sockaddr *)&peer, &plen) == 0 &&
	      !strcmp(peer.sun_path, "/tmp/kitten.sock"), "getsockname: the server's path");
	close(c);
	check(child_status(pid) == 0, "client saw end of file when the server closed");
	close(s);
	unlink("/tmp/kitten.sock");
}

static void abstract_dgram(void)
{
	struct sockaddr_un a, from;
	socklen_t len = name(&a, "kitten-dgram", 1), flen = sizeof(from);
	int s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	char buf[32] = { 0 };
	pid_t pid;

	check(bind(s, (struct sockaddr *)&a, len) == 0, "bind an abstract name");
	if ((pid = fork()) == 0) {
		struct sockaddr_un me;
		socklen_t mlen = name(&me, "kitten-child", 1);
		int t = socket(AF_UNIX, SOCK_DGRAM, 0);

		bind(t, (struct sockaddr *)&me, mlen);
		_exit(sendto(t, "ping", 4, 0, (struct sockaddr *)&a, len) == 4 ? 0 : 1);
	}
	check(recvfrom(s, buf, sizeof(buf), 0, (struct sockaddr *)&from, &flen) == 4 &&
	      !strcmp(buf, "ping") && from.sun_path[0] == 0 &&
	      !memcmp(from.sun_path + 1, "kitten-child", 12),
	      "recvfrom: datagram and the sender's abstract name");
	check(child_status(pid) == 0, "sender done");
	close(s);
	s = socket(AF_UNIX, SOCK_DGRAM, 0);
	check(sendto(s, "x", 1, 0, (struct sockaddr *)&a, len) == -1 && errno == ECONNREFUSED,
	      "name gone with its socket: ECONNREFUSED");
	close(s);
}

/* Pass fd over sock in one SCM_RIGHTS message with one byte. */
static int send_fd(int sock, int fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov = { "F", 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&mh);

	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	return sendmsg(sock, &mh, 0);
}

static int recv_fd(int sock)
{
	char cbuf[CMSG_SPACE(sizeof(int))], b;
	struct iovec iov = { &b, 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c;
	int fd = -1;

	if (recvmsg(sock, &mh, MSG_CMSG_CLOEXEC) != 1)
		return -1;
	c = CMSG_FIRSTHDR(&mh);
	if (c && c->cmsg_type == SCM_RIGHTS)
		memcpy(&fd, CMSG_DATA(c), sizeof(int));
	return fd;
}

static void pass_rights(void)
{
	int sv[2], p[2], fd;
	char buf[16] = { 0 };
	pid_t pid;

	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	if ((pid = fork()) == 0) {
		close(sv[0]);
		fd = recv_fd(sv[1]);
		if (fd < 0 || !(fcntl(fd, F_GETFD) & FD_CLOEXEC))
			_exit(1);
		if (read(fd, buf, 6) != 6 || strcmp(buf, "via fd"))
			_exit(2);
		(void)!write(sv[1], "got it", 6);
		_exit(0);
	}
	close(sv[1]);
	pipe(p);
	check(send_fd(sv[0], p[0]) == 1, "sendmsg SCM_RIGHTS: a pipe's read end");
	close(p[0]);	/* only the child has it now */
	(void)!write(p[1], "via fd", 6);
	check(read(sv[0], buf, 6) == 6 && !strcmp(buf, "got it") && child_status(pid) == 0,
	      "the other process read the pipe through the passed descriptor");
	close(p[1]);
	close(sv[0]);
}

static void credentials(void)
{
	int sv[2], on = 1;
	char cbuf[CMSG_SPACE(sizeof(struct ucred))], b;
	struct iovec iov = { &b, 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c;
	struct ucred cred = { 0 };
	pid_t pid;

	socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
	setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &on, sizeof(on));
	if ((pid = fork()) == 0)
		_exit(send(sv[0], "c", 1, 0) == 1 ? 0 : 1);
	if (recvmsg(sv[1], &mh, 0) == 1 && (c = CMSG_FIRSTHDR(&mh)) &&
	    c->cmsg_type == SCM_CREDENTIALS)
		memcpy(&cred, CMSG_DATA(c), sizeof(cred));
	check(cred.pid == pid && cred.uid == getuid() && cred.gid == getgid(),
	      "SO_PASSCRED: SCM_CREDENTIALS names the sending process");
	child_status(pid);
	close(sv[0]);
	close(sv[1]);
}

static void ends(void)
{
	int sv[2], n = 0;
	char buf[4096] = { 0 };
	struct pollfd pfd;
	ssize_t r;

	socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv);
	r = read(sv[0], buf, 1);
	check(r == -1 && errno == EAGAIN, "SOCK_NONBLOCK: empty read EAGAIN");
	while ((r = write(sv[1], buf, sizeof(buf))) > 0)
		n += r;
	check(r == -1 && errno == EAGAIN && n > 0, "SOCK_NONBLOCK: full write EAGAIN");
	pfd = (struct pollfd){ .fd = sv[0], .events = POLLIN | POLLOUT };
	check(poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLIN), "poll: readable with data");
	shutdown(sv[1], SHUT_WR);
	while ((r = read(sv[0], buf, sizeof(buf))) > 0)
		n -= r;
	check(n == 0 && r == 0, "shutdown(SHUT_WR): the peer reads all, then end of file");
	check(write(sv[0], "back", 4) == 4 && read(sv[1], buf, 4) == 4,
	      "the other direction still works");
	close(sv[1]);
	pfd = (struct pollfd){ .fd = sv[0], .events = POLLIN };
	check(poll(&pfd, 1, -1) == 1 && (pfd.revents & POLLHUP), "peer closed: POLLHUP");
	r = send(sv[0], "x", 1, MSG_NOSIGNAL);
	check(r == -1 && errno == EPIPE, "send to a closed peer: EPIPE");
	close(sv[0]);
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	pingpong();
	boundaries();
	path_server();
	abstract_dgram();
	pass_rights();
	credentials();
	ends();
	printf("unixsock: %s\n", ok ? "all ok" : "SOME FAILED");
	return !ok;
}
