// SPDX-License-Identifier: GPL-2.0
/*
 * signalfd: blocked signals read from a file instead of run as handlers.
 *
 * A signalfd holds a set of signals. A read takes the lowest of them
 * pending for the reading thread, through signal_dequeue() in signal.c
 * (delivery stays there: nothing here decides who gets a signal), and
 * reports it as struct signalfd_siginfo, as many as fit. With none
 * pending it sleeps on signal_wq, which every new pending signal wakes;
 * poll reports POLLIN while one is pending. The signals must be blocked
 * (sigprocmask), as on Linux, or a handler or default action takes them
 * first on the way back to user mode. Pending signals are per thread
 * here: a signal sent to the process goes to a thread that does not
 * block it, or the first, and that thread's signalfd reads it.
 */
#include <kitten/errno.h>
#include <kitten/file.h>
#include <kitten/kmem.h>
#include <kitten/poll.h>
#include <kitten/signal.h>
#include <kitten/string.h>
#include <kitten/syscall.h>
#include <kitten/task.h>

#define UNBLOCKABLE	((1ULL << (SIGKILL - 1)) | (1ULL << (SIGSTOP - 1)))

struct signalfd_siginfo {
	uint32_t signo;
	int32_t errno_, code;
	uint32_t pid, uid;
	int32_t fd;
	uint32_t tid, band, overrun, trapno;
	int32_t status, int_;
	uint64_t ptr, utime, stime, addr;
	uint16_t addr_lsb;
	uint8_t pad[46];
};

_Static_assert(sizeof(struct signalfd_siginfo) == 128, "Linux's size");

static const struct file_operations signalfd_ops;

static uint64_t mask_of(struct file *f)
{
	return __atomic_load_n((uint64_t *)f->priv, __ATOMIC_RELAXED);
}

static bool any_pending(struct file *f)
{
	return __atomic_load_n(&task_current()->sig_pending, __ATOMIC_ACQUIRE) &
	       mask_of(f);
}

static long signalfd_read(struct file *f, uint64_t ubuf, uint64_t len,
			  uint64_t *pos)
{
	struct signalfd_siginfo info;
	struct sig_sender from;
	long done = 0;
	long err;
	int sig;

	(void)pos;
	if (len < sizeof(info))
		return -EINVAL;
	while ((uint64_t)done + sizeof(info) <= len) {
		sig = signal_dequeue(mask_of(f), &from);
		if (!sig) {
			if (done)
				break;
			err = file_wait_event(f, signal_wq, any_pending(f));
			if (err)
				return err;
			continue;
		}
		memset(&info, 0, sizeof(info));
		info.signo = sig;
		info.code = from.code;
		info.pid = from.pid;
		info.uid = from.uid;
		if (copy_to_user(ubuf + done, &info, sizeof(info)))
			return done ? done : -EFAULT;
		done += sizeof(info);
	}
	return done;
}

static unsigned signalfd_poll(struct file *f, struct poll_table *pt)
{
	poll_wait(f, pt, &signal_wq);
	return any_pending(f) ? POLLIN | POLLRDNORM : 0;
}

static void signalfd_stat(struct file *f, struct kstat *st)
{
	*st = (struct kstat){ .ino = (uintptr_t)f->priv >> 4, .mode = 0600, .nlink = 1 };
}

static void signalfd_release(struct file *f)
{
	kmem_free(f->priv);
}

static const struct file_operations signalfd_ops = {
	.read = signalfd_read,
	.stat = signalfd_stat,
	.release = signalfd_release,
	.poll = signalfd_poll,
};

SYSCALL_DEFINE4(signalfd4, int32_t, fd, uint64_t, umask, uint64_t, size,
		uint64_t, flags)
{
	uint64_t mask, *held;
	struct file *f;
	int nfd;

	if (flags & ~(uint64_t)(O_NONBLOCK | O_CLOEXEC))
		return -EINVAL;
	if (size != sizeof(mask))
		return -EINVAL;
	if (copy_from_user(&mask, umask, sizeof(mask)))
		return -EFAULT;
	mask &= ~UNBLOCKABLE;
	if (fd != -1) {	/* a new set for an existing signalfd */
		f = fd_get(fd);
		if (!f)
			return -EBADF;
		if (f->ops != &signalfd_ops) {
			file_put(f);
			return -EINVAL;
		}
		__atomic_store_n((uint64_t *)f->priv, mask, __ATOMIC_RELAXED);
		waitqueue_wake_all(&signal_wq);	/* pollers look again */
		file_put(f);
		return fd;
	}
	held = kmem_alloc(sizeof(*held));
	if (!held)
		return -ENOMEM;
	*held = mask;
	f = file_alloc(&signalfd_ops, NULL, O_RDONLY | (flags & O_NONBLOCK));
	if (!f) {
		kmem_free(held);
		return -ENOMEM;
	}
	f->priv = held;
	nfd = fd_install(f, 0, flags & O_CLOEXEC);
	if (nfd < 0)
		file_put(f);
	return nfd;
}

SYSCALL_DEFINE3(signalfd, int32_t, fd, uint64_t, umask, uint64_t, size)
{
	return do_sys_signalfd4(fd, umask, size, 0);
}
