// SPDX-License-Identifier: GPL-2.0
/*
 * epoll: a set of watched files and a list of those that may be ready.
 *
 * Each item (a file and the descriptor it was added under) sits on its
 * file's wait queues through a poll table of its own whose wake-up
 * callback puts the item on the ready list and wakes the epoll's
 * waiters; nothing is rescanned that was not woken. epoll_wait takes
 * items off the ready list, asks each file for its mask now, and reports
 * those with events: a level-triggered item goes back on the list (it is
 * checked again next time), an edge-triggered one (EPOLLET) only when its
 * queue is woken again, and a one-shot one (EPOLLONESHOT) is disabled
 * until EPOLL_CTL_MOD. A wake-up that leaves the mask unchanged (a
 * reader draining part of a pipe wakes its writers) may report an
 * edge-triggered item again where Linux, filtering wake-ups by kind,
 * would not; programs drain to -EAGAIN and see no difference.
 *
 * Differences from Linux, said plainly: an item holds a reference to its
 * file, so closing the descriptor does not remove it (EPOLL_CTL_DEL
 * does, as programs do before closing); an epoll cannot watch another
 * epoll (-EINVAL: the callbacks would nest the two epolls' locks); a
 * file without a poll operation (a regular file) is -EPERM, as in Linux.
 *
 * Locks: the callback runs under the woken queue's lock (rank
 * WAITQUEUE, or just above THREADS for the queue signals wake, which
 * is woken under a process's threads lock), so the epoll's lock and its
 * waiters' queue rank above both.
 * EPOLL_CTL calls are serialized by a mutex.
 */
#include <arch/time.h>
#include <kitten/errno.h>
#include <kitten/file.h>
#include <kitten/kmem.h>
#include <kitten/mutex.h>
#include <kitten/poll.h>
#include <kitten/syscall.h>
#include <kitten/task.h>

#define EPOLL_CTL_ADD	1
#define EPOLL_CTL_DEL	2
#define EPOLL_CTL_MOD	3

#define EPOLLEXCLUSIVE	(1U << 28)
#define EPOLLWAKEUP	(1U << 29)
#define EPOLLONESHOT	(1U << 30)
#define EPOLLET		(1U << 31)
#define EP_FLAGS	(EPOLLEXCLUSIVE | EPOLLWAKEUP | EPOLLONESHOT | EPOLLET)

#define LOCK_RANK_EPOLL	(LOCK_RANK_THREADS + 2)	/* above signalfd's queue */
#define EP_MAX_EVENTS	(INT32_MAX / 12)

struct epoll_event {
	uint32_t events;
	uint64_t data;
} __attribute__((packed));

struct epoll {
	struct spinlock lock;		/* items, ready, each item's state */
	struct waitqueue wq;		/* epoll_wait callers and pollers */
	struct mutex ctl;		/* one EPOLL_CTL at a time */
	struct list_head items;
	struct list_head ready;
};

struct epitem {
	struct epoll *ep;
	struct list_head node;		/* on ep->items */
	struct list_head rdnode;	/* on ep->ready if on_ready */
	bool on_ready;
	int fd;
	struct file *file;		/* referenced */
	uint32_t events;		/* EPOLL* asked for; 0 once a one-shot fired */
	uint64_t data;
	struct poll_table pt;		/* on the file's queues */
};

static const struct file_operations epoll_ops;

/* Under ep->lock. */
static void make_ready(struct epitem *it)
{
	if (!it->on_ready) {
		list_add_tail(&it->rdnode, &it->ep->ready);
		it->on_ready = true;
	}
}

/* The file's queue was woken (under that queue's lock, irqs off). */
static void item_woken(struct poll_table *pt)
{
	struct epitem *it = container_of(pt, struct epitem, pt);
	struct epoll *ep = it->ep;
	unsigned long flags = spin_lock_irqsave(&ep->lock);

	if (it->events & ~EP_FLAGS)
		make_ready(it);
	spin_unlock_irqrestore(&ep->lock, flags);
	waitqueue_wake_all(&ep->wq);
}

static struct epitem *find(struct epoll *ep, int fd, struct file *f)
{
	struct epitem *it;

	list_for_each_entry(it, &ep->items, node)
		if (it->fd == fd && it->file == f)
			return it;
	return NULL;
}

/* Take it off its file's queues and out of ep, and free it. */
static void item_free(struct epoll *ep, struct epitem *it)
{
	unsigned long flags;

	poll_table_free(&it->pt);	/* no callback runs after this */
	flags = spin_lock_irqsave(&ep->lock);
	list_del(&it->node);
	if (it->on_ready)
		list_del(&it->rdnode);
	spin_unlock_irqrestore(&ep->lock, flags);
	file_put(it->file);
	kmem_free(it);
}

static long ctl_add(struct epoll *ep, int fd, struct file *f,
		    const struct epoll_event *ev)
{
	struct epitem *it;
	unsigned long flags;
	unsigned mask;

	if (find(ep, fd, f))
		return -EEXIST;
	it = kmem_zalloc(sizeof(*it));
	if (!it)
		return -ENOMEM;
	it->ep = ep;
	it->fd = fd;
	it->file = f;
	__atomic_add_fetch(&f->refs, 1, __ATOMIC_RELAXED);
	it->events = ev->events | POLLERR | POLLHUP;
	it->data = ev->data;
	poll_table_init(&it->pt);
	it->pt.fn = item_woken;
	flags = spin_lock_irqsave(&ep->lock);
	list_add_tail(&it->node, &ep->items);
	spin_unlock_irqrestore(&ep->lock, flags);
	mask = file_poll(f, &it->pt);	/* registers: wake-ups from now on */
	if (it->pt.error) {
		long err = it->pt.error;

		item_free(ep, it);
		return err;
	}
	if (mask & it->events) {
		flags = spin_lock_irqsave(&ep->lock);
		make_ready(it);
		spin_unlock_irqrestore(&ep->lock, flags);
		waitqueue_wake_all(&ep->wq);
	}
	return 0;
}

static long ctl_mod(struct epoll *ep, struct epitem *it,
		    const struct epoll_event *ev)
{
	unsigned long flags = spin_lock_irqsave(&ep->lock);
	bool ready;

	it->events = ev->events | POLLERR | POLLHUP;
	it->data = ev->data;
	ready = file_poll(it->file, NULL) & it->events;
	if (ready)
		make_ready(it);
	spin_unlock_irqrestore(&ep->lock, flags);
	if (ready)
		waitqueue_wake_all(&ep->wq);
	return 0;
}

static long ep_ctl(struct epoll *ep, int op, int fd, struct file *f,
		   const struct epoll_event *ev)
{
	struct epitem *it;
	long ret;

	mutex_lock(&ep->ctl);
	it = find(ep, fd, f);
	switch (op) {
	case EPOLL_CTL_ADD:
		ret = ctl_add(ep, fd, f, ev);
		break;
	case EPOLL_CTL_DEL:
		ret = it ? 0 : -ENOENT;
		if (it)
			item_free(ep, it);
		break;
	case EPOLL_CTL_MOD:
		ret = it ? ctl_mod(ep, it, ev) : -ENOENT;
		break;
	default:
		ret = -EINVAL;
	}
	mutex_unlock(&ep->ctl);
	return ret;
}

SYSCALL_DEFINE4(epoll_ctl, int32_t, epfd, int32_t, op, int32_t, fd,
		uint64_t, uevent)
{
	struct epoll_event ev = { 0 };
	struct file *epf, *f;
	long ret;

	if (op != EPOLL_CTL_DEL && copy_from_user(&ev, uevent, sizeof(ev)))
		return -EFAULT;
	epf = fd_get(epfd);
	if (!epf)
		return -EBADF;
	f = fd_get(fd);
	if (!f)
		ret = -EBADF;
	else if (epf->ops != &epoll_ops || f == epf || f->ops == &epoll_ops)
		ret = -EINVAL;
	else if (!f->ops->poll)
		ret = -EPERM;
	else if ((ev.events & EPOLLEXCLUSIVE) && op != EPOLL_CTL_ADD)
		ret = -EINVAL;
	else
		ret = ep_ctl(epf->priv, op, fd, f, &ev);
	if (f)
		file_put(f);
	file_put(epf);
	return ret;
}

/* Take ready items' events, up to max, into out; how many. */
static int harvest(struct epoll *ep, struct epoll_event *out, int max)
{
	unsigned long flags = spin_lock_irqsave(&ep->lock);
	struct list_head again;
	int n = 0;

	list_init(&again);
	while (n < max && !list_empty(&ep->ready)) {
		struct epitem *it = list_first_entry(&ep->ready, struct epitem, rdnode);
		unsigned mask = file_poll(it->file, NULL) & it->events;

		list_del(&it->rdnode);
		it->on_ready = false;
		if (!mask)
			continue;
		out[n++] = (struct epoll_event){ mask & ~EP_FLAGS, it->data };
		if (it->events & EPOLLONESHOT)
			it->events &= EP_FLAGS;	/* disabled until EPOLL_CTL_MOD */
		else if (!(it->events & EPOLLET)) {
			list_add_tail(&it->rdnode, &again);	/* look again next time */
			it->on_ready = true;
		}
	}
	while (!list_empty(&again)) {	/* behind the ones not yet taken */
		struct list_head *node = again.next;

		list_del(node);
		list_add_tail(node, &ep->ready);
	}
	spin_unlock_irqrestore(&ep->lock, flags);
	return n;
}

static long ep_wait(int epfd, uint64_t uevents, int max, uint64_t deadline)
{
	struct epoll_event *out;
	struct poll_table pt;
	struct epoll *ep;
	struct file *epf;
	long ret;

	if (max <= 0 || max > EP_MAX_EVENTS)
		return -EINVAL;
	epf = fd_get(epfd);
	if (!epf)
		return -EBADF;
	if (epf->ops != &epoll_ops) {
		file_put(epf);
		return -EINVAL;
	}
	ep = epf->priv;
	max = MIN(max, 1024);	/* the rest wait for the next call */
	out = kmem_alloc(max * sizeof(*out));
	if (!out) {
		file_put(epf);
		return -ENOMEM;
	}
	poll_table_init(&pt);
	poll_wait(epf, &pt, &ep->wq);
	for (;;) {
		ret = harvest(ep, out, max);
		if (ret || pt.error)
			break;
		ret = poll_table_sleep(&pt, deadline);
		if (ret == -ETIMEDOUT) {
			ret = harvest(ep, out, max);
			break;
		}
		if (ret)
			break;
	}
	poll_table_free(&pt);
	if (pt.error && !ret)
		ret = pt.error;
	if (ret > 0 && copy_to_user(uevents, out, ret * sizeof(*out)))
		ret = -EFAULT;
	kmem_free(out);
	file_put(epf);
	return ret;
}

static uint64_t ms_deadline(int timeout)
{
	return timeout < 0 ? POLL_FOREVER : time_ns() + (uint64_t)timeout * NSEC_PER_MSEC;
}

SYSCALL_DEFINE4(epoll_wait, int32_t, epfd, uint64_t, uevents, int32_t, max,
		int32_t, timeout)
{
	return ep_wait(epfd, uevents, max, ms_deadline(timeout));
}

SYSCALL_DEFINE6(epoll_pwait, int32_t, epfd, uint64_t, uevents, int32_t, max,
		int32_t, timeout, uint64_t, umask, uint64_t, masksize)
{
	uint64_t deadline = ms_deadline(timeout);
	long ret = poll_set_sigmask(umask, masksize);

	if (ret)
		return ret;
	ret = ep_wait(epfd, uevents, max, deadline);
	poll_end_sigmask(ret);
	return ret;
}

SYSCALL_DEFINE6(epoll_pwait2, int32_t, epfd, uint64_t, uevents, int32_t, max,
		uint64_t, uts, uint64_t, umask, uint64_t, masksize)
{
	uint64_t deadline;
	long ret = poll_deadline_ts(uts, &deadline);

	if (ret)
		return ret;
	ret = poll_set_sigmask(umask, masksize);
	if (ret)
		return ret;
	ret = ep_wait(epfd, uevents, max, deadline);
	poll_end_sigmask(ret);
	return ret;
}

/* Readable while some item has events (poll or select on an epoll). */
static unsigned epoll_poll(struct file *f, struct poll_table *pt)
{
	struct epoll *ep = f->priv;
	unsigned long flags;
	struct epitem *it;
	unsigned mask = 0;

	poll_wait(f, pt, &ep->wq);
	flags = spin_lock_irqsave(&ep->lock);
	list_for_each_entry(it, &ep->ready, rdnode)
		if (file_poll(it->file, NULL) & it->events & ~EP_FLAGS) {
			mask = POLLIN | POLLRDNORM;
			break;
		}
	spin_unlock_irqrestore(&ep->lock, flags);
	return mask;
}

static void epoll_stat(struct file *f, struct kstat *st)
{
	*st = (struct kstat){ .ino = (uintptr_t)f->priv >> 4, .mode = 0600, .nlink = 1 };
}

/* The last reference: no epoll_wait or EPOLL_CTL is in progress. */
static void epoll_release(struct file *f)
{
	struct epoll *ep = f->priv;

	while (!list_empty(&ep->items))
		item_free(ep, list_first_entry(&ep->items, struct epitem, node));
	kmem_free(ep);
}

static const struct file_operations epoll_ops = {
	.stat = epoll_stat,
	.release = epoll_release,
	.poll = epoll_poll,
};

SYSCALL_DEFINE1(epoll_create1, uint32_t, flags)
{
	struct epoll *ep;
	struct file *f;
	int fd;

	if (flags & ~(uint32_t)O_CLOEXEC)
		return -EINVAL;
	ep = kmem_zalloc(sizeof(*ep));
	if (!ep)
		return -ENOMEM;
	spin_lock_init(&ep->lock, "epoll", LOCK_RANK_EPOLL);
	waitqueue_init(&ep->wq);
	spin_lock_init(&ep->wq.lock, "epoll waiters", LOCK_RANK_EPOLL);
	mutex_init(&ep->ctl);
	list_init(&ep->items);
	list_init(&ep->ready);
	f = file_alloc(&epoll_ops, NULL, O_RDONLY);
	if (!f) {
		kmem_free(ep);
		return -ENOMEM;
	}
	f->priv = ep;
	fd = fd_install(f, 0, flags & O_CLOEXEC);
	if (fd < 0)
		file_put(f);
	return fd;
}

SYSCALL_DEFINE1(epoll_create, int32_t, size)
{
	return size <= 0 ? -EINVAL : do_sys_epoll_create1(0);
}
