/* SPDX-License-Identifier: GPL-2.0 */
/* Sleeping mutexes, for long critical sections in task context. */
#ifndef KITTEN_MUTEX_H
#define KITTEN_MUTEX_H

#include <kitten/waitqueue.h>

struct task;

struct mutex {
	struct task *owner;	/* NULL when free */
	struct waitqueue wq;
};

#define MUTEX_INIT(name)                                                  \
	{                                                                 \
		.owner = NULL,                                            \
		.wq = { .lock = SPINLOCK_INIT("mutex", LOCK_RANK_WAITQUEUE), \
			.waiters = LIST_HEAD_INIT((name).wq.waiters) },   \
	}
#define DEFINE_MUTEX(name) struct mutex name = MUTEX_INIT(name)

void mutex_init(struct mutex *m);
void mutex_lock(struct mutex *m);
void mutex_unlock(struct mutex *m);

#endif
