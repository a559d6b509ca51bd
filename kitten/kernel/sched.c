// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU round-robin scheduling.
 *
 * Each CPU has a run queue of runnable tasks other than the one running.
 * schedule() puts the current task at the tail (if still runnable), takes
 * the head, and switches. A CPU only ever runs tasks from its own queue,
 * and the queue lock is held across the switch and released by the task
 * switched to (sched_finish_switch), so a task that was just switched out
 * can be woken from another CPU at any time without being run twice.
 *
 * Time slices: when the queue is non-empty after a switch, the CPU arms
 * its slice timer; when it is empty, there is nothing to share and the
 * timer is not armed. That is the whole of tickless operation.
 *
 * A new task on its creator's own CPU does not preempt the creator; it
 * runs when the creator blocks, or at the end of a slice armed for it.
 * Nor does a thread woken by a sibling of its process on that CPU.
 * The init task starts a rank on its own CPU and then waits for the job:
 * the rank then starts on a CPU with nothing queued, and no slice timer
 * interrupts it later (FWQ's one long sample, bench/notes.md).
 */
#define pr_fmt(fmt) "sched: " fmt

#include <arch/apic.h>
#include <arch/percpu.h>
#include <arch/time.h>
#include <arch/user.h>
#include <kitten/aspace.h>
#include <arch/x86.h>
#include <kitten/config.h>
#include <kitten/errno.h>
#include <kitten/kmem.h>
#include <kitten/panic.h>
#include <kitten/printk.h>
#include <kitten/sched.h>
#include <kitten/stats.h>
#include <kitten/string.h>
#include <kitten/timer.h>

struct run_queue {
	struct spinlock lock;
	struct list_head tasks;
	unsigned nr_queued;
	struct timer slice;
};

void switch_to(struct task *prev, struct task *next);
void sched_finish_switch(void);
void task_release(struct task *t);

static struct run_queue *rq_of(unsigned cpu)
{
	return cpus[cpu]->run_queue;
}

struct task *task_current(void)
{
	return this_cpu()->current;
}

static void slice_expired(struct timer *t)
{
	(void)t;
	this_cpu()->need_resched = true;
}

bool sched_cpu_shared(void)
{
	return rq_of(this_cpu_id())->nr_queued > 0;
}

/* Caller holds rq->lock. */
static void enqueue(struct run_queue *rq, struct task *t)
{
	list_add_tail(&t->run_node, &rq->tasks);
	t->queued = true;
	rq->nr_queued++;
}

static struct task *dequeue_first(struct run_queue *rq)
{
	struct task *t = list_first_entry(&rq->tasks, struct task, run_node);

	list_del(&t->run_node);
	t->queued = false;
	rq->nr_queued--;
	return t;
}

/* Tell cpu to look at its queue: it may be idle or need a time slice. */
static void kick(unsigned cpu)
{
	if (cpu == this_cpu_id())
		this_cpu()->need_resched = true;
	else
		apic_send_ipi(cpus[cpu]->apic_id, IPI_RESCHEDULE_VECTOR);
}

void sched_enqueue_new(struct task *t)
{
	struct run_queue *rq = rq_of(t->cpu);
	unsigned long flags = spin_lock_irqsave(&rq->lock);
	bool creators_cpu = t->cpu == this_cpu_id();

	t->state = TASK_RUNNABLE;
	enqueue(rq, t);
	if (creators_cpu && !timer_pending(&rq->slice))
		timer_add(&rq->slice, time_ns() + CONFIG_TIME_SLICE_MS * NSEC_PER_MSEC);
	spin_unlock_irqrestore(&rq->lock, flags);
	if (!creators_cpu)
		kick(t->cpu);
}

/*
 * A thread woken by a sibling on the sibling's own CPU does not preempt
 * it: the waker runs on to its own next wait (an OpenMP barrier on a
 * shared CPU), and the woken thread runs then, or at the end of a slice
 * armed for it. Preempting would switch twice per barrier instead of
 * once (docs/noise.md).
 */
static bool wake_preempts(struct run_queue *rq, struct task *t)
{
	struct task *cur = task_current();

	if (t->cpu != this_cpu_id() || cur == this_cpu()->idle ||
	    !cur->aspace || cur->aspace != t->aspace)
		return true;
	if (!timer_pending(&rq->slice))
		timer_add(&rq->slice, time_ns() + CONFIG_TIME_SLICE_MS * NSEC_PER_MSEC);
	return false;
}

/*
 * The run queue of t's CPU, locked. A task changes CPU (sched_finish_
 * switch) under the lock of the queue it leaves, so t->cpu read again
 * under the lock is its CPU for as long as the lock is held; read before
 * it, it may be stale, and a wake-up taken under the old queue's lock
 * would put t on the wrong queue: t could then run on two CPUs at once.
 */
static struct run_queue *lock_task_rq(struct task *t, unsigned long *flags)
{
	for (;;) {
		unsigned cpu = READ_ONCE(t->cpu);
		struct run_queue *rq = rq_of(cpu);

		*flags = spin_lock_irqsave(&rq->lock);
		if (READ_ONCE(t->cpu) == cpu)
			return rq;
		spin_unlock_irqrestore(&rq->lock, *flags);
	}
}

void task_wake(struct task *t)
{
	unsigned long flags;
	struct run_queue *rq = lock_task_rq(t, &flags);
	bool preempt = false;

	if (t->state == TASK_SLEEPING) {
		t->state = TASK_RUNNABLE;
		/* Still current: it has not switched away yet; it will see
		 * TASK_RUNNABLE in schedule() and keep running. */
		if (cpus[t->cpu]->current != t && !t->queued) {
			enqueue(rq, t);
			preempt = wake_preempts(rq, t);
		}
	}
	spin_unlock_irqrestore(&rq->lock, flags);
	if (preempt)
		kick(t->cpu);
}

void task_kick(struct task *t)
{
	task_wake(t);
	if (t->cpu != this_cpu_id())
		apic_send_ipi(cpus[t->cpu]->apic_id, IPI_RESCHEDULE_VECTOR);
}

void task_set_sleeping(void)
{
	struct task *t = task_current();
	struct run_queue *rq = rq_of(t->cpu);
	unsigned long flags = spin_lock_irqsave(&rq->lock);

	t->state = TASK_SLEEPING;
	spin_unlock_irqrestore(&rq->lock, flags);
}

/*
 * What a user task owns besides its kernel stack: page tables, FPU/SSE
 * registers, the TLS base, and the stack its syscalls and interrupts use.
 */
static void switch_user_state(struct cpu *cpu, struct task *prev,
			      struct task *next)
{
	uint64_t stack_top = (uint64_t)next->kstack + CONFIG_KSTACK_SIZE;

	if (prev->fpu)
		fpu_save(prev->fpu);
	aspace_activate(next->aspace);
	if (next->fpu) {
		fpu_restore(next->fpu);
		user_set_tls(next->fs_base);
	}
	if (next->kstack) {	/* idle tasks run on their boot stacks */
		cpu->kernel_rsp = stack_top;
		tss_set_kernel_stack(&cpu->desc, stack_top);
	}
}

/*
 * Switch to the next task. A preempted task goes back on the queue even
 * if it was about to sleep: it may not have checked its wait condition
 * yet, and only its own voluntary schedule() may take it off the CPU.
 */
static void __schedule(bool preempt)
{
	struct cpu *cpu = this_cpu();
	struct run_queue *rq = cpu->run_queue;
	unsigned long flags = spin_lock_irqsave(&rq->lock);
	struct task *prev = cpu->current, *next;
	uint64_t now = time_ns(), away;

	cpu->need_resched = false;
	if (prev != cpu->idle && prev->migrate_to < 0 && !prev->queued &&
	    (prev->state == TASK_RUNNABLE ||
	     (preempt && prev->state == TASK_SLEEPING)))
		enqueue(rq, prev);
	next = list_empty(&rq->tasks) ? cpu->idle : dequeue_first(rq);

	if (rq->nr_queued)
		timer_add(&rq->slice, now + CONFIG_TIME_SLICE_MS * NSEC_PER_MSEC);
	else
		timer_del(&rq->slice);

	if (next == prev) {
		spin_unlock_irqrestore(&rq->lock, flags);
		return;
	}
	prev->runtime_ns += now - prev->last_switch_ns;
	next->last_switch_ns = now;
	cpu->current = next;
	cpu->prev_task = prev;
	cpu->context_switches++;
	switch_user_state(cpu, prev, next);
	away = stats_switch_out();
	switch_to(prev, next);
	/* Back in prev, switched to by a later schedule() on this CPU. */
	stats_switch_in(prev, away);
	sched_finish_switch();
	irq_restore(flags);
}

/*
 * Runs in the task switched to, with the queue lock still held from the
 * switch. The task switched away from has now left its stack for good,
 * so it may be moved to another CPU or, if it exited, released.
 */
void sched_finish_switch(void)
{
	struct cpu *cpu = this_cpu();
	struct task *prev = cpu->prev_task, *moved = NULL, *dead = NULL;

	cpu->prev_task = NULL;
	if (prev->migrate_to >= 0) {
		prev->cpu = prev->migrate_to;
		prev->migrate_to = -1;
		if (prev->state == TASK_RUNNABLE)
			moved = prev;
	} else if (prev->state == TASK_EXITED) {
		dead = prev;
	}
	spin_unlock_irqrestore(&((struct run_queue *)cpu->run_queue)->lock, 0);

	if (moved)
		sched_enqueue_new(moved);
	if (dead)
		task_release(dead);
}

void schedule(void)
{
	__schedule(false);
}

void sched_preempt_check(void)
{
	if (this_cpu()->need_resched)
		__schedule(true);
}

void sched_yield(void)
{
	schedule();
}

void sched_slice_expired(void)
{
	this_cpu()->need_resched = true;
}

int task_migrate(struct task *t, unsigned cpu)
{
	if (cpu >= CONFIG_NR_CPUS || !cpus[cpu] || !cpus[cpu]->online)
		return -EINVAL;
	if (t != task_current())
		return -EBUSY;	/* only a task may move itself, between switches */
	if (cpu == t->cpu)
		return 0;
	t->migrate_to = cpu;
	schedule();
	return 0;
}

static void wake_sleeper(struct timer *timer)
{
	task_wake(timer->data);
}

void task_sleep_ns(uint64_t ns)
{
	struct timer timer;

	timer_init(&timer, wake_sleeper, task_current());
	task_set_sleeping();
	timer_add(&timer, time_ns() + ns);
	schedule();
	timer_del_sync(&timer);
}

__attribute__((noreturn)) void sched_idle_loop(void)
{
	for (;;) {
		irq_disable();
		if (this_cpu()->need_resched || sched_cpu_shared()) {
			irq_enable();
			schedule();
			continue;
		}
		/* sti takes effect after hlt starts: no wake-up is lost. */
		__asm__ __volatile__("sti; hlt" ::: "memory");
	}
}

void sched_init_cpu(void)
{
	struct cpu *cpu = this_cpu();
	struct run_queue *rq = kmem_zalloc(sizeof(*rq));
	struct task *idle = kmem_zalloc(sizeof(*idle));

	if (!rq || !idle)
		panic("no memory for CPU %u's scheduler", cpu->id);
	spin_lock_init(&rq->lock, "runqueue", LOCK_RANK_SCHED);
	list_init(&rq->tasks);
	timer_init(&rq->slice, slice_expired, NULL);
	cpu->run_queue = rq;

	/* The code running now becomes this CPU's idle task. */
	idle->id = 0;
	snprintf(idle->name, sizeof(idle->name), "idle/%u", cpu->id);
	idle->cpu = cpu->id;
	idle->migrate_to = -1;
	idle->state = TASK_RUNNABLE;
	idle->last_switch_ns = time_ns();
	waitqueue_init(&idle->exit_wq);
	cpu->idle = idle;
	cpu->current = idle;
}
