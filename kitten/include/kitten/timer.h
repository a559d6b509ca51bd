/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One-shot kernel timers. A timer fires once, on the CPU that added it,
 * in interrupt context. There is no periodic tick: each CPU programs its
 * local APIC for its next event (earliest timer, or the end of the time
 * slice when tasks share the CPU), or for nothing at all.
 */
#ifndef KITTEN_TIMER_H
#define KITTEN_TIMER_H

#include <kitten/list.h>
#include <kitten/types.h>

struct timer {
	uint64_t expires;		/* time_ns() at which it fires */
	void (*fn)(struct timer *t);
	void *data;
	struct list_head node;
	int cpu;			/* -1 when not pending */
	int fired_on;			/* the CPU of its last firing, or -1 */
};

void timer_init(struct timer *t, void (*fn)(struct timer *t), void *data);
/* Arm t to fire at time_ns() == expires on this CPU (re-arms if pending). */
void timer_add(struct timer *t, uint64_t expires);
/*
 * Disarm; returns true if t was pending. Its callback may still be
 * running on another CPU (a task that armed it may have moved since):
 * owners that count references for that (posix timers, timerfd) use this.
 */
bool timer_del(struct timer *t);
/*
 * Disarm, and wait until a callback of t running on another CPU has
 * returned, so t may go (a timer on the stack). Not with a lock held
 * that the callback takes.
 */
bool timer_del_sync(struct timer *t);
/* Whether t is armed and has not fired yet. */
static inline bool timer_pending(const struct timer *t)
{
	return __atomic_load_n(&t->cpu, __ATOMIC_RELAXED) >= 0;
}

void timer_init_cpu(void);
/* Reprogram this CPU's APIC timer for its next event. */
void timer_reprogram(void);

#endif
