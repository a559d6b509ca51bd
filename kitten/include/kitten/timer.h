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
};

void timer_init(struct timer *t, void (*fn)(struct timer *t), void *data);
/* Arm t to fire at time_ns() == expires on this CPU (re-arms if pending). */
void timer_add(struct timer *t, uint64_t expires);
/* Disarm; returns true if t was pending. Only from the CPU it is on. */
bool timer_del(struct timer *t);
/* Whether t is armed and has not fired yet. */
static inline bool timer_pending(const struct timer *t)
{
	return __atomic_load_n(&t->cpu, __ATOMIC_RELAXED) >= 0;
}

void timer_init_cpu(void);
/* Reprogram this CPU's APIC timer for its next event. */
void timer_reprogram(void);

#endif
