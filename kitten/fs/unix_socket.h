/* SPDX-License-Identifier: GPL-2.0 */
/*
 * AF_UNIX inside: the socket and message records shared by
 * unix_socket.c (connections, queues, the file) and unix_name.c (names).
 * Every field is under unix_lock.
 */
#ifndef KITTEN_FS_UNIX_SOCKET_H
#define KITTEN_FS_UNIX_SOCKET_H

#include <kitten/list.h>
#include <kitten/mutex.h>
#include <kitten/socket.h>
#include <kitten/spinlock.h>
#include <kitten/waitqueue.h>

#define S_IFSOCK	0140000

enum state { UNCONNECTED, LISTENING, CONNECTED };

struct umsg {
	struct list_head node;
	uint64_t len, off;		/* bytes, and those already read */
	int nfds;
	struct file *fds[SCM_MAX_FD];
	struct ucred cred;
	struct sockaddr_un from;
	unsigned fromlen;
	char data[];
};

struct usock {
	unsigned refs;
	int type;
	enum state state;
	bool closed, shut_rd, shut_wr, passcred;
	bool listed;			/* on names */
	struct waitqueue wq;
	struct mutex rlock;		/* one reader takes from the queue */
	struct usock *peer;		/* referenced (datagram: the default) */
	struct list_head rcvq;
	uint64_t queued;		/* bytes on rcvq */
	struct sockaddr_un addr;	/* bound name */
	unsigned addrlen;		/* 0: unnamed */
	struct inode *inode;		/* path names: referenced */
	struct list_head name_node;	/* on names, if listed */
	struct list_head accq;		/* listening: connections to accept */
	struct list_head acc_node;
	unsigned backlog, pending;
	struct ucred peercred;		/* the other end at connect time */
};

extern struct spinlock unix_lock;

void usock_get(struct usock *s);
void usock_put(struct usock *s);
/* The socket bound to name a (len bytes), referenced; NULL if none. */
struct usock *unix_lookup(const struct sockaddr_un *a, unsigned len);

#endif
