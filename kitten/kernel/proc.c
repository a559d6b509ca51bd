// SPDX-License-Identifier: GPL-2.0
/*
 * The process table (proc.h). One list of every address space under one
 * lock: a job has few processes and a node runs few jobs, and the calls
 * that walk it (kill of another process, setpgid, getsid) are rare, so a
 * hash by pid would buy nothing. The lock ranks below a process's
 * threads_lock so that a walk can signal the threads of what it finds.
 */
#include <kitten/aspace.h>
#include <kitten/compiler.h>
#include <kitten/list.h>
#include <kitten/proc.h>
#include <kitten/procfs.h>
#include <kitten/ptimer.h>
#include <kitten/rlimit.h>
#include <kitten/spinlock.h>

static LIST_HEAD(processes);
static struct spinlock processes_lock =
	SPINLOCK_INIT("processes", LOCK_RANK_PROCESSES);

void proc_table_add(struct aspace *as)
{
	unsigned long flags = spin_lock_irqsave(&processes_lock);

	list_add_tail(&as->proc_node, &processes);
	spin_unlock_irqrestore(&processes_lock, flags);
	rlimit_inherit(as);	/* a new process has its creator's limits */
}

void proc_table_del(struct aspace *as)
{
	unsigned long flags = spin_lock_irqsave(&processes_lock);

	list_del(&as->proc_node);
	spin_unlock_irqrestore(&processes_lock, flags);
	ptimer_process_exit(as);	/* its timers end with it */
	procfs_process_exit(as->leader_id);	/* and its /proc directory */
}

int proc_for_each(int (*fn)(struct aspace *as, void *arg), void *arg)
{
	unsigned long flags = spin_lock_irqsave(&processes_lock);
	struct aspace *as;
	int ret = 0;

	list_for_each_entry(as, &processes, proc_node) {
		if (!READ_ONCE(as->nr_threads) || !as->leader_id)
			continue;
		ret = fn(as, arg);
		if (ret)
			break;
	}
	spin_unlock_irqrestore(&processes_lock, flags);
	return ret;
}

unsigned proc_pgid(const struct aspace *as)
{
	return as->pgid ? as->pgid : as->leader_id;
}

unsigned proc_sid(const struct aspace *as)
{
	return as->sid ? as->sid : as->leader_id;
}
