// SPDX-License-Identifier: GPL-2.0
/*
 * A mutex is an owner pointer taken with compare-and-swap; contenders
 * sleep on the mutex's wait queue until the owner lets go.
 */
#include <kitten/mutex.h>
#include <kitten/panic.h>
#include <kitten/task.h>

void mutex_init(struct mutex *m)
{
	m->owner = NULL;
	waitqueue_init(&m->wq);
}

static bool try_take(struct mutex *m, struct task *self)
{
	struct task *expected = NULL;

	return __atomic_compare_exchange_n(&m->owner, &expected, self, false,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

void mutex_lock(struct mutex *m)
{
	struct task *self = task_current();

	if (m->owner == self)
		panic("mutex %p: taken twice by task %s", (void *)m, self->name);
	wait_event(m->wq, try_take(m, self));
}

void mutex_unlock(struct mutex *m)
{
	if (m->owner != task_current())
		panic("mutex %p: released by a task that does not hold it",
		      (void *)m);
	__atomic_store_n(&m->owner, NULL, __ATOMIC_RELEASE);
	waitqueue_wake_one(&m->wq);
}
