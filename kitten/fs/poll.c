// SPDX-License-Identifier: GPL-2.0
/*
 * Waiting on several files at once: the poll table, and poll/ppoll.
 *
 * A waiter scans its files, asking each kind's poll operation for its
 * ready mask; the first scan also puts a poll entry on every wait queue
 * a file names (poll_wait), each entry holding a reference to its file
 * so the queue outlives the wait even if another thread closes the
 * descriptor. When nothing is ready the waiter sleeps; a wake-up of any
 * of those queues marks the table triggered and wakes it, and it scans
 * again (without registering again). The flag is read after the task is
 * marked asleep, so a wake-up between the scan and the sleep is not
 * lost. A timeout is a one-shot kernel timer on the waiter's CPU; a
 * signal or kill wakes the sleeper through task_kick and ends the wait
 * with -EINTR, as Linux's poll does (it is never restarted).
 *
 * select and pselect6 (select.c) and epoll (epoll.c) are built on the
 * same table.
 */
#include <arch/time.h>
#include <kitten/errno.h>
#include <kitten/file.h>
#include <kitten/kmem.h>
#include <kitten/poll.h>
#include <kitten/sched.h>
#include <kitten/signal.h>
#include <kitten/syscall.h>
#include <kitten/task.h>
#include <kitten/timer.h>

#define POLL_MAX_FDS	4096	/* Linux's limit is RLIMIT_NOFILE */

struct poll_entry {
	struct waiter w;		/* on wq */
	struct waitqueue *wq;
	struct file *file;		/* referenced: wq lives in it */
	struct poll_table *pt;
	struct list_head node;		/* on pt->entries */
};

void poll_table_init(struct poll_table *pt)
{
	*pt = (struct poll_table){ .task = task_current() };
	list_init(&pt->entries);
}

/* A wake-up of one of the table's queues (under its lock, irqs off). */
static void poll_wake(struct waiter *w)
{
	struct poll_entry *e = container_of(w, struct poll_entry, w);
	struct poll_table *pt = e->pt;

	if (pt->fn) {
		pt->fn(pt);
		return;
	}
	WRITE_ONCE(pt->triggered, true);
	task_wake(pt->task);
}

void poll_wait(struct file *f, struct poll_table *pt, struct waitqueue *wq)
{
	struct poll_entry *e;
	unsigned long flags;

	if (!pt)
		return;
	e = kmem_zalloc(sizeof(*e));
	if (!e) {
		pt->error = -ENOMEM;
		return;
	}
	e->wq = wq;
	e->pt = pt;
	e->file = f;
	__atomic_add_fetch(&f->refs, 1, __ATOMIC_RELAXED);
	e->w.task = pt->task;
	e->w.wake = poll_wake;
	list_add_tail(&e->node, &pt->entries);
	flags = spin_lock_irqsave(&wq->lock);
	list_add_tail(&e->w.node, &wq->waiters);
	spin_unlock_irqrestore(&wq->lock, flags);
}

void poll_table_free(struct poll_table *pt)
{
	struct poll_entry *e, *next;

	list_for_each_entry_safe(e, next, &pt->entries, node) {
		unsigned long flags = spin_lock_irqsave(&e->wq->lock);

		list_del(&e->w.node);
		spin_unlock_irqrestore(&e->wq->lock, flags);
		list_del(&e->node);
		file_put(e->file);
		kmem_free(e);
	}
}

unsigned file_poll(struct file *f, struct poll_table *pt)
{
	return f->ops->poll ? f->ops->poll(f, pt) : POLL_ALWAYS;
}

bool wait_interrupted(void)
{
	struct task *t = task_current();

	return READ_ONCE(t->kill_pending) || signal_pending(t);
}

static void poll_timeout(struct timer *tm)
{
	task_wake(tm->data);
}

int poll_table_sleep(struct poll_table *pt, uint64_t deadline)
{
	struct task *self = task_current();
	struct timer tm;

	timer_init(&tm, poll_timeout, self);
	if (deadline != POLL_FOREVER)
		timer_add(&tm, deadline);
	task_set_sleeping();
	if (!READ_ONCE(pt->triggered) && !wait_interrupted() &&
	    time_ns() < deadline)
		schedule();
	task_wake(self);	/* runnable, if nothing woke us */
	timer_del_sync(&tm);
	WRITE_ONCE(pt->triggered, false);
	if (wait_interrupted())
		return -EINTR;
	if (time_ns() >= deadline)
		return -ETIMEDOUT;
	return 0;
}

int poll_deadline_ts(uint64_t uts, uint64_t *deadline)
{
	int64_t ts[2];

	*deadline = POLL_FOREVER;
	if (!uts)
		return 0;
	if (copy_from_user(ts, uts, sizeof(ts)))
		return -EFAULT;
	if (ts[0] < 0 || ts[1] < 0 || ts[1] >= (int64_t)NSEC_PER_SEC)
		return -EINVAL;
	if ((uint64_t)ts[0] < (POLL_FOREVER - time_ns()) / NSEC_PER_SEC - 1)
		*deadline = time_ns() + ts[0] * NSEC_PER_SEC + ts[1];
	return 0;
}

void poll_remaining_ts(uint64_t uts, uint64_t deadline)
{
	uint64_t now = time_ns(), left = deadline > now ? deadline - now : 0;
	int64_t ts[2] = { left / NSEC_PER_SEC, left % NSEC_PER_SEC };

	if (uts && deadline != POLL_FOREVER)
		copy_to_user(uts, ts, sizeof(ts));	/* Linux ignores -EFAULT */
}

int poll_set_sigmask(uint64_t umask, uint64_t size)
{
	uint64_t mask;

	if (!umask)
		return 0;
	if (size != sizeof(mask))
		return -EINVAL;
	if (copy_from_user(&mask, umask, sizeof(mask)))
		return -EFAULT;
	signal_set_temp_mask(mask);
	return 0;
}

void poll_end_sigmask(long ret)
{
	struct task *t = task_current();

	if (ret != -EINTR && t->sig_restore_mask) {
		t->sig_blocked = t->sig_saved_mask;
		t->sig_restore_mask = false;
	}
}

struct pollfd {
	int32_t fd;
	int16_t events, revents;
};

/* One pass over fds; the number with events. */
static int scan(struct pollfd *fds, uint64_t n, struct poll_table *pt)
{
	int count = 0;

	for (uint64_t i = 0; i < n; i++) {
		struct file *f;
		unsigned mask;

		fds[i].revents = 0;
		if (fds[i].fd < 0)
			continue;
		f = fd_get(fds[i].fd);
		if (!f) {
			mask = POLLNVAL;
		} else {
			mask = file_poll(f, pt);
			file_put(f);
			mask &= (uint16_t)fds[i].events | POLLERR | POLLHUP;
		}
		fds[i].revents = mask;
		count += mask != 0;
	}
	return count;
}

static long do_poll(uint64_t ufds, uint64_t n, uint64_t deadline)
{
	struct poll_table pt;
	struct pollfd *fds;
	long ret;

	if (n > POLL_MAX_FDS)
		return -EINVAL;
	fds = kmem_alloc(n * sizeof(*fds) + 1);
	if (!fds)
		return -ENOMEM;
	if (copy_from_user(fds, ufds, n * sizeof(*fds))) {
		kmem_free(fds);
		return -EFAULT;
	}
	poll_table_init(&pt);
	for (struct poll_table *reg = &pt;; reg = NULL) {
		ret = scan(fds, n, reg);
		if (ret || pt.error)
			break;
		ret = poll_table_sleep(&pt, deadline);
		if (ret == -ETIMEDOUT) {
			ret = scan(fds, n, NULL);	/* ready at the last moment? */
			break;
		}
		if (ret)
			break;
	}
	poll_table_free(&pt);
	if (pt.error && !ret)
		ret = pt.error;
	if (ret >= 0) {
		for (uint64_t i = 0; i < n; i++)	/* only revents changes */
			if (copy_to_user(ufds + i * sizeof(*fds) + 6,
					 &fds[i].revents, sizeof(fds[i].revents)))
				ret = -EFAULT;
	}
	kmem_free(fds);
	return ret;
}

SYSCALL_DEFINE3(poll, uint64_t, ufds, uint64_t, nfds, int64_t, timeout_ms)
{
	uint64_t deadline = POLL_FOREVER;

	if ((int)timeout_ms >= 0)
		deadline = time_ns() + (uint64_t)(int)timeout_ms * NSEC_PER_MSEC;
	return do_poll(ufds, nfds, deadline);
}

SYSCALL_DEFINE5(ppoll, uint64_t, ufds, uint64_t, nfds, uint64_t, uts,
		uint64_t, umask, uint64_t, masksize)
{
	uint64_t deadline;
	long ret = poll_deadline_ts(uts, &deadline);

	if (ret)
		return ret;
	ret = poll_set_sigmask(umask, masksize);
	if (ret)
		return ret;
	ret = do_poll(ufds, nfds, deadline);
	poll_end_sigmask(ret);
	poll_remaining_ts(uts, deadline);
	return ret;
}
