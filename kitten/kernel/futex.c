// SPDX-License-Identifier: GPL-2.0
/*
 * Futexes. Sleepers hang on one of a fixed set of hash buckets, keyed by
 * (address space, user address), or, for a word in shared memory (the
 * shm window, shm.h), by its physical address alone: processes that map
 * one object at different addresses meet on it (sem_open, process-shared
 * mutexes). A waiter checks the word and queues itself under the bucket
 * lock, and a waker dequeues under the same lock, so no wake-up falls
 * between the check and the sleep.
 */
#include <arch/time.h>
#include <kitten/aspace.h>
#include <kitten/errno.h>
#include <kitten/futex.h>
#include <kitten/signal.h>
#include <kitten/sched.h>
#include <kitten/shm.h>
#include <kitten/spinlock.h>
#include <kitten/syscall.h>
#include <kitten/task.h>
#include <kitten/timer.h>

#define NR_BUCKETS 64

struct futex_waiter {
	struct aspace *as;
	uint64_t uaddr;
	uint32_t bitset;
	struct task *task;
	bool woken;
	struct list_head node;
};

struct bucket {
	struct spinlock lock;
	struct list_head waiters;
};

static struct bucket buckets[NR_BUCKETS];

void futex_init(void)
{
	for (int i = 0; i < NR_BUCKETS; i++) {
		spin_lock_init(&buckets[i].lock, "futex", LOCK_RANK_FUTEX);
		list_init(&buckets[i].waiters);
	}
}

/*
 * The key of the word at uaddr: shared pages are the same wherever they
 * are mapped. A word not mapped keeps its own key; the copy of it fails.
 */
static void key_of(struct aspace **as, uint64_t *uaddr)
{
	paddr_t pa;

	if (shm_window(*uaddr) && !aspace_virt_to_phys(*as, *uaddr, &pa, NULL)) {
		*as = NULL;
		*uaddr = pa;
	}
}

static struct bucket *bucket_of(struct aspace *as, uint64_t uaddr)
{
	uint64_t h = ((uint64_t)as >> 4) ^ (uaddr >> 2) ^ (uaddr >> 12);

	return &buckets[h % NR_BUCKETS];
}

static void timeout_wake(struct timer *t)
{
	task_wake(t->data);
}

int futex_wait(struct aspace *as, uint64_t uaddr, uint32_t val,
	       uint64_t deadline_ns, uint32_t bitset)
{
	struct futex_waiter w = {
		.as = as, .uaddr = uaddr, .bitset = bitset, .task = task_current(),
	};
	struct bucket *b;
	struct timer timer;
	unsigned long flags;
	uint32_t cur;
	int ret;

	if (uaddr & 3)
		return -EINVAL;
	if (!bitset)
		return -EINVAL;
	key_of(&w.as, &w.uaddr);
	b = bucket_of(w.as, w.uaddr);
	flags = spin_lock_irqsave(&b->lock);
	if (copy_from_user(&cur, uaddr, sizeof(cur))) {
		spin_unlock_irqrestore(&b->lock, flags);
		return -EFAULT;
	}
	if (cur != val) {
		spin_unlock_irqrestore(&b->lock, flags);
		return -EAGAIN;
	}
	list_add_tail(&w.node, &b->waiters);
	task_set_sleeping();
	spin_unlock_irqrestore(&b->lock, flags);

	timer_init(&timer, timeout_wake, w.task);
	if (deadline_ns)
		timer_add(&timer, deadline_ns);
	if (!w.task->kill_pending && !signal_pending(w.task))
		schedule();	/* a signal ends the wait: -EINTR below */
	timer_del_sync(&timer);

	flags = spin_lock_irqsave(&b->lock);
	if (w.woken)
		ret = 0;
	else if (w.task->kill_pending)
		ret = -EINTR;
	else if (deadline_ns && time_ns() >= deadline_ns)
		ret = -ETIMEDOUT;
	else
		ret = -EINTR;	/* woken for no reason of ours: retry in libc */
	if (!w.woken)
		list_del(&w.node);
	spin_unlock_irqrestore(&b->lock, flags);
	task_wake(w.task);	/* runnable again, if nothing did that */
	return ret;
}

int futex_wake(struct aspace *as, uint64_t uaddr, int n, uint32_t bitset)
{
	struct futex_waiter *w, *tmp;
	struct bucket *b;
	unsigned long flags;
	int woken = 0;

	/* As Linux: a word the caller may not use is -EFAULT, not 0 woken. */
	if (uaddr & 3)
		return -EINVAL;
	if (!aspace_range_ok(as, uaddr, sizeof(uint32_t), ASPACE_R))
		return -EFAULT;
	key_of(&as, &uaddr);
	b = bucket_of(as, uaddr);
	flags = spin_lock_irqsave(&b->lock);
	list_for_each_entry_safe(w, tmp, &b->waiters, node) {
		if (woken >= n)
			break;
		if (w->as != as || w->uaddr != uaddr || !(w->bitset & bitset))
			continue;
		list_del(&w->node);
		w->woken = true;
		task_wake(w->task);
		woken++;
	}
	spin_unlock_irqrestore(&b->lock, flags);
	return woken;
}
