/* SPDX-License-Identifier: GPL-2.0 */
/* Signals: numbers, the per-process handler table, and delivery. */
#ifndef KITTEN_SIGNAL_H
#define KITTEN_SIGNAL_H

#include <kitten/types.h>
#include <kitten/waitqueue.h>

#define SIGILL		4
#define SIGABRT		6
#define SIGBUS		7
#define SIGFPE		8
#define SIGKILL		9
#define SIGSEGV		11
#define SIGPIPE		13
#define SIGCHLD		17
#define SIGCONT		18
#define SIGSTOP		19
#define SIGURG		23
#define SIGWINCH	28
#define NSIG		64

/* struct sigaction as the kernel side of Linux's ABI has it. */
struct sigaction_k {
	uint64_t handler;
	uint64_t flags;
	uint64_t restorer;
	uint64_t mask;
};

/* Who sent a pending signal: what its handler finds in siginfo. */
struct sig_sender {
	int32_t code;		/* SI_USER (kill) or SI_TKILL (tkill, tgkill) */
	uint32_t pid, uid;	/* the sender's process and real uid; SI_TIMER:
				 * the timer's id, and 0 */
	uint64_t value;		/* SI_TIMER: the sigevent's value */
	int32_t timer;		/* from a timer (ptimer.h): its id + 1, else 0 */
};
#define SI_USER		0
#define SI_TKILL	(-6)
#define CLD_EXITED	1	/* SIGCHLD's si_code: the child exited */
#define CLD_KILLED	2
#define SI_TIMER	(-2)	/* a POSIX timer (ptimer.h) */
#define SI_KERNEL	0x80	/* the kernel's own: setitimer, alarm */

struct trap_frame;

struct task;
/* Has t a signal it does not block, waiting for its return to user
 * mode? A sleeper checks after marking itself asleep, so a sender's
 * wake-up in between is not lost. */
bool signal_pending(struct task *t);

/* A call ended with -ERESTARTSYS: should it run again after the
 * handler of the signal delivered next (SA_RESTART), or fail -EINTR? */
bool signal_restart_syscall(void);

/* Block mask until the current call returns to user mode, and the
 * handlers it wakes for have run (ppoll, pselect6, epoll_pwait). */
void signal_set_temp_mask(uint64_t mask);

/*
 * signalfd: take the lowest signal in mask pending for the current
 * thread, without running its handler; its number (0 if none) and
 * sender. signal_wq is woken each time a signal becomes pending.
 */
int signal_dequeue(uint64_t mask, struct sig_sender *from);
extern struct waitqueue signal_wq;

/* Before returning to user mode: run handlers or default actions. */
void signal_deliver_pending(struct trap_frame *f);
/* Make sig pending for the calling thread, as the kernel's own (SIGPIPE). */
void signal_raise(int sig);
/*
 * The calling process is ending: SIGCHLD to its parent process if it
 * has a handler for it (the default action is to do nothing).
 */
void signal_parent(void);
/* SIGKILL every process of job (aspace->job_id), from the kernel. */
void signal_kill_job(unsigned job);
/*
 * Send sig from the kernel (a timer, in interrupt context) to process as,
 * to thread only if given (else to a thread that does not block it), as
 * kill() would: a default action that ends the process ends it. The
 * caller holds as->threads_lock and found as in the process table.
 */
struct aspace;
void signal_send_locked(struct aspace *as, struct task *only, int sig,
			const struct sig_sender *from);
/* si_code of a SIGSEGV from a page fault: no mapping, or no right. */
#define SEGV_MAPERR	1
#define SEGV_ACCERR	2

/*
 * A user-mode fault: deliver sig now, or end the process. code and addr
 * become the handler's si_code and si_addr.
 */
void signal_fault(struct trap_frame *f, int sig, int code, uint64_t addr,
		  const char *why);

#endif
