// SPDX-License-Identifier: GPL-2.0
/* Wait queues (see waitqueue.h for the protocol). */
#include <kitten/sched.h>
#include <kitten/waitqueue.h>

void waitqueue_init(struct waitqueue *wq)
{
	spin_lock_init(&wq->lock, "waitqueue", LOCK_RANK_WAITQUEUE);
	list_init(&wq->waiters);
}

void waitqueue_prepare(struct waitqueue *wq, struct waiter *w)
{
	unsigned long flags = spin_lock_irqsave(&wq->lock);

	w->task = task_current();
	if (list_empty(&w->node))	/* first time round the wait loop */
		list_add_tail(&w->node, &wq->waiters);
	spin_unlock_irqrestore(&wq->lock, flags);
	task_set_sleeping();
}

void waitqueue_finish(struct waitqueue *wq, struct waiter *w)
{
	unsigned long flags = spin_lock_irqsave(&wq->lock);

	list_del(&w->node);
	spin_unlock_irqrestore(&wq->lock, flags);
	task_wake(w->task);	/* back to runnable if the condition came first */
}

static void wake(struct waitqueue *wq, bool all)
{
	unsigned long flags = spin_lock_irqsave(&wq->lock);
	struct waiter *w;

	list_for_each_entry(w, &wq->waiters, node) {
		if (w->wake)
			w->wake(w);
		else
			task_wake(w->task);
		if (!all)
			break;
	}
	spin_unlock_irqrestore(&wq->lock, flags);
}

void waitqueue_wake_all(struct waitqueue *wq)
{
	wake(wq, true);
}

void waitqueue_wake_one(struct waitqueue *wq)
{
	wake(wq, false);
}
