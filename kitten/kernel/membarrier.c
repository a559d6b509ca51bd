// SPDX-License-Identifier: GPL-2.0
/*
 * membarrier(): make every other thread pass a full memory barrier
 * before the call returns, so that a thread may use plain loads and
 * stores on its fast path and pay for ordering only on the slow one
 * (user-space RCU, the JVM, Go, .NET).
 *
 * A CPU that takes an interrupt serializes: the interrupt is a full
 * barrier for what ran on it. So the call sends an IPI (smp.c's
 * cross-call, which waits for the handler to finish) to each CPU that
 * may be running a thread concerned, and a CPU running none of them
 * needs nothing, as a thread that is switched out will pass the context
 * switch's barrier before it runs again:
 *   GLOBAL, GLOBAL_EXPEDITED   every other online CPU
 *   PRIVATE_EXPEDITED          the CPUs of the caller's process's
 *                              threads; the process must have registered
 *                              (-EPERM otherwise), as on Linux
 * Kitten has no lazy (RCU-based) GLOBAL: it is the expedited one. The
 * SYNC_CORE and RSEQ variants are not kept (-EINVAL), and QUERY does not
 * offer them.
 */
#include <arch/percpu.h>
#include <arch/smp.h>
#include <kitten/aspace.h>
#include <kitten/errno.h>
#include <kitten/spinlock.h>
#include <kitten/syscall.h>
#include <kitten/task.h>

#define MEMBARRIER_CMD_QUERY				0
#define MEMBARRIER_CMD_GLOBAL				(1 << 0)
#define MEMBARRIER_CMD_GLOBAL_EXPEDITED			(1 << 1)
#define MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED	(1 << 2)
#define MEMBARRIER_CMD_PRIVATE_EXPEDITED		(1 << 3)
#define MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED	(1 << 4)

#define SUPPORTED (MEMBARRIER_CMD_GLOBAL | MEMBARRIER_CMD_GLOBAL_EXPEDITED | \
		   MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED |                \
		   MEMBARRIER_CMD_PRIVATE_EXPEDITED |                        \
		   MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED)

static void barrier_here(void *arg)
{
	(void)arg;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

/* An IPI to each CPU marked in on[] but this one, each waited for. A set
 * of CPUs is an array, not a 64-bit mask: CPU ids go up to
 * CONFIG_NR_CPUS (255). */
static void barrier_on(const bool *on)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	for (unsigned cpu = 0; cpu < CONFIG_NR_CPUS; cpu++)
		if (on[cpu] && cpu != this_cpu_id())
			smp_call_function(cpu, barrier_here, NULL);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

static void online_cpus(bool *on)
{
	struct cpu *c;

	for_each_online_cpu(c)
		on[c->id] = true;
}

/* The CPUs the threads of as are on now. A thread that moves after we
 * look passes the switch's barrier on its way. */
static void process_cpus_now(struct aspace *as, bool *on)
{
	unsigned long flags = spin_lock_irqsave(&as->threads_lock);
	struct task *t;

	list_for_each_entry(t, &as->threads, thread_node)
		on[t->cpu] = true;
	spin_unlock_irqrestore(&as->threads_lock, flags);
}

SYSCALL_DEFINE3(membarrier, uint64_t, cmd, uint64_t, flags, uint64_t, cpu_id)
{
	struct aspace *as = task_current()->aspace;
	bool on[CONFIG_NR_CPUS] = { false };

	(void)cpu_id;
	if (flags)
		return -EINVAL;		/* MEMBARRIER_CMD_FLAG_CPU: RSEQ only */
	switch (cmd) {
	case MEMBARRIER_CMD_QUERY:
		return SUPPORTED;
	case MEMBARRIER_CMD_GLOBAL:
	case MEMBARRIER_CMD_GLOBAL_EXPEDITED:
		online_cpus(on);
		barrier_on(on);
		return 0;
	case MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED:
		return 0;	/* every process takes the global IPIs anyway */
	case MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED:
		WRITE_ONCE(as->membarrier_private, true);
		return 0;
	case MEMBARRIER_CMD_PRIVATE_EXPEDITED:
		if (!READ_ONCE(as->membarrier_private))
			return -EPERM;
		process_cpus_now(as, on);
		barrier_on(on);
		return 0;
	default:
		return -EINVAL;
	}
}
