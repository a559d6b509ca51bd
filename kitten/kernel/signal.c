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
 * and siglongjmp() works from a handler. Only the caller itself can be
 * signalled so far (no process table yet).
 */
#define pr_fmt(fmt) "signal: " fmt

#include <arch/trap.h>
#include <arch/user.h>
#include <kitten/aspace.h>
#include <kitten/errno.h>
#include <kitten/signal.h>
#include <kitten/string.h>
#include <kitten/syscall.h>
#include <kitten/task.h>

#define SIG_DFL		0
#define SIG_IGN		1
#define SA_SIGINFO	0x00000004
#define SA_RESTORER	0x04000000
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

/* Push a handler frame on the user stack and point the registers at it. */
static int setup_frame(struct task *t, struct trap_frame *f, int sig,
		       const struct sigaction_k *act, int code,
		       uint64_t fault_addr)
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
	frame.info.signo = sig;
	frame.info.code = code;
	frame.info.addr = fault_addr;

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
 * Deliver sig to the current task, whose user registers are in f: run its
 * handler, or take the default action. fault_addr goes to si_addr.
 */
static void deliver_one(struct trap_frame *f, int sig, int code,
			uint64_t fault_addr, const char *why)
{
	struct task *t = task_current();
	struct sigaction_k act = t->aspace->sigactions[sig - 1];

	if (act.handler == SIG_IGN || (act.handler == SIG_DFL &&
				       ignored_by_default(sig)))
		return;
	if (act.handler == SIG_DFL)
		task_kill_current(sig, why);
	if (act.flags & SA_RESETHAND)
		t->aspace->sigactions[sig - 1].handler = SIG_DFL;
	if (setup_frame(t, f, sig, &act, code, fault_addr))
		task_kill_current(SIGSEGV, "no room on the stack for a signal frame");
}

void signal_deliver_pending(struct trap_frame *f)
{
	struct task *t = task_current();
	uint64_t ready;

	while ((ready = t->sig_pending & ~t->sig_blocked)) {
		int sig = __builtin_ctzll(ready) + 1;

		t->sig_pending &= ~bit(sig);
		deliver_one(f, sig, 0, 0, "default action of the signal");
	}
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
	deliver_one(f, sig, code, addr, why);
}

static long send_to_self(int sig)
{
	struct task *t = task_current();

	if (sig < 0 || sig > NSIG)
		return -EINVAL;
	if (sig)		/* 0 only asks whether the target exists */
		t->sig_pending |= bit(sig);
	return 0;
}

long sys_kill(uint64_t pid, uint64_t sig, uint64_t a2, uint64_t a3,
	      uint64_t a4, uint64_t a5)
{
	struct task *t = task_current();

	(void)a2, (void)a3, (void)a4, (void)a5;
	if (pid != 0 && pid != t->id && pid != t->aspace->leader_id)
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

long sys_tgkill(uint64_t tgid, uint64_t tid, uint64_t sig, uint64_t a3,
		uint64_t a4, uint64_t a5)
{
	struct task *t = task_current();

	(void)a3, (void)a4, (void)a5;
	if (tid != t->id || tgid != t->aspace->leader_id)
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
	return 0;
}

long sys_rt_sigaction(uint64_t sig, uint64_t act_ptr, uint64_t old_ptr,
		      uint64_t setsize, uint64_t a4, uint64_t a5)
{
	struct aspace *as = task_current()->aspace;
	struct sigaction_k act;

	(void)a4, (void)a5;
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

long sys_rt_sigreturn(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
		      uint64_t a4, uint64_t a5)
{
	struct task *t = task_current();
	struct trap_frame *f = task_user_frame(t);
	struct ucontext uc;
	uint64_t at = f->rsp - 8;	/* the restorer's ret popped restorer */

	(void)a0, (void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	if (copy_from_user(&uc, at + __builtin_offsetof(struct rt_sigframe, uc),
			   sizeof(uc)))
		task_kill_current(SIGSEGV, "rt_sigreturn with a bad frame");
	f->r8 = uc.mc.r8, f->r9 = uc.mc.r9, f->r10 = uc.mc.r10;
	f->r11 = uc.mc.r11, f->r12 = uc.mc.r12, f->r13 = uc.mc.r13;
	f->r14 = uc.mc.r14, f->r15 = uc.mc.r15, f->rdi = uc.mc.rdi;
	f->rsi = uc.mc.rsi, f->rbp = uc.mc.rbp, f->rbx = uc.mc.rbx;
	f->rdx = uc.mc.rdx, f->rcx = uc.mc.rcx, f->rsp = uc.mc.rsp;
	f->rip = uc.mc.rip;
	/* Only the user-settable flags: never IOPL, never interrupts off. */
	f->rflags = (uc.mc.eflags & 0xdd5) | (f->rflags & ~0xdd5UL) | (1UL << 9);
	t->sig_blocked = uc.sigmask & ~(bit(SIGKILL) | bit(SIGSTOP));
	if (uc.mc.fpstate && !copy_from_user(t->fpu, uc.mc.fpstate, FXSAVE_SIZE))
		fpu_restore(t->fpu);
	return uc.mc.rax;	/* becomes rax again on the way out */
}
