// SPDX-License-Identifier: GPL-2.0
/*
 * File descriptors and the system calls that work on them: read, write
 * and their vector and positioned forms, lseek, fstat, ioctl, dup and
 * fcntl, close. Path-based calls are in sys_fs.c.
 */
#define pr_fmt(fmt) "file: " fmt

#include <kitten/console.h>
#include <kitten/cpio.h>
#include <kitten/errno.h>
#include <kitten/file.h>
#include <kitten/kmem.h>
#include <kitten/ramfs.h>
#include <kitten/string.h>
#include <kitten/syscall.h>
#include <kitten/task.h>

#define SEEK_SET	0
#define SEEK_CUR	1
#define SEEK_END	2
#define IO_CHUNK	256
#define IOV_MAX		1024

#define F_DUPFD		0
#define F_GETFD		1
#define F_SETFD		2
#define F_GETFL		3
#define F_SETFL		4
#define F_DUPFD_CLOEXEC	1030
#define FD_CLOEXEC	1

struct file *file_open_inode(struct inode *inode, unsigned flags)
{
	struct file *f = kmem_zalloc(sizeof(*f));

	if (f) {
		f->inode = inode;
		f->flags = flags;
		f->refs = 1;
		if (inode)
			inode_get(inode);
	}
	return f;
}

void file_put(struct file *f)
{
	if (__atomic_sub_fetch(&f->refs, 1, __ATOMIC_ACQ_REL))
		return;
	if (f->inode)
		inode_put(f->inode);
	if (f->pipe)
		pipe_close(f);
	kmem_free(f);
}

struct fdtable *fdtable_create(bool kernel_log)
{
	struct fdtable *t = kmem_zalloc(sizeof(*t));
	struct file *console;

	if (!t)
		return NULL;
	console = file_open_inode(NULL, O_RDWR);
	if (!console) {
		kmem_free(t);
		return NULL;
	}
	t->refs = 1;
	spin_lock_init(&t->lock, "fdtable", LOCK_RANK_LEAF);
	console->kernel_log = kernel_log;
	console->refs = 3;
	for (int fd = 0; fd < 3; fd++)
		t->fd[fd] = console;
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
	for (int fd = 0; fd < FD_MAX; fd++)
		if (t->fd[fd])
			file_put(t->fd[fd]);
	if (t->cwd)
		inode_put(t->cwd);
	kmem_free(t);
}

/* Descriptors are ints: only the low 32 bits of the register count. */
static uint64_t fd_number(uint64_t arg)
{
	int fd = (int)arg;

	return fd < 0 ? FD_MAX : (uint64_t)fd;
}

struct fdtable *fdtable_clone(struct fdtable *t)
{
	struct fdtable *c = kmem_zalloc(sizeof(*c));
	unsigned long flags;

	if (!c)
		return NULL;
	c->refs = 1;
	spin_lock_init(&c->lock, "fdtable", LOCK_RANK_LEAF);
	flags = spin_lock_irqsave(&t->lock);
	for (int fd = 0; fd < FD_MAX; fd++) {
		c->fd[fd] = t->fd[fd];
		c->cloexec[fd] = t->cloexec[fd];
		if (c->fd[fd])
			__atomic_fetch_add(&c->fd[fd]->refs, 1, __ATOMIC_RELAXED);
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
	unsigned long flags;
	int fd = -EMFILE;

	if (!t || min < 0 || min >= FD_MAX)
		return min >= FD_MAX ? -EINVAL : -EMFILE;
	flags = spin_lock_irqsave(&t->lock);
	for (int i = min; i < FD_MAX; i++)
		if (!t->fd[i]) {
			t->fd[i] = f;
			t->cloexec[i] = cloexec;
			fd = i;
			break;
		}
	spin_unlock_irqrestore(&t->lock, flags);
	return fd;
}

static bool is_dir(const struct inode *n)
{
	return (n->mode & CPIO_S_IFMT) == CPIO_S_IFDIR;
}

/* Read from f at off into user memory; bytes read or -errno. */
static long do_read(struct file *f, uint64_t ubuf, uint64_t len, uint64_t off)
{
	struct inode *n = f->inode;
	char chunk[IO_CHUNK];
	long done = 0;

	if ((f->flags & O_ACCMODE) == O_WRONLY)
		return -EBADF;
	if (f->pipe)
		return pipe_read(f, ubuf, len);
	if (!n)
		return 0;	/* the console gives no input yet */
	if (is_dir(n))
		return -EISDIR;
	if (!n->ops) {
		uint64_t left = off < n->size ? n->size - off : 0;

		len = MIN(len, left);
		if (len && copy_to_user(ubuf, (const char *)n->data + off, len))
			return -EFAULT;
		return len;
	}
	while ((uint64_t)done < len) {
		long got = n->ops->read ? n->ops->read(n, chunk,
					MIN(len - done, sizeof(chunk)), off + done)
					: -EINVAL;

		if (got <= 0)
			return done ? done : got;
		if (copy_to_user(ubuf + done, chunk, got))
			return done ? done : -EFAULT;
		done += got;
		if ((uint64_t)got < sizeof(chunk))
			break;
	}
	return done;
}

/* Write user memory to f at off; bytes written or -errno. */
static long do_write(struct file *f, uint64_t ubuf, uint64_t len, uint64_t off)
{
	struct inode *n = f->inode;
	char chunk[IO_CHUNK];
	long done = 0;

	if ((f->flags & O_ACCMODE) == O_RDONLY && (n || f->pipe))
		return -EBADF;
	if (f->pipe)
		return pipe_write(f, ubuf, len);
	if (n && is_dir(n))
		return -EISDIR;
	while ((uint64_t)done < len) {
		size_t k = MIN(len - done, sizeof(chunk));
		long err = 0;

		if (copy_from_user(chunk, ubuf + done, k))
			return done ? done : -EFAULT;
		if (!n && f->kernel_log)
			console_write(chunk, k);
		else if (!n)
			user_console_write(chunk, k);
		else if (n->ops)
			err = n->ops->write ? n->ops->write(n, chunk, k, off + done)
					    : -EINVAL;
		else
			err = inode_write(n, off + done, chunk, k);
		if (err < 0)
			return done ? done : err;
		done += k;
	}
	return done;
}

long file_read_at(uint64_t fd, void *dst, uint64_t len, uint64_t off)
{
	struct file *f = fd_get(fd);
	long n;

	if (!f)
		return -EBADF;
	if (!f->inode || f->inode->ops || is_dir(f->inode)) {
		file_put(f);
		return -EACCES;
	}
	n = off < f->inode->size ? (long)MIN(len, f->inode->size - off) : 0;
	memcpy(dst, (const char *)f->inode->data + off, n);
	file_put(f);
	return n;
}

/* read/write at the file position (appending when O_APPEND). */
static long rw(uint64_t fd, uint64_t buf, uint64_t len, bool write)
{
	struct file *f = fd_get(fd);
	long n;

	if (!f)
		return -EBADF;
	if (write && f->inode && (f->flags & O_APPEND))
		f->pos = f->inode->size;
	n = write ? do_write(f, buf, len, f->pos) : do_read(f, buf, len, f->pos);
	if (n > 0)
		f->pos += n;
	file_put(f);
	return n;
}

long sys_read(uint64_t fd, uint64_t buf, uint64_t count, uint64_t a3,
	      uint64_t a4, uint64_t a5)
{
	(void)a3, (void)a4, (void)a5;
	return rw(fd, buf, count, false);
}

long sys_write(uint64_t fd, uint64_t buf, uint64_t count, uint64_t a3,
	       uint64_t a4, uint64_t a5)
{
	(void)a3, (void)a4, (void)a5;
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

long sys_readv(uint64_t fd, uint64_t iov, uint64_t count, uint64_t a3,
	       uint64_t a4, uint64_t a5)
{
	(void)a3, (void)a4, (void)a5;
	return rw_vector(fd, iov, count, false);
}

long sys_writev(uint64_t fd, uint64_t iov, uint64_t count, uint64_t a3,
		uint64_t a4, uint64_t a5)
{
	(void)a3, (void)a4, (void)a5;
	return rw_vector(fd, iov, count, true);
}

static long rw_at(uint64_t fd, uint64_t buf, uint64_t len, int64_t off,
		  bool write)
{
	struct file *f = fd_get(fd);
	long n;

	if (!f)
		return -EBADF;
	if (off < 0)
		n = -EINVAL;
	else if (!f->inode)
		n = -ESPIPE;	/* consoles and pipes have no offsets */
	else
		n = write ? do_write(f, buf, len, off) : do_read(f, buf, len, off);
	file_put(f);
	return n;
}

long sys_pread64(uint64_t fd, uint64_t buf, uint64_t len, uint64_t off,
		 uint64_t a4, uint64_t a5)
{
	(void)a4, (void)a5;
	return rw_at(fd, buf, len, off, false);
}

long sys_pwrite64(uint64_t fd, uint64_t buf, uint64_t len, uint64_t off,
		  uint64_t a4, uint64_t a5)
{
	(void)a4, (void)a5;
	return rw_at(fd, buf, len, off, true);
}

long sys_lseek(uint64_t fd, uint64_t offset, uint64_t whence, uint64_t a3,
	       uint64_t a4, uint64_t a5)
{
	struct file *f = fd_get(fd);
	int64_t base, pos;
	long ret;

	(void)a3, (void)a4, (void)a5;
	if (!f)
		return -EBADF;
	if (!f->inode) {	/* a console or a pipe */
		file_put(f);
		return -ESPIPE;
	}
	base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? (int64_t)f->pos :
	       whence == SEEK_END ? (int64_t)f->inode->size : -1;
	pos = base + (int64_t)offset;
	if (whence > SEEK_END || pos < 0) {
		ret = -EINVAL;
	} else {
		f->pos = pos;
		ret = pos;
	}
	file_put(f);
	return ret;
}

long sys_close(uint64_t fd, uint64_t a1, uint64_t a2, uint64_t a3,
	       uint64_t a4, uint64_t a5)
{
	struct fdtable *t = task_current()->files;
	struct file *f = NULL;
	unsigned long flags;

	(void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	fd = fd_number(fd);
	if (!t || fd >= FD_MAX)
		return -EBADF;
	flags = spin_lock_irqsave(&t->lock);
	f = t->fd[fd];
	t->fd[fd] = NULL;
	spin_unlock_irqrestore(&t->lock, flags);
	if (!f)
		return -EBADF;
	file_put(f);
	return 0;
}

/* Put f at exactly newfd, closing what was there. */
static long dup_to(struct file *f, uint64_t newfd, bool cloexec)
{
	struct fdtable *t = task_current()->files;
	struct file *old;
	unsigned long flags;

	newfd = fd_number(newfd);
	if (newfd >= FD_MAX) {
		file_put(f);
		return -EBADF;
	}
	flags = spin_lock_irqsave(&t->lock);
	old = t->fd[newfd];
	t->fd[newfd] = f;
	t->cloexec[newfd] = cloexec;
	spin_unlock_irqrestore(&t->lock, flags);
	if (old)
		file_put(old);
	return newfd;
}

long sys_dup(uint64_t fd, uint64_t a1, uint64_t a2, uint64_t a3,
	     uint64_t a4, uint64_t a5)
{
	struct file *f = fd_get(fd);
	int nfd;

	(void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	if (!f)
		return -EBADF;
	nfd = fd_install(f, 0, false);
	if (nfd < 0)
		file_put(f);
	return nfd;
}

long sys_dup2(uint64_t fd, uint64_t newfd, uint64_t a2, uint64_t a3,
	      uint64_t a4, uint64_t a5)
{
	struct file *f = fd_get(fd);

	(void)a2, (void)a3, (void)a4, (void)a5;
	if (!f)
		return -EBADF;
	if (fd == newfd) {
		file_put(f);
		return newfd;
	}
	return dup_to(f, newfd, false);
}

long sys_dup3(uint64_t fd, uint64_t newfd, uint64_t flags, uint64_t a3,
	      uint64_t a4, uint64_t a5)
{
	struct file *f;

	(void)a3, (void)a4, (void)a5;
	if (fd == newfd || (flags & ~(uint64_t)O_CLOEXEC))
		return -EINVAL;
	f = fd_get(fd);
	if (!f)
		return -EBADF;
	return dup_to(f, newfd, flags & O_CLOEXEC);
}

long sys_fcntl(uint64_t fd, uint64_t cmd, uint64_t arg, uint64_t a3,
	       uint64_t a4, uint64_t a5)
{
	struct fdtable *t = task_current()->files;
	struct file *f;
	long ret = 0;
	int nfd;

	(void)a3, (void)a4, (void)a5;
	fd = fd_number(fd);	/* it indexes cloexec[] below */
	f = fd_get(fd);
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
		ret = t->cloexec[fd] ? FD_CLOEXEC : 0;
		break;
	case F_SETFD:
		t->cloexec[fd] = arg & FD_CLOEXEC;
		break;
	case F_GETFL:
		ret = f->flags & ~(O_CREAT | O_EXCL | O_TRUNC | O_CLOEXEC);
		break;
	case F_SETFL:	/* only O_APPEND (and the ignored O_NONBLOCK) change */
		f->flags = (f->flags & ~O_APPEND) | (arg & O_APPEND);
		break;
	default:
		ret = -EINVAL;
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

long stat_to_user(const struct inode *inode, uint64_t buf)
{
	struct linux_stat st = { .nlink = 1, .blksize = 4096 };

	if (inode) {
		st.ino = inode->ino;
		st.mode = inode->mode;
		st.size = inode->size;
		st.blocks = (st.size + 511) / 512;
		st.nlink = is_dir(inode) ? 2 : 1;
	} else {
		st.mode = 0020620;	/* a character device, like a tty */
		st.rdev = (5 << 8) | 1;	/* /dev/console */
	}
	return copy_to_user(buf, &st, sizeof(st));
}

long sys_fstat(uint64_t fd, uint64_t buf, uint64_t a2, uint64_t a3,
	       uint64_t a4, uint64_t a5)
{
	struct file *f = fd_get(fd);
	long ret;

	(void)a2, (void)a3, (void)a4, (void)a5;
	if (!f)
		return -EBADF;
	ret = stat_to_user(f->inode, buf);
	file_put(f);
	return ret;
}

/* No terminal control yet: the console answers like a pipe. */
long sys_ioctl(uint64_t fd, uint64_t request, uint64_t arg, uint64_t a3,
	       uint64_t a4, uint64_t a5)
{
	struct file *f = fd_get(fd);

	(void)request, (void)arg, (void)a3, (void)a4, (void)a5;
	if (!f)
		return -EBADF;
	file_put(f);
	return -ENOTTY;
}
