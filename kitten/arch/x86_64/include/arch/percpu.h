/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-CPU data. Each CPU has one struct cpu; its GS base points at it, so
 * this_cpu() is a single load of %gs:0 and needs no lock. Everything a CPU
 * owns alone lives here: its descriptor tables, the task it runs, its run
 * queue and timers, and its interrupt counters.
 */
#ifndef ARCH_PERCPU_H
#define ARCH_PERCPU_H

#ifndef __ASSEMBLY__
#include <arch/desc.h>
#include <arch/trap.h>
#include <kitten/config.h>
#include <kitten/list.h>
#include <kitten/types.h>
#endif

/* Offsets entry.S uses; checked against the struct in percpu.c. */
#define CPU_KERNEL_RSP	8
#define CPU_USER_RSP	16

#ifndef __ASSEMBLY__
#define CPU_MAX_HELD_LOCKS 16

struct task;

struct cpu {
	struct cpu *self;		/* %gs:0, for this_cpu() */
	uint64_t kernel_rsp;		/* top of the current task's stack */
	uint64_t user_rsp;		/* scratch for the syscall entry */
	unsigned id;			/* logical CPU number, 0 = boot CPU */
	uint32_t apic_id;
	unsigned numa_node;
	bool online;

	struct task *current;
	struct task *idle;
	struct task *prev_task;		/* being switched away from */
	void *run_queue;		/* struct run_queue, see sched.c */
	void *timers;			/* struct timer_queue, see timer.c */
	bool need_resched;

	/* Observability: interrupts by vector, and context switches. */
	uint64_t irq_count[NR_VECTORS];
	uint64_t context_switches;

	unsigned nr_locks;
	uint16_t lock_ranks[CPU_MAX_HELD_LOCKS];

	struct cpu_desc desc;
};

extern struct cpu *cpus[CONFIG_NR_CPUS];
extern unsigned nr_cpus_online;

static inline struct cpu *this_cpu(void)
{
	struct cpu *c;

	__asm__ __volatile__("movq %%gs:0, %0" : "=r"(c));
	return c;
}

static inline unsigned this_cpu_id(void)
{
	return this_cpu()->id;
}

/* Set up the calling CPU's GS base to point at cpu. */
void percpu_install(struct cpu *cpu);
/* False only in early boot, before the boot CPU's struct cpu exists. */
bool percpu_ready(void);

#define for_each_online_cpu(c)                                        \
	for (unsigned __i = 0; __i < CONFIG_NR_CPUS; __i++)               \
		if (((c) = cpus[__i]) && (c)->online)
#endif /* __ASSEMBLY__ */

#endif
