/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel entries of a job, counted (docs/noise.md): every system call by
 * number, every fault and exception, every interrupt by vector, with the
 * TSC cycles spent in each. The job's loader starts the count with
 * "start" written to /proc/kitten/stats and reads the table from it at
 * the job's end (`tools/kitten run --stats`).
 *
 * The hooks are two calls around each entry: stats_entry() at the top of
 * syscall_dispatch() and trap_dispatch(), stats_exit() before they
 * return. With no count running they cost one load and a branch; the
 * real work is out of line in stats.c.
 */
#ifndef KITTEN_STATS_H
#define KITTEN_STATS_H

#include <kitten/compiler.h>
#include <kitten/types.h>

enum stats_kind {
	STATS_SYSCALL,		/* index: the system call number */
	STATS_PAGE_FAULT,	/* from user mode; index: the vector */
	STATS_EXCEPTION,	/* any other exception from user mode */
	STATS_INTERRUPT,	/* an interrupt of user mode; index: vector */
	STATS_NESTED,		/* an interrupt or fault taken in the kernel,
				 * during one of the entries above: its
				 * cycles are already inside that entry's */
	STATS_NR_KINDS,
};

struct task;

/* True while a count runs: the only thing a hook reads when none does. */
extern bool stats_on;

uint64_t stats_enter(enum stats_kind kind, unsigned index);
void stats_leave(enum stats_kind kind, unsigned index, uint64_t mark);

/*
 * At the start of an entry: count it if the running task is one of the
 * job's. Returns a mark for stats_exit(), 0 when not counted.
 */
static inline uint64_t stats_entry(enum stats_kind kind, unsigned index)
{
	return unlikely(READ_ONCE(stats_on)) ? stats_enter(kind, index) : 0;
}

/* At the end of the entry: charge its cycles, less any time the task
 * spent switched out meanwhile. */
static inline void stats_exit(enum stats_kind kind, unsigned index,
			      uint64_t mark)
{
	if (unlikely(mark))
		stats_leave(kind, index, mark);
}

/*
 * Around switch_to() in the scheduler: the cycles a task spends switched
 * out are no entry's cost (a futex wait, a preempted system call).
 * stats_switch_out() returns a mark (0 when no count runs) that
 * stats_switch_in() takes when the task runs again.
 */
uint64_t stats_now(void);

static inline uint64_t stats_switch_out(void)
{
	return unlikely(READ_ONCE(stats_on)) ? stats_now() : 0;
}

void stats_switched_back(struct task *t, uint64_t out);

static inline void stats_switch_in(struct task *t, uint64_t out)
{
	if (unlikely(out))
		stats_switched_back(t, out);
}

/*
 * /proc/kitten/stats. Writing "start" zeroes the counts and counts from
 * then on the entries of every user task outside the writer's address
 * space (the loader's own calls are not the job's); "stop" ends the
 * count. Reading gives the table so far, one "stats: " line each.
 */
long stats_control(const char *buf, uint64_t len);
size_t stats_text(char *out, size_t cap);

#endif
