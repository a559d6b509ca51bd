// SPDX-License-Identifier: GPL-2.0
/*
 * Self-tests of multiprocessor operation: every CPU the machine has is
 * online, knows who it is, takes IPIs and runs kernel threads pinned to
 * it. ktest.cpus=N gives the CPU count the test booted with.
 */
#include <arch/apic.h>
#include <arch/percpu.h>
#include <arch/smp.h>
#include <arch/time.h>
#include <arch/x86.h>
#include <kitten/cmdline.h>
#include <arch/bootinfo.h>
#include <kitten/ktest.h>
#include <kitten/sched.h>
#include <kitten/timer.h>

static void all_cpus_online(struct ktest *t)
{
	uint64_t expect;

	if (cmdline_get_uint(boot_info.cmdline, "ktest.cpus", &expect)) {
		ktest_fail(t, __FILE__, __LINE__, "no ktest.cpus= argument");
		return;
	}
	KTEST_EXPECT_EQ(t, nr_cpus_online, expect);
	for (unsigned i = 0; i < expect; i++)
		KTEST_EXPECT(t, cpus[i] && cpus[i]->online && cpus[i]->id == i);
}

static void record_cpu(void *arg)
{
	unsigned *slot = arg;

	*slot = this_cpu_id();
}

static void call_function_on_every_cpu(struct ktest *t)
{
	unsigned seen[CONFIG_NR_CPUS];

	for (unsigned i = 0; i < nr_cpus_online; i++) {
		seen[i] = ~0U;
		KTEST_EXPECT_EQ(t, smp_call_function(i, record_cpu, &seen[i]), 0);
		KTEST_EXPECT_EQ(t, seen[i], i);
	}
}

static void apic_ids_distinct(struct ktest *t)
{
	for (unsigned i = 0; i < nr_cpus_online; i++) {
		uint32_t id = ~0U;

		smp_call_function(i, record_cpu, &id);
		for (unsigned j = 0; j < i; j++)
			KTEST_EXPECT(t, cpus[i]->apic_id != cpus[j]->apic_id);
	}
}

static void tlb_shootdown_acknowledged(struct ktest *t)
{
	uint64_t before[CONFIG_NR_CPUS];

	for (unsigned i = 0; i < nr_cpus_online; i++)
		before[i] = cpus[i]->irq_count[IPI_TLB_SHOOTDOWN_VECTOR];
	smp_tlb_shootdown();
	for (unsigned i = 0; i < nr_cpus_online; i++)
		if (i != this_cpu_id())
			KTEST_EXPECT(t, cpus[i]->irq_count[IPI_TLB_SHOOTDOWN_VECTOR] >
						before[i]);
}

static void where_am_i(void *arg)
{
	unsigned *slot = arg;

	*slot = this_cpu_id();
	/* Stay a while: a pinned thread must not move while it runs. */
	task_sleep_ns(NSEC_PER_MSEC);
	if (*slot != this_cpu_id())
		*slot = ~0U;
}

static void kthread_pinned_to_each_cpu(struct ktest *t)
{
	unsigned seen[CONFIG_NR_CPUS];
	struct task *threads[CONFIG_NR_CPUS];

	for (unsigned i = 0; i < nr_cpus_online; i++) {
		seen[i] = ~0U;
		threads[i] = kthread_create(where_am_i, &seen[i], "pinned", i);
		KTEST_EXPECT(t, threads[i] != NULL);
	}
	for (unsigned i = 0; i < nr_cpus_online; i++) {
		if (threads[i])
			KTEST_EXPECT_EQ(t, kthread_join(threads[i]), 0);
		KTEST_EXPECT_EQ(t, seen[i], i);
	}
}

static void reschedule_ipi_wakes_idle_cpu(struct ktest *t)
{
	unsigned target = nr_cpus_online - 1, seen = ~0U;
	uint64_t before;
	struct task *th;

	if (target == this_cpu_id()) {
		KTEST_EXPECT_EQ(t, nr_cpus_online, 1);	/* nothing to test */
		return;
	}
	before = cpus[target]->irq_count[IPI_RESCHEDULE_VECTOR];
	th = kthread_create(record_cpu, &seen, "wake", target);
	KTEST_EXPECT(t, th != NULL);
	if (th)
		kthread_join(th);
	KTEST_EXPECT_EQ(t, seen, target);
	KTEST_EXPECT(t, cpus[target]->irq_count[IPI_RESCHEDULE_VECTOR] > before);
}

/* A callback that is still running on its CPU when the timer is deleted. */
static struct {
	struct timer timer;
	int started, deleting, finished;
} slow;

static void slow_callback(struct timer *tm)
{
	(void)tm;
	WRITE_ONCE(slow.started, 1);
	while (!READ_ONCE(slow.deleting))
		cpu_relax();
	for (unsigned i = 0; i < (1U << 20); i++)	/* still busy */
		cpu_relax();
	WRITE_ONCE(slow.finished, 1);
}

static void arm_now(void *arg)
{
	(void)arg;
	timer_add(&slow.timer, time_ns());
}

/*
 * timer_del_sync returns only after a callback already running on another
 * CPU has returned: the sleeper whose stack holds the timer may then go.
 */
static void timer_del_sync_waits_for_callback(struct ktest *t)
{
	unsigned target = nr_cpus_online - 1;

	if (target == this_cpu_id()) {
		KTEST_EXPECT_EQ(t, nr_cpus_online, 1);	/* nothing to test */
		return;
	}
	slow.started = slow.deleting = slow.finished = 0;
	timer_init(&slow.timer, slow_callback, NULL);
	KTEST_EXPECT_EQ(t, smp_call_function(target, arm_now, NULL), 0);
	while (!READ_ONCE(slow.started))
		cpu_relax();
	WRITE_ONCE(slow.deleting, 1);
	KTEST_EXPECT(t, !timer_del_sync(&slow.timer));	/* fired already */
	KTEST_EXPECT_EQ(t, READ_ONCE(slow.finished), 1);
}

static void migrate_self(void *arg)
{
	unsigned *slot = arg;

	task_migrate(task_current(), slot[0]);
	slot[1] = this_cpu_id();
}

static void explicit_migration(struct ktest *t)
{
	unsigned slot[2] = { nr_cpus_online - 1, ~0U };
	struct task *th = kthread_create(migrate_self, slot, "migrate", 0);

	KTEST_EXPECT(t, th != NULL);
	if (th)
		kthread_join(th);
	KTEST_EXPECT_EQ(t, slot[1], nr_cpus_online - 1);
}

static const struct ktest_case smp_cases[] = {
	KTEST_CASE(all_cpus_online),
	KTEST_CASE(call_function_on_every_cpu),
	KTEST_CASE(apic_ids_distinct),
	KTEST_CASE(tlb_shootdown_acknowledged),
	KTEST_CASE(kthread_pinned_to_each_cpu),
	KTEST_CASE(reschedule_ipi_wakes_idle_cpu),
	KTEST_CASE(explicit_migration),
	KTEST_CASE(timer_del_sync_waits_for_callback),
};
KTEST_SUITE(smp, smp_cases);
