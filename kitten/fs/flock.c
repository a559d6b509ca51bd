// SPDX-License-Identifier: GPL-2.0
/*
 * File locks: POSIX record locks and flock().
 *
 * Every lock is a record on one list: its inode, byte range (inclusive,
 * to UINT64_MAX for "to the end, however far"), type, and owner. A POSIX
 * lock's owner is a process, named by its descriptor table (shared by
 * its threads, a new one after fork, as Linux's owner is); setting one
 * replaces the owner's own locks where the ranges overlap, splitting
 * them, and conflicts only with other owners' locks: two read locks
 * share, a write lock shares with nothing. A flock() lock's owner is the
 * open file and covers the whole file; the two kinds never conflict with
 * each other, as on Linux.
 *
 * A blocked F_SETLKW or flock() sleeps on one queue woken by every
 * release, and checks again; a signal ends the wait (-ERESTARTSYS).
 * Deadlocks between two waiting processes are not detected (Linux
 * answers -EDEADLK). Open file description locks (F_OFD_*) are not
 * implemented (-EINVAL). The list is small (HPC jobs lock few files) and
 * under one spinlock; a count lets closes skip it when nothing is locked.
 */
#include <kitten/aspace.h>
#include <kitten/errno.h>
#include <kitten/file.h>
#include <kitten/flock.h>
#include <kitten/kmem.h>
#include <kitten/poll.h>
#include <kitten/syscall.h>
#include <kitten/task.h>

#define F_RDLCK		0
#define F_WRLCK		1
#define F_UNLCK		2

#define LOCK_SH		1
#define LOCK_EX		2
#define LOCK_NB		4
#define LOCK_UN		8

#define END		UINT64_MAX

struct flock_k {
	int16_t type, whence;
	int32_t pad;
	int64_t start, len;
	int32_t pid, pad2;
};

struct lock {
	struct list_head node;
	const struct inode *inode;
	const void *owner;		/* fdtable (POSIX) or file (flock) */
	bool flock;
	int type;			/* F_RDLCK or F_WRLCK */
	uint64_t start, end;
	uint32_t pid;
};

static struct spinlock locks_lock = SPINLOCK_INIT("file locks", LOCK_RANK_LEAF);
static LIST_HEAD(locks);
static unsigned nlocks;
static struct waitqueue released = {
	.lock = SPINLOCK_INIT("file lock waiters", LOCK_RANK_WAITQUEUE),
	.waiters = LIST_HEAD_INIT(released.waiters),
};

/* What a new lock would be: who, where, how. */
struct want {
	const struct inode *inode;
	const void *owner;
	bool flock;
	int type;
	uint64_t start, end;
};

/* The first lock in the way of w; locks_lock held. */
static struct lock *conflict(const struct want *w)
{
	struct lock *l;

	list_for_each_entry(l, &locks, node)
		if (l->inode == w->inode && l->flock == w->flock &&
		    l->owner != w->owner && l->start <= w->end &&
		    w->start <= l->end &&
		    (l->type == F_WRLCK || w->type == F_WRLCK))
			return l;
	return NULL;
}

static bool free_of_conflict(const struct want *w)
{
	unsigned long flags = spin_lock_irqsave(&locks_lock);
	bool none = !conflict(w);

	spin_unlock_irqrestore(&locks_lock, flags);
	return none;
}

static void drop(struct lock *l, struct list_head *dead)
{
	list_del(&l->node);
	list_add_tail(&l->node, dead);
	nlocks--;
}

/*
 * Take w's owner's locks off [start, end] of the inode (splitting one
 * that covers more on both sides into spare); locks_lock held.
 */
static void carve(const struct want *w, struct lock **spare,
		  struct list_head *dead)
{
	struct lock *l, *next;

	list_for_each_entry_safe(l, next, &locks, node) {
		if (l->inode != w->inode || l->owner != w->owner ||
		    l->flock != w->flock || l->end < w->start || w->end < l->start)
			continue;
		if (l->start < w->start && l->end > w->end) {
			struct lock *tail = *spare;

			*spare = NULL;
			*tail = *l;
			tail->start = w->end + 1;
			l->end = w->start - 1;
			list_add_tail(&tail->node, &locks);
			nlocks++;
		} else if (l->start < w->start) {
			l->end = w->start - 1;
		} else if (l->end > w->end) {
			l->start = w->end + 1;
		} else {
			drop(l, dead);
		}
	}
}

static void free_dead(struct list_head *dead)
{
	bool any = !list_empty(dead);

	while (!list_empty(dead)) {
		struct lock *l = list_first_entry(dead, struct lock, node);

		list_del(&l->node);
		kmem_free(l);
	}
	if (any)
		waitqueue_wake_all(&released);
}

/* Set (or with F_UNLCK, clear) w; wait if asked. 0 or -errno. */
static long set_lock(const struct want *w, bool wait)
{
	struct lock *add = kmem_zalloc(sizeof(*add)), *spare = kmem_zalloc(sizeof(*spare));
	struct list_head dead;
	unsigned long flags;
	long err = 0;

	list_init(&dead);
	if (!add || !spare) {
		kmem_free(add);
		kmem_free(spare);
		return -ENOLCK;
	}
	for (;;) {
		flags = spin_lock_irqsave(&locks_lock);
		if (w->type == F_UNLCK || !conflict(w))
			break;
		spin_unlock_irqrestore(&locks_lock, flags);
		err = wait_event_nonblock(released, free_of_conflict(w), !wait);
		if (err) {
			kmem_free(add);
			kmem_free(spare);
			return err;
		}
	}
	carve(w, &spare, &dead);
	if (w->type != F_UNLCK) {
		*add = (struct lock){ .inode = w->inode, .owner = w->owner,
				      .flock = w->flock, .type = w->type,
				      .start = w->start, .end = w->end,
				      .pid = task_current()->aspace->leader_id };
		list_add_tail(&add->node, &locks);
		nlocks++;
		add = NULL;
	}
	spin_unlock_irqrestore(&locks_lock, flags);
	kmem_free(add);
	kmem_free(spare);
	/* A downgrade or an unlock may let others in. */
	waitqueue_wake_all(&released);
	free_dead(&dead);
	return 0;
}

/* struct flock's range on f, as [start, end]; 0 or -EINVAL. */
static long range_of(struct file *f, const struct flock_k *fl, uint64_t *start,
		     uint64_t *end)
{
	struct kstat st;
	int64_t base, s;

	switch (fl->whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = READ_ONCE(f->pos);
		break;
	case SEEK_END:
		f->ops->stat(f, &st);
		base = st.size;
		break;
	default:
		return -EINVAL;
	}
	s = base + fl->start;
	if (fl->len < 0) {
		s += fl->len;
		if (s < 0)
			return -EINVAL;
		*start = s;
		*end = base + fl->start - 1;
		return 0;
	}
	if (s < 0)
		return -EINVAL;
	*start = s;
	*end = fl->len ? (uint64_t)s + fl->len - 1 : END;
	return 0;
}

long flock_fcntl(struct file *f, unsigned cmd, uint64_t arg)
{
	struct want w = { .inode = f->inode, .owner = task_current()->files };
	unsigned mode = f->flags & O_ACCMODE;
	unsigned long flags;
	struct flock_k fl;
	struct lock *l;
	long err;

	if (copy_from_user(&fl, arg, sizeof(fl)))
		return -EFAULT;
	if (!f->inode)
		return -EINVAL;	/* pipes and sockets: nothing to lock */
	if (fl.type != F_RDLCK && fl.type != F_WRLCK && fl.type != F_UNLCK)
		return -EINVAL;
	err = range_of(f, &fl, &w.start, &w.end);
	if (err)
		return err;
	w.type = fl.type;
	if (cmd == F_GETLK) {
		if (fl.type == F_UNLCK)
			return -EINVAL;
		flags = spin_lock_irqsave(&locks_lock);
		l = conflict(&w);
		if (l) {
			fl.type = l->type;
			fl.whence = SEEK_SET;
			fl.start = l->start;
			fl.len = l->end == END ? 0 : l->end - l->start + 1;
			fl.pid = l->pid;
		} else {
			fl.type = F_UNLCK;
		}
		spin_unlock_irqrestore(&locks_lock, flags);
		return copy_to_user(arg, &fl, sizeof(fl));
	}
	if ((fl.type == F_RDLCK && mode == O_WRONLY) ||
	    (fl.type == F_WRLCK && mode == O_RDONLY))
		return -EBADF;
	return set_lock(&w, cmd == F_SETLKW);
}

SYSCALL_DEFINE2(flock, uint64_t, fd, uint64_t, op)
{
	struct file *f = fd_get(fd);
	struct want w = { .flock = true, .start = 0, .end = END };
	long err;

	if (!f)
		return -EBADF;
	w.inode = f->inode;
	w.owner = f;
	switch (op & ~(uint64_t)LOCK_NB) {
	case LOCK_SH:
		w.type = F_RDLCK;
		break;
	case LOCK_EX:
		w.type = F_WRLCK;
		break;
	case LOCK_UN:
		w.type = F_UNLCK;
		break;
	default:
		file_put(f);
		return -EINVAL;
	}
	if (!f->inode) {
		file_put(f);
		return -EINVAL;
	}
	/* A conversion gives up the old lock first, as Linux's does. */
	if (w.type != F_UNLCK) {
		struct want un = w;

		un.type = F_UNLCK;
		set_lock(&un, false);
	}
	err = set_lock(&w, !(op & LOCK_NB));
	file_put(f);
	return err;
}

/* Drop every lock matching (inode or any, owner, kind). */
static void release(const struct inode *inode, const void *owner, bool flock)
{
	struct list_head dead;
	struct lock *l, *next;
	unsigned long flags;

	if (!READ_ONCE(nlocks))
		return;
	list_init(&dead);
	flags = spin_lock_irqsave(&locks_lock);
	list_for_each_entry_safe(l, next, &locks, node)
		if (l->owner == owner && l->flock == flock &&
		    (!inode || l->inode == inode))
			drop(l, &dead);
	spin_unlock_irqrestore(&locks_lock, flags);
	free_dead(&dead);
}

void flock_close(struct fdtable *t, struct inode *inode)
{
	if (inode)
		release(inode, t, false);
}

void flock_table_gone(struct fdtable *t)
{
	release(NULL, t, false);
}

void flock_file_gone(struct file *f)
{
	if (f->inode)
		release(f->inode, f, true);
}
