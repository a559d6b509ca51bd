/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Wait queues: a task sleeps until a condition holds; whoever makes it
 * hold calls waitqueue_wake_all(). The condition is re-checked after each
 * wake-up, so spurious wake-ups are harmless.
 */
#ifndef KITTEN_WAITQUEUE_H
#define KITTEN_WAITQUEUE_H

#include <kitten/list.h>
#include <kitten/spinlock.h>

struct task;

struct waitqueue {
	struct spinlock lock;
	struct list_head waiters;
};

struct waiter {
	struct task *task;
	struct list_head node;
	/* Instead of waking task: called under the queue's lock, interrupts
	 * off (poll and epoll, which wait on many queues at once). */
	void (*wake)(struct waiter *w);
};

void waitqueue_init(struct waitqueue *wq);
/* A static wait queue: struct waitqueue q = WAITQUEUE_INIT(q); */
#define WAITQUEUE_INIT(wq)                                             \
	{ .lock = SPINLOCK_INIT("waitqueue", LOCK_RANK_WAITQUEUE),     \
	  .waiters = LIST_HEAD_INIT((wq).waiters) }
void waitqueue_wake_all(struct waitqueue *wq);
void waitqueue_wake_one(struct waitqueue *wq);

/* Building blocks of wait_event(): see it for their use. */
void waitqueue_prepare(struct waitqueue *wq, struct waiter *w);
void waitqueue_finish(struct waitqueue *wq, struct waiter *w);

void schedule(void);

/* Sleep until cond is true. Must not be called with a spinlock held. */
#define wait_event(wq, cond)                                           \
	do {                                                           \
		struct waiter __w = { .wake = NULL };                  \
		list_init(&__w.node);                                  \
		for (;;) {                                             \
			waitqueue_prepare(&(wq), &__w);                \
			if (cond)                                      \
				break;                                 \
			schedule();                                    \
		}                                                      \
		waitqueue_finish(&(wq), &__w);                         \
	} while (0)

#endif
