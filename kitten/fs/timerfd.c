// SPDX-License-Identifier: GPL-2.0
/*
 * timerfd: a timer whose expirations are read as a count from a file.
 *
 * Each timerfd has one of the kernel's one-shot timers (timer.c), armed
 * for the next expiration on the CPU of the task that set it. When it
 * fires, the callback adds the expirations due (one, plus those missed
 * if the CPU was late for a periodic timer), re-arms a periodic timer for
 * the next one, and wakes readers and pollers. A read takes the count
 * and leaves 0; a read of 0 sleeps (or -EAGAIN).
 *
 * The timer outlives the file while its callback may run: arming takes
 * a reference that the callback (or a timer_del that caught it pending)
 * gives back, so a close on another CPU never frees a timerfd under its
 * firing callback. All arming is under the timerfd's lock, ranked just
 * below the timer queues' so the callback can re-arm while holding it;
 * wake-ups happen after it is dropped.
 *
 * Clocks: CLOCK_MONOTONIC and CLOCK_BOOTTIME are time_ns(). CLOCK_REALTIME
 * is the same clock here (clock_gettime reports it so: the boot clock,
 * until a wall clock is read at boot); its absolute times are taken on
 * that scale, and TFD_TIMER_CANCEL_ON_SET never cancels, since nothing
 * sets that clock.
 */
#include <arch/time.h>
#include <kitten/errno.h>
#include <kitten/file.h>
#include <kitten/kmem.h>
#include <kitten/poll.h>
#include <kitten/syscall.h>
#include <kitten/timer.h>

#define CLOCK_REALTIME		0
#define CLOCK_MONOTONIC		1
#define CLOCK_BOOTTIME		7
#define TFD_TIMER_ABSTIME	1
#define TFD_TIMER_CANCEL_ON_SET	2
#define LOCK_RANK_TIMERFD	(LOCK_RANK_TIMER - 1)

struct itimerspec_k {
	int64_t interval_sec, interval_nsec;
	int64_t value_sec, value_nsec;
};

struct timerfd {
	struct spinlock lock;
	struct waitqueue wq;
	struct timer timer;
	unsigned refs;		/* the file, and the timer while armed */
	bool armed;		/* the timer holds a reference */
	uint64_t expires;	/* next expiration (time_ns()); 0: disarmed */
	uint64_t interval;	/* 0: one-shot */
	uint64_t ticks;		/* expirations not yet read */
};

static const struct file_operations timerfd_ops;

static void timerfd_put(struct timerfd *t)
{
	if (!__atomic_sub_fetch(&t->refs, 1, __ATOMIC_ACQ_REL))
		kmem_free(t);
}

/* Interrupt context, on the CPU the timer was armed on. */
static void timerfd_fire(struct timer *tm)
{
	struct timerfd *t = tm->data;
	unsigned long flags = spin_lock_irqsave(&t->lock);
	uint64_t now = time_ns();
	bool drop = false, fired = false;

	if (t->expires && now >= t->expires) {	/* else re-set meanwhile */
		fired = true;
		if (t->interval) {
			uint64_t missed = (now - t->expires) / t->interval;

			t->ticks += 1 + missed;
			t->expires += (missed + 1) * t->interval;
			timer_add(&t->timer, t->expires);
		} else {
			t->ticks++;
			t->expires = 0;
		}
	}
	if (t->armed && !timer_pending(&t->timer)) {
		t->armed = false;
		drop = true;
	}
	spin_unlock_irqrestore(&t->lock, flags);
	if (fired)
		waitqueue_wake_all(&t->wq);
	if (drop)
		timerfd_put(t);
}

static long timerfd_read(struct file *f, uint64_t ubuf, uint64_t len,
			 uint64_t *pos)
{
	struct timerfd *t = f->priv;
	unsigned long flags;
	uint64_t n = 0;
	long err;

	(void)pos;
	if (len < sizeof(n))
		return -EINVAL;
	while (!n) {
		err = file_wait_event(f, t->wq, READ_ONCE(t->ticks) > 0);
		if (err)
			return err;
		flags = spin_lock_irqsave(&t->lock);
		n = t->ticks;
		t->ticks = 0;
		spin_unlock_irqrestore(&t->lock, flags);
	}
	return copy_to_user(ubuf, &n, sizeof(n)) ?: (long)sizeof(n);
}

static unsigned timerfd_poll(struct file *f, struct poll_table *pt)
{
	struct timerfd *t = f->priv;

	poll_wait(f, pt, &t->wq);
	return READ_ONCE(t->ticks) ? POLLIN | POLLRDNORM : 0;
}

static void timerfd_stat(struct file *f, struct kstat *st)
{
	*st = (struct kstat){ .ino = (uintptr_t)f->priv >> 4, .mode = 0600, .nlink = 1 };
}

/* Under t->lock: disarm, giving back the timer's reference if it had
 * not fired (a firing callback gives it back itself). */
static bool disarm(struct timerfd *t)
{
	t->expires = 0;
	if (timer_del(&t->timer) && t->armed) {
		t->armed = false;
		return true;
	}
	return false;
}

static void timerfd_release(struct file *f)
{
	struct timerfd *t = f->priv;
	unsigned long flags = spin_lock_irqsave(&t->lock);
	bool drop = disarm(t);

	spin_unlock_irqrestore(&t->lock, flags);
	if (drop)
		timerfd_put(t);
	timerfd_put(t);	/* the file's */
}

static const struct file_operations timerfd_ops = {
	.read = timerfd_read,
	.stat = timerfd_stat,
	.release = timerfd_release,
	.poll = timerfd_poll,
};

static bool valid_clock(uint64_t clock)
{
	return clock == CLOCK_REALTIME || clock == CLOCK_MONOTONIC ||
	       clock == CLOCK_BOOTTIME;
}

SYSCALL_DEFINE2(timerfd_create, uint64_t, clock, uint64_t, flags)
{
	struct timerfd *t;
	struct file *f;
	int fd;

	if (!valid_clock(clock))
		return -EINVAL;
	if (flags & ~(uint64_t)(O_NONBLOCK | O_CLOEXEC))
		return -EINVAL;
	t = kmem_zalloc(sizeof(*t));
	if (!t)
		return -ENOMEM;
	spin_lock_init(&t->lock, "timerfd", LOCK_RANK_TIMERFD);
	waitqueue_init(&t->wq);
	timer_init(&t->timer, timerfd_fire, t);
	t->refs = 1;
	f = file_alloc(&timerfd_ops, NULL, O_RDONLY | (flags & O_NONBLOCK));
	if (!f) {
		kmem_free(t);
		return -ENOMEM;
	}
	f->priv = t;
	fd = fd_install(f, 0, flags & O_CLOEXEC);
	if (fd < 0)
		file_put(f);
	return fd;
}

static struct file *timerfd_get(uint64_t fd, long *err)
{
	struct file *f = fd_get(fd);

	*err = f ? 0 : -EBADF;
	if (f && f->ops != &timerfd_ops) {
		file_put(f);
		*err = -EINVAL;
		f = NULL;
	}
	return f;
}

/* The setting as the user sees it: interval and time left. Lock held. */
static struct itimerspec_k setting(struct timerfd *t)
{
	uint64_t now = time_ns();
	uint64_t left = t->expires > now ? t->expires - now : t->expires ? 1 : 0;

	return (struct itimerspec_k){
		t->interval / NSEC_PER_SEC, t->interval % NSEC_PER_SEC,
		left / NSEC_PER_SEC, left % NSEC_PER_SEC,
	};
}

static bool valid_ts(int64_t sec, int64_t nsec)
{
	return sec >= 0 && nsec >= 0 && nsec < (int64_t)NSEC_PER_SEC &&
	       (uint64_t)sec < UINT64_MAX / NSEC_PER_SEC / 2;
}

SYSCALL_DEFINE4(timerfd_settime, uint64_t, fd, uint64_t, flags,
		uint64_t, unew, uint64_t, uold)
{
	struct itimerspec_k in, old;
	struct timerfd *t;
	unsigned long irq;
	uint64_t value, now;
	bool drop;
	long err;
	struct file *f;

	if (flags & ~(uint64_t)(TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET))
		return -EINVAL;
	if (copy_from_user(&in, unew, sizeof(in)))
		return -EFAULT;
	if (!valid_ts(in.interval_sec, in.interval_nsec) ||
	    !valid_ts(in.value_sec, in.value_nsec))
		return -EINVAL;
	f = timerfd_get(fd, &err);
	if (!f)
		return err;
	t = f->priv;
	value = in.value_sec * NSEC_PER_SEC + in.value_nsec;
	irq = spin_lock_irqsave(&t->lock);
	old = setting(t);
	drop = disarm(t);
	t->ticks = 0;
	t->interval = in.interval_sec * NSEC_PER_SEC + in.interval_nsec;
	now = time_ns();
	if (value) {
		t->expires = flags & TFD_TIMER_ABSTIME ? MAX(value, 1) : now + value;
		if (!t->armed) {
			t->armed = true;
			__atomic_add_fetch(&t->refs, 1, __ATOMIC_RELAXED);
		}
		timer_add(&t->timer, t->expires);	/* fires at once if past */
	}
	spin_unlock_irqrestore(&t->lock, irq);
	if (drop)
		timerfd_put(t);
	file_put(f);
	if (uold && copy_to_user(uold, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE2(timerfd_gettime, uint64_t, fd, uint64_t, ucur)
{
	struct itimerspec_k cur;
	unsigned long irq;
	long err;
	struct file *f = timerfd_get(fd, &err);
	struct timerfd *t;

	if (!f)
		return err;
	t = f->priv;
	irq = spin_lock_irqsave(&t->lock);
	cur = setting(t);
	spin_unlock_irqrestore(&t->lock, irq);
	file_put(f);
	return copy_to_user(ucur, &cur, sizeof(cur));
}
