/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sockets: the seam between the system calls (socket.c: arguments,
 * addresses, msghdr and control messages copied in and out) and the one
 * address family Kitten has, AF_UNIX (unix_socket.c: names,
 * connections, queues). Only kernel memory crosses it, except the data
 * itself, which moves between the user's iovec and the queues once.
 */
#ifndef KITTEN_SOCKET_H
#define KITTEN_SOCKET_H

#include <kitten/types.h>

#define AF_UNIX		1

#define SOCK_STREAM	1
#define SOCK_DGRAM	2
#define SOCK_SEQPACKET	5
#define SOCK_TYPE_MASK	0xf

#define MSG_PEEK	0x2
#define MSG_CTRUNC	0x8
#define MSG_TRUNC	0x20
#define MSG_DONTWAIT	0x40
#define MSG_EOR		0x80
#define MSG_WAITALL	0x100
#define MSG_NOSIGNAL	0x4000
#define MSG_CMSG_CLOEXEC 0x40000000

#define SCM_MAX_FD	253	/* Linux's limit per message */
#define UNIX_PATH_MAX	108

struct file;

struct sockaddr_un {
	uint16_t family;
	char path[UNIX_PATH_MAX];
};

struct ucred {
	uint32_t pid, uid, gid;
};

struct uiov {
	uint64_t base, len;
};

/* One send or receive, as the protocol sees it. */
struct sockmsg {
	const struct uiov *iov;		/* the user's buffers */
	unsigned niov;
	uint64_t len;			/* their total */
	int flags;			/* MSG_* given */
	int out_flags;			/* receive: MSG_TRUNC, MSG_CTRUNC */
	struct file *fds[SCM_MAX_FD];	/* SCM_RIGHTS: passed, referenced */
	int nfds;
	struct ucred cred;		/* receive: the sender's */
	bool want_cred;			/* receive: SO_PASSCRED is on */
	struct sockaddr_un addr;	/* send: to; receive: from */
	unsigned addrlen;		/* 0: none */
};

/* Copy between the user's buffers at byte off and kernel memory. */
int sockmsg_copy_in(void *dst, const struct sockmsg *m, uint64_t off,
		    uint64_t len);
int sockmsg_copy_out(const struct sockmsg *m, uint64_t off, const void *src,
		     uint64_t len);

bool file_is_socket(struct file *f);
/* A new socket file of type (SOCK_*), flags O_NONBLOCK at most. */
int unix_create(int type, unsigned flags, struct file **out);
int unix_pair(int type, unsigned flags, struct file **a, struct file **b);
int unix_bind(struct file *f, const struct sockaddr_un *a, unsigned len);
int unix_listen(struct file *f, int backlog);
int unix_accept(struct file *f, unsigned flags, struct file **out);
int unix_connect(struct file *f, const struct sockaddr_un *a, unsigned len);
long unix_send(struct file *f, struct sockmsg *m);
long unix_recv(struct file *f, struct sockmsg *m);
int unix_shutdown(struct file *f, int how);
/* The socket's own name, or its peer's; the length used. */
int unix_name(struct file *f, bool peer, struct sockaddr_un *a,
	      unsigned *len);
/* SOL_SOCKET options: the value in *val (len bytes at most, set). */
int unix_getsockopt(struct file *f, int opt, void *val, unsigned *len);
int unix_setsockopt(struct file *f, int opt, int val);
/* The caller's credentials as a socket shows them: pid, uid, gid. */
struct ucred unix_my_cred(void);
/* SO_PASSCRED: the receiver wants SCM_CREDENTIALS. */
bool unix_passcred(struct file *f);

#endif
