// SPDX-License-Identifier: GPL-2.0
/*
 * Clocks and sleeping: clock_gettime, clock_settime, clock_getres,
 * gettimeofday, settimeofday, time, nanosleep and clock_nanosleep.
 *
 * Every clock is the TSC (arch/time.c). The monotonic clocks (MONOTONIC,
 * MONOTONIC_RAW, the COARSE one, BOOTTIME: Kitten never suspends) count
 * from boot; the wall clock (REALTIME and REALTIME_COARSE) adds the
 * offset read from the CMOS clock at boot, which only clock_settime and
 * settimeofday change, with KITTEN_CAP_SYS_TIME. The CPU-time clocks
 * count what the scheduler charged the thread (or the live threads of
 * the process). Resolution is a nanosecond for all of them: the TSC is
 * finer than that.
 *
 * A sleep ends early when a signal the sleeper does not block arrives:
 * -EINTR, and for a relative sleep the time that was left, as Linux.
 */
#include <arch/time.h>
#include <kitten/aspace.h>
#include <kitten/clock.h>
#include <kitten/cred.h>
#include <kitten/errno.h>
#include <kitten/kernel.h>
#include <kitten/sched.h>
#include <kitten/spinlock.h>
#include <kitten/syscall.h>
#include <kitten/task.h>
#include <kitten/timer.h>

struct timespec_k {
	int64_t sec, nsec;
};

static uint64_t thread_cpu_ns(struct task *t)
{
	return t->runtime_ns + time_ns() - t->last_switch_ns;
}

/* The live threads' CPU time: the caller's up to now, the others' up to
 * their last switch. Threads that have exited are no longer counted. */
static uint64_t process_cpu_ns(void)
{
	struct task *self = task_current(), *t;
	struct aspace *as = self->aspace;
	unsigned long flags = spin_lock_irqsave(&as->threads_lock);
	uint64_t ns = thread_cpu_ns(self);

	list_for_each_entry(t, &as->threads, thread_node)
		if (t != self)
			ns += READ_ONCE(t->runtime_ns);
	spin_unlock_irqrestore(&as->threads_lock, flags);
	return ns;
}

int clock_read_ns(int clock, int64_t *ns)
{
	switch (clock) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
		*ns = time_realtime_ns();
		return 0;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
		*ns = time_ns();
		return 0;
	case CLOCK_PROCESS_CPUTIME_ID:
		*ns = process_cpu_ns();
		return 0;
	case CLOCK_THREAD_CPUTIME_ID:
		*ns = thread_cpu_ns(task_current());
		return 0;
	default:
		return -EINVAL;
	}
}

long timespec_from_user(uint64_t ptr, int64_t *ns)
{
	struct timespec_k ts;

	if (copy_from_user(&ts, ptr, sizeof(ts)))
		return -EFAULT;
	if (ts.sec < 0 || ts.nsec < 0 || ts.nsec >= (int64_t)NSEC_PER_SEC)
		return -EINVAL;
	if (ts.sec > INT64_MAX / (int64_t)NSEC_PER_SEC - 1)
		ts.sec = INT64_MAX / NSEC_PER_SEC - 1;	/* "forever" */
	*ns = ts.sec * (int64_t)NSEC_PER_SEC + ts.nsec;
	return 0;
}

long timespec_to_user(uint64_t ptr, int64_t ns)
{
	struct timespec_k ts = { ns / (int64_t)NSEC_PER_SEC,
				 ns % (int64_t)NSEC_PER_SEC };

	return copy_to_user(ptr, &ts, sizeof(ts));
}

SYSCALL_DEFINE2(clock_gettime, uint64_t, clock, uint64_t, ts_ptr)
{
	int64_t ns;
	int err = clock_read_ns((int)clock, &ns);

	return err ? err : timespec_to_user(ts_ptr, ns);
}

static long set_wall_clock(int64_t ns)
{
	if (!cred_check(KITTEN_CAP_SYS_TIME, "setting the wall clock"))
		return -EPERM;
	time_set_realtime(ns);
	return 0;
}

SYSCALL_DEFINE2(clock_settime, uint64_t, clock, uint64_t, ts_ptr)
{
	int64_t ns;
	long err;

	if ((int)clock != CLOCK_REALTIME)
		return -EINVAL;	/* unknown, or one that cannot be set */
	err = timespec_from_user(ts_ptr, &ns);
	return err ? err : set_wall_clock(ns);
}

SYSCALL_DEFINE2(clock_getres, uint64_t, clock, uint64_t, res)
{
	int64_t unused;

	if (clock_read_ns((int)clock, &unused))
		return -EINVAL;
	return res ? timespec_to_user(res, 1) : 0;
}

SYSCALL_DEFINE2(gettimeofday, uint64_t, tv, uint64_t, tz)
{
	int64_t now = time_realtime_ns();
	int64_t t[2] = { now / (int64_t)NSEC_PER_SEC,
			 (now % (int64_t)NSEC_PER_SEC) / 1000 };
	int32_t zone[2] = { 0, 0 };	/* UTC, no daylight saving */

	if (tv && copy_to_user(tv, t, sizeof(t)))
		return -EFAULT;
	if (tz && copy_to_user(tz, zone, sizeof(zone)))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE2(settimeofday, uint64_t, tv, uint64_t, tz)
{
	int64_t t[2];

	(void)tz;	/* the kernel keeps no time zone: UTC */
	if (!tv)
		return 0;
	if (copy_from_user(t, tv, sizeof(t)))
		return -EFAULT;
	if (t[0] < 0 || t[1] < 0 || t[1] >= 1000000)
		return -EINVAL;
	return set_wall_clock(t[0] * (int64_t)NSEC_PER_SEC + t[1] * 1000);
}

SYSCALL_DEFINE1(time, uint64_t, tloc)
{
	int64_t now = time_realtime_ns() / (int64_t)NSEC_PER_SEC;

	if (tloc && copy_to_user(tloc, &now, sizeof(now)))
		return -EFAULT;
	return now;
}

static void wake_sleeper(struct timer *timer)
{
	task_wake(timer->data);
}

int sleep_until_ns(uint64_t deadline)
{
	struct task *t = task_current();
	struct timer timer;

	timer_init(&timer, wake_sleeper, t);
	while (time_ns() < deadline) {
		task_set_sleeping();
		timer_add(&timer, deadline);
		/* After marking ourselves asleep: no signal is missed. */
		if (!t->kill_pending && !signal_pending(t))
			schedule();
		timer_del_sync(&timer);
		task_wake(t);	/* runnable again, if nothing did that */
		if (t->kill_pending || signal_pending(t))
			return -EINTR;
	}
	return 0;
}

/* A relative sleep of ns; on -EINTR what was left goes to rem. */
static long sleep_relative(int64_t ns, uint64_t rem)
{
	uint64_t deadline = time_ns() + ns;

	if (!sleep_until_ns(deadline))
		return 0;
	if (rem) {
		uint64_t now = time_ns();

		if (timespec_to_user(rem, deadline > now ? deadline - now : 0))
			return -EFAULT;
	}
	return -EINTR;
}

SYSCALL_DEFINE2(nanosleep, uint64_t, req, uint64_t, rem)
{
	int64_t ns;
	long err = timespec_from_user(req, &ns);

	return err ? err : sleep_relative(ns, rem);
}

SYSCALL_DEFINE4(clock_nanosleep, uint64_t, clock, uint64_t, flags,
		uint64_t, req, uint64_t, rem)
{
	int64_t ns, now;
	long err;

	if ((int)clock == CLOCK_THREAD_CPUTIME_ID)
		return -EINVAL;		/* as Linux */
	if ((int)clock == CLOCK_PROCESS_CPUTIME_ID)
		return -EINVAL;		/* a CPU-time deadline: not kept here */
	if (clock_read_ns((int)clock, &now))
		return -EINVAL;
	err = timespec_from_user(req, &ns);
	if (err)
		return err;
	if (!(flags & TIMER_ABSTIME))
		return sleep_relative(ns, rem);
	/* An absolute time on clock: as a monotonic deadline. A wall clock
	 * set meanwhile does not move it (Linux would). */
	if (ns <= now)
		return 0;
	return sleep_until_ns(time_ns() + (ns - now));
}
