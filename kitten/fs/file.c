// SPDX-License-Identifier: GPL-2.0
/*
 * Open files and the system calls that work on descriptors: read, write
 * and their vector and positioned forms, lseek, getdents64, fstat, ioctl,
 * dup and fcntl, close. Each reaches the file through its operations
 * table only (file.h); what a kind of file does is in its own file
 * (regular.c, dir.c, pipe.c, tty.c, devfs.c). Path-based calls are in
 * sys_fs.c, descriptor tables in fdtable.c.
 *
 * The file position is shared by every descriptor naming the file, in
 * all threads and forked processes: a read, write, seek or listing of a
 * file with positions holds the file's pos_lock, so two of them never
 * use the same position, as POSIX asks for regular files. Streams (pipes,
 * the console) have no position and no such lock: a reader blocked on an
 * empty pipe blocks nobody else.
 */
#define pr_fmt(fmt) "file: " fmt

#include <kitten/cpio.h>
#include <kitten/errno.h>
#include <kitten/file.h>
#include <kitten/flock.h>
#include <kitten/kmem.h>
#include <kitten/poll.h>
#include <kitten/ramfs.h>
#include <kitten/string.h>
#include <kitten/syscall.h>
#include <kitten/task.h>
#include <kitten/vfs.h>

#define IOV_MAX		1024

#define F_DUPFD		0
#define F_GETFD		1
#define F_SETFD		2
#define F_GETFL		3
#define F_SETFL		4
#define F_DUPFD_CLOEXEC	1030
#define FD_CLOEXEC	1

struct file *file_alloc(const struct file_operations *ops,
			struct inode *inode, unsigned flags)
{
	struct file *f = kmem_zalloc(sizeof(*f));

	if (f) {
		f->ops = ops;
		f->inode = inode;
		f->flags = flags;
		f->refs = 1;
		mutex_init(&f->pos_lock);
		if (inode)
			inode_get(inode);
	}
	return f;
}

int file_open(struct inode *inode, unsigned flags, struct file **out)
{
	struct file *f = file_alloc(inode->fops, inode, flags);
	int err;

	if (!f)
		return -ENOMEM;
	err = inode->iops && inode->iops->open ? inode->iops->open(inode, f) : 0;
	if (err) {
		/* Not opened: nothing of the kind's to release. */
		inode_put(f->inode);
		kmem_free(f);
		return err;
	}
	*out = f;
	return 0;
}

struct file *file_open_inode(struct inode *inode, unsigned flags)
{
	struct file *f;

	return file_open(inode, flags, &f) ? NULL : f;
}

void file_put(struct file *f)
{
	if (__atomic_sub_fetch(&f->refs, 1, __ATOMIC_ACQ_REL))
		return;
	flock_file_gone(f);
	if (f->ops->release)
		f->ops->release(f);
	if (f->inode)
		inode_put(f->inode);
	kmem_free(f);
}

static bool has_positions(const struct file *f)
{
	return f->ops->lseek != NULL;
}

/* One read or write at *pos, after the access mode allows it. */
static long transfer(struct file *f, uint64_t ubuf, uint64_t len,
		     uint64_t *pos, bool write)
{
	unsigned mode = f->flags & O_ACCMODE;

	/* In Linux's order: the access mode, the operation, the buffer. */
	if (mode == (write ? O_RDONLY : O_WRONLY))
		return -EBADF;
	if (!(write ? f->ops->write : f->ops->read))
		return -EINVAL;
	if (!user_range_ok(ubuf, len))
		return -EFAULT;
	return write ? f->ops->write(f, ubuf, len, pos) : f->ops->read(f, ubuf, len, pos);
}

long file_read_at(uint64_t fd, void *dst, uint64_t len, uint64_t off)
{
	struct file *f = fd_get(fd);
	long n;

	if (!f)
		return -EBADF;
	n = f->ops->copy_at ? f->ops->copy_at(f, dst, len, off) : -EACCES;
	file_put(f);
	return n;
}

/* read/write at the file position. */
static long rw(uint64_t fd, uint64_t buf, uint64_t len, bool write)
{
	struct file *f = fd_get(fd);
	uint64_t none = 0;
	long n;

	if (!f)
		return -EBADF;
	if (has_positions(f)) {
		mutex_lock(&f->pos_lock);
		n = transfer(f, buf, len, &f->pos, write);
		mutex_unlock(&f->pos_lock);
	} else {
		n = transfer(f, buf, len, &none, write);
	}
	file_put(f);
	return n;
}

SYSCALL_DEFINE3(read, uint64_t, fd, uint64_t, buf, uint64_t, count)
{
	return rw(fd, buf, count, false);
}

SYSCALL_DEFINE3(write, uint64_t, fd, uint64_t, buf, uint64_t, count)
{
	return rw(fd, buf, count, true);
}

static long rw_vector(uint64_t fd, uint64_t iov, uint64_t count, bool write)
{
	long total = 0;

	if (count > IOV_MAX)
		return -EINVAL;
	for (uint64_t i = 0; i < count; i++) {
		uint64_t v[2];	/* iov_base, iov_len */
		long n;

		if (copy_from_user(v, iov + i * sizeof(v), sizeof(v)))
			return total ? total : -EFAULT;
		n = rw(fd, v[0], v[1], write);
		if (n < 0)
			return total ? total : n;
		total += n;
		if ((uint64_t)n < v[1])
			break;
	}
	return total;
}

SYSCALL_DEFINE3(readv, uint64_t, fd, uint64_t, iov, uint64_t, count)
{
	return rw_vector(fd, iov, count, false);
}

SYSCALL_DEFINE3(writev, uint64_t, fd, uint64_t, iov, uint64_t, count)
{
	return rw_vector(fd, iov, count, true);
}

/* pread/pwrite: at off, leaving the file position alone. */
static long rw_at(uint64_t fd, uint64_t buf, uint64_t len, int64_t off,
		  bool write)
{
	struct file *f = fd_get(fd);
	uint64_t pos = off;
	long n;

	if (!f)
		return -EBADF;
	if (off < 0)
		n = -EINVAL;
	else if (!has_positions(f))
		n = -ESPIPE;
	else
		n = transfer(f, buf, len, &pos, write);
	file_put(f);
	return n;
}

SYSCALL_DEFINE4(pread64, uint64_t, fd, uint64_t, buf, uint64_t, len,
		uint64_t, off)
{
	return rw_at(fd, buf, len, off, false);
}

SYSCALL_DEFINE4(pwrite64, uint64_t, fd, uint64_t, buf, uint64_t, len,
		uint64_t, off)
{
	return rw_at(fd, buf, len, off, true);
}

long file_seek_in(int64_t off, int whence, uint64_t pos, uint64_t size)
{
	int64_t base = whence == SEEK_SET ? 0 :
		       whence == SEEK_CUR ? (int64_t)pos :
		       whence == SEEK_END ? (int64_t)size : -1;

	if (base < 0 || base + off < 0)
		return -EINVAL;
	return base + off;
}

SYSCALL_DEFINE3(lseek, uint64_t, fd, uint64_t, offset, uint64_t, whence)
{
	struct file *f = fd_get(fd);
	long ret;

	if (!f)
		return -EBADF;
	if (!has_positions(f)) {
		ret = -ESPIPE;
	} else {
		mutex_lock(&f->pos_lock);
		ret = f->ops->lseek(f, offset, whence, f->pos);
		if (ret >= 0)
			f->pos = ret;
		mutex_unlock(&f->pos_lock);
	}
	file_put(f);
	return ret;
}

/*
 * Set an open file's size (shm_open's objects are sized so). A kind
 * without sizes cannot (-EINVAL), nor a file not open for writing.
 */
SYSCALL_DEFINE2(ftruncate, uint64_t, fd, uint64_t, length)
{
	struct file *f = fd_get(fd);
	long err;

	if (!f)
		return -EBADF;
	if ((int64_t)length < 0 || !f->ops->truncate ||
	    (f->flags & O_ACCMODE) == O_RDONLY)
		err = -EINVAL;
	else
		err = f->ops->truncate(f, length);
	file_put(f);
	return err;
}

SYSCALL_DEFINE1(fsync, uint64_t, fd)
{
	struct file *f = fd_get(fd);
	long err;

	if (!f)
		return -EBADF;
	if (f->ops->fsync)
		err = f->ops->fsync(f);
	else
		err = f->inode ? 0 : -EINVAL;
	file_put(f);
	return err;
}

/* A 9P server's Tfsync syncs data and metadata alike. */
SYSCALL_DEFINE1(fdatasync, uint64_t, fd)
{
	return do_sys_fsync(fd);
}

/*
 * Kitten keeps no cache of another machine's files (a write to a 9P file
 * reaches the server before write returns) and the in-memory tree has no
 * disk: sync has nothing of Kitten's to write out.
 */
SYSCALL_DEFINE0(sync)
{
	return 0;
}

SYSCALL_DEFINE1(syncfs, uint64_t, fd)
{
	struct file *f = fd_get(fd);

	if (!f)
		return -EBADF;
	file_put(f);
	return 0;
}

SYSCALL_DEFINE3(getdents64, uint64_t, fd, uint64_t, buf, uint64_t, count)
{
	struct file *f = fd_get(fd);
	long ret;

	if (!f)
		return -EBADF;
	if (!f->ops->getdents) {
		ret = -ENOTDIR;
	} else {
		mutex_lock(&f->pos_lock);
		ret = f->ops->getdents(f, buf, count, &f->pos);
		mutex_unlock(&f->pos_lock);
	}
	file_put(f);
	return ret;
}

int fd_close(uint64_t fd)
{
	struct file *f = fd_remove(fd);

	if (!f)
		return -EBADF;
	flock_close(task_current()->files, f->inode);	/* POSIX: any close */
	file_put(f);
	return 0;
}

SYSCALL_DEFINE1(close, uint64_t, fd)
{
	return fd_close(fd);
}

SYSCALL_DEFINE1(dup, uint64_t, fd)
{
	struct file *f = fd_get(fd);
	int nfd;

	if (!f)
		return -EBADF;
	nfd = fd_install(f, 0, false);
	if (nfd < 0)
		file_put(f);
	return nfd;
}

SYSCALL_DEFINE2(dup2, uint64_t, fd, uint64_t, newfd)
{
	struct file *f = fd_get(fd);

	if (!f)
		return -EBADF;
	if (fd == newfd) {
		file_put(f);
		return newfd;
	}
	return fd_install_at(f, newfd, false);
}

SYSCALL_DEFINE3(dup3, uint64_t, fd, uint64_t, newfd, uint64_t, flags)
{
	struct file *f;

	if (fd == newfd || (flags & ~(uint64_t)O_CLOEXEC))
		return -EINVAL;
	f = fd_get(fd);
	if (!f)
		return -EBADF;
	return fd_install_at(f, newfd, flags & O_CLOEXEC);
}

SYSCALL_DEFINE3(fcntl, uint64_t, fd, uint64_t, cmd, uint64_t, arg)
{
	struct file *f = fd_get(fd);
	long ret = 0;
	int nfd;

	if (!f)
		return -EBADF;
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		nfd = fd_install(f, arg, cmd == F_DUPFD_CLOEXEC);
		if (nfd < 0)
			file_put(f);
		return nfd;
	case F_GETFD:
		ret = fd_cloexec(fd, -1);
		ret = ret > 0 ? FD_CLOEXEC : ret;
		break;
	case F_SETFD:
		ret = fd_cloexec(fd, arg & FD_CLOEXEC);
		ret = ret < 0 ? ret : 0;
		break;
	case F_GETFL:
		ret = READ_ONCE(f->flags) &
		      ~(O_CREAT | O_EXCL | O_TRUNC | O_CLOEXEC);
		break;
	case F_SETFL: {	/* only O_APPEND and O_NONBLOCK change */
		const unsigned settable = O_APPEND | O_NONBLOCK;
		unsigned old = READ_ONCE(f->flags), new;

		do
			new = (old & ~settable) | (arg & settable);
		while (!__atomic_compare_exchange_n(&f->flags, &old, new, false,
						    __ATOMIC_RELAXED,
						    __ATOMIC_RELAXED));
		break;
	}
	case F_GETLK:
	case F_SETLK:
	case F_SETLKW:
		ret = flock_fcntl(f, cmd, arg);
		break;
	default:
		ret = -EINVAL;	/* F_OFD_*, leases, pipe sizes, seals: not here */
	}
	file_put(f);
	return ret;
}

/* struct stat as Linux x86_64 lays it out. */
struct linux_stat {
	uint64_t dev, ino, nlink;
	uint32_t mode, uid, gid, pad0;
	uint64_t rdev;
	int64_t size, blksize, blocks;
	uint64_t atime, atime_ns, mtime, mtime_ns, ctime, ctime_ns;
	int64_t reserved[3];
};

long stat_to_user(const struct kstat *k, uint64_t buf)
{
	struct linux_stat st = {
		.ino = k->ino, .nlink = k->nlink, .mode = k->mode,
		.rdev = k->rdev, .size = k->size, .blksize = 4096,
		.blocks = (k->size + 511) / 512,
		.atime = k->mtime, .atime_ns = k->mtime_nsec,
		.mtime = k->mtime, .mtime_ns = k->mtime_nsec,
		.ctime = k->mtime, .ctime_ns = k->mtime_nsec,
	};

	return copy_to_user(buf, &st, sizeof(st));
}

/* A snapshot, as stat gives: a directory's "." and its name; a file's
 * names (0 once unlinked, while open). */
static uint32_t inode_nlink(const struct inode *inode)
{
	if (inode_is_dir(inode))
		return 2;
	if (!READ_ONCE(inode->parent))
		return inode->sb ? 1 : 0;
	return 1 + READ_ONCE(inode->other_count);
}

void inode_stat(const struct inode *inode, struct kstat *st)
{
	*st = (struct kstat){
		.ino = inode->ino,
		.size = READ_ONCE(inode->size),	/* a snapshot: no lock */
		.mode = inode->mode,
		.nlink = inode_nlink(inode),
		.rdev = inode->rdev,
	};
}

void file_stat_inode(struct file *f, struct kstat *st)
{
	inode_stat(f->inode, st);
}

long fd_stat_to_user(uint64_t fd, uint64_t buf)
{
	struct file *f = fd_get(fd);
	struct kstat st;

	if (!f)
		return -EBADF;
	f->ops->stat(f, &st);
	file_put(f);
	return stat_to_user(&st, buf);
}

SYSCALL_DEFINE2(fstat, uint64_t, fd, uint64_t, buf)
{
	return fd_stat_to_user(fd, buf);
}

SYSCALL_DEFINE3(ioctl, uint64_t, fd, uint64_t, request, uint64_t, arg)
{
	struct file *f = fd_get(fd);
	long ret;

	if (!f)
		return -EBADF;
	ret = f->ops->ioctl ? f->ops->ioctl(f, request, arg) : -ENOTTY;
	file_put(f);
	return ret;
}
