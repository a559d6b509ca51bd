/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Deferred work, as Linux drivers expect it: an interrupt handler queues
 * a work item; a kernel thread bound to one CPU runs it later in task
 * context, where it may sleep.
 */
#ifndef KITTEN_WORKQUEUE_H
#define KITTEN_WORKQUEUE_H

#include <kitten/list.h>
#include <kitten/spinlock.h>
#include <kitten/waitqueue.h>

struct work {
	void (*fn)(struct work *w);
	struct list_head node;
	bool queued;
};

struct workqueue {
	struct spinlock lock;
	struct list_head items;
	struct waitqueue wq;
	struct task *thread;
	bool stopping;
};

void work_init(struct work *w, void (*fn)(struct work *w));
/* Start a worker thread on cpu. */
struct workqueue *workqueue_create(const char *name, unsigned cpu);
/* Queue w unless already queued; safe from interrupt context. */
bool workqueue_queue(struct workqueue *wq, struct work *w);
/* Run what is queued, stop the thread and free the queue. */
void workqueue_destroy(struct workqueue *wq);

#endif
