// SPDX-License-Identifier: GPL-2.0
/*
 * eventfd: a 64-bit counter as a file. A write adds to it (sleeping while
 * the sum would pass 2^64 - 2), a read takes it all and leaves 0, or, in
 * semaphore mode (EFD_SEMAPHORE), takes 1; a read of 0 sleeps. Readers
 * and writers wait on one queue; poll reports POLLIN while the counter
 * is above 0 and POLLOUT while 1 more fits. Non-blocking files answer
 * -EAGAIN instead of sleeping; a signal ends the sleep (poll.h).
 */
#include <kitten/errno.h>
#include <kitten/file.h>
#include <kitten/kmem.h>
#include <kitten/poll.h>
#include <kitten/syscall.h>

#define EFD_SEMAPHORE	1
#define COUNT_MAX	(UINT64_MAX - 1)

struct eventfd {
	struct spinlock lock;
	struct waitqueue wq;
	uint64_t count;
	bool semaphore;
};

static const struct file_operations eventfd_ops;

static long eventfd_read(struct file *f, uint64_t ubuf, uint64_t len,
			 uint64_t *pos)
{
	struct eventfd *e = f->priv;
	uint64_t val = 0;
	unsigned long flags;
	long err;

	(void)pos;
	if (len < sizeof(val))
		return -EINVAL;
	while (!val) {	/* another reader may take it first */
		err = file_wait_event(f, e->wq, READ_ONCE(e->count) > 0);
		if (err)
			return err;
		flags = spin_lock_irqsave(&e->lock);
		val = e->semaphore ? MIN(e->count, 1) : e->count;
		e->count -= val;
		spin_unlock_irqrestore(&e->lock, flags);
	}
	waitqueue_wake_all(&e->wq);	/* writers waiting for room */
	return copy_to_user(ubuf, &val, sizeof(val)) ?: (long)sizeof(val);
}

static long eventfd_write(struct file *f, uint64_t ubuf, uint64_t len,
			  uint64_t *pos)
{
	struct eventfd *e = f->priv;
	unsigned long flags;
	bool added = false;
	uint64_t val;
	long err;

	(void)pos;
	if (len < sizeof(val))
		return -EINVAL;
	if (copy_from_user(&val, ubuf, sizeof(val)))
		return -EFAULT;
	if (val > COUNT_MAX)
		return -EINVAL;
	while (!added) {
		err = file_wait_event(f, e->wq, READ_ONCE(e->count) <= COUNT_MAX - val);
		if (err)
			return err;
		flags = spin_lock_irqsave(&e->lock);
		if (e->count <= COUNT_MAX - val) {
			e->count += val;
			added = true;
		}
		spin_unlock_irqrestore(&e->lock, flags);
	}
	waitqueue_wake_all(&e->wq);
	return sizeof(val);
}

static unsigned eventfd_poll(struct file *f, struct poll_table *pt)
{
	struct eventfd *e = f->priv;
	uint64_t count;
	unsigned mask = 0;

	poll_wait(f, pt, &e->wq);
	count = READ_ONCE(e->count);
	if (count > 0)
		mask |= POLLIN | POLLRDNORM;
	if (count < COUNT_MAX)
		mask |= POLLOUT | POLLWRNORM;
	return mask;
}

/* An anonymous inode, as Linux's: no type bits, owner read-write. */
static void eventfd_stat(struct file *f, struct kstat *st)
{
	*st = (struct kstat){ .ino = (uintptr_t)f->priv >> 4, .mode = 0600, .nlink = 1 };
}

static void eventfd_release(struct file *f)
{
	kmem_free(f->priv);
}

static const struct file_operations eventfd_ops = {
	.read = eventfd_read,
	.write = eventfd_write,
	.stat = eventfd_stat,
	.release = eventfd_release,
	.poll = eventfd_poll,
};

SYSCALL_DEFINE2(eventfd2, uint32_t, initval, uint32_t, flags)
{
	struct eventfd *e;
	struct file *f;
	int fd;

	if (flags & ~(uint32_t)(EFD_SEMAPHORE | O_NONBLOCK | O_CLOEXEC))
		return -EINVAL;
	e = kmem_zalloc(sizeof(*e));
	if (!e)
		return -ENOMEM;
	spin_lock_init(&e->lock, "eventfd", LOCK_RANK_LEAF);
	waitqueue_init(&e->wq);
	e->count = initval;
	e->semaphore = flags & EFD_SEMAPHORE;
	f = file_alloc(&eventfd_ops, NULL, O_RDWR | (flags & O_NONBLOCK));
	if (!f) {
		kmem_free(e);
		return -ENOMEM;
	}
	f->priv = e;
	fd = fd_install(f, 0, flags & O_CLOEXEC);
	if (fd < 0)
		file_put(f);
	return fd;
}

SYSCALL_DEFINE1(eventfd, uint32_t, initval)
{
	return do_sys_eventfd2(initval, 0);
}
