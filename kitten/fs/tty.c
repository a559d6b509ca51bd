// SPDX-License-Identifier: GPL-2.0
/*
 * The console as a file. A job's descriptors 0, 1 and 2 and an open of
 * /dev/console both get the user console's table; the init task's
 * descriptors get the kernel log's, so its reports land in the kernel's
 * log. There is no keyboard: reads see the end of the input at once.
 * Terminal control is not implemented: ioctl answers -ENOTTY, as for a
 * pipe, so C libraries buffer output fully. poll finds the console
 * always ready: writes never wait, and a read returns end of input at
 * once.
 */
#include <kitten/console.h>
#include <kitten/errno.h>
#include <kitten/file.h>
#include <kitten/poll.h>
#include <kitten/ramfs.h>
#include <kitten/syscall.h>

#define CHUNK 256

static long tty_read(struct file *f, uint64_t ubuf, uint64_t len,
		     uint64_t *pos)
{
	(void)f, (void)ubuf, (void)len, (void)pos;
	return 0;
}

/* Copy in piece by piece (kernel stacks are small) and hand each on. */
static long tty_copy_out(uint64_t ubuf, uint64_t len,
			 void (*out)(const char *buf, size_t len))
{
	char chunk[CHUNK];
	uint64_t done = 0;

	while (done < len) {
		size_t k = MIN(len - done, sizeof(chunk));

		if (copy_from_user(chunk, ubuf + done, k))
			return done ? (long)done : -EFAULT;
		out(chunk, k);
		done += k;
	}
	return done;
}

static long console_file_write(struct file *f, uint64_t ubuf, uint64_t len,
			       uint64_t *pos)
{
	(void)f, (void)pos;
	return tty_copy_out(ubuf, len, user_console_write);
}

static long kmsg_file_write(struct file *f, uint64_t ubuf, uint64_t len,
			    uint64_t *pos)
{
	(void)f, (void)pos;
	return tty_copy_out(ubuf, len, console_write);
}

static unsigned tty_poll(struct file *f, struct poll_table *pt)
{
	(void)f, (void)pt;	/* nothing ever changes: no queue to wait on */
	return POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM;
}

/* A character device, /dev/console's number, opened or inherited. */
static void tty_stat(struct file *f, struct kstat *st)
{
	*st = (struct kstat){
		.ino = f->inode ? f->inode->ino : 0,
		.mode = 0020620,
		.nlink = 1,
		.rdev = (5 << 8) | 1,
	};
}

const struct file_operations tty_console_ops = {
	.read = tty_read,
	.write = console_file_write,
	.stat = tty_stat,
	.poll = tty_poll,
};

const struct file_operations tty_kmsg_ops = {
	.read = tty_read,
	.write = kmsg_file_write,
	.stat = tty_stat,
	.poll = tty_poll,
};
