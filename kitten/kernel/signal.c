// SPDX-License-Identifier: GPL-2.0
/*
 * Signals, as far as they go today: kill() and tgkill() with each
 * signal's default action, honouring the blocked mask (a blocked signal
 * waits until it is unblocked). That is what abort() and raise() need.
 * User handlers (rt_sigaction) are not implemented yet: the call reports
 * -ENOSYS rather than accept a handler it would never run.
 */
#define pr_fmt(fmt) "signal: " fmt

#include <kitten/errno.h>
#include <kitten/syscall.h>
#include <kitten/task.h>

#define SIGKILL		9
#define SIGSTOP		19
#define SIGCHLD		17
#define SIGCONT		18
#define SIGURG		23
#define SIGWINCH	28
#define NSIG		64

#define SIG_BLOCK	0
#define SIG_UNBLOCK	1
#define SIG_SETMASK	2

static uint64_t bit(int sig)
{
	return 1ULL << (sig - 1);
}

/* Signals whose default action is to do nothing. */
static bool ignored_by_default(int sig)
{
	return sig == SIGCHLD || sig == SIGCONT || sig == SIGURG || sig == SIGWINCH;
}

/* Act on what is pending and not blocked: today, the default action. */
static void deliver(struct task *t)
{
	uint64_t ready = t->sig_pending & ~t->sig_blocked;

	for (int sig = 1; sig <= NSIG; sig++) {
		if (!(ready & bit(sig)))
			continue;
		t->sig_pending &= ~bit(sig);
		if (!ignored_by_default(sig))
			task_kill_current(sig, "default action of the signal");
	}
}

static long send_to_self(int sig)
{
	struct task *t = task_current();

	if (sig < 0 || sig > NSIG)
		return -EINVAL;
	if (sig == 0)
		return 0;	/* probe: the task exists */
	t->sig_pending |= bit(sig);
	deliver(t);
	return 0;
}

/* Other processes cannot be signalled yet: only the caller itself. */
long sys_kill(uint64_t pid, uint64_t sig, uint64_t a2, uint64_t a3,
	      uint64_t a4, uint64_t a5)
{
	(void)a2, (void)a3, (void)a4, (void)a5;
	if ((int64_t)pid != task_current()->id && pid != 0)
		return -ESRCH;
	return send_to_self(sig);
}

long sys_tgkill(uint64_t tgid, uint64_t tid, uint64_t sig, uint64_t a3,
		uint64_t a4, uint64_t a5)
{
	(void)a3, (void)a4, (void)a5;
	if (tid != task_current()->id || tgid != task_current()->id)
		return -ESRCH;
	return send_to_self(sig);
}

long sys_tkill(uint64_t tid, uint64_t sig, uint64_t a2, uint64_t a3,
	       uint64_t a4, uint64_t a5)
{
	(void)a2, (void)a3, (void)a4, (void)a5;
	if (tid != task_current()->id)
		return -ESRCH;
	return send_to_self(sig);
}

long sys_rt_sigprocmask(uint64_t how, uint64_t set_ptr, uint64_t old_ptr,
			uint64_t setsize, uint64_t a4, uint64_t a5)
{
	struct task *t = task_current();
	uint64_t set;

	(void)a4, (void)a5;
	if (setsize != sizeof(uint64_t))
		return -EINVAL;
	if (old_ptr && copy_to_user(old_ptr, &t->sig_blocked, sizeof(uint64_t)))
		return -EFAULT;
	if (!set_ptr)
		return 0;
	if (copy_from_user(&set, set_ptr, sizeof(set)))
		return -EFAULT;
	set &= ~(bit(SIGKILL) | bit(SIGSTOP));	/* these cannot be blocked */
	switch (how) {
	case SIG_BLOCK:
		t->sig_blocked |= set;
		break;
	case SIG_UNBLOCK:
		t->sig_blocked &= ~set;
		break;
	case SIG_SETMASK:
		t->sig_blocked = set;
		break;
	default:
		return -EINVAL;
	}
	deliver(t);
	return 0;
}
