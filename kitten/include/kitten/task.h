/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tasks. Every context of execution is a task: kernel threads now, user
 * processes and threads later. Processes and threads differ only in
 * whether they share an address space; to the scheduler they are the same.
 *
 * A task runs on exactly one CPU, the one it was created on, until an
 * explicit task_migrate(). There is no load balancing: an HPC job places
 * one thread per CPU and wants it to stay there.
 */
#ifndef KITTEN_TASK_H
#define KITTEN_TASK_H

#include <kitten/list.h>
#include <kitten/signal.h>
#include <kitten/types.h>
#include <kitten/waitqueue.h>

#define TASK_NAME_MAX 16

enum task_state {
	TASK_RUNNABLE,		/* running, or on its CPU's run queue */
	TASK_SLEEPING,		/* waiting for a wake-up */
	TASK_EXITED,
};

struct task {
	uint64_t ksp;			/* saved stack pointer: switch.S, keep first */
	void *kstack;			/* base of the kernel stack */
	unsigned id;
	char name[TASK_NAME_MAX];
	enum task_state state;
	unsigned cpu;
	int migrate_to;			/* -1, or the CPU to move to on switch-out */
	bool detached;			/* freed at exit: nobody will join it */
	bool queued;			/* on its CPU's run queue */
	bool off_cpu;			/* exited and off its stack for good */
	struct list_head run_node;

	void (*fn)(void *arg);
	void *arg;
	int exit_status;
	struct waitqueue exit_wq;

	uint64_t runtime_ns;		/* CPU time consumed */
	uint64_t last_switch_ns;
	uint64_t stats_away;		/* TSC cycles switched out (stats.h) */

	/* User tasks only. */
	struct aspace *aspace;
	void *fpu;			/* FPU/SSE registers while switched out */
	uint64_t fs_base;		/* thread-local storage pointer */
	uint64_t clear_child_tid;	/* set_tid_address() */
	uint64_t robust_list;		/* set_robust_list() */
	uint64_t sig_blocked;		/* bit n-1: signal n is blocked */
	uint64_t sig_pending;
	struct sig_sender sig_from[NSIG];	/* of each pending signal */
	uint64_t sig_saved_mask;	/* to restore after ppoll's mask */
	bool sig_restore_mask;		/* sig_saved_mask is set */
	bool leader;			/* a process's first task, not a thread */
	bool kill_pending;		/* exit at the next return to user mode */
	struct list_head thread_node;	/* on aspace->threads */
	struct fdtable *files;
	int term_signal;		/* killed by this signal, or 0 */

	/*
	 * Family. A process's children belong to the process: they hang on
	 * its leader (the task that lives longest, see user_task_exit), so a
	 * child forked by a thread outlives the thread, and any thread may
	 * wait for it. Kernel threads are their own leaders.
	 */
	struct task *group_leader;	/* the process's first task, or NULL */
	struct task *parent;		/* a leader, or the kernel thread */
	struct list_head children;
	struct list_head child_node;
	struct waitqueue child_wq;	/* a child of this task exited */
	uint64_t proc_runtime_ns;	/* a leader's: all its threads' time */
	unsigned exit_pgid;		/* a leader's process group at exit */

	uint64_t affinity;		/* sched_setaffinity's CPUs; 0: the process's */
};

/* The task running on this CPU. */
struct task *task_current(void);

/*
 * Create a kernel thread on cpu, runnable at once. It runs fn(arg) and
 * exits with status 0 when fn returns. Returns NULL when out of memory or
 * the CPU is not online.
 */
struct task *kthread_create(void (*fn)(void *arg), void *arg,
			    const char *name, unsigned cpu);
/*
 * Create a user task in aspace on cpu, starting at entry with stack
 * pointer stack and arg0/arg1 in rdi/rsi. It holds a reference to the
 * address space and shares files (NULL: none open).
 */
struct task *task_create_user(const char *name, struct aspace *as,
			      unsigned cpu, uint64_t entry, uint64_t stack,
			      uint64_t arg0, uint64_t arg1,
			      struct fdtable *files);

/* What a parent learns of a child that ended. */
struct child_exit {
	unsigned id;		/* its pid */
	int status;		/* exit status (128 + signal if killed) */
	int signal;		/* the signal that killed it, or 0 */
	uint64_t runtime_ns;	/* CPU time of all its threads */
};

/* Which children a wait is for (Linux's pid argument of wait4). */
struct child_match {
	unsigned id;		/* this pid, or any when 0 */
	unsigned pgid;		/* or any in this process group, when not 0 */
};

/*
 * Wait for a child of the current process that matches to end, and reap
 * it (unless keep: it stays waitable) into *out. Returns its id; -ECHILD
 * when there is no such child; with nohang, 0 when none has ended;
 * -EINTR when the caller is being killed.
 */
int task_wait_child(const struct child_match *m, struct child_exit *out,
		    bool nohang, bool keep);

/* fork(): a new process in as (a copy made by the caller), sharing
 * nothing but the copied file table files. Returns the child, not yet
 * started: the caller finishes it and calls sched_enqueue_new(). */
struct task *task_fork(struct aspace *as, struct fdtable *files);
/* Errors in task pointers (process_fork): the kernel's ERR_PTR idiom. */
#define ERR_TASK(err)		((struct task *)(intptr_t)(err))
#define IS_ERR_TASK(t)		((uintptr_t)(t) >= (uintptr_t)-4095)
#define PTR_ERR_TASK(t)		((long)(intptr_t)(t))

/* fork() of the current process, memory copied; the child (not yet
 * started, as task_fork) or ERR_TASK. */
struct task *process_fork(void);

/* execve(): the current (only) task moves to address space as. */
void task_switch_aspace(struct aspace *as);

/*
 * A new thread of the current process (clone with CLONE_VM): it starts
 * where the caller's system call returns, with rax 0, on stack, with TLS
 * base tls. It runs on the next CPU of the process's CPU set. It is not
 * yet started: the caller finishes it (tid words, clear_child_tid) and
 * then calls sched_enqueue_new(), so the thread cannot run, exit and be
 * freed while it is still being set up.
 */
struct task *task_clone_thread(uint64_t stack, uint64_t tls);

/* End every other thread of the current process, then the caller. */
__attribute__((noreturn)) void task_exit_group(int status);

/* Before returning to user mode: a pending group exit, then signals. */
struct trap_frame;
void task_return_to_user(struct trap_frame *f);
/* The registers a user task left user mode with (top of its stack). */
struct trap_frame *task_user_frame(struct task *t);

/* End the current user task because of a fault: "killed by signal". */
__attribute__((noreturn)) void task_kill_current(int signal, const char *why);

/* Give a kernel thread FPU state of its own, saved and restored at each
 * switch as a user task's is (it runs guest code, which uses the FPU). */
int task_enable_fpu(struct task *t);

/* Wait for a kernel thread to exit; returns its status and frees it. */
int kthread_join(struct task *t);
/* Let t be freed at its exit instead of by kthread_join(). */
void kthread_detach(struct task *t);

__attribute__((noreturn)) void task_exit(int status);

#endif
