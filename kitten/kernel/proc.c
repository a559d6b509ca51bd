// SPDX-License-Identifier: GPL-2.0
/*
 * The process table (proc.h). One list of every address space under one
 * lock: a job has few processes and a node runs few jobs, and the calls
 * that walk it (kill of another process, setpgid, getsid) are rare, so a
 * hash by pid would buy nothing. The lock ranks below a process's
 * threads_lock so that a walk can signal the threads of what it finds.
 *
 * An address space stays in the table until its memory is freed, so
 * that the end of a job (proc_end_job) can wait for exactly that. While
 * it is being freed it has no threads, and proc_for_each skips it.
 */
#include <kitten/aspace.h>
#include <kitten/compiler.h>
#include <kitten/list.h>
#include <kitten/proc.h>
#include <kitten/procfs.h>
#include <kitten/ptimer.h>
#include <kitten/rlimit.h>
#include <kitten/signal.h>
#include <kitten/spinlock.h>
#include <kitten/task.h>
#include <kitten/waitqueue.h>

static LIST_HEAD(processes);
static struct spinlock processes_lock =
	SPINLOCK_INIT("processes", LOCK_RANK_PROCESSES);
/* An address space left the table. */
static struct waitqueue gone_wq = WAITQUEUE_INIT(gone_wq);

void proc_table_add(struct aspace *as)
{
	unsigned long flags = spin_lock_irqsave(&processes_lock);

	list_add_tail(&as->proc_node, &processes);
	spin_unlock_irqrestore(&processes_lock, flags);
	rlimit_inherit(as);	/* a new process has its creator's limits */
}

void proc_table_del(struct aspace *as)
{
	unsigned long flags;

	/* What else of it is kept goes first: a job's end waits for all. */
	ptimer_process_exit(as);	/* its timers end with it */
	procfs_process_exit(as->leader_id);	/* and its /proc directory */
	flags = spin_lock_irqsave(&processes_lock);
	list_del(&as->proc_node);
	spin_unlock_irqrestore(&processes_lock, flags);
	waitqueue_wake_all(&gone_wq);
}

/*
 * Whether anything of job is left: a process with threads, or one whose
 * memory is being freed (no references). An address space that only a
 * handle holds (the init task's, for a job's first process) is done.
 */
static bool job_left(unsigned job)
{
	unsigned long flags = spin_lock_irqsave(&processes_lock);
	struct aspace *as;
	bool left = false;

	list_for_each_entry(as, &processes, proc_node)
		if (as->job_id == job &&
		    (READ_ONCE(as->nr_threads) || !READ_ONCE(as->refs)))
			left = true;
	spin_unlock_irqrestore(&processes_lock, flags);
	return left;
}

/*
 * Kill what is left of job, then tell whether anything is. Killing again
 * at each look catches a process forked while the last look was taken:
 * its parent was still there then, and its leaving wakes us for one
 * more look.
 */
static bool job_gone(unsigned job)
{
	signal_kill_job(job);
	return !job_left(job);
}

void proc_end_job(unsigned job)
{
	if (job)
		wait_event(gone_wq, job_gone(job));
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

struct find {
	unsigned pid;
	struct aspace *as;
};

static int hold(struct aspace *as, void *arg)
{
	struct find *f = arg;

	if (as->leader_id != f->pid || !aspace_tryget(as))
		return 0;
	f->as = as;
	return 1;
}

struct aspace *proc_get(unsigned pid)
{
	struct find f = { pid, NULL };

	proc_for_each(hold, &f);
	return f.as;
}

unsigned proc_pgid(const struct aspace *as)
{
	return as->pgid ? as->pgid : as->leader_id;
}

unsigned proc_sid(const struct aspace *as)
{
	return as->sid ? as->sid : as->leader_id;
}
