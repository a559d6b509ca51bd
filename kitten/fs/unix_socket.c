// SPDX-License-Identifier: GPL-2.0
/*
 * AF_UNIX sockets: stream, datagram and sequenced-packet, connected in
 * pairs (socketpair, or connect + accept) or, for datagrams, addressed
 * by name.
 *
 * A socket has a receive queue of messages; a sender copies the user's
 * bytes into a new message (outside any lock) and appends it to the
 * receiver's queue, sleeping on the receiver's wait queue while the
 * queue holds UNIX_BUF bytes. A reader takes bytes from the head (a
 * stream read may span messages, but stops before one carrying
 * descriptors; a datagram or packet read takes one message, truncating)
 * and wakes its own queue, where its writers wait. So a socket's wait
 * queue is woken by data arriving, room appearing, and either end
 * closing; poll registers on its own queue and on its peer's. Messages
 * carry the sender's credentials and passed files (SCM_RIGHTS, each a
 * reference; a socket passed through itself is not collected, as Linux's
 * garbage collector would).
 *
 * Names (bind, lookup by name, getsockname) are in unix_name.c.
 *
 * One spinlock (unix_lock) guards every socket's state, queues and the
 * names; it is never held across a copy or a sleep. Sockets are
 * reference-counted: the file holds one and a connected peer one, so a
 * socket outlives its file while its peer may still look at it (poll
 * entries on its queue); closing marks it closed, empties its queue and
 * drops its hold on the peer.
 */
#include <kitten/aspace.h>
#include <kitten/errno.h>
#include <kitten/file.h>
#include <kitten/kmem.h>
#include <kitten/mutex.h>
#include <kitten/poll.h>
#include <kitten/ramfs.h>
#include <kitten/signal.h>
#include <kitten/socket.h>
#include <kitten/string.h>
#include <kitten/syscall.h>
#include <kitten/task.h>

#include "unix_socket.h"

#define UNIX_BUF	65536	/* bytes a receive queue holds */
#define SHUT_RD		0
#define SHUT_WR		1
#define SHUT_RDWR	2

#define SO_TYPE		3
#define SO_ERROR	4
#define SO_SNDBUF	7
#define SO_RCVBUF	8
#define SO_PASSCRED	16
#define SO_PEERCRED	17
#define SO_ACCEPTCONN	30
#define SO_PROTOCOL	38
#define SO_DOMAIN	39

struct spinlock unix_lock = SPINLOCK_INIT("unix", LOCK_RANK_LEAF);

static const struct file_operations unix_ops;

struct ucred unix_my_cred(void)
{
	struct aspace *as = task_current()->aspace;

	return (struct ucred){ as->leader_id, READ_ONCE(as->cred.uid),
			       READ_ONCE(as->cred.gid) };
}

static struct usock *usock_new(int type)
{
	struct usock *s = kmem_zalloc(sizeof(*s));

	if (!s)
		return NULL;
	s->refs = 1;
	s->type = type;
	waitqueue_init(&s->wq);
	mutex_init(&s->rlock);
	list_init(&s->rcvq);
	list_init(&s->name_node);
	list_init(&s->accq);
	list_init(&s->acc_node);
	return s;
}

void usock_get(struct usock *s)
{
	__atomic_add_fetch(&s->refs, 1, __ATOMIC_RELAXED);
}

static void msg_free(struct umsg *m)
{
	for (int i = 0; i < m->nfds; i++)
		file_put(m->fds[i]);
	kmem_free(m);
}

void usock_put(struct usock *s)
{
	if (__atomic_sub_fetch(&s->refs, 1, __ATOMIC_ACQ_REL))
		return;
	kmem_free(s);
}

/* Take s's queue (and a listener's pending connections) under the lock;
 * free them after, since freeing may close other sockets. */
static void usock_close(struct usock *s)
{
	struct list_head msgs, conns;
	struct usock *peer, *c;
	struct umsg *m;
	struct inode *inode;
	unsigned long flags;

	list_init(&msgs);
	list_init(&conns);
	flags = spin_lock_irqsave(&unix_lock);
	s->closed = true;
	peer = s->peer;
	s->peer = NULL;
	while (!list_empty(&s->rcvq)) {
		struct list_head *n = s->rcvq.next;

		list_del(n);
		list_add_tail(n, &msgs);
	}
	s->queued = 0;
	while (!list_empty(&s->accq)) {
		c = list_first_entry(&s->accq, struct usock, acc_node);
		list_del(&c->acc_node);
		list_add_tail(&c->acc_node, &conns);
	}
	if (s->listed)
		list_del(&s->name_node);
	s->listed = false;
	inode = s->inode;
	s->inode = NULL;
	spin_unlock_irqrestore(&unix_lock, flags);

	waitqueue_wake_all(&s->wq);
	if (peer) {
		waitqueue_wake_all(&peer->wq);	/* its readers see the end */
		usock_put(peer);
	}
	while (!list_empty(&msgs)) {
		m = list_first_entry(&msgs, struct umsg, node);
		list_del(&m->node);
		msg_free(m);
	}
	while (!list_empty(&conns)) {	/* never accepted */
		c = list_first_entry(&conns, struct usock, acc_node);
		list_del(&c->acc_node);
		usock_close(c);
		usock_put(c);
	}
	if (inode)
		inode_put(inode);
}

static struct file *usock_file(struct usock *s, unsigned flags)
{
	struct file *f = file_alloc(&unix_ops, NULL, O_RDWR | (flags & O_NONBLOCK));

	if (f)
		f->priv = s;
	return f;
}

bool file_is_socket(struct file *f)
{
	return f->ops == &unix_ops;
}

static bool valid_type(int type)
{
	return type == SOCK_STREAM || type == SOCK_DGRAM || type == SOCK_SEQPACKET;
}

int unix_create(int type, unsigned flags, struct file **out)
{
	struct usock *s;

	if (!valid_type(type))
		return -EINVAL;
	s = usock_new(type);
	if (!s)
		return -ENOMEM;
	*out = usock_file(s, flags);
	if (!*out) {
		usock_put(s);
		return -ENOMEM;
	}
	return 0;
}

int unix_pair(int type, unsigned flags, struct file **a, struct file **b)
{
	struct usock *sa, *sb;
	int err = unix_create(type, flags, a);

	if (err)
		return err;
	err = unix_create(type, flags, b);
	if (err) {
		file_put(*a);
		return err;
	}
	sa = (*a)->priv;
	sb = (*b)->priv;
	usock_get(sa);
	usock_get(sb);
	sa->peer = sb;
	sb->peer = sa;
	sa->state = sb->state = CONNECTED;
	sa->peercred = sb->peercred = unix_my_cred();
	return 0;
}

int unix_listen(struct file *f, int backlog)
{
	struct usock *s = f->priv;
	unsigned long flags;
	int err = 0;

	if (s->type == SOCK_DGRAM)
		return -EOPNOTSUPP;
	flags = spin_lock_irqsave(&unix_lock);
	if (s->state == CONNECTED || !s->addrlen) {
		err = -EINVAL;
	} else {
		s->state = LISTENING;
		s->backlog = backlog < 1 ? 1 : MIN(backlog, 4096);
		s->peercred = unix_my_cred();
	}
	spin_unlock_irqrestore(&unix_lock, flags);
	return err;
}

static bool can_queue(struct usock *l)
{
	return l->closed || l->state != LISTENING || l->pending < l->backlog;
}

/* Stream or packet connect: a new socket for l's side, queued on l. */
static int connect_stream(struct file *f, struct usock *s, struct usock *l)
{
	struct usock *srv = usock_new(s->type);
	unsigned long flags;
	int err;

	if (!srv)
		return -ENOMEM;
	for (;;) {
		err = file_wait_event(f, l->wq, can_queue(l));
		if (err)
			break;
		flags = spin_lock_irqsave(&unix_lock);
		if (l->closed || l->state != LISTENING)
			err = -ECONNREFUSED;
		else if (s->state != UNCONNECTED)
			err = s->state == CONNECTED ? -EISCONN : -EINVAL;
		else if (l->pending >= l->backlog)
			err = -EAGAIN;	/* taken meanwhile: wait again */
		if (!err) {
			usock_get(s);
			usock_get(srv);
			srv->peer = s;
			s->peer = srv;
			srv->state = s->state = CONNECTED;
			srv->addr = l->addr;	/* named as l, not listed */
			srv->addrlen = l->addrlen;
			srv->peercred = unix_my_cred();
			s->peercred = l->peercred;
			list_add_tail(&srv->acc_node, &l->accq);
			l->pending++;
			srv = NULL;
		}
		spin_unlock_irqrestore(&unix_lock, flags);
		if (err != -EAGAIN || (READ_ONCE(f->flags) & O_NONBLOCK))
			break;
	}
	if (srv)
		usock_put(srv);
	else
		waitqueue_wake_all(&l->wq);
	return err;
}

int unix_connect(struct file *f, const struct sockaddr_un *a, unsigned len)
{
	struct usock *s = f->priv, *l, *old;
	unsigned long flags;
	int err = 0;

	if (len <= sizeof(a->family) || len > sizeof(*a) || a->family != AF_UNIX)
		return -EINVAL;
	l = unix_lookup(a, len);
	if (!l)
		return -ECONNREFUSED;
	if (l->type != s->type) {
		usock_put(l);
		return -EPROTOTYPE;
	}
	if (s->type != SOCK_DGRAM) {
		err = connect_stream(f, s, l);
		usock_put(l);
		return err;
	}
	flags = spin_lock_irqsave(&unix_lock);	/* datagram: a default peer */
	old = s->peer;
	s->peer = l;
	s->state = CONNECTED;
	s->peercred = unix_my_cred();	/* as Linux: no peer credentials for datagrams */
	spin_unlock_irqrestore(&unix_lock, flags);
	if (old)
		usock_put(old);
	return 0;
}

static bool acceptable(struct usock *s)
{
	return !list_empty(&s->accq) || s->state != LISTENING || s->closed;
}

int unix_accept(struct file *f, unsigned flags, struct file **out)
{
	struct usock *s = f->priv, *c = NULL;
	unsigned long irq;
	int err;

	if (s->type == SOCK_DGRAM)
		return -EOPNOTSUPP;
	for (;;) {
		err = file_wait_event(f, s->wq, acceptable(s));
		if (err)
			return err;
		irq = spin_lock_irqsave(&unix_lock);
		if (s->state != LISTENING) {
			err = -EINVAL;
		} else if (!list_empty(&s->accq)) {
			c = list_first_entry(&s->accq, struct usock, acc_node);
			list_del(&c->acc_node);
			s->pending--;
		}
		spin_unlock_irqrestore(&unix_lock, irq);
		if (err)
			return err;
		if (c)
			break;
	}
	waitqueue_wake_all(&s->wq);	/* room in the backlog */
	*out = usock_file(c, flags);
	if (!*out) {
		usock_close(c);
		usock_put(c);
		return -ENOMEM;
	}
	return 0;
}

/* Where a send goes; referenced, or NULL with *err. unix_lock held. */
static struct usock *target(struct usock *s, struct usock *named, int *err)
{
	struct usock *t = named ? named : s->peer;

	*err = 0;
	if (s->shut_wr || s->closed)
		*err = -EPIPE;
	else if (!t)
		*err = -ENOTCONN;
	else if (s->type != SOCK_DGRAM && (t->closed || t->shut_rd))
		*err = -EPIPE;
	else if (t->closed)
		*err = -ECONNREFUSED;
	if (*err)
		return NULL;
	usock_get(t);
	return t;
}

static bool has_room(struct usock *t, uint64_t n)
{
	return t->closed || t->shut_rd || t->queued + n <= UNIX_BUF ||
	       (t->queued == 0);
}

/* Append one message of n bytes of m at off to t's queue. */
static long send_one(struct file *f, struct usock *s, struct usock *t,
		     struct sockmsg *m, uint64_t off, uint64_t n, bool nonblock)
{
	struct umsg *msg = kmem_alloc(sizeof(*msg) + n + 1);
	unsigned long flags;
	long err;

	(void)f;
	if (!msg)
		return -ENOMEM;
	memset(msg, 0, sizeof(*msg));
	msg->len = n;
	msg->cred = unix_my_cred();
	if (sockmsg_copy_in(msg->data, m, off, n)) {
		kmem_free(msg);
		return -EFAULT;
	}
	for (;;) {
		err = wait_event_nonblock(t->wq, has_room(t, n), nonblock);
		if (err)
			break;
		flags = spin_lock_irqsave(&unix_lock);
		if (t->closed || t->shut_rd)
			err = s->type == SOCK_DGRAM ? -ECONNREFUSED : -EPIPE;
		else if (t->queued + n > UNIX_BUF && t->queued)
			err = -EAGAIN;	/* filled meanwhile: wait again */
		if (!err) {
			if (!off) {	/* passed files go with the first bytes */
				msg->nfds = m->nfds;
				memcpy(msg->fds, m->fds, m->nfds * sizeof(m->fds[0]));
				m->nfds = 0;
			}
			msg->from = s->addr;
			msg->fromlen = s->addrlen;
			list_add_tail(&msg->node, &t->rcvq);
			t->queued += n;
			msg = NULL;
		}
		spin_unlock_irqrestore(&unix_lock, flags);
		if (err != -EAGAIN || nonblock)
			break;
	}
	if (msg) {
		kmem_free(msg);
		return err;
	}
	waitqueue_wake_all(&t->wq);
	return n;
}

long unix_send(struct file *f, struct sockmsg *m)
{
	struct usock *s = f->priv, *named = NULL, *t;
	bool nonblock = (READ_ONCE(f->flags) & O_NONBLOCK) || (m->flags & MSG_DONTWAIT);
	unsigned long flags;
	uint64_t done = 0;
	long n;
	int err;

	if (m->addrlen) {
		if (s->type != SOCK_DGRAM)
			return s->state == CONNECTED ? -EISCONN : -EOPNOTSUPP;
		named = unix_lookup(&m->addr, m->addrlen);
		if (!named)
			return -ECONNREFUSED;
		if (named->type != SOCK_DGRAM) {
			usock_put(named);
			return -EPROTOTYPE;
		}
	}
	if (s->type != SOCK_STREAM && m->len > UNIX_BUF) {
		if (named)
			usock_put(named);
		return -EMSGSIZE;
	}
	flags = spin_lock_irqsave(&unix_lock);
	t = target(s, named, &err);
	spin_unlock_irqrestore(&unix_lock, flags);
	if (named)
		usock_put(named);
	if (!t) {
		if (err == -EPIPE && !(m->flags & MSG_NOSIGNAL))
			signal_raise(SIGPIPE);
		return err;
	}
	if (s->type != SOCK_STREAM) {	/* one message, whole */
		n = send_one(f, s, t, m, 0, m->len, nonblock);
		usock_put(t);
		return n;
	}
	do {	/* a stream: in pieces the queue can hold */
		uint64_t piece = MIN(m->len - done, (uint64_t)UNIX_BUF / 4);

		n = send_one(f, s, t, m, done, piece, nonblock);
		if (n < 0)
			break;
		done += n;
	} while (done < m->len);
	usock_put(t);
	if (n == -EPIPE && !done && !(m->flags & MSG_NOSIGNAL))
		signal_raise(SIGPIPE);
	return done ? (long)done : n;
}

/* No more will come: peer gone or shut for writing, or we shut reading. */
static bool at_end(struct usock *s)
{
	return s->shut_rd || (s->type != SOCK_DGRAM &&
			      (!s->peer || s->peer->closed || s->peer->shut_wr));
}

static bool readable(struct usock *s)
{
	return !list_empty(&s->rcvq) || at_end(s);
}

/* Files of msg to m (the receiver installs them), once. */
static void take_fds(struct umsg *msg, struct sockmsg *m)
{
	memcpy(m->fds, msg->fds, msg->nfds * sizeof(msg->fds[0]));
	m->nfds = msg->nfds;
	msg->nfds = 0;
}

/*
 * Take up to what m asks from s's queue (rlock held): a stream across
 * messages, stopping before one with files; a datagram or packet one
 * message. Bytes taken, or 0 if the queue was empty.
 */
static long take(struct usock *s, struct sockmsg *m, uint64_t copied)
{
	bool peek = m->flags & MSG_PEEK, stream = s->type == SOCK_STREAM;
	struct umsg *msg, *done = NULL;
	unsigned long flags;
	uint64_t got = 0;

	flags = spin_lock_irqsave(&unix_lock);
	msg = list_empty(&s->rcvq) ? NULL : list_first_entry(&s->rcvq, struct umsg, node);
	spin_unlock_irqrestore(&unix_lock, flags);
	while (msg && copied + got < m->len) {
		uint64_t avail = msg->len - msg->off;
		uint64_t n = MIN(avail, m->len - copied - got);

		if ((copied + got) && msg->nfds && stream)
			break;
		if (sockmsg_copy_out(m, copied + got, msg->data + msg->off, n))
			return got ? (long)got : -EFAULT;
		got += n;
		if (msg->nfds && !peek)
			take_fds(msg, m);
		m->cred = msg->cred;
		if (!stream) {
			m->addr = msg->from;
			m->addrlen = msg->fromlen;
			if (n < avail)
				m->out_flags |= MSG_TRUNC;
			if (m->flags & MSG_TRUNC)
				got = msg->len;	/* the real length */
		}
		flags = spin_lock_irqsave(&unix_lock);
		if (peek) {
			msg = msg->node.next == &s->rcvq ? NULL :
			      list_entry(msg->node.next, struct umsg, node);
		} else if (!stream || (msg->off += n) == msg->len) {
			list_del(&msg->node);
			s->queued -= msg->len;
			done = msg;
			msg = list_empty(&s->rcvq) ? NULL :
			      list_first_entry(&s->rcvq, struct umsg, node);
		}
		spin_unlock_irqrestore(&unix_lock, flags);
		if (done) {
			msg_free(done);	/* files not taken are closed */
			done = NULL;
		}
		if (!stream || m->nfds)
			break;
	}
	return got;
}

long unix_recv(struct file *f, struct sockmsg *m)
{
	struct usock *s = f->priv;
	bool nonblock = (READ_ONCE(f->flags) & O_NONBLOCK) || (m->flags & MSG_DONTWAIT);
	uint64_t copied = 0;
	long n;
	int err;

	if (s->state == LISTENING || (s->type != SOCK_DGRAM && s->state != CONNECTED))
		return -EINVAL;
	for (;;) {
		err = wait_event_nonblock(s->wq, readable(s), nonblock);
		if (err)
			return copied ? (long)copied : err;
		mutex_lock(&s->rlock);
		n = take(s, m, copied);
		mutex_unlock(&s->rlock);
		if (n < 0)
			return copied ? (long)copied : n;
		if (n && !(m->flags & MSG_PEEK))
			waitqueue_wake_all(&s->wq);	/* room for writers */
		copied += n;
		if (n && s->type != SOCK_STREAM)
			return n;
		if (copied && (copied >= m->len || !(m->flags & MSG_WAITALL) || m->nfds))
			return copied;
		if (!n && at_end(s) && list_empty(&s->rcvq))
			return copied;	/* end of stream: 0 */
		if (!m->len)
			return 0;
	}
}

int unix_shutdown(struct file *f, int how)
{
	struct usock *s = f->priv, *peer;
	unsigned long flags;

	if (how < SHUT_RD || how > SHUT_RDWR)
		return -EINVAL;
	flags = spin_lock_irqsave(&unix_lock);
	if (s->state != CONNECTED) {
		spin_unlock_irqrestore(&unix_lock, flags);
		return -ENOTCONN;
	}
	if (how != SHUT_WR)
		s->shut_rd = true;
	if (how != SHUT_RD)
		s->shut_wr = true;
	peer = s->peer;
	if (peer)
		usock_get(peer);
	spin_unlock_irqrestore(&unix_lock, flags);
	waitqueue_wake_all(&s->wq);
	if (peer) {
		waitqueue_wake_all(&peer->wq);
		usock_put(peer);
	}
	return 0;
}

int unix_getsockopt(struct file *f, int opt, void *val, unsigned *len)
{
	struct usock *s = f->priv;
	int v;

	switch (opt) {
	case SO_PEERCRED:
		if (s->state != CONNECTED && s->type != SOCK_DGRAM)
			return -ENOTCONN;
		memcpy(val, &s->peercred, sizeof(s->peercred));
		*len = sizeof(s->peercred);
		return 0;
	case SO_TYPE:
		v = s->type;
		break;
	case SO_ERROR:
		v = 0;	/* errors are reported by the calls that meet them */
		break;
	case SO_PASSCRED:
		v = s->passcred;
		break;
	case SO_ACCEPTCONN:
		v = s->state == LISTENING;
		break;
	case SO_DOMAIN:
		v = AF_UNIX;
		break;
	case SO_PROTOCOL:
		v = 0;
		break;
	case SO_SNDBUF:
	case SO_RCVBUF:
		v = UNIX_BUF;	/* fixed: setting it is not supported */
		break;
	default:
		return -ENOPROTOOPT;
	}
	memcpy(val, &v, sizeof(v));
	*len = sizeof(v);
	return 0;
}

int unix_setsockopt(struct file *f, int opt, int val)
{
	struct usock *s = f->priv;

	if (opt != SO_PASSCRED)
		return -ENOPROTOOPT;	/* the buffers are fixed (UNIX_BUF) */
	WRITE_ONCE(s->passcred, val != 0);
	return 0;
}

bool unix_passcred(struct file *f)
{
	return READ_ONCE(((struct usock *)f->priv)->passcred);
}

static long unix_read(struct file *f, uint64_t ubuf, uint64_t len, uint64_t *pos)
{
	struct uiov iov = { ubuf, len };
	struct sockmsg *m = kmem_zalloc(sizeof(*m));
	long n;

	(void)pos;
	if (!m)
		return -ENOMEM;
	*m = (struct sockmsg){ .iov = &iov, .niov = 1, .len = len };
	n = unix_recv(f, m);
	for (int i = 0; i < m->nfds; i++)	/* read() takes no files */
		file_put(m->fds[i]);
	kmem_free(m);
	return n;
}

static long unix_write(struct file *f, uint64_t ubuf, uint64_t len, uint64_t *pos)
{
	struct uiov iov = { ubuf, len };
	struct sockmsg *m = kmem_zalloc(sizeof(*m));
	long n;

	(void)pos;
	if (!m)
		return -ENOMEM;
	*m = (struct sockmsg){ .iov = &iov, .niov = 1, .len = len };
	n = unix_send(f, m);
	kmem_free(m);
	return n;
}

static unsigned unix_poll(struct file *f, struct poll_table *pt)
{
	struct usock *s = f->priv, *peer;
	unsigned long flags;
	unsigned mask = 0;

	poll_wait(f, pt, &s->wq);
	flags = spin_lock_irqsave(&unix_lock);
	peer = s->peer;
	if (peer)
		usock_get(peer);
	spin_unlock_irqrestore(&unix_lock, flags);
	/*
	 * Room appears in the peer's queue. Only a connection's peer is
	 * fixed for the socket's life; a datagram socket's may change
	 * (connect again) and its old one go, with a poll entry on it. So
	 * a datagram sender polling for room is not woken when it appears.
	 */
	if (peer && s->type != SOCK_DGRAM)
		poll_wait(f, pt, &peer->wq);
	flags = spin_lock_irqsave(&unix_lock);
	if (s->state == LISTENING) {
		if (!list_empty(&s->accq))
			mask |= POLLIN | POLLRDNORM;
	} else if (s->type == SOCK_DGRAM) {
		if (!list_empty(&s->rcvq) || s->shut_rd)
			mask |= POLLIN | POLLRDNORM;
		if (!peer || peer->closed || peer->queued < UNIX_BUF)
			mask |= POLLOUT | POLLWRNORM;
	} else if (s->state == CONNECTED) {
		if (!list_empty(&s->rcvq))
			mask |= POLLIN | POLLRDNORM;
		if (at_end(s))
			mask |= POLLIN | POLLRDNORM | POLLRDHUP;
		if (!peer || peer->closed || (s->shut_rd && s->shut_wr))
			mask |= POLLHUP;
		if (!peer || peer->closed || peer->queued < UNIX_BUF)
			mask |= POLLOUT | POLLWRNORM;	/* or fails at once */
	}
	spin_unlock_irqrestore(&unix_lock, flags);
	if (peer)
		usock_put(peer);
	return mask;
}

#define FIONREAD	0x541b

static long unix_ioctl(struct file *f, unsigned cmd, uint64_t arg)
{
	struct usock *s = f->priv;
	int avail;

	if (cmd != FIONREAD)
		return -ENOTTY;
	avail = READ_ONCE(s->queued);
	return copy_to_user(arg, &avail, sizeof(avail));
}

static void unix_stat(struct file *f, struct kstat *st)
{
	*st = (struct kstat){ .ino = (uintptr_t)f->priv >> 4,
			      .mode = S_IFSOCK | 0777, .nlink = 1 };
}

static void unix_release(struct file *f)
{
	struct usock *s = f->priv;

	usock_close(s);
	usock_put(s);
}

static const struct file_operations unix_ops = {
	.read = unix_read,
	.write = unix_write,
	.ioctl = unix_ioctl,
	.stat = unix_stat,
	.release = unix_release,
	.poll = unix_poll,
};
