// SPDX-License-Identifier: GPL-2.0
/*
 * Scheduling queries and CPU placement: sched_getaffinity,
 * sched_setaffinity, getcpu, and the policy calls.
 *
 * A thread's affinity is a set within its process's CPUs (the job's,
 * --cpus): by default all of them. Kitten never moves a thread by itself
 * (no load balancing), so the set only says where a thread may be: a
 * thread that sets its own and is not on one of them moves to the first
 * at once. Another thread of the process may be given a set only if it
 * contains the CPU that thread is on (-EINVAL otherwise): only a thread
 * can move itself (task_migrate). Every thread runs under one policy,
 * SCHED_OTHER, round robin among the threads sharing a CPU, at priority
 * 0; the policy calls say so, and setting another is -EPERM.
 */
#include <arch/percpu.h>
#include <kitten/aspace.h>
#include <kitten/errno.h>
#include <kitten/proc.h>
#include <kitten/sched.h>
#include <kitten/spinlock.h>
#include <kitten/syscall.h>
#include <kitten/task.h>

#define SCHED_OTHER	0
#define SCHED_FIFO	1
#define SCHED_RR	2
#define SCHED_BATCH	3
#define SCHED_IDLE	5
#define SCHED_DEADLINE	6

/* The CPUs process as may use: its set, or every online CPU. */
static uint64_t process_cpus(struct aspace *as)
{
	uint64_t mask = as->cpu_mask;

	if (!mask)
		for (unsigned i = 0; i < nr_cpus_online && i < 64; i++)
			mask |= 1ULL << i;
	return mask;
}

static uint64_t thread_cpus(struct task *t)
{
	uint64_t all = process_cpus(t->aspace);
	uint64_t mine = READ_ONCE(t->affinity) & all;

	return mine ? mine : all;
}

/* Find thread tid in any process and apply fn under its threads_lock. */
struct thread_op {
	unsigned tid;
	long (*fn)(struct task *t, struct thread_op *op);
	uint64_t mask;
	bool own_process_only;
	long ret;
	bool found;
};

static int thread_op_one(struct aspace *as, void *arg)
{
	struct thread_op *op = arg;
	unsigned long flags;
	struct task *t;

	if (op->own_process_only && as != task_current()->aspace)
		return 0;
	flags = spin_lock_irqsave(&as->threads_lock);
	list_for_each_entry(t, &as->threads, thread_node)
		if (t->id == op->tid) {
			op->ret = op->fn(t, op);
			op->found = true;
			break;
		}
	spin_unlock_irqrestore(&as->threads_lock, flags);
	return op->found;
}

static long read_mask(struct task *t, struct thread_op *op)
{
	op->mask = thread_cpus(t);
	return 0;
}

static long set_other_mask(struct task *t, struct thread_op *op)
{
	uint64_t mask = op->mask & process_cpus(t->aspace);

	if (!mask || t->cpu >= 64 || !(mask & (1ULL << t->cpu)))
		return -EINVAL;
	WRITE_ONCE(t->affinity, mask);
	return 0;
}

/* The thread pid names (0: the caller); -ESRCH if there is none. */
static long on_thread(uint64_t pid, struct thread_op *op)
{
	op->tid = pid ? (unsigned)pid : task_current()->id;
	if ((int)pid < 0)
		return -ESRCH;
	proc_for_each(thread_op_one, op);
	return op->found ? op->ret : -ESRCH;
}

SYSCALL_DEFINE3(sched_getaffinity, uint64_t, pid, uint64_t, len,
		uint64_t, mask_ptr)
{
	struct thread_op op = { .fn = read_mask };
	long err;

	/* The kernel's mask is 64 CPUs: a smaller buffer cannot hold it. */
	if (len < sizeof(uint64_t) || len & 7)
		return -EINVAL;
	err = on_thread(pid, &op);
	if (err)
		return err;
	if (copy_to_user(mask_ptr, &op.mask, sizeof(op.mask)))
		return -EFAULT;
	return sizeof(op.mask);
}

SYSCALL_DEFINE3(sched_setaffinity, uint64_t, pid, uint64_t, len,
		uint64_t, mask_ptr)
{
	struct task *self = task_current();
	struct thread_op op = { .fn = set_other_mask, .own_process_only = true };
	uint64_t mask;

	if (len < sizeof(mask))
		return -EINVAL;
	if (copy_from_user(&mask, mask_ptr, sizeof(mask)))
		return -EFAULT;
	if (pid && pid != self->id) {
		op.mask = mask;
		return on_thread(pid, &op);
	}
	mask &= process_cpus(self->aspace);
	if (!mask)
		return -EINVAL;
	WRITE_ONCE(self->affinity, mask);
	if (this_cpu_id() < 64 && (mask & (1ULL << this_cpu_id())))
		return 0;
	return task_migrate(self, __builtin_ctzll(mask));
}

SYSCALL_DEFINE3(getcpu, uint64_t, cpu_ptr, uint64_t, node_ptr, uint64_t, cache)
{
	uint32_t cpu = this_cpu_id(), node = 0;	/* one NUMA node */

	(void)cache;	/* unused since Linux 2.6.24 */
	if (cpu_ptr && copy_to_user(cpu_ptr, &cpu, sizeof(cpu)))
		return -EFAULT;
	if (node_ptr && copy_to_user(node_ptr, &node, sizeof(node)))
		return -EFAULT;
	return 0;
}

static long exists(uint64_t pid)
{
	struct thread_op op = { .fn = read_mask };

	return on_thread(pid, &op);
}

SYSCALL_DEFINE1(sched_getscheduler, uint64_t, pid)
{
	long err = exists(pid);

	return err ? err : SCHED_OTHER;
}

SYSCALL_DEFINE2(sched_getparam, uint64_t, pid, uint64_t, param)
{
	int32_t priority = 0;
	long err = exists(pid);

	if (err)
		return err;
	return copy_to_user(param, &priority, sizeof(priority));
}

/* Linux's ranges: 1-99 for the real-time policies, 0 for the others. */
static long priority_bound(uint64_t policy, long rt)
{
	switch (policy) {
	case SCHED_FIFO:
	case SCHED_RR:
		return rt;
	case SCHED_OTHER:
	case SCHED_BATCH:
	case SCHED_IDLE:
	case SCHED_DEADLINE:
		return 0;
	default:
		return -EINVAL;
	}
}

/* Kitten has only SCHED_OTHER: asking for it changes nothing. */
SYSCALL_DEFINE3(sched_setscheduler, uint64_t, pid, uint64_t, policy,
		uint64_t, param)
{
	int32_t priority;
	long err = exists(pid);

	if (err)
		return err;
	if (copy_from_user(&priority, param, sizeof(priority)))
		return -EFAULT;
	if (priority_bound(policy, 0) < 0)
		return -EINVAL;		/* no such policy */
	if (policy != SCHED_OTHER)
		return -EPERM;		/* a policy Kitten does not have */
	return priority ? -EINVAL : 0;
}

SYSCALL_DEFINE1(sched_get_priority_max, uint64_t, policy)
{
	return priority_bound(policy, 99);
}

SYSCALL_DEFINE1(sched_get_priority_min, uint64_t, policy)
{
	return priority_bound(policy, 1);
}
