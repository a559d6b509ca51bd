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

static uint64_t cpu_time(struct task *self)
{
	return self->runtime_ns + (time_ns() - self->last_switch_ns);
}

/*
 * Round robin is fair: three busy threads on one CPU take their turns in
 * strict rotation, A B C A B C ..., so each gets the same number of
 * slices. The threads log their own turns (a thread notes a turn when
 * it finds another spinner ran last), which depends on the scheduler's
 * order only, not on how fast the emulator or a loaded host runs them:
 * CPU time per thread is printed, not judged, since a host that stalls
 * the emulator in one thread's slice makes that slice longer.
 */
#define FAIR_TURNS	30
#define FAIR_WAIT_LIMIT	3000	/* 10 ms polls before giving up (failing) */

struct turn_log {
	volatile bool start, stop;
	int last;			/* the spinner that ran last, or -1 */
	unsigned n;
	uint8_t who[FAIR_TURNS];
};

struct turn_taker {
	struct turn_log *log;
	int id;
	uint64_t cpu_ns;
};

static void take_turns(void *arg)
{
	struct turn_taker *s = arg;
	struct turn_log *log = s->log;
	struct task *self = task_current();
	uint64_t begin;

	while (!READ_ONCE(log->start))
		cpu_relax();
	begin = cpu_time(self);
	while (!READ_ONCE(log->stop)) {
		/* Interrupts off: a switch must not split noting a turn. */
		irq_disable();
		if (log->last != s->id && log->n < FAIR_TURNS) {
			log->who[log->n++] = s->id;
			log->last = s->id;
		}
		irq_enable();
	}
	s->cpu_ns = cpu_time(self) - begin;
}

static void round_robin_is_fair(struct ktest *t)
{
	static struct turn_log log;
	struct turn_taker s[3];
	struct task *th[3];
	bool rotates = true;

	log = (struct turn_log){ .last = -1 };
	for (int i = 0; i < 3; i++) {
		s[i] = (struct turn_taker){ .log = &log, .id = i };
		th[i] = kthread_create(take_turns, &s[i], "spinner", last_cpu());
		KTEST_EXPECT(t, th[i] != NULL);
	}
	log.start = true;
	for (int i = 0; i < FAIR_WAIT_LIMIT && READ_ONCE(log.n) < FAIR_TURNS; i++)
		task_sleep_ns(10 * NSEC_PER_MSEC);
	log.stop = true;
	for (int i = 0; i < 3; i++)
		if (th[i])
			kthread_join(th[i]);
	printk(KERN_INFO "    # round robin: %u turns, CPU ms %lu %lu %lu\n", log.n,
	       s[0].cpu_ns / NSEC_PER_MSEC, s[1].cpu_ns / NSEC_PER_MSEC,
	       s[2].cpu_ns / NSEC_PER_MSEC);
	KTEST_EXPECT_EQ(t, log.n, FAIR_TURNS);
	KTEST_EXPECT(t, log.who[0] != log.who[1] && log.who[1] != log.who[2] &&
			log.who[0] != log.who[2]);
	for (unsigned i = 3; i < log.n; i++)
		rotates &= log.who[i] == log.who[i - 3];
	KTEST_EXPECT(t, rotates);
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

/*
 * A cancelled timer never fires: a second timer, due after it, is waited
 * for; timers fire in deadline order, so once the second has fired the
 * first would have too.
 */
static void timer_del_cancels(struct ktest *t)
{
	uint64_t now = time_ns();

	order = (struct order_log){ .late_ok = true };
	timer_init(&order_timers[0], record_order, NULL);
	timer_init(&order_timers[1], record_order, NULL);
	timer_add(&order_timers[0], now + 5 * NSEC_PER_MSEC);
	timer_add(&order_timers[1], now + 10 * NSEC_PER_MSEC);
	KTEST_EXPECT(t, timer_del(&order_timers[0]));
	KTEST_EXPECT(t, !timer_del(&order_timers[0]));
	while (!READ_ONCE(order.n))
		task_sleep_ns(NSEC_PER_MSEC);
	KTEST_EXPECT_EQ(t, order.n, 1);
	KTEST_EXPECT_EQ(t, order.seq[0], 1);
}

static void sleep_wakes_on_time(struct ktest *t)
{
	uint64_t start = time_ns(), slept;

	task_sleep_ns(20 * NSEC_PER_MSEC);
	slept = time_ns() - start;
	KTEST_EXPECT(t, slept >= 20 * NSEC_PER_MSEC);	/* never early */
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

/*
 * Two busy tasks on one CPU: the probe counts the rounds in which the
 * other task ran (it leaves a mark each loop) and the CPU's timer
 * interrupts meanwhile. Each round takes two slice ends, one for each
 * task: about two interrupts a round, however slowly the emulator runs,
 * and no missing tick (the probe would never get its rounds) nor a
 * periodic one (many interrupts a round).
 */
#define SLICE_ROUNDS		10
#define SLICE_GIVE_UP_NS	(30 * NSEC_PER_SEC)	/* fail, not hang */

struct slice_probe {
	volatile bool other_ran, stop;
	unsigned rounds;
	uint64_t timer_irqs;
};

static void count_rounds(void *arg)
{
	struct slice_probe *p = arg;
	uint64_t *count = &this_cpu()->irq_count[APIC_TIMER_VECTOR];
	uint64_t before = READ_ONCE(*count), start = time_ns();

	p->other_ran = false;
	while (p->rounds < SLICE_ROUNDS && time_ns() - start < SLICE_GIVE_UP_NS) {
		irq_disable();
		if (p->other_ran) {
			p->other_ran = false;
			p->rounds++;
		}
		irq_enable();
	}
	p->timer_irqs = READ_ONCE(*count) - before;
	p->stop = true;
}

static void mark_while_running(void *arg)
{
	struct slice_probe *p = arg;

	while (!p->stop)
		p->other_ran = true;
}

static void shared_cpu_gets_time_slices(struct ktest *t)
{
	static struct slice_probe p;
	unsigned cpu = last_cpu();
	struct task *a, *b;

	p = (struct slice_probe){ 0 };
	a = kthread_create(count_rounds, &p, "noise", cpu);
	b = kthread_create(mark_while_running, &p, "noise2", cpu);
	KTEST_EXPECT(t, a && b);
	if (!b)
		p.stop = true;
	if (a)
		kthread_join(a);
	if (b)
		kthread_join(b);
	printk(KERN_INFO "    # noise: CPU%u took %lu timer interrupts in %u "
	       "rounds of two tasks (%lu ms slices)\n", cpu, p.timer_irqs,
	       p.rounds, (uint64_t)CONFIG_TIME_SLICE_MS);
	KTEST_EXPECT_EQ(t, p.rounds, SLICE_ROUNDS);
	KTEST_EXPECT(t, p.timer_irqs >= SLICE_ROUNDS);
	KTEST_EXPECT(t, p.timer_irqs <= 3 * SLICE_ROUNDS + 2);
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
