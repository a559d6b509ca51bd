// SPDX-License-Identifier: GPL-2.0
/*
 * Timers that signal: timer_create/settime/gettime/getoverrun/delete,
 * setitimer/getitimer(ITIMER_REAL) and alarm (ptimer.h).
 *
 * A ptimer is a kernel one-shot timer (timer.c) plus what to send: a
 * signal, to the process (SIGEV_SIGNAL: a thread that does not block it)
 * or to one thread (SIGEV_THREAD_ID). Its callback runs in interrupt
 * context on the CPU that armed it: it re-arms a periodic timer at the
 * next multiple of the interval (expirations skipped meanwhile are
 * overruns), then finds the process in the process table, whose lock
 * keeps it alive, and signals it. A timer whose process has no threads
 * left stops. Times are kept on the monotonic clock; a CLOCK_REALTIME
 * timer converts its absolute expiry at timer_settime (a later
 * clock_settime does not move it, as Linux would).
 *
 * Overruns, as POSIX has them: while a timer's signal is pending and
 * not yet taken, further expirations only count; when a handler takes
 * it, the count becomes the siginfo's si_overrun and what
 * timer_getoverrun reports (signal.c calls ptimer_signal_taken).
 * setitimer's SIGALRM is the kernel's (SI_KERNEL) and, as on Linux, a
 * second one while the first is pending merges with it. Those further
 * expirations are not taken one by one: a periodic timer whose signal
 * is still pending stops at its next expiry, and the taking of the
 * signal counts the periods that passed and re-arms it, as Linux does.
 * So a timer costs at most one interrupt per signal the process takes,
 * whatever its interval (a 1 ns timer with its signal blocked costs one),
 * and a SIGEV_NONE timer, which signals nobody, no interrupt at all:
 * timer_gettime works out where it is from the clock.
 *
 * Lifetime. All ptimers are on one list under one lock (a process has a
 * few); the same lock covers every field. A ptimer has a reference from
 * its process until timer_delete or the process's end, and one for each
 * arming, which the callback that the arming leads to drops; the last
 * reference frees it. So a callback already running when its timer is
 * deleted or re-armed on another CPU still finds it, sees that it was
 * disarmed or re-armed for later, and does nothing. The CPU-time clocks
 * and the virtual and profiling interval timers are not kept (-EINVAL);
 * nor is SIGEV_THREAD, which the C library builds on rt_sigtimedwait,
 * which Kitten lacks.
 */
#define pr_fmt(fmt) "ptimer: " fmt

#include <arch/time.h>
#include <kitten/aspace.h>
#include <kitten/clock.h>
#include <kitten/errno.h>
#include <kitten/kmem.h>
#include <kitten/list.h>
#include <kitten/proc.h>
#include <kitten/ptimer.h>
#include <kitten/signal.h>
#include <kitten/spinlock.h>
#include <kitten/syscall.h>
#include <kitten/task.h>
#include <kitten/timer.h>

#define SIGALRM		14
#define SIGEV_SIGNAL	0
#define SIGEV_NONE	1
#define SIGEV_THREAD	2
#define SIGEV_THREAD_ID	4
#define ITIMER_REAL	0
#define ITIMER_VIRTUAL	1
#define ITIMER_PROF	2
#define ITIMER_ID	(1 << 30)	/* the process's ITIMER_REAL: no user id */
#define TIMERS_MAX	64	/* POSIX timers per process */
#define OVERRUN_MAX	0x7fffffff	/* DELAYTIMER_MAX */

struct ptimer {
	struct timer timer;
	struct list_head node;		/* on ptimers */
	unsigned refs;
	struct aspace *as;		/* the owner: compared, never followed */
	unsigned pid;			/* its id, to find it in the table */
	int id;				/* timer_create's, or ITIMER_ID */
	int clock;
	int notify;			/* SIGEV_* */
	int signo;
	unsigned tid;			/* SIGEV_THREAD_ID: the thread */
	uint64_t value;			/* sigev_value */
	bool armed;
	uint64_t expires;		/* time_ns() of the next expiry */
	uint64_t interval;		/* 0: one shot */
	bool queued;			/* its signal is pending, not taken */
	bool stalled;			/* expired while queued: re-armed when taken */
	uint64_t overrun;		/* expirations while queued */
	int last_overrun;		/* at the last signal taken */
};

static LIST_HEAD(ptimers);
static struct spinlock ptimers_lock = SPINLOCK_INIT("ptimers", LOCK_RANK_PTIMERS);

/* ptimers_lock held by all of these. */
static struct ptimer *find(struct aspace *as, int id)
{
	struct ptimer *p;

	list_for_each_entry(p, &ptimers, node)
		if (p->as == as && p->id == id)
			return p;
	return NULL;
}

/* Drop a reference; true if it was the last (the caller frees). */
static bool put(struct ptimer *p)
{
	return --p->refs == 0;
}

static void disarm(struct ptimer *p)
{
	p->armed = false;
	p->stalled = false;
	if (timer_del(&p->timer))
		put(p);		/* the arming's: the owner still holds one */
}

static void arm(struct ptimer *p, uint64_t expires)
{
	disarm(p);
	p->armed = true;
	p->stalled = false;
	p->expires = expires;
	if (p->notify == SIGEV_NONE)
		return;		/* nobody to tell: the clock says where it is */
	p->refs++;
	timer_add(&p->timer, expires);
}

/* The periods of p that have ended by now, from its expiry on (>= 1). */
static uint64_t periods_passed(struct ptimer *p, uint64_t now)
{
	return (now - p->expires) / p->interval + 1;
}

/* Delivery: find the process (alive under the table's lock) and send. */
struct delivery {
	struct aspace *as;
	unsigned pid, tid;
	int signo;
	struct sig_sender from;
	bool found;
};

static int deliver_to(struct aspace *as, void *arg)
{
	struct delivery *d = arg;
	struct task *only = NULL, *t;
	unsigned long flags;

	if (as != d->as || as->leader_id != d->pid)
		return 0;
	flags = spin_lock_irqsave(&as->threads_lock);
	if (d->tid) {
		list_for_each_entry(t, &as->threads, thread_node)
			if (t->id == d->tid)
				only = t;
	}
	if (!d->tid || only) {
		signal_send_locked(as, only, d->signo, &d->from);
		d->found = true;
	}
	spin_unlock_irqrestore(&as->threads_lock, flags);
	return 1;
}

static void expired(struct timer *timer)
{
	struct ptimer *p = timer->data;
	struct delivery d = { .as = p->as, .pid = p->pid, .tid = p->tid,
			      .signo = p->signo };
	unsigned long flags = spin_lock_irqsave(&ptimers_lock);
	uint64_t now = time_ns(), missed = 0;
	bool send = false, last;

	/* Disarmed, or re-armed for later, since this firing was queued. */
	if (p->armed && now >= p->expires && !timer_pending(&p->timer)) {
		if (p->queued && p->interval) {
			p->stalled = true;	/* until the signal is taken */
		} else if (p->queued) {
			p->armed = false;	/* one shot, merged with the last */
			p->overrun++;
		} else {
			if (p->interval) {
				missed = periods_passed(p, now) - 1;
				arm(p, p->expires + (missed + 1) * p->interval);
			} else {
				p->armed = false;
			}
			p->queued = true;
			p->overrun = missed;
			send = true;
		}
		d.from = p->id == ITIMER_ID ?
			(struct sig_sender){ .code = SI_KERNEL, .timer = 1 + p->id } :
			(struct sig_sender){ .code = SI_TIMER, .pid = p->id,
					     .value = p->value, .timer = 1 + p->id };
	}
	spin_unlock_irqrestore(&ptimers_lock, flags);
	if (send)
		proc_for_each(deliver_to, &d);
	flags = spin_lock_irqsave(&ptimers_lock);
	if (send && !d.found) {	/* the process (or thread) is gone: stop */
		disarm(p);
		p->queued = false;
	}
	last = put(p);		/* this firing's arming, held until now */
	spin_unlock_irqrestore(&ptimers_lock, flags);
	if (last)
		kmem_free(p);
}

int ptimer_signal_taken(struct aspace *as, int id)
{
	unsigned long flags = spin_lock_irqsave(&ptimers_lock);
	struct ptimer *p = find(as, id);
	int overrun = 0;

	if (p && p->stalled && p->armed) {	/* count the periods, go on */
		uint64_t now = time_ns(), n = periods_passed(p, now);

		p->overrun += n;
		arm(p, p->expires + n * p->interval);
	}
	if (p) {
		overrun = p->overrun > OVERRUN_MAX ? OVERRUN_MAX : p->overrun;
		p->last_overrun = overrun;
		p->overrun = 0;
		p->queued = false;
	}
	spin_unlock_irqrestore(&ptimers_lock, flags);
	return overrun;
}

/* Take p off the list and disarm it; true if it is to be freed. */
static bool unlink_ptimer(struct ptimer *p)
{
	list_del(&p->node);
	disarm(p);
	return put(p);		/* the owner's */
}

void ptimer_process_exit(struct aspace *as)
{
	for (;;) {
		unsigned long flags = spin_lock_irqsave(&ptimers_lock);
		struct ptimer *p, *victim = NULL;
		bool last = false;

		list_for_each_entry(p, &ptimers, node)
			if (p->as == as) {
				victim = p;
				last = unlink_ptimer(p);
				break;
			}
		spin_unlock_irqrestore(&ptimers_lock, flags);
		if (!victim)
			return;
		if (last)
			kmem_free(victim);
	}
}

static struct ptimer *ptimer_new(int id, int clock)
{
	struct aspace *as = task_current()->aspace;
	struct ptimer *p = kmem_zalloc(sizeof(*p));

	if (!p)
		return NULL;
	timer_init(&p->timer, expired, p);
	p->refs = 1;
	p->as = as;
	p->pid = as->leader_id;
	p->id = id;
	p->clock = clock;
	return p;
}

/* --- POSIX timers --------------------------------------------------- */

static long timer_delete_id(int id);

/* The ITIMER_REAL timer of as, held; NULL if it has none yet. */
static struct ptimer *get_timer_itimer(struct aspace *as)
{
	unsigned long flags = spin_lock_irqsave(&ptimers_lock);
	struct ptimer *p = find(as, ITIMER_ID);

	if (p)
		p->refs++;
	spin_unlock_irqrestore(&ptimers_lock, flags);
	return p;
}

struct sigevent_k {
	uint64_t value;
	int32_t signo, notify;
	int32_t tid;
	int32_t pad[11];
};

/* May a timer count on clock? The CPU-time clocks are not kept. */
static bool timer_clock_ok(int clock)
{
	return clock == CLOCK_REALTIME || clock == CLOCK_MONOTONIC ||
	       clock == CLOCK_BOOTTIME || clock == CLOCK_REALTIME_COARSE ||
	       clock == CLOCK_MONOTONIC_COARSE || clock == CLOCK_MONOTONIC_RAW;
}

/* Is tid a thread of the caller's process? */
static bool own_thread(unsigned tid)
{
	struct aspace *as = task_current()->aspace;
	unsigned long flags = spin_lock_irqsave(&as->threads_lock);
	struct task *t;
	bool found = false;

	list_for_each_entry(t, &as->threads, thread_node)
		found |= t->id == tid;
	spin_unlock_irqrestore(&as->threads_lock, flags);
	return found;
}

SYSCALL_DEFINE3(timer_create, uint64_t, clock, uint64_t, sevp, uint64_t, idp)
{
	struct aspace *as = task_current()->aspace;
	struct sigevent_k ev = { .signo = SIGALRM, .notify = SIGEV_SIGNAL };
	struct ptimer *p, *q;
	unsigned long flags;
	int id, count = 0;

	if (!timer_clock_ok((int)clock))
		return -EINVAL;
	if (sevp && copy_from_user(&ev, sevp, sizeof(ev)))
		return -EFAULT;
	if (ev.notify == SIGEV_THREAD)
		return -EINVAL;		/* see the top of the file */
	if (ev.notify != SIGEV_SIGNAL && ev.notify != SIGEV_NONE &&
	    ev.notify != SIGEV_THREAD_ID)
		return -EINVAL;
	if (ev.notify != SIGEV_NONE && (ev.signo < 1 || ev.signo > NSIG))
		return -EINVAL;
	if (ev.notify == SIGEV_THREAD_ID && (ev.tid <= 0 || !own_thread(ev.tid)))
		return -EINVAL;
	p = ptimer_new(0, (int)clock);
	if (!p)
		return -ENOMEM;
	p->notify = ev.notify;
	p->signo = ev.signo;
	p->tid = ev.notify == SIGEV_THREAD_ID ? ev.tid : 0;

	p->value = sevp ? ev.value : 0;

	flags = spin_lock_irqsave(&ptimers_lock);
	list_for_each_entry(q, &ptimers, node)
		count += q->as == as && q->id != ITIMER_ID;
	for (id = 0; find(as, id); id++)
		;
	if (count < TIMERS_MAX) {
		p->id = id;
		if (!sevp)
			p->value = id;	/* as Linux: sival_int is the id */
		list_add_tail(&p->node, &ptimers);
	}
	spin_unlock_irqrestore(&ptimers_lock, flags);
	if (count >= TIMERS_MAX) {
		kmem_free(p);
		return -EAGAIN;
	}
	if (copy_to_user(idp, &id, sizeof(int32_t))) {
		timer_delete_id(id);
		return -EFAULT;
	}
	return 0;
}

/* The caller's timer id, held (a reference) so it stays while in use. */
static struct ptimer *get_timer(uint64_t id)
{
	struct aspace *as = task_current()->aspace;
	unsigned long flags = spin_lock_irqsave(&ptimers_lock);
	struct ptimer *p = id < TIMERS_MAX ? find(as, (int)id) : NULL;

	if (p)
		p->refs++;
	spin_unlock_irqrestore(&ptimers_lock, flags);
	return p;
}

static void put_timer(struct ptimer *p)
{
	unsigned long flags = spin_lock_irqsave(&ptimers_lock);
	bool last = put(p);

	spin_unlock_irqrestore(&ptimers_lock, flags);
	if (last)
		kmem_free(p);
}

static long timer_delete_id(int id)
{
	struct aspace *as = task_current()->aspace;
	unsigned long flags = spin_lock_irqsave(&ptimers_lock);
	struct ptimer *p = id >= 0 && id < TIMERS_MAX ? find(as, id) : NULL;
	bool last = p && unlink_ptimer(p);

	spin_unlock_irqrestore(&ptimers_lock, flags);
	if (last)
		kmem_free(p);
	return p ? 0 : -EINVAL;
}

/* struct itimerspec: the interval, then the (remaining) value. */
struct itimerspec_k {
	int64_t interval_sec, interval_nsec, value_sec, value_nsec;
};

static void ns_to_ts(uint64_t ns, int64_t *sec, int64_t *nsec)
{
	*sec = ns / NSEC_PER_SEC;
	*nsec = ns % NSEC_PER_SEC;
}

static bool ts_ok(int64_t sec, int64_t nsec)
{
	return sec >= 0 && nsec >= 0 && nsec < (int64_t)NSEC_PER_SEC &&
	       sec < INT64_MAX / (int64_t)NSEC_PER_SEC - 1;
}

/* What is left of p and its interval; ptimers_lock held. */
static void current_setting(struct ptimer *p, struct itimerspec_k *cur)
{
	uint64_t now = time_ns(), left;

	if (p->notify == SIGEV_NONE && p->armed && now >= p->expires) {
		if (p->interval)	/* where it would be, had it fired */
			p->expires += periods_passed(p, now) * p->interval;
		else
			p->armed = false;
	}
	left = p->armed ? (p->expires > now ? p->expires - now : 1) : 0;
	if (p->armed && p->stalled)	/* its next period's end */
		left = p->expires + periods_passed(p, now) * p->interval - now;

	ns_to_ts(p->interval, &cur->interval_sec, &cur->interval_nsec);
	ns_to_ts(left, &cur->value_sec, &cur->value_nsec);
}

/*
 * Arm (value non-zero) or disarm p, returning the old setting: value
 * is relative, or absolute on p's clock with TIMER_ABSTIME.
 */
static void settime(struct ptimer *p, bool abs, uint64_t value,
		    uint64_t interval, struct itimerspec_k *old)
{
	unsigned long flags;
	uint64_t now = time_ns(), deadline = 0;

	if (value && abs) {
		int64_t clock_now;

		clock_read_ns(p->clock, &clock_now);
		deadline = (int64_t)value > clock_now ? now + (value - clock_now) : now;
	} else if (value) {
		deadline = now + value;
	}
	flags = spin_lock_irqsave(&ptimers_lock);
	current_setting(p, old);
	if (p->stalled && p->armed)	/* its periods so far still count */
		p->overrun += periods_passed(p, time_ns());
	disarm(p);
	p->interval = value ? interval : 0;
	if (value)
		arm(p, deadline);
	spin_unlock_irqrestore(&ptimers_lock, flags);
}

SYSCALL_DEFINE4(timer_settime, uint64_t, id, uint64_t, flags, uint64_t, newp,
		uint64_t, oldp)
{
	struct itimerspec_k set, old;
	struct ptimer *p;

	if (copy_from_user(&set, newp, sizeof(set)))
		return -EFAULT;
	if (!ts_ok(set.interval_sec, set.interval_nsec) ||
	    !ts_ok(set.value_sec, set.value_nsec))
		return -EINVAL;
	p = get_timer(id);
	if (!p)
		return -EINVAL;
	settime(p, flags & TIMER_ABSTIME,
		set.value_sec * NSEC_PER_SEC + set.value_nsec,
		set.interval_sec * NSEC_PER_SEC + set.interval_nsec, &old);
	put_timer(p);
	if (oldp && copy_to_user(oldp, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE2(timer_gettime, uint64_t, id, uint64_t, curp)
{
	struct itimerspec_k cur;
	unsigned long flags;
	struct ptimer *p = get_timer(id);

	if (!p)
		return -EINVAL;
	flags = spin_lock_irqsave(&ptimers_lock);
	current_setting(p, &cur);
	spin_unlock_irqrestore(&ptimers_lock, flags);
	put_timer(p);
	return copy_to_user(curp, &cur, sizeof(cur));
}

SYSCALL_DEFINE1(timer_getoverrun, uint64_t, id)
{
	struct ptimer *p = get_timer(id);
	int overrun;

	if (!p)
		return -EINVAL;
	overrun = READ_ONCE(p->last_overrun);
	put_timer(p);
	return overrun;
}

SYSCALL_DEFINE1(timer_delete, uint64_t, id)
{
	return timer_delete_id((int)id);
}

/* --- setitimer, getitimer, alarm: the process's ITIMER_REAL ---------- */

/* The process's real-time interval timer, created at first use and held. */
static struct ptimer *itimer_real(void)
{
	struct aspace *as = task_current()->aspace;
	struct ptimer *p = get_timer_itimer(as), *fresh;
	unsigned long flags;

	if (p)
		return p;
	fresh = ptimer_new(ITIMER_ID, CLOCK_MONOTONIC);
	if (!fresh)
		return NULL;
	fresh->signo = SIGALRM;
	fresh->notify = SIGEV_SIGNAL;
	flags = spin_lock_irqsave(&ptimers_lock);
	p = find(as, ITIMER_ID);	/* another thread may have made it */
	if (!p) {
		list_add_tail(&fresh->node, &ptimers);
		p = fresh;
		fresh = NULL;
	}
	p->refs++;
	spin_unlock_irqrestore(&ptimers_lock, flags);
	kmem_free(fresh);
	return p;
}

/* struct itimerval: the interval, then the value, in timevals. */
struct itimerval_k {
	int64_t interval_sec, interval_usec, value_sec, value_usec;
};

static void to_itimerval(const struct itimerspec_k *ts, struct itimerval_k *tv)
{
	tv->interval_sec = ts->interval_sec;
	tv->interval_usec = (ts->interval_nsec + 999) / 1000;
	tv->value_sec = ts->value_sec;
	tv->value_usec = (ts->value_nsec + 999) / 1000;
	if (tv->value_usec == 1000000)	/* rounded up into the next second */
		tv->value_sec++, tv->value_usec = 0;
	if (tv->interval_usec == 1000000)
		tv->interval_sec++, tv->interval_usec = 0;
}

static long itimer_set(uint64_t value, uint64_t interval, struct itimerval_k *old)
{
	struct ptimer *p = itimer_real();
	struct itimerspec_k o;

	if (!p)
		return -ENOMEM;
	settime(p, false, value, interval, &o);
	put_timer(p);
	to_itimerval(&o, old);
	return 0;
}

SYSCALL_DEFINE3(setitimer, uint64_t, which, uint64_t, newp, uint64_t, oldp)
{
	struct itimerval_k set = { 0 }, old;
	long err;

	if (which == ITIMER_VIRTUAL || which == ITIMER_PROF)
		return -EINVAL;		/* CPU-time timers: not kept */
	if (which != ITIMER_REAL)
		return -EINVAL;
	if (newp && copy_from_user(&set, newp, sizeof(set)))
		return -EFAULT;
	if (set.value_sec < 0 || set.value_usec < 0 || set.value_usec >= 1000000 ||
	    set.interval_sec < 0 || set.interval_usec < 0 ||
	    set.interval_usec >= 1000000 || set.value_sec > INT32_MAX ||
	    set.interval_sec > INT32_MAX)
		return -EINVAL;
	err = itimer_set(set.value_sec * NSEC_PER_SEC + set.value_usec * 1000,
			 set.interval_sec * NSEC_PER_SEC + set.interval_usec * 1000,
			 &old);
	if (!err && oldp && copy_to_user(oldp, &old, sizeof(old)))
		return -EFAULT;
	return err;
}

SYSCALL_DEFINE2(getitimer, uint64_t, which, uint64_t, curp)
{
	struct itimerval_k cur = { 0 };
	struct itimerspec_k ts;
	unsigned long flags;
	struct ptimer *p;

	if (which != ITIMER_REAL)
		return -EINVAL;		/* the CPU-time ones are not kept */
	p = get_timer_itimer(task_current()->aspace);
	if (p) {
		flags = spin_lock_irqsave(&ptimers_lock);
		current_setting(p, &ts);
		spin_unlock_irqrestore(&ptimers_lock, flags);
		put_timer(p);
		to_itimerval(&ts, &cur);
	}
	return copy_to_user(curp, &cur, sizeof(cur));
}

/* alarm(): seconds left of the previous alarm, rounded to the nearest,
 * and at least 1 if one was pending (as Linux). */
SYSCALL_DEFINE1(alarm, uint64_t, seconds)
{
	struct itimerval_k old;
	long err = itimer_set((uint64_t)(uint32_t)seconds * NSEC_PER_SEC, 0, &old);

	if (err)
		return err;
	if (!old.value_sec && !old.value_usec)
		return 0;
	return old.value_sec + (old.value_usec >= 500000 || !old.value_sec);
}
