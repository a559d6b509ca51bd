/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The scheduler: one run queue per CPU, preemptive round robin. The time
 * slice exists only while a CPU has more than one runnable task: a CPU
 * running a single task is never interrupted by the scheduler.
 */
#ifndef KITTEN_SCHED_H
#define KITTEN_SCHED_H

#include <kitten/task.h>

/* Set up the run queue and idle task of the calling CPU, then go idle
 * into whatever is queued (never returns for APs; the boot CPU calls
 * sched_init_cpu() and continues as a task itself). */
void sched_init_cpu(void);
__attribute__((noreturn)) void sched_idle_loop(void);

/* Make a sleeping task runnable on its CPU. */
void task_wake(struct task *t);
/* Get t's attention: wake it if it sleeps, interrupt its CPU if not. */
void task_kick(struct task *t);
/* Mark the current task sleeping; the next schedule() switches away. */
void task_set_sleeping(void);
/* Queue a new task on its CPU. */
void sched_enqueue_new(struct task *t);
void sched_yield(void);

/* Move t to cpu: the current task moves itself at its next switch. */
int task_migrate(struct task *t, unsigned cpu);

/* Sleep the current task for ns nanoseconds. */
void task_sleep_ns(uint64_t ns);

/* Called from the timer interrupt when the time slice has ended. */
void sched_slice_expired(void);
/* Does this CPU's current task share the CPU (needs a time slice)? */
bool sched_cpu_shared(void);

/* Called on return from an interrupt that may have made need_resched. */
void sched_preempt_check(void);

#endif
