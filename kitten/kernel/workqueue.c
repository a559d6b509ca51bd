// SPDX-License-Identifier: GPL-2.0
/* Work queues: one kernel thread per queue, pinned to a CPU. */
#include <kitten/kmem.h>
#include <kitten/task.h>
#include <kitten/workqueue.h>

void work_init(struct work *w, void (*fn)(struct work *w))
{
	w->fn = fn;
	w->queued = false;
	list_init(&w->node);
}

static struct work *next_item(struct workqueue *q)
{
	unsigned long flags = spin_lock_irqsave(&q->lock);
	struct work *w = NULL;

	if (!list_empty(&q->items)) {
		w = list_first_entry(&q->items, struct work, node);
		list_del(&w->node);
		w->queued = false;
	}
	spin_unlock_irqrestore(&q->lock, flags);
	return w;
}

static bool has_work(struct workqueue *q)
{
	return !list_empty(&q->items) || q->stopping;
}

static void worker(void *arg)
{
	struct workqueue *q = arg;

	for (;;) {
		struct work *w;

		wait_event(q->wq, has_work(q));
		while ((w = next_item(q)))
			w->fn(w);
		if (q->stopping)
			return;
	}
}

struct workqueue *workqueue_create(const char *name, unsigned cpu)
{
	struct workqueue *q = kmem_zalloc(sizeof(*q));

	if (!q)
		return NULL;
	spin_lock_init(&q->lock, "workqueue", LOCK_RANK_LEAF);
	list_init(&q->items);
	waitqueue_init(&q->wq);
	q->thread = kthread_create(worker, q, name, cpu);
	if (!q->thread) {
		kmem_free(q);
		return NULL;
	}
	return q;
}

bool workqueue_queue(struct workqueue *q, struct work *w)
{
	unsigned long flags = spin_lock_irqsave(&q->lock);
	bool queued = !w->queued;

	if (queued) {
		w->queued = true;
		list_add_tail(&w->node, &q->items);
	}
	spin_unlock_irqrestore(&q->lock, flags);
	if (queued)
		waitqueue_wake_all(&q->wq);
	return queued;
}

void workqueue_destroy(struct workqueue *q)
{
	q->stopping = true;
	waitqueue_wake_all(&q->wq);
	kthread_join(q->thread);
	kmem_free(q);
}
