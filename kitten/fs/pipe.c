// SPDX-License-Identifier: GPL-2.0
/*
 * Pipes: a ring buffer between a read end and a write end. A reader
 * sleeps until there are bytes or no writer is left (end of file); a
 * writer sleeps while the buffer is full, and gets SIGPIPE and -EPIPE
 * when no reader is left. Both ends are files of one kind; which end a
 * file is, its access mode says. The buffer is under the pipe's spinlock;
 * the copies to and from user memory happen outside it, a chunk at a time.
 *
 * An end with O_NONBLOCK answers -EAGAIN where it would sleep. A sleeper
 * is woken by a signal: a read that got nothing, or a write that wrote
 * nothing, ends with -ERESTARTSYS (restarted after an SA_RESTART handler,
 * -EINTR otherwise); one that moved bytes returns their count. poll
 * reports the read end readable when bytes or end of file wait, the write
 * end writable when a PIPE_BUF write fits.
 */
#include <kitten/errno.h>
#include <kitten/file.h>
#include <kitten/kmem.h>
#include <kitten/poll.h>
#include <kitten/signal.h>
#include <kitten/string.h>
#include <kitten/syscall.h>
#include <kitten/task.h>
#include <kitten/waitqueue.h>

#define PIPE_SIZE	16384
#define PIPE_BUF	4096	/* POSIX: what poll promises fits */
#define CHUNK		256
#define FIONREAD	0x541b

struct pipe {
	struct spinlock lock;
	struct waitqueue wq;	/* readers and writers both wait here */
	char buf[PIPE_SIZE];
	uint64_t head, tail;	/* bytes written, bytes read */
	unsigned readers, writers;
};

static const struct file_operations pipe_ops;

int pipe_create(struct file **read_end, struct file **write_end)
{
	struct pipe *p = kmem_zalloc(sizeof(*p));

	if (!p)
		return -ENOMEM;
	spin_lock_init(&p->lock, "pipe", LOCK_RANK_LEAF);
	waitqueue_init(&p->wq);
	p->readers = p->writers = 1;
	*read_end = file_alloc(&pipe_ops, NULL, O_RDONLY);
	*write_end = file_alloc(&pipe_ops, NULL, O_WRONLY);
	if (!*read_end || !*write_end) {
		kmem_free(*read_end);
		kmem_free(*write_end);
		kmem_free(p);
		return -ENOMEM;
	}
	(*read_end)->priv = p;
	(*write_end)->priv = p;
	return 0;
}

static bool readable(struct pipe *p)
{
	return p->head != p->tail || !READ_ONCE(p->writers);
}

static bool writable(struct pipe *p)
{
	return p->head - p->tail < PIPE_SIZE || !READ_ONCE(p->readers);
}

static long pipe_read(struct file *f, uint64_t ubuf, uint64_t len,
		      uint64_t *pos)
{
	struct pipe *p = f->priv;
	char chunk[CHUNK];
	long done = 0;

	long err;

	(void)pos;
	if (!len)
		return 0;
	err = file_wait_event(f, p->wq, readable(p));
	if (err)
		return err;
	while ((uint64_t)done < len) {
		unsigned long flags = spin_lock_irqsave(&p->lock);
		size_t n = MIN(MIN(len - done, sizeof(chunk)), p->head - p->tail);

		for (size_t i = 0; i < n; i++)
			chunk[i] = p->buf[(p->tail + i) % PIPE_SIZE];
		p->tail += n;
		spin_unlock_irqrestore(&p->lock, flags);
		if (!n)
			break;
		if (copy_to_user(ubuf + done, chunk, n))
			return done ? done : -EFAULT;
		done += n;
	}
	waitqueue_wake_all(&p->wq);
	return done;
}

static long pipe_write(struct file *f, uint64_t ubuf, uint64_t len,
		       uint64_t *pos)
{
	struct pipe *p = f->priv;
	char chunk[CHUNK];
	long done = 0;

	(void)pos;
	while ((uint64_t)done < len) {
		size_t n = MIN(len - done, sizeof(chunk)), room;
		unsigned long flags;
		long err;

		if (copy_from_user(chunk, ubuf + done, n))
			return done ? done : -EFAULT;
		err = file_wait_event(f, p->wq, writable(p));
		if (err)
			return done ? done : err;
		if (!READ_ONCE(p->readers)) {
			signal_raise(SIGPIPE);	/* the writing thread's */
			return done ? done : -EPIPE;
		}
		flags = spin_lock_irqsave(&p->lock);
		room = PIPE_SIZE - (p->head - p->tail);
		n = MIN(n, room);
		for (size_t i = 0; i < n; i++)
			p->buf[(p->head + i) % PIPE_SIZE] = chunk[i];
		p->head += n;
		spin_unlock_irqrestore(&p->lock, flags);
		done += n;
		waitqueue_wake_all(&p->wq);
	}
	return done;
}

/* FIONREAD: the bytes a read would get now. */
static long pipe_ioctl(struct file *f, unsigned cmd, uint64_t arg)
{
	struct pipe *p = f->priv;
	int avail;

	if (cmd != FIONREAD)
		return -ENOTTY;
	avail = READ_ONCE(p->head) - READ_ONCE(p->tail);
	return copy_to_user(arg, &avail, sizeof(avail));
}

static unsigned pipe_poll(struct file *f, struct poll_table *pt)
{
	struct pipe *p = f->priv;
	uint64_t used = READ_ONCE(p->head) - READ_ONCE(p->tail);
	unsigned mask = 0;

	poll_wait(f, pt, &p->wq);
	if ((f->flags & O_ACCMODE) == O_RDONLY) {
		if (used)
			mask |= POLLIN | POLLRDNORM;
		if (!READ_ONCE(p->writers))
			mask |= POLLHUP;
	} else {
		if (PIPE_SIZE - used >= PIPE_BUF)
			mask |= POLLOUT | POLLWRNORM;
		if (!READ_ONCE(p->readers))
			mask |= POLLERR;
	}
	return mask;
}

static void pipe_stat(struct file *f, struct kstat *st)
{
	*st = (struct kstat){
		.ino = (uintptr_t)f->priv >> 4,	/* both ends agree */
		.mode = 0010600,		/* S_IFIFO */
		.nlink = 1,
	};
}

static void pipe_close(struct file *f)
{
	struct pipe *p = f->priv;
	unsigned long flags = spin_lock_irqsave(&p->lock);
	bool last;

	if ((f->flags & O_ACCMODE) == O_RDONLY)
		p->readers--;
	else
		p->writers--;
	last = !p->readers && !p->writers;
	spin_unlock_irqrestore(&p->lock, flags);
	if (last)
		kmem_free(p);
	else
		waitqueue_wake_all(&p->wq);
}

static const struct file_operations pipe_ops = {
	.read = pipe_read,
	.write = pipe_write,
	.ioctl = pipe_ioctl,
	.stat = pipe_stat,
	.release = pipe_close,
	.anon_name = "pipe",
	.poll = pipe_poll,
};
