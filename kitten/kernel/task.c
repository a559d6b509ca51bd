// SPDX-License-Identifier: GPL-2.0
/*
 * Task lifetime: creation of kernel threads on a named CPU, their first
 * run, exit and release. A task's kernel stack is freed only once the
 * scheduler has switched away from it for the last time
 * (task_release(), called from sched_finish_switch()).
 */
#define pr_fmt(fmt) "task: " fmt

#include <arch/percpu.h>
#include <arch/x86.h>
#include <kitten/config.h>
#include <kitten/kmem.h>
#include <kitten/printk.h>
#include <kitten/sched.h>
#include <kitten/string.h>

void sched_finish_switch(void);
void task_first_entry(void);

static unsigned next_task_id = 1;

/* The registers switch_to pops, then its return address. */
struct switch_frame {
	uint64_t r15, r14, r13, r12, rbx, rbp;
	uint64_t rip;
};

struct task *kthread_create(void (*fn)(void *arg), void *arg,
			    const char *name, unsigned cpu)
{
	struct task *t;
	struct switch_frame *frame;

	if (cpu >= CONFIG_NR_CPUS || !cpus[cpu] || !cpus[cpu]->online) {
		pr_err("%s: CPU %u is not online\n", name, cpu);
		return NULL;
	}
	t = kmem_zalloc(sizeof(*t));
	if (!t)
		return NULL;
	t->kstack = kmem_alloc(CONFIG_KSTACK_SIZE);
	if (!t->kstack) {
		kmem_free(t);
		return NULL;
	}
	t->id = __atomic_fetch_add(&next_task_id, 1, __ATOMIC_RELAXED);
	strlcpy(t->name, name, sizeof(t->name));
	t->cpu = cpu;
	t->migrate_to = -1;
	t->fn = fn;
	t->arg = arg;
	waitqueue_init(&t->exit_wq);

	frame = (struct switch_frame *)((char *)t->kstack + CONFIG_KSTACK_SIZE) - 1;
	memset(frame, 0, sizeof(*frame));
	frame->rip = (uint64_t)task_first_entry;
	t->ksp = (uint64_t)frame;

	sched_enqueue_new(t);
	return t;
}

/* A new task's first code, reached from task_first_entry in switch.S. */
void task_start(void)
{
	struct task *t;

	sched_finish_switch();
	irq_enable();
	t = task_current();
	t->fn(t->arg);
	task_exit(0);
}

void task_exit(int status)
{
	struct task *t = task_current();

	t->exit_status = status;
	irq_disable();
	t->state = TASK_EXITED;
	schedule();
	__builtin_unreachable();
}

void task_release(struct task *t)
{
	kmem_free(t->kstack);
	t->kstack = NULL;
	__atomic_store_n(&t->off_cpu, true, __ATOMIC_RELEASE);
	if (t->detached)
		kmem_free(t);
	else
		waitqueue_wake_all(&t->exit_wq);
}

int kthread_join(struct task *t)
{
	int status;

	wait_event(t->exit_wq, __atomic_load_n(&t->off_cpu, __ATOMIC_ACQUIRE));
	status = t->exit_status;
	kmem_free(t);
	return status;
}

void kthread_detach(struct task *t)
{
	t->detached = true;
}
