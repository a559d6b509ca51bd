// SPDX-License-Identifier: GPL-2.0
/*
 * Self-tests of scheduling, time and locking: round robin is fair, timers
 * fire in order, sleepers wake, locks lose no updates across CPUs, and a
 * CPU with a single task takes no timer interrupts (the low-noise
 * property an LWK exists for).
 */
#include <arch/apic.h>
#include <arch/percpu.h>
#include <arch/time.h>
#include <arch/x86.h>
#include <kitten/ktest.h>
#include <kitten/mutex.h>
#include <kitten/printk.h>
#include <kitten/sched.h>
#include <kitten/timer.h>
#include <kitten/workqueue.h>

#define SPIN_TEST_NS	(300 * NSEC_PER_MSEC)

static unsigned last_cpu(void)
{
	return nr_cpus_online - 1;
}

struct spinner {
	volatile bool *start;	/* NULL: start at once */
	volatile bool *stop;
	uint64_t loops;
	uint64_t cpu_ns;	/* CPU time the scheduler gave it meanwhile */
};

static uint64_t cpu_time(struct task *self)
{
	return self->runtime_ns + (time_ns() - self->last_switch_ns);
}

static void spin_until_stopped(void *arg)
{
	struct spinner *s = arg;
	struct task *self = task_current();
	uint64_t begin;

	while (s->start && !READ_ONCE(*s->start))
		cpu_relax();
	begin = cpu_time(self);
	while (!READ_ONCE(*s->stop))
		s->loops++;
	s->cpu_ns = cpu_time(self) - begin;
}

/*
 * Three busy threads share one CPU for FAIR_TEST_NS; each must get its
 * third of the CPU time within 10%. (Loop counts are printed too, but
 * under TCG they also measure the emulator's speed, which varies.)
 */
#define FAIR_TEST_NS (600 * NSEC_PER_MSEC)

static void round_robin_is_fair(struct ktest *t)
{
	volatile bool start = false, stop = false;
	struct spinner s[3];
	struct task *th[3];
	uint64_t min = ~0ULL, max = 0;

	for (int i = 0; i < 3; i++) {
		s[i] = (struct spinner){ .start = &start, .stop = &stop };
		th[i] = kthread_create(spin_until_stopped, &s[i], "spinner",
				       last_cpu());
		KTEST_EXPECT(t, th[i] != NULL);
	}
	start = true;
	task_sleep_ns(FAIR_TEST_NS);
	stop = true;
	for (int i = 0; i < 3; i++) {
		if (th[i])
			kthread_join(th[i]);
		min = MIN(min, s[i].cpu_ns);
		max = MAX(max, s[i].cpu_ns);
	}
	printk(KERN_INFO "    # round robin: CPU ms %lu %lu %lu, loops %lu %lu %lu\n",
	       s[0].cpu_ns / NSEC_PER_MSEC, s[1].cpu_ns / NSEC_PER_MSEC,
	       s[2].cpu_ns / NSEC_PER_MSEC, s[0].loops, s[1].loops, s[2].loops);
	KTEST_EXPECT(t, min > 0);
	KTEST_EXPECT(t, (max - min) * 10 <= max);	/* within 10% */
}

struct order_log {
	unsigned seq[5];
	unsigned n;
	bool late_ok;
};

static struct order_log order;
static struct timer order_timers[5];

static void record_order(struct timer *tm)
{
	order.seq[order.n++] = tm - order_timers;
	if (time_ns() < tm->expires)
		order.late_ok = false;
}

static void timers_fire_in_order(struct ktest *t)
{
	static const unsigned ms[5] = { 40, 10, 30, 50, 20 };
	uint64_t now = time_ns();

	order = (struct order_log){ .late_ok = true };
	for (int i = 0; i < 5; i++) {
		timer_init(&order_timers[i], record_order, NULL);
		timer_add(&order_timers[i], now + ms[i] * NSEC_PER_MSEC);
	}
	task_sleep_ns(80 * NSEC_PER_MSEC);
	KTEST_EXPECT_EQ(t, order.n, 5);
	KTEST_EXPECT_EQ(t, order.seq[0], 1);
	KTEST_EXPECT_EQ(t, order.seq[1], 4);
	KTEST_EXPECT_EQ(t, order.seq[2], 2);
	KTEST_EXPECT_EQ(t, order.seq[3], 0);
	KTEST_EXPECT_EQ(t, order.seq[4], 3);
	KTEST_EXPECT(t, order.late_ok);	/* never before its time */
}

static void timer_del_cancels(struct ktest *t)
{
	order = (struct order_log){ .late_ok = true };
	timer_init(&order_timers[0], record_order, NULL);
	timer_add(&order_timers[0], time_ns() + 5 * NSEC_PER_MSEC);
	KTEST_EXPECT(t, timer_del(&order_timers[0]));
	KTEST_EXPECT(t, !timer_del(&order_timers[0]));
	task_sleep_ns(15 * NSEC_PER_MSEC);
	KTEST_EXPECT_EQ(t, order.n, 0);
}

static void sleep_wakes_on_time(struct ktest *t)
{
	uint64_t start = time_ns(), slept;

	task_sleep_ns(20 * NSEC_PER_MSEC);
	slept = time_ns() - start;
	KTEST_EXPECT(t, slept >= 20 * NSEC_PER_MSEC);
	KTEST_EXPECT(t, slept < 2000 * NSEC_PER_MSEC);
}

/*
 * Rounds per thread. Spinlock rounds are few because under TCG a vCPU
 * holding a lock can be descheduled by the host while the others spin.
 */
#define SPIN_ROUNDS	300
#define MUTEX_ROUNDS	20000

struct lock_test {
	struct spinlock lock;
	struct mutex mutex;
	uint64_t counter;
	bool use_mutex;
	int rounds;
};

static void hammer(void *arg)
{
	struct lock_test *lt = arg;

	for (int i = 0; i < lt->rounds; i++) {
		if (lt->use_mutex) {
			mutex_lock(&lt->mutex);
			uint64_t v = lt->counter;

			if (i % 1000 == 0)
				sched_yield();	/* hold it across a switch */
			lt->counter = v + 1;
			mutex_unlock(&lt->mutex);
		} else {
			unsigned long flags = spin_lock_irqsave(&lt->lock);

			lt->counter++;
			spin_unlock_irqrestore(&lt->lock, flags);
		}
	}
}

static void run_lock_stress(struct ktest *t, bool use_mutex)
{
	static struct lock_test lt;
	struct task *th[CONFIG_NR_CPUS * 2];
	unsigned n = 0;

	lt = (struct lock_test){
		.use_mutex = use_mutex,
		.rounds = use_mutex ? MUTEX_ROUNDS : SPIN_ROUNDS,
	};
	spin_lock_init(&lt.lock, "test", LOCK_RANK_LEAF);
	mutex_init(&lt.mutex);
	/* Two threads per CPU: contention within and across CPUs. */
	for (unsigned c = 0; c < nr_cpus_online; c++)
		for (int k = 0; k < 2; k++)
			th[n++] = kthread_create(hammer, &lt, "hammer", c);
	for (unsigned i = 0; i < n; i++)
		if (th[i])
			kthread_join(th[i]);
	KTEST_EXPECT_EQ(t, lt.counter, (uint64_t)n * lt.rounds);
}

static void spinlock_loses_no_updates(struct ktest *t)
{
	run_lock_stress(t, false);
}

static void mutex_loses_no_updates(struct ktest *t)
{
	run_lock_stress(t, true);
}

struct work_probe {
	struct work work;
	unsigned cpu;
	volatile bool done;
};

static void probe_work(struct work *w)
{
	struct work_probe *p = container_of(w, struct work_probe, work);

	p->cpu = this_cpu_id();
	p->done = true;
}

static void workqueue_runs_on_its_cpu(struct ktest *t)
{
	struct workqueue *wq = workqueue_create("ktest-wq", last_cpu());
	struct work_probe p = { .cpu = ~0U };

	KTEST_EXPECT(t, wq != NULL);
	if (!wq)
		return;
	work_init(&p.work, probe_work);
	KTEST_EXPECT(t, workqueue_queue(wq, &p.work));
	workqueue_destroy(wq);	/* runs what is queued first */
	KTEST_EXPECT(t, p.done);
	KTEST_EXPECT_EQ(t, p.cpu, last_cpu());
}

/*
 * Noise: count the APIC timer interrupts a CPU takes while one (then two)
 * busy threads run there. The measuring is done by the spinner itself, so
 * nothing else needs a timer on that CPU.
 */
struct noise_probe {
	uint64_t ns;
	uint64_t timer_irqs;
	volatile bool *stop;
};

static void busy_and_count(void *arg)
{
	struct noise_probe *p = arg;
	uint64_t *count = &this_cpu()->irq_count[APIC_TIMER_VECTOR];
	uint64_t before = READ_ONCE(*count), start = time_ns();

	while (time_ns() - start < p->ns)
		cpu_relax();
	p->timer_irqs = READ_ONCE(*count) - before;
	if (p->stop)
		*p->stop = true;
}

static void single_task_cpu_is_tickless(struct ktest *t)
{
	struct noise_probe p = { .ns = SPIN_TEST_NS };
	unsigned cpu = last_cpu();
	struct task *th = kthread_create(busy_and_count, &p, "noise", cpu);

	KTEST_EXPECT(t, th != NULL);
	if (th)
		kthread_join(th);
	printk(KERN_INFO "    # noise: CPU%u took %lu timer interrupts in "
	       "%lu ms with one task\n", cpu, p.timer_irqs,
	       p.ns / NSEC_PER_MSEC);
	KTEST_EXPECT_EQ(t, p.timer_irqs, 0);
}

static void shared_cpu_gets_time_slices(struct ktest *t)
{
	volatile bool stop = false;
	struct noise_probe p = { .ns = SPIN_TEST_NS, .stop = &stop };
	struct spinner other = { .stop = &stop };
	unsigned cpu = last_cpu();
	struct task *a = kthread_create(busy_and_count, &p, "noise", cpu);
	struct task *b = kthread_create(spin_until_stopped, &other, "noise2", cpu);
	uint64_t slices = SPIN_TEST_NS / (CONFIG_TIME_SLICE_MS * NSEC_PER_MSEC);

	KTEST_EXPECT(t, a && b);
	if (a)
		kthread_join(a);
	if (b)
		kthread_join(b);
	printk(KERN_INFO "    # noise: CPU%u took %lu timer interrupts in "
	       "%lu ms with two tasks (%lu ms slices)\n", cpu, p.timer_irqs,
	       p.ns / NSEC_PER_MSEC, (uint64_t)CONFIG_TIME_SLICE_MS);
	/*
	 * The probe sees every slice interrupt while it lives: about one
	 * per slice. The bounds leave room for an emulator that delivers
	 * timer interrupts late, but not for a missing or periodic tick.
	 */
	KTEST_EXPECT(t, p.timer_irqs >= slices / 2);
	KTEST_EXPECT(t, p.timer_irqs <= 3 * slices);
}

static const struct ktest_case sched_cases[] = {
	KTEST_CASE(round_robin_is_fair),
	KTEST_CASE(timers_fire_in_order),
	KTEST_CASE(timer_del_cancels),
	KTEST_CASE(sleep_wakes_on_time),
	KTEST_CASE(spinlock_loses_no_updates),
	KTEST_CASE(mutex_loses_no_updates),
	KTEST_CASE(workqueue_runs_on_its_cpu),
	KTEST_CASE(single_task_cpu_is_tickless),
	KTEST_CASE(shared_cpu_gets_time_slices),
};
KTEST_SUITE(sched, sched_cases);
