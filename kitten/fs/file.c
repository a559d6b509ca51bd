// SPDX-License-Identifier: GPL-2.0
/*
 * File descriptors and the file system calls on them: open, read, write,
 * lseek, fstat, close. Files are read-only inodes of the in-memory file
 * system, or the console (which is where standard output goes).
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

#define O_ACCMODE	3
#define O_RDONLY	0
#define SEEK_SET	0
#define SEEK_CUR	1
#define SEEK_END	2
#define PATH_MAX	4096
#define IO_CHUNK	256

/* The working directory is / for now: relative paths start there. */
static struct inode *lookup_at(const char *path)
{
	return ramfs_lookup_from(NULL, path);
}

static long file_write(uint64_t fd, uint64_t buf, uint64_t count);

static struct file *file_new(struct inode *inode, unsigned flags)
{
	struct file *f = kmem_zalloc(sizeof(*f));

	if (f) {
		f->inode = inode;
		f->flags = flags;
		f->refs = 1;
	}
	return f;
}

static void file_put(struct file *f)
{
	if (__atomic_sub_fetch(&f->refs, 1, __ATOMIC_ACQ_REL) == 0)
		kmem_free(f);
}

struct fdtable *fdtable_create(bool kernel_log)
{
	struct fdtable *t = kmem_zalloc(sizeof(*t));
	struct file *console;

	if (!t)
		return NULL;
	console = file_new(NULL, 2);
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
	kmem_free(t);
}

/* The file behind fd, with a reference the caller must drop. */
static struct file *fd_get(uint64_t fd)
{
	struct fdtable *t = task_current()->files;
	struct file *f = NULL;
	unsigned long flags;

	if (!t || fd >= FD_MAX)
		return NULL;
	flags = spin_lock_irqsave(&t->lock);
	f = t->fd[fd];
	if (f)
		__atomic_fetch_add(&f->refs, 1, __ATOMIC_RELAXED);
	spin_unlock_irqrestore(&t->lock, flags);
	return f;
}

static int fd_install(struct file *f)
{
	struct fdtable *t = task_current()->files;
	unsigned long flags;
	int fd = -EMFILE;

	if (!t)
		return -EMFILE;
	flags = spin_lock_irqsave(&t->lock);
	for (int i = 0; i < FD_MAX; i++)
		if (!t->fd[i]) {
			t->fd[i] = f;
			fd = i;
			break;
		}
	spin_unlock_irqrestore(&t->lock, flags);
	return fd;
}

long sys_open(uint64_t path, uint64_t flags, uint64_t mode, uint64_t a3,
	      uint64_t a4, uint64_t a5)
{
	char name[PATH_MAX];
	struct inode *inode;
	struct file *f;
	long len = strncpy_from_user(name, path, sizeof(name));
	int fd;

	(void)mode, (void)a3, (void)a4, (void)a5;
	if (len < 0)
		return len;
	inode = lookup_at(name);
	if (!inode)
		return -ENOENT;
	if ((flags & O_ACCMODE) != O_RDONLY)
		return -EROFS;		/* the tree is read-only for now */
	f = file_new(inode, flags);
	if (!f)
		return -ENOMEM;
	fd = fd_install(f);
	if (fd < 0)
		file_put(f);
	return fd;
}

long sys_close(uint64_t fd, uint64_t a1, uint64_t a2, uint64_t a3,
	       uint64_t a4, uint64_t a5)
{
	struct fdtable *t = task_current()->files;
	struct file *f = NULL;
	unsigned long flags;

	(void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
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

long sys_read(uint64_t fd, uint64_t buf, uint64_t count, uint64_t a3,
	      uint64_t a4, uint64_t a5)
{
	struct file *f = fd_get(fd);
	long ret;

	(void)a3, (void)a4, (void)a5;
	if (!f)
		return -EBADF;
	if (!f->inode) {
		ret = 0;	/* console input arrives in a later version */
	} else if ((f->inode->mode & CPIO_S_IFMT) == CPIO_S_IFDIR) {
		ret = -EISDIR;
	} else {
		uint64_t left = f->pos < f->inode->size ? f->inode->size - f->pos : 0;

		ret = MIN(count, left);
		if (ret && copy_to_user(buf, (const char *)f->inode->data + f->pos, ret))
			ret = -EFAULT;
		else
			f->pos += ret;
	}
	file_put(f);
	return ret;
}

long file_read_at(uint64_t fd, void *dst, uint64_t len, uint64_t off)
{
	struct file *f = fd_get(fd);
	long n;

	if (!f)
		return -EBADF;
	if (!f->inode || (f->inode->mode & CPIO_S_IFMT) != CPIO_S_IFREG) {
		file_put(f);
		return -EACCES;
	}
	n = off < f->inode->size ? (long)MIN(len, f->inode->size - off) : 0;
	memcpy(dst, (const char *)f->inode->data + off, n);
	file_put(f);
	return n;
}

long sys_write(uint64_t fd, uint64_t buf, uint64_t count, uint64_t a3,
	       uint64_t a4, uint64_t a5)
{
	(void)a3, (void)a4, (void)a5;
	return file_write(fd, buf, count);
}

#define IOV_MAX 1024

long sys_writev(uint64_t fd, uint64_t iov, uint64_t count, uint64_t a3,
		uint64_t a4, uint64_t a5)
{
	long total = 0;

	(void)a3, (void)a4, (void)a5;
	if (count > IOV_MAX)
		return -EINVAL;
	for (uint64_t i = 0; i < count; i++) {
		uint64_t v[2];	/* iov_base, iov_len */
		long n;

		if (copy_from_user(v, iov + i * sizeof(v), sizeof(v)))
			return total ? total : -EFAULT;
		n = file_write(fd, v[0], v[1]);
		if (n < 0)
			return total ? total : n;
		total += n;
		if ((uint64_t)n < v[1])
			break;
	}
	return total;
}

static long file_write(uint64_t fd, uint64_t buf, uint64_t count)
{
	struct file *f = fd_get(fd);
	char chunk[IO_CHUNK];
	long done = 0;

	if (!f)
		return -EBADF;
	if (f->inode) {
		file_put(f);
		return -EROFS;
	}
	while ((uint64_t)done < count) {
		size_t n = MIN(count - done, sizeof(chunk));

		if (copy_from_user(chunk, buf + done, n)) {
			done = done ? done : -EFAULT;
			break;
		}
		if (f->kernel_log)
			console_write(chunk, n);
		else
			user_console_write(chunk, n);
		done += n;
	}
	file_put(f);
	return done;
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
	if (!f->inode) {
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

/* struct stat as Linux x86_64 lays it out. */
struct linux_stat {
	uint64_t dev, ino, nlink;
	uint32_t mode, uid, gid, pad0;
	uint64_t rdev;
	int64_t size, blksize, blocks;
	uint64_t atime, atime_ns, mtime, mtime_ns, ctime, ctime_ns;
	int64_t reserved[3];
};

/* stat of an inode, or of the console when inode is NULL. */
static long stat_to_user(const struct inode *inode, uint64_t buf)
{
	struct linux_stat st = { .nlink = 1, .blksize = 4096 };

	if (inode) {
		st.ino = inode->ino;
		st.mode = inode->mode;
		st.size = inode->size;
		st.blocks = (st.size + 511) / 512;
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

#define AT_FDCWD	-100
#define AT_EMPTY_PATH	0x1000

long sys_newfstatat(uint64_t dirfd, uint64_t path, uint64_t buf,
		    uint64_t flags, uint64_t a4, uint64_t a5)
{
	char name[PATH_MAX];
	long len = strncpy_from_user(name, path, sizeof(name));
	struct inode *inode;

	(void)a4, (void)a5;
	if (len < 0)
		return len;
	if (len == 0 && (flags & AT_EMPTY_PATH))
		return sys_fstat(dirfd, buf, 0, 0, 0, 0);
	if (len == 0)
		return -ENOENT;
	if (name[0] != '/' && (int)dirfd != AT_FDCWD)
		return -ENOSYS;		/* directory file descriptors: later */
	inode = lookup_at(name);
	return inode ? stat_to_user(inode, buf) : -ENOENT;
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

/* Symbolic links of the file tree; /proc/self/exe comes with /proc. */
long sys_readlink(uint64_t path, uint64_t buf, uint64_t size, uint64_t a3,
		  uint64_t a4, uint64_t a5)
{
	char name[PATH_MAX];
	long len = strncpy_from_user(name, path, sizeof(name));
	struct inode *inode;

	(void)a3, (void)a4, (void)a5;
	if (len < 0)
		return len;
	inode = lookup_at(name);
	if (!inode)
		return -ENOENT;
	if ((inode->mode & CPIO_S_IFMT) != CPIO_S_IFLNK)
		return -EINVAL;
	len = MIN(size, inode->size);
	return copy_to_user(buf, inode->data, len) ? -EFAULT : len;
}
