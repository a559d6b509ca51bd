// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU one-shot timers on a sorted list. The APIC timer is programmed
 * for the earliest pending timer only; with none pending it is stopped,
 * so an idle CPU, or one running a single task, takes no timer interrupt.
 * Callbacks run in interrupt context after the list lock is dropped, so
 * they may wake tasks or re-arm timers.
 */
#include <arch/apic.h>
#include <arch/percpu.h>
#include <arch/time.h>
#include <arch/x86.h>
#include <kitten/irq.h>
#include <kitten/kmem.h>
#include <kitten/panic.h>
#include <kitten/sched.h>
#include <kitten/timer.h>

struct timer_queue {
	struct spinlock lock;
	struct list_head pending;	/* sorted by expiry */
	struct timer *running;		/* whose callback runs now */
};

static struct timer_queue *queue(unsigned cpu)
{
	return cpus[cpu]->timers;
}

void timer_init(struct timer *t, void (*fn)(struct timer *t), void *data)
{
	t->fn = fn;
	t->data = data;
	t->cpu = -1;
	t->fired_on = -1;
	list_init(&t->node);
}

/* Caller holds the queue lock. */
static void program(struct timer_queue *q)
{
	uint64_t now, first;

	if (list_empty(&q->pending)) {
		apic_timer_oneshot(0);
		return;
	}
	first = list_first_entry(&q->pending, struct timer, node)->expires;
	now = time_ns();
	apic_timer_oneshot(first > now ? first - now : 1);
}

void timer_add(struct timer *t, uint64_t expires)
{
	struct timer_queue *q = queue(this_cpu_id());
	unsigned long flags;
	struct timer *pos;

	timer_del(t);
	flags = spin_lock_irqsave(&q->lock);
	t->expires = expires;
	t->cpu = this_cpu_id();
	list_for_each_entry(pos, &q->pending, node)
		if (pos->expires > expires)
			break;
	list_add_tail(&t->node, &pos->node);	/* before the first later one */
	if (q->pending.next == &t->node)
		program(q);
	spin_unlock_irqrestore(&q->lock, flags);
}

bool timer_del(struct timer *t)
{
	struct timer_queue *q;
	unsigned long flags;
	bool was_first;

	if (t->cpu < 0)
		return false;
	q = queue(t->cpu);
	flags = spin_lock_irqsave(&q->lock);
	if (t->cpu < 0) {	/* fired meanwhile */
		spin_unlock_irqrestore(&q->lock, flags);
		return false;
	}
	was_first = q->pending.next == &t->node;
	list_del(&t->node);
	if (was_first && t->cpu == (int)this_cpu_id())
		program(q);
	t->cpu = -1;
	spin_unlock_irqrestore(&q->lock, flags);
	return true;
}

bool timer_del_sync(struct timer *t)
{
	bool was_pending = timer_del(t);
	int cpu = __atomic_load_n(&t->fired_on, __ATOMIC_ACQUIRE);

	/* On this CPU a callback cannot be running under us. */
	if (cpu >= 0 && cpu != (int)this_cpu_id())
		while (__atomic_load_n(&queue(cpu)->running, __ATOMIC_ACQUIRE) == t)
			cpu_relax();
	return was_pending;
}

void timer_reprogram(void)
{
	struct timer_queue *q = queue(this_cpu_id());
	unsigned long flags = spin_lock_irqsave(&q->lock);

	program(q);
	spin_unlock_irqrestore(&q->lock, flags);
}

static void timer_interrupt(unsigned vector, void *arg, struct trap_frame *f)
{
	struct timer_queue *q = queue(this_cpu_id());
	unsigned long flags;

	(void)vector;
	(void)arg;
	(void)f;
	for (;;) {
		struct timer *t = NULL;

		flags = spin_lock_irqsave(&q->lock);
		if (!list_empty(&q->pending)) {
			t = list_first_entry(&q->pending, struct timer, node);
			if (t->expires <= time_ns()) {
				list_del(&t->node);
				/* fired_on before cpu: see timer_del_sync */
				t->fired_on = this_cpu_id();
				q->running = t;
				__atomic_store_n(&t->cpu, -1, __ATOMIC_RELEASE);
			} else {
				t = NULL;
			}
		}
		if (!t)
			program(q);
		spin_unlock_irqrestore(&q->lock, flags);
		if (!t)
			break;
		t->fn(t);
		/* t may be gone now: its owner waited for this store only. */
		__atomic_store_n(&q->running, NULL, __ATOMIC_RELEASE);
	}
}

void timer_init_cpu(void)
{
	struct timer_queue *q = kmem_zalloc(sizeof(*q));

	if (!q)
		panic("no memory for CPU %u's timers", this_cpu_id());
	spin_lock_init(&q->lock, "timers", LOCK_RANK_TIMER);
	list_init(&q->pending);
	this_cpu()->timers = q;
	if (this_cpu_id() == 0 &&
	    irq_vector_request(APIC_TIMER_VECTOR, timer_interrupt, NULL,
			       "timer") < 0)
		panic("cannot install the timer interrupt");
}
