// SPDX-License-Identifier: GPL-2.0
/*
 * Signals. A signal sent to a task becomes pending; at the task's next
 * return to user mode each pending, unblocked signal either runs its
 * handler or takes its default action (end the process with 128 + the
 * signal, or nothing). A fault in user mode is a signal delivered at
 * once. Handlers are per process, kept with the address space.
 *
 * A handler runs on a frame pushed on the user stack, laid out as Linux
 * lays it out (struct rt_sigframe: return address, ucontext, siginfo,
 * then the FPU state), so the C library's restorer calls rt_sigreturn
 * and siglongjmp() works from a handler.
 *
 * kill(), tkill() and tgkill() reach other processes through the process
 * table (proc.h), with Linux's permission rule (cred_may_signal). A
 * signal whose action in the target is the default one that ends the
 * process ends it at once, all its threads, sleeping ones included, as
 * Linux's fatal-signal shortcut does; any other becomes pending for one
 * thread that does not block it and is handled at that thread's next
 * return to user mode (it ends a futex wait with -EINTR, no other
 * blocking call). Its siginfo names the sender: glibc's set*id
 * broadcast to a process's threads checks si_code and si_pid. The init
 * task is never signalled by a job.
 */
#define pr_fmt(fmt) "signal: " fmt

#include <arch/trap.h>
#include <arch/user.h>
#include <kitten/aspace.h>
#include <kitten/cred.h>
#include <kitten/errno.h>
#include <kitten/printk.h>
#include <kitten/proc.h>
#include <kitten/ptimer.h>
#include <kitten/sched.h>
#include <kitten/signal.h>
#include <kitten/string.h>
#include <kitten/syscall.h>
#include <kitten/task.h>

#define SIG_DFL		0
#define SIG_IGN		1
#define SA_SIGINFO	0x00000004
#define SA_RESTORER	0x04000000
#define SA_RESTART	0x10000000
#define SA_NODEFER	0x40000000
#define SA_RESETHAND	0x80000000

#define SIG_BLOCK	0
#define SIG_UNBLOCK	1
#define SIG_SETMASK	2

#define RED_ZONE	128
#define FXSAVE_SIZE	512

static uint64_t bit(int sig)
{
	return 1ULL << (sig - 1);
}

/* Signals whose default action is to do nothing. */
static bool ignored_by_default(int sig)
{
	return sig == SIGCHLD || sig == SIGCONT || sig == SIGURG || sig == SIGWINCH;
}

/* Linux's struct sigcontext (x86_64), the machine part of a ucontext. */
struct sigcontext {
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, eflags;
	uint16_t cs, gs, fs, ss;
	uint64_t err, trapno, oldmask, cr2;
	uint64_t fpstate;		/* user address of the FXSAVE image */
	uint64_t reserved[8];
};

struct ucontext {
	uint64_t flags;
	uint64_t link;
	uint64_t stack[3];		/* stack_t: sp, flags, size */
	struct sigcontext mc;
	uint64_t sigmask;
};

struct siginfo {
	int32_t signo, errno_, code, pad;
	uint64_t addr;			/* faulting address for SIGSEGV/SIGBUS */
	uint8_t rest[128 - 24];
};

struct rt_sigframe {
	uint64_t restorer;		/* where the handler returns to */
	struct ucontext uc;
	struct siginfo info;
};

/*
 * Push a handler frame on the user stack and point the registers at it;
 * info is the handler's siginfo, fault_addr its context's cr2.
 */
static int setup_frame(struct task *t, struct trap_frame *f, int sig,
		       const struct sigaction_k *act,
		       const struct siginfo *info, uint64_t fault_addr)
{
	struct rt_sigframe frame;
	uint64_t sp = (f->rsp - RED_ZONE - FXSAVE_SIZE) & ~63ULL;
	uint64_t fpstate = sp;

	sp = ((sp - sizeof(frame)) & ~15ULL) - 8;	/* as after a call */
	memset(&frame, 0, sizeof(frame));
	frame.restorer = act->restorer;
	frame.uc.mc = (struct sigcontext){
		.r8 = f->r8, .r9 = f->r9, .r10 = f->r10, .r11 = f->r11,
		.r12 = f->r12, .r13 = f->r13, .r14 = f->r14, .r15 = f->r15,
		.rdi = f->rdi, .rsi = f->rsi, .rbp = f->rbp, .rbx = f->rbx,
		.rdx = f->rdx, .rax = f->rax, .rcx = f->rcx, .rsp = f->rsp,
		.rip = f->rip, .eflags = f->rflags, .cs = f->cs, .ss = f->ss,
		.err = f->error, .trapno = f->vector, .cr2 = fault_addr,
		.oldmask = t->sig_blocked, .fpstate = fpstate,
	};
	frame.uc.sigmask = t->sig_blocked;
	if (t->sig_restore_mask) {	/* the handler returns to the old mask */
		frame.uc.sigmask = frame.uc.mc.oldmask = t->sig_saved_mask;
		t->sig_restore_mask = false;
	}
	frame.info = *info;

	fpu_save(t->fpu);	/* the FXSAVE part of the task's state */
	if (copy_to_user(fpstate, t->fpu, FXSAVE_SIZE) ||
	    copy_to_user(sp, &frame, sizeof(frame)))
		return -EFAULT;

	f->rsp = sp;
	f->rip = act->handler;
	f->rdi = sig;
	f->rsi = sp + __builtin_offsetof(struct rt_sigframe, info);
	f->rdx = sp + __builtin_offsetof(struct rt_sigframe, uc);
	f->rax = 0;
	f->rflags &= ~(1UL << 8 | 1UL << 10);	/* no trap flag, DF clear */
	t->sig_blocked |= act->mask | (act->flags & SA_NODEFER ? 0 : bit(sig));
	return 0;
}

/*
 * Deliver info->signo to the current task, whose user registers are in
 * f: run its handler, or take the default action.
 */
static void deliver_one(struct trap_frame *f, const struct siginfo *info,
			uint64_t fault_addr, const char *why)
{
	struct task *t = task_current();
	int sig = info->signo;
	struct sigaction_k act = t->aspace->sigactions[sig - 1];

	if (act.handler == SIG_IGN || (act.handler == SIG_DFL &&
				       ignored_by_default(sig)))
		return;
	if (act.handler == SIG_DFL)
		task_kill_current(sig, why);
	if (act.flags & SA_RESETHAND)
		t->aspace->sigactions[sig - 1].handler = SIG_DFL;
	if (setup_frame(t, f, sig, &act, info, fault_addr))
		task_kill_current(SIGSEGV, "no room on the stack for a signal frame");
}

void signal_deliver_pending(struct trap_frame *f)
{
	struct task *t = task_current();
	uint64_t ready;

	while ((ready = t->sig_pending & ~t->sig_blocked)) {
		int sig = __builtin_ctzll(ready) + 1;
		const struct sig_sender *from = &t->sig_from[sig - 1];
		/* si_pid and si_uid lie where a fault's si_addr does. */
		struct siginfo info = {
			.signo = sig, .code = from->code,
			.addr = from->pid | (uint64_t)from->uid << 32,
		};

		__atomic_fetch_and(&t->sig_pending, ~bit(sig), __ATOMIC_ACQUIRE);
		/* A timer's: si_timerid, si_overrun (counted until now), si_value. */
		if (from->timer) {
			uint32_t overrun = ptimer_signal_taken(t->aspace, from->timer - 1);

			if (from->code == SI_TIMER) {
				info.addr = from->pid | (uint64_t)overrun << 32;
				memcpy(info.rest, &from->value, sizeof(from->value));
			}
		}
		deliver_one(f, &info, 0, "default action of the signal");
	}
	if (t->sig_restore_mask) {	/* no handler ran: back to the old mask */
		t->sig_blocked = t->sig_saved_mask;
		t->sig_restore_mask = false;
	}
}

void signal_set_temp_mask(uint64_t mask)
{
	struct task *t = task_current();

	t->sig_saved_mask = t->sig_blocked;
	t->sig_restore_mask = true;
	t->sig_blocked = mask & ~(bit(SIGKILL) | bit(SIGSTOP));
}

bool signal_pending(struct task *t)
{
	/* Our sleeping state is stored before a sender's bit is read. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return __atomic_load_n(&t->sig_pending, __ATOMIC_ACQUIRE) &
	       ~t->sig_blocked;
}

bool signal_restart_syscall(void)
{
	struct task *t = task_current();
	uint64_t ready = READ_ONCE(t->sig_pending) & ~t->sig_blocked;
	const struct sigaction_k *act;
	int sig;

	if (!ready || t->kill_pending)
		return false;
	sig = __builtin_ctzll(ready) + 1;	/* the one delivered first */
	act = &t->aspace->sigactions[sig - 1];
	/* No handler runs for an ignored one: the call just goes on. */
	if (act->handler == SIG_IGN || act->handler == SIG_DFL)
		return true;
	return act->flags & SA_RESTART;
}

void signal_fault(struct trap_frame *f, int sig, int code, uint64_t addr,
		  const char *why)
{
	struct task *t = task_current();

	/* A fault cannot wait: blocked or handled by nobody, it is fatal. */
	if ((t->sig_blocked & bit(sig)) ||
	    t->aspace->sigactions[sig - 1].handler == SIG_DFL ||
	    t->aspace->sigactions[sig - 1].handler == SIG_IGN)
		task_kill_current(sig, why);
	deliver_one(f, &(struct siginfo){ .signo = sig, .code = code, .addr = addr },
		    addr, why);
}

static bool valid_signal(uint64_t sig)
{
	return sig <= NSIG;
}

/* Woken whenever a signal becomes pending: signalfd's readers and
 * pollers wait here. It is woken under a threads lock, so it ranks above. */
struct waitqueue signal_wq = {
	.lock = SPINLOCK_INIT("signal waiters", LOCK_RANK_THREADS + 1),
	.waiters = LIST_HEAD_INIT(signal_wq.waiters),
};

/* The sender's record first, then the pending bit that publishes it. */
static void make_pending(struct task *t, int sig, const struct sig_sender *from)
{
	t->sig_from[sig - 1] = *from;
	__atomic_fetch_or(&t->sig_pending, bit(sig), __ATOMIC_RELEASE);
	/* A waiter queues itself, then checks the bits: one of us sees the other. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (!list_empty(&signal_wq.waiters))
		waitqueue_wake_all(&signal_wq);
}

int signal_dequeue(uint64_t mask, struct sig_sender *from)
{
	struct task *t = task_current();
	uint64_t ready = __atomic_load_n(&t->sig_pending, __ATOMIC_ACQUIRE) & mask;
	int sig;

	if (!ready)
		return 0;
	sig = __builtin_ctzll(ready) + 1;
	*from = t->sig_from[sig - 1];
	if (!(__atomic_fetch_and(&t->sig_pending, ~bit(sig), __ATOMIC_ACQUIRE) & bit(sig)))
		return 0;	/* taken meanwhile (delivery on the way out) */
	return sig;
}

/* What the caller's signals say about it: pid and real uid. */
static struct sig_sender sender(int32_t code)
{
	struct aspace *as = task_current()->aspace;

	return (struct sig_sender){ .code = code, .pid = as->leader_id,
				    .uid = READ_ONCE(as->cred.uid) };
}

static void send_to_self(int sig, int32_t code)
{
	struct sig_sender from = sender(code);

	if (sig)		/* 0 only asks whether the target exists */
		make_pending(task_current(), sig, &from);
}

void signal_raise(int sig)
{
	send_to_self(sig, SI_USER);
}

/* Would sig, taken by t of process as, end the process? */
static bool is_fatal(struct aspace *as, struct task *t, int sig)
{
	return sig == SIGKILL ||
	       (as->sigactions[sig - 1].handler == SIG_DFL &&
		!ignored_by_default(sig) && !(t->sig_blocked & bit(sig)));
}

/*
 * End process as because of sig sent by another process: every thread
 * leaves at its next return to user mode (sleepers are woken to do so),
 * and its parent sees it killed by sig. as->threads_lock is held.
 */
static void kill_process(struct aspace *as, int sig, const struct sig_sender *from)
{
	struct task *t;

	if (as->group_exit >= 0)
		return;		/* already on its way out */
	as->group_exit = 128 + sig;
	if (from->code == SI_TIMER || from->code == SI_KERNEL)
		pr_info("process %u (%s) killed by signal %d from the kernel\n",
			as->leader_id, as->exe, sig);
	else
		pr_info("process %u (%s) killed by signal %d from process %u\n",
			as->leader_id, as->exe, sig, from->pid);
	list_for_each_entry(t, &as->threads, thread_node) {
		if (t->leader)
			t->term_signal = sig;
		t->kill_pending = true;
		task_kick(t);
	}
}

/*
 * Send sig to process as (another than the caller's), to thread only if
 * given: a thread that does not block it, the first one if all do.
 * as->threads_lock is held.
 */
static void send_to_process(struct aspace *as, int sig, struct task *only,
			    const struct sig_sender *from)
{
	struct task *t, *to = only;

	if (!to)
		list_for_each_entry(t, &as->threads, thread_node)
			if (!to || ((to->sig_blocked & bit(sig)) &&
				    !(t->sig_blocked & bit(sig))))
				to = t;
	if (!to)
		return;
	if (is_fatal(as, to, sig)) {
		kill_process(as, sig, from);
		return;
	}
	make_pending(to, sig, from);
	task_kick(to);
}

static int kill_job_member(struct aspace *as, void *arg)
{
	static const struct sig_sender kernel = { .code = SI_KERNEL };
	unsigned long flags;

	if (as->job_id != *(unsigned *)arg)
		return 0;
	flags = spin_lock_irqsave(&as->threads_lock);
	kill_process(as, SIGKILL, &kernel);
	spin_unlock_irqrestore(&as->threads_lock, flags);
	return 0;
}

void signal_kill_job(unsigned job)
{
	proc_for_each(kill_job_member, &job);
}

void signal_send_locked(struct aspace *as, struct task *only, int sig,
			const struct sig_sender *from)
{
	send_to_process(as, sig, only, from);
}

enum kill_scope { ONE_PROCESS, ONE_GROUP, ALL_PROCESSES, ONE_THREAD };

struct kill_req {
	enum kill_scope scope;
	unsigned id;		/* pid, pgid, or tid */
	unsigned tgid;		/* ONE_THREAD: its process, or 0 for any */
	int sig;
	struct sig_sender from;	/* for the receiver's siginfo */
	struct aspace *self;
	struct cred sender;
	unsigned found, sent;	/* processes matched, and signalled */
};

/* The thread of as with id tid, or NULL; threads_lock held. */
static struct task *thread_of(struct aspace *as, unsigned tid)
{
	struct task *t;

	list_for_each_entry(t, &as->threads, thread_node)
		if (t->id == tid)
			return t;
	return NULL;
}

static int kill_one(struct aspace *as, void *arg)
{
	struct kill_req *k = arg;
	struct task *only = NULL;
	unsigned long flags;
	bool match, single = k->scope == ONE_PROCESS || k->scope == ONE_THREAD;

	switch (k->scope) {
	case ONE_PROCESS:
		match = as->leader_id == k->id;
		break;
	case ONE_GROUP:
		match = proc_pgid(as) == k->id;
		break;
	case ALL_PROCESSES:	/* as Linux's kill(-1): not init, not self */
		match = as != k->self && as->owner != KITTEN_INIT_OWNER;
		break;
	default:
		match = !k->tgid || as->leader_id == k->tgid;
		break;
	}
	if (!match)
		return 0;
	flags = spin_lock_irqsave(&as->threads_lock);
	if (k->scope == ONE_THREAD) {
		only = thread_of(as, k->id);
		if (!only) {
			spin_unlock_irqrestore(&as->threads_lock, flags);
			return 0;
		}
	}
	k->found++;
	if (as == k->self) {
		if (k->sig)
			make_pending(only ? only : task_current(), k->sig,
				     &k->from);
		if (only && only != task_current())
			task_kick(only);
		k->sent++;
	} else if (as->owner != KITTEN_INIT_OWNER &&
		   cred_may_signal(&k->sender, &as->cred)) {
		if (k->sig)
			send_to_process(as, k->sig, only, &k->from);
		k->sent++;
	}
	spin_unlock_irqrestore(&as->threads_lock, flags);
	return single;	/* a pid or tid names one: stop the walk */
}

/* Linux's answer: 0 if any was signalled, -EPERM if some were found but
 * none might be, -ESRCH if none was found. */
static long do_kill(struct kill_req *k)
{
	k->self = task_current()->aspace;
	cred_get(k->self, &k->sender);
	proc_for_each(kill_one, k);
	if (k->sent)
		return 0;
	if (!k->found)
		return -ESRCH;
	cred_check(KITTEN_CAP_KILL, "signalling another user's process or the init task");
	return -EPERM;
}

/* SIGCHLD from an ending process to its parent (signal_parent). */
struct child_note {
	unsigned parent;		/* its pid */
	struct sig_sender from;		/* the child, for siginfo */
};

/* Does a thread of as block sig? as->threads_lock held. */
static bool blocked_by_a_thread(struct aspace *as, int sig)
{
	struct task *t;

	list_for_each_entry(t, &as->threads, thread_node)
		if (t->sig_blocked & bit(sig))
			return true;
	return false;
}

static int sigchld_one(struct aspace *as, void *arg)
{
	struct child_note *n = arg;
	unsigned long flags;

	if (as->leader_id != n->parent)
		return 0;
	/* Its default action is to do nothing: only a handler wants it, or
	 * a thread that blocks it (to read it from a signalfd). */
	flags = spin_lock_irqsave(&as->threads_lock);
	if (as->sigactions[SIGCHLD - 1].handler != SIG_IGN &&
	    (as->sigactions[SIGCHLD - 1].handler != SIG_DFL ||
	     blocked_by_a_thread(as, SIGCHLD)))
		send_to_process(as, SIGCHLD, NULL, &n->from);
	spin_unlock_irqrestore(&as->threads_lock, flags);
	return 1;
}

void signal_parent(void)
{
	struct aspace *as = task_current()->aspace;
	struct child_note n = {
		.parent = as->parent_pid,
		.from = { CLD_EXITED, as->leader_id, READ_ONCE(as->cred.uid) },
	};

	/* Found by pid in the table, where a process stays valid. */
	if (n.parent)
		proc_for_each(sigchld_one, &n);
}

/* Sleep until a signal comes; its handler has run when this returns. */
SYSCALL_DEFINE0(pause)
{
	struct task *t = task_current();
	struct waitqueue nobody;	/* a sender wakes t itself (task_kick) */

	waitqueue_init(&nobody);
	wait_event(nobody, signal_pending(t) || READ_ONCE(t->kill_pending));
	return -EINTR;
}

SYSCALL_DEFINE2(kill, uint64_t, pid, uint64_t, sig)
{
	struct task *t = task_current();
	int p = (int)pid;
	struct kill_req k = { .sig = sig, .from = sender(SI_USER) };

	if (!valid_signal(sig))
		return -EINVAL;
	if (p > 0 && (unsigned)p == t->aspace->leader_id) {
		send_to_self(sig, SI_USER);	/* the caller: no walk */
		return 0;
	}
	if (p > 0)
		k.scope = ONE_PROCESS, k.id = p;
	else if (p == 0)
		k.scope = ONE_GROUP, k.id = proc_pgid(t->aspace);
	else if (p == -1)
		k.scope = ALL_PROCESSES;
	else if (p == INT32_MIN)
		return -ESRCH;		/* -INT_MIN names no group */
	else
		k.scope = ONE_GROUP, k.id = -p;
	return do_kill(&k);
}

static long kill_thread(uint64_t tgid, uint64_t tid, uint64_t sig)
{
	struct kill_req k = { .scope = ONE_THREAD, .id = tid, .tgid = tgid,
			      .sig = sig, .from = sender(SI_TKILL) };

	if ((int)tid <= 0 || (int)tgid < 0 || !valid_signal(sig))
		return -EINVAL;
	if (tid == task_current()->id &&
	    (!tgid || tgid == task_current()->aspace->leader_id)) {
		send_to_self(sig, SI_TKILL);
		return 0;
	}
	return do_kill(&k);
}

SYSCALL_DEFINE2(tkill, uint64_t, tid, uint64_t, sig)
{
	return kill_thread(0, tid, sig);
}

SYSCALL_DEFINE3(tgkill, uint64_t, tgid, uint64_t, tid, uint64_t, sig)
{
	if ((int)tgid <= 0)
		return -EINVAL;
	return kill_thread(tgid, tid, sig);
}

SYSCALL_DEFINE4(rt_sigprocmask, uint64_t, how, uint64_t, set_ptr,
		uint64_t, old_ptr, uint64_t, setsize)
{
	struct task *t = task_current();
	uint64_t set;

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
	return 0;
}

SYSCALL_DEFINE4(rt_sigaction, uint64_t, sig, uint64_t, act_ptr,
		uint64_t, old_ptr, uint64_t, setsize)
{
	struct aspace *as = task_current()->aspace;
	struct sigaction_k act;

	if (sig < 1 || sig > NSIG || setsize != sizeof(uint64_t))
		return -EINVAL;
	if (old_ptr && copy_to_user(old_ptr, &as->sigactions[sig - 1],
				    sizeof(act)))
		return -EFAULT;
	if (!act_ptr)
		return 0;
	if (sig == SIGKILL || sig == SIGSTOP)
		return -EINVAL;
	if (copy_from_user(&act, act_ptr, sizeof(act)))
		return -EFAULT;
	/* A handler needs the library's restorer to get back (SA_RESTORER). */
	if (act.handler > SIG_IGN && !(act.flags & SA_RESTORER))
		return -EINVAL;
	act.mask &= ~(bit(SIGKILL) | bit(SIGSTOP));
	as->sigactions[sig - 1] = act;
	return 0;
}

SYSCALL_DEFINE0(rt_sigreturn)
{
	struct task *t = task_current();
	struct trap_frame *f = task_user_frame(t);
	struct ucontext uc;
	uint64_t at = f->rsp - 8;	/* the restorer's ret popped restorer */

	if (copy_from_user(&uc, at + __builtin_offsetof(struct rt_sigframe, uc),
			   sizeof(uc)))
		task_kill_current(SIGSEGV, "rt_sigreturn with a bad frame");
	/* Linux ends such a process with SIGSEGV too, when IRETQ faults. */
	if (!is_user_address(uc.mc.rip))
		task_kill_current(SIGSEGV, "rt_sigreturn to a non-canonical or kernel RIP");
	f->r8 = uc.mc.r8, f->r9 = uc.mc.r9, f->r10 = uc.mc.r10;
	f->r11 = uc.mc.r11, f->r12 = uc.mc.r12, f->r13 = uc.mc.r13;
	f->r14 = uc.mc.r14, f->r15 = uc.mc.r15, f->rdi = uc.mc.rdi;
	f->rsi = uc.mc.rsi, f->rbp = uc.mc.rbp, f->rbx = uc.mc.rbx;
	f->rdx = uc.mc.rdx, f->rcx = uc.mc.rcx, f->rsp = uc.mc.rsp;
	f->rip = uc.mc.rip;
	/* Only the user-settable flags: never IOPL, never interrupts off. */
	f->rflags = (uc.mc.eflags & 0xdd5) | (f->rflags & ~0xdd5UL) | (1UL << 9);
	t->sig_blocked = uc.sigmask & ~(bit(SIGKILL) | bit(SIGSTOP));
	if (uc.mc.fpstate && !copy_from_user(t->fpu, uc.mc.fpstate, FXSAVE_SIZE)) {
		uint32_t mxcsr;

		memcpy(&mxcsr, (uint8_t *)t->fpu + 24, sizeof(mxcsr));
		if (!fpu_mxcsr_valid(mxcsr))
			task_kill_current(SIGSEGV, "rt_sigreturn with reserved MXCSR bits");
		fpu_restore(t->fpu);
	}
	return uc.mc.rax;	/* becomes rax again on the way out */
}
