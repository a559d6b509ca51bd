// SPDX-License-Identifier: GPL-2.0
/*
 * File-descriptor tables. The threads of a process share one table, so
 * every look at a slot, the close-on-exec flags and the working
 * directory is made under the table's spinlock, and a file or inode taken
 * out of the table is referenced before the lock is dropped: a close or
 * chdir on another CPU then only drops the table's reference. Files are
 * put after the lock is released (putting may free memory and wake a
 * pipe's other end).
 */
#include <kitten/errno.h>
#include <kitten/file.h>
#include <kitten/flock.h>
#include <kitten/kmem.h>
#include <kitten/ramfs.h>
#include <kitten/rlimit.h>
#include <kitten/task.h>

static struct fdtable *table_new(void)
{
	struct fdtable *t = kmem_zalloc(sizeof(*t));

	if (t) {
		t->refs = 1;
		spin_lock_init(&t->lock, "fdtable", LOCK_RANK_LEAF);
	}
	return t;
}

struct fdtable *fdtable_create(bool kernel_log)
{
	struct fdtable *t = table_new();
	struct file *console;

	if (!t)
		return NULL;
	console = file_alloc(kernel_log ? &tty_kmsg_ops : &tty_console_ops,
			     NULL, O_RDWR);
	if (!console) {
		kmem_free(t);
		return NULL;
	}
	console->refs = 3;
	for (int fd = 0; fd < 3; fd++)
		t->fd[fd] = console;
	t->cwd = fdtable_cwd();	/* a job starts where its creator is */
	return t;
}

void fdtable_get(struct fdtable *t)
{
	__atomic_fetch_add(&t->refs, 1, __ATOMIC_RELAXED);
}

void fdtable_put(struct fdtable *t)
{
	if (__atomic_sub_fetch(&t->refs, 1, __ATOMIC_ACQ_REL))
		return;
	flock_table_gone(t);	/* the process's record locks */
	for (int fd = 0; fd < FD_MAX; fd++)
		if (t->fd[fd])
			file_put(t->fd[fd]);
	if (t->cwd)
		inode_put(t->cwd);
	kmem_free(t);
}

struct fdtable *fdtable_clone(struct fdtable *t)
{
	struct fdtable *c = table_new();
	unsigned long flags;

	if (!c)
		return NULL;
	flags = spin_lock_irqsave(&t->lock);
	for (int fd = 0; fd < FD_MAX; fd++) {
		c->fd[fd] = t->fd[fd];
		c->cloexec[fd] = t->cloexec[fd];
		if (c->fd[fd])
			__atomic_fetch_add(&c->fd[fd]->refs, 1,
					   __ATOMIC_RELAXED);
	}
	c->cwd = t->cwd;
	if (c->cwd)
		inode_get(c->cwd);
	spin_unlock_irqrestore(&t->lock, flags);
	return c;
}

void fdtable_close_on_exec(struct fdtable *t)
{
	for (int fd = 0; fd < FD_MAX; fd++) {
		struct file *f = NULL;
		unsigned long flags = spin_lock_irqsave(&t->lock);

		if (t->cloexec[fd]) {
			f = t->fd[fd];
			t->fd[fd] = NULL;
			t->cloexec[fd] = false;
		}
		spin_unlock_irqrestore(&t->lock, flags);
		if (f)
			file_put(f);
	}
}

struct inode *fdtable_cwd(void)
{
	struct fdtable *t = task_current()->files;
	struct inode *dir = NULL;
	unsigned long flags;

	if (t) {
		flags = spin_lock_irqsave(&t->lock);
		dir = t->cwd;
		if (dir)
			inode_get(dir);
		spin_unlock_irqrestore(&t->lock, flags);
	}
	return dir ? dir : ramfs_root();
}

void fdtable_set_cwd(struct inode *dir)
{
	struct fdtable *t = task_current()->files;
	unsigned long flags = spin_lock_irqsave(&t->lock);
	struct inode *old = t->cwd;

	t->cwd = dir;
	spin_unlock_irqrestore(&t->lock, flags);
	if (old)
		inode_put(old);
}

/* Descriptors are ints: only the low 32 bits of the register count. */
static uint64_t fd_number(uint64_t arg)
{
	int fd = (int)arg;

	return fd < 0 ? FD_MAX : (uint64_t)fd;
}

struct file *fd_get(uint64_t fd)
{
	struct fdtable *t = task_current()->files;
	struct file *f = NULL;
	unsigned long flags;

	fd = fd_number(fd);
	if (!t || fd >= FD_MAX)
		return NULL;
	flags = spin_lock_irqsave(&t->lock);
	f = t->fd[fd];
	if (f)
		__atomic_fetch_add(&f->refs, 1, __ATOMIC_RELAXED);
	spin_unlock_irqrestore(&t->lock, flags);
	return f;
}

int fd_install(struct file *f, int min, bool cloexec)
{
	struct fdtable *t = task_current()->files;
	int limit = rlimit_nofile();	/* RLIMIT_NOFILE: at most FD_MAX */
	unsigned long flags;
	int fd = -EMFILE;

	if (!t || min < 0)
		return -EMFILE;
	if (min >= limit)	/* F_DUPFD beyond the limit, or no room */
		return min ? -EINVAL : -EMFILE;
	flags = spin_lock_irqsave(&t->lock);
	for (int i = min; i < limit; i++)
		if (!t->fd[i]) {
			t->fd[i] = f;
			t->cloexec[i] = cloexec;
			fd = i;
			break;
		}
	spin_unlock_irqrestore(&t->lock, flags);
	return fd;
}

long fd_install_at(struct file *f, uint64_t fd, bool cloexec)
{
	struct fdtable *t = task_current()->files;
	struct file *old;
	unsigned long flags;

	fd = fd_number(fd);
	if (fd >= rlimit_nofile()) {
		file_put(f);
		return -EBADF;
	}
	flags = spin_lock_irqsave(&t->lock);
	old = t->fd[fd];
	t->fd[fd] = f;
	t->cloexec[fd] = cloexec;
	spin_unlock_irqrestore(&t->lock, flags);
	if (old)
		file_put(old);
	return fd;
}

struct file *fd_remove(uint64_t fd)
{
	struct fdtable *t = task_current()->files;
	struct file *f;
	unsigned long flags;

	fd = fd_number(fd);
	if (!t || fd >= FD_MAX)
		return NULL;
	flags = spin_lock_irqsave(&t->lock);
	f = t->fd[fd];
	t->fd[fd] = NULL;
	t->cloexec[fd] = false;
	spin_unlock_irqrestore(&t->lock, flags);
	return f;
}

long fd_cloexec(uint64_t fd, int set)
{
	struct fdtable *t = task_current()->files;
	unsigned long flags;
	long ret;

	fd = fd_number(fd);
	if (!t || fd >= FD_MAX)
		return -EBADF;
	flags = spin_lock_irqsave(&t->lock);
	ret = t->fd[fd] ? t->cloexec[fd] : -EBADF;
	if (t->fd[fd] && set >= 0)
		t->cloexec[fd] = set;
	spin_unlock_irqrestore(&t->lock, flags);
	return ret;
}
