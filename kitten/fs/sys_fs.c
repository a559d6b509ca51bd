// SPDX-License-Identifier: GPL-2.0
/*
 * System calls that take paths: open, stat, access, readlink, mkdir,
 * unlink, rename, getdents64, getcwd, chdir. Paths are resolved against
 * the process's working directory; *at() calls accept AT_FDCWD or a
 * descriptor of a directory. Path buffers come from the heap: kernel
 * stacks are small.
 */
#include <kitten/aspace.h>
#include <kitten/cpio.h>
#include <kitten/errno.h>
#include <kitten/file.h>
#include <kitten/kmem.h>
#include <kitten/ramfs.h>
#include <kitten/string.h>
#include <kitten/syscall.h>
#include <kitten/task.h>

#define PATH_MAX	4096
#define AT_FDCWD	-100
#define AT_REMOVEDIR	0x200
#define AT_EMPTY_PATH	0x1000
#define R_OK		4
#define W_OK		2
#define X_OK		1

static struct inode *cwd(void)
{
	struct fdtable *t = task_current()->files;

	return t && t->cwd ? t->cwd : ramfs_lookup("/");
}

/* /proc/self/exe is the only link whose target depends on the reader. */
static const char *self_exe(const char *path)
{
	struct aspace *as = task_current()->aspace;

	if (as && as->exe[0] && strcmp(path, "/proc/self/exe") == 0)
		return as->exe;
	return NULL;
}

struct inode *lookup_path(const char *path)
{
	const char *exe = self_exe(path);

	return ramfs_lookup_from(cwd(), exe ? exe : path);
}

/*
 * The directory a *at() call starts from; NULL with *err set if none.
 * The descriptor is an int: only the low 32 bits of the register count,
 * as C libraries may leave the upper half unset.
 */
static struct inode *base_dir(uint64_t arg, long *err)
{
	int dirfd = (int)arg;
	struct file *f;
	struct inode *dir;

	if (dirfd == AT_FDCWD)
		return cwd();
	f = dirfd >= 0 ? fd_get(dirfd) : NULL;
	if (!f) {
		*err = -EBADF;
		return NULL;
	}
	dir = f->inode;
	file_put(f);	/* the tree still holds it while the fd is open */
	if (!dir || (dir->mode & CPIO_S_IFMT) != CPIO_S_IFDIR) {
		*err = -ENOTDIR;
		return NULL;
	}
	return dir;
}

/* A path from user memory, in a heap buffer; NULL with *err set. */
static char *getname(uint64_t uptr, long *err)
{
	char *name = kmem_alloc(PATH_MAX);
	long len;

	if (!name) {
		*err = -ENOMEM;
		return NULL;
	}
	len = strncpy_from_user(name, uptr, PATH_MAX);
	if (len < 0 || len == 0) {
		*err = len ? len : -ENOENT;
		kmem_free(name);
		return NULL;
	}
	return name;
}

/* The start directory and the (heap-copied) path of a *at() call. */
static long at_path(uint64_t dirfd, uint64_t path, struct inode **dir,
		    char **name)
{
	long err = 0;

	*name = NULL;
	*dir = base_dir(dirfd, &err);
	if (!*dir)
		return err;
	*name = getname(path, &err);
	return *name ? 0 : err;
}

/* The inode a *at() call names; NULL with *err set. */
static struct inode *lookup_at(uint64_t dirfd, uint64_t path, long *err)
{
	struct inode *dir, *n;
	char *name;

	*err = at_path(dirfd, path, &dir, &name);
	if (*err)
		return NULL;
	n = ramfs_lookup_from(dir, name);
	kmem_free(name);
	if (!n)
		*err = -ENOENT;
	return n;
}

long sys_openat(uint64_t dirfd, uint64_t path, uint64_t flags, uint64_t mode,
		uint64_t a4, uint64_t a5)
{
	struct inode *dir, *n;
	struct file *f;
	char *name;
	long err;
	int fd;

	(void)a4, (void)a5;
	err = at_path(dirfd, path, &dir, &name);
	if (err)
		return err;
	n = ramfs_lookup_from(dir, name);
	if (n && (flags & O_CREAT) && (flags & O_EXCL))
		err = -EEXIST;
	else if (!n && (flags & O_CREAT))
		err = ramfs_mknod(dir, name, CPIO_S_IFREG | (mode & 07777), &n);
	else if (!n)
		err = -ENOENT;
	kmem_free(name);
	if (err)
		return err;
	if ((flags & O_DIRECTORY) && (n->mode & CPIO_S_IFMT) != CPIO_S_IFDIR)
		return -ENOTDIR;
	if ((n->mode & CPIO_S_IFMT) == CPIO_S_IFDIR && (flags & O_ACCMODE))
		return -EISDIR;
	if ((flags & O_TRUNC) && (flags & O_ACCMODE) && !n->ops) {
		err = inode_truncate(n, 0);
		if (err)
			return err;
	}
	f = file_open_inode(n, flags);
	if (!f)
		return -ENOMEM;
	fd = fd_install(f, 0, flags & O_CLOEXEC);
	if (fd < 0)
		file_put(f);
	return fd;
}

long sys_open(uint64_t path, uint64_t flags, uint64_t mode, uint64_t a3,
	      uint64_t a4, uint64_t a5)
{
	(void)a3, (void)a4, (void)a5;
	return sys_openat(AT_FDCWD, path, flags, mode, 0, 0);
}

long sys_newfstatat(uint64_t dirfd, uint64_t path, uint64_t buf,
		    uint64_t flags, uint64_t a4, uint64_t a5)
{
	struct inode *n;
	char first;
	long err;

	(void)a4, (void)a5;
	if ((flags & AT_EMPTY_PATH) && !copy_from_user(&first, path, 1) &&
	    first == '\0')
		return sys_fstat(dirfd, buf, 0, 0, 0, 0);
	n = lookup_at(dirfd, path, &err);
	return n ? stat_to_user(n, buf) : err;
}

long sys_stat(uint64_t path, uint64_t buf, uint64_t a2, uint64_t a3,
	      uint64_t a4, uint64_t a5)
{
	(void)a2, (void)a3, (void)a4, (void)a5;
	return sys_newfstatat(AT_FDCWD, path, buf, 0, 0, 0);
}

long sys_lstat(uint64_t path, uint64_t buf, uint64_t a2, uint64_t a3,
	       uint64_t a4, uint64_t a5)
{
	(void)a2, (void)a3, (void)a4, (void)a5;
	return sys_newfstatat(AT_FDCWD, path, buf, 0, 0, 0);
}

/* Everyone is root on a compute node: existence is the only question. */
long sys_faccessat(uint64_t dirfd, uint64_t path, uint64_t mode, uint64_t a3,
		   uint64_t a4, uint64_t a5)
{
	struct inode *n;
	long err;

	(void)a3, (void)a4, (void)a5;
	if (mode & ~(uint64_t)(R_OK | W_OK | X_OK))
		return -EINVAL;
	n = lookup_at(dirfd, path, &err);
	if (!n)
		return err;
	if ((mode & X_OK) && !(n->mode & 0111))
		return -EACCES;
	return 0;
}

long sys_access(uint64_t path, uint64_t mode, uint64_t a2, uint64_t a3,
		uint64_t a4, uint64_t a5)
{
	(void)a2, (void)a3, (void)a4, (void)a5;
	return sys_faccessat(AT_FDCWD, path, mode, 0, 0, 0);
}

long sys_readlink(uint64_t path, uint64_t buf, uint64_t size, uint64_t a3,
		  uint64_t a4, uint64_t a5)
{
	long err = 0, len;
	char *name = getname(path, &err);
	struct inode *n;

	(void)a3, (void)a4, (void)a5;
	if (!name)
		return err;
	if (self_exe(name)) {
		const char *exe = self_exe(name);

		kmem_free(name);
		len = MIN(size, strlen(exe));
		return copy_to_user(buf, exe, len) ? -EFAULT : len;
	}
	n = lookup_path(name);
	kmem_free(name);
	if (!n)
		return -ENOENT;
	if ((n->mode & CPIO_S_IFMT) != CPIO_S_IFLNK)
		return -EINVAL;
	len = MIN(size, n->size);
	return copy_to_user(buf, n->data, len) ? -EFAULT : len;
}

long sys_mkdirat(uint64_t dirfd, uint64_t path, uint64_t mode, uint64_t a3,
		 uint64_t a4, uint64_t a5)
{
	struct inode *dir;
	char *name;
	long err;

	(void)a3, (void)a4, (void)a5;
	err = at_path(dirfd, path, &dir, &name);
	if (err)
		return err;
	err = ramfs_mknod(dir, name, CPIO_S_IFDIR | (mode & 07777), NULL);
	kmem_free(name);
	return err;
}

long sys_mkdir(uint64_t path, uint64_t mode, uint64_t a2, uint64_t a3,
	       uint64_t a4, uint64_t a5)
{
	(void)a2, (void)a3, (void)a4, (void)a5;
	return sys_mkdirat(AT_FDCWD, path, mode, 0, 0, 0);
}

long sys_unlinkat(uint64_t dirfd, uint64_t path, uint64_t flags, uint64_t a3,
		  uint64_t a4, uint64_t a5)
{
	struct inode *dir;
	char *name;
	long err;

	(void)a3, (void)a4, (void)a5;
	if (flags & ~(uint64_t)AT_REMOVEDIR)
		return -EINVAL;
	err = at_path(dirfd, path, &dir, &name);
	if (err)
		return err;
	err = ramfs_unlink(dir, name, flags & AT_REMOVEDIR);
	kmem_free(name);
	return err;
}

long sys_unlink(uint64_t path, uint64_t a1, uint64_t a2, uint64_t a3,
		uint64_t a4, uint64_t a5)
{
	(void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	return sys_unlinkat(AT_FDCWD, path, 0, 0, 0, 0);
}

long sys_rmdir(uint64_t path, uint64_t a1, uint64_t a2, uint64_t a3,
	       uint64_t a4, uint64_t a5)
{
	(void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	return sys_unlinkat(AT_FDCWD, path, AT_REMOVEDIR, 0, 0, 0);
}

long sys_renameat(uint64_t olddir, uint64_t oldpath, uint64_t newdir,
		  uint64_t newpath, uint64_t a4, uint64_t a5)
{
	long err = 0;
	struct inode *from_dir = base_dir(olddir, &err);
	struct inode *to_dir = base_dir(newdir, &err);
	char *from, *to;

	(void)a4, (void)a5;
	if (!from_dir || !to_dir)
		return err;
	if (from_dir != to_dir)
		return -EXDEV;	/* both relative to one place, for now */
	from = getname(oldpath, &err);
	if (!from)
		return err;
	to = getname(newpath, &err);
	if (to)
		err = ramfs_rename(from_dir, from, to);
	kmem_free(from);
	kmem_free(to);
	return err;
}

long sys_rename(uint64_t oldpath, uint64_t newpath, uint64_t a2, uint64_t a3,
		uint64_t a4, uint64_t a5)
{
	(void)a2, (void)a3, (void)a4, (void)a5;
	return sys_renameat(AT_FDCWD, oldpath, AT_FDCWD, newpath, 0, 0);
}

long sys_renameat2(uint64_t olddir, uint64_t oldpath, uint64_t newdir,
		   uint64_t newpath, uint64_t flags, uint64_t a5)
{
	(void)a5;
	if (flags)
		return -EINVAL;	/* RENAME_NOREPLACE and friends: not yet */
	return sys_renameat(olddir, oldpath, newdir, newpath, 0, 0);
}

/* Directory entries: linux_dirent64, 8-byte aligned records. */
long sys_getdents64(uint64_t fd, uint64_t buf, uint64_t count, uint64_t a3,
		    uint64_t a4, uint64_t a5)
{
	struct file *f = fd_get(fd);
	struct inode *dir, *c;
	uint64_t index = 0, used = 0;
	long err = 0;

	(void)a3, (void)a4, (void)a5;
	if (!f)
		return -EBADF;
	dir = f->inode;
	if (!dir || (dir->mode & CPIO_S_IFMT) != CPIO_S_IFDIR) {
		file_put(f);
		return -ENOTDIR;
	}
	/* f->pos counts entries: ".", "..", then the children in order. */
	for (index = 0;; index++) {
		const char *name;
		uint64_t ino;
		uint8_t type;

		if (index == 0) {
			name = ".", ino = dir->ino, type = 4;
		} else if (index == 1) {
			name = "..", ino = dir->parent->ino, type = 4;
		} else {
			uint64_t i = 2;

			c = NULL;
			list_for_each_entry(c, &dir->children, sibling)
				if (i++ == index)
					break;
			if (&c->sibling == &dir->children)
				break;
			name = c->name;
			ino = c->ino;
			type = (c->mode & CPIO_S_IFMT) >> 12;
		}
		if (index < f->pos)
			continue;
		size_t namelen = strlen(name);
		uint64_t reclen = ALIGN_UP(19 + namelen + 1, 8);
		struct {
			uint64_t ino;
			int64_t off;
			uint16_t reclen;
			uint8_t type;
		} __attribute__((packed)) hdr = { ino, index + 1, reclen, type };
		char zero[8] = { 0 };

		if (used + reclen > count) {
			if (!used)
				err = -EINVAL;
			break;
		}
		if (copy_to_user(buf + used, &hdr, sizeof(hdr)) ||
		    copy_to_user(buf + used + sizeof(hdr), name, namelen) ||
		    copy_to_user(buf + used + sizeof(hdr) + namelen, zero,
				 reclen - sizeof(hdr) - namelen)) {
			err = -EFAULT;
			break;
		}
		used += reclen;
		f->pos = index + 1;
	}
	file_put(f);
	return err ? err : (long)used;
}

/* The absolute path of the working directory, built from the leaf up. */
long sys_getcwd(uint64_t buf, uint64_t size, uint64_t a2, uint64_t a3,
		uint64_t a4, uint64_t a5)
{
	char *path = kmem_alloc(PATH_MAX);
	size_t at = PATH_MAX - 1;
	long ret;

	(void)a2, (void)a3, (void)a4, (void)a5;
	if (!path)
		return -ENOMEM;
	path[at] = '\0';
	for (struct inode *n = cwd(); n->parent != n; n = n->parent) {
		size_t len = strlen(n->name);

		if (len + 1 > at) {
			kmem_free(path);
			return -ENAMETOOLONG;
		}
		at -= len;
		memcpy(path + at, n->name, len);
		path[--at] = '/';
	}
	if (at == PATH_MAX - 1)
		path[--at] = '/';
	ret = PATH_MAX - at;	/* with the NUL */
	if ((uint64_t)ret > size)
		ret = -ERANGE;
	else if (copy_to_user(buf, path + at, ret))
		ret = -EFAULT;
	kmem_free(path);
	return ret;
}

long sys_chdir(uint64_t path, uint64_t a1, uint64_t a2, uint64_t a3,
	       uint64_t a4, uint64_t a5)
{
	struct fdtable *t = task_current()->files;
	long err = 0;
	char *name = getname(path, &err);
	struct inode *n;

	(void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	if (!name)
		return err;
	n = lookup_path(name);
	kmem_free(name);
	if (!n)
		return -ENOENT;
	if ((n->mode & CPIO_S_IFMT) != CPIO_S_IFDIR)
		return -ENOTDIR;
	inode_get(n);
	if (t->cwd)
		inode_put(t->cwd);
	t->cwd = n;
	return 0;
}

/* struct statx, as Linux lays it out; timestamps are all zero for now. */
struct statx_k {
	uint32_t mask, blksize;
	uint64_t attributes;
	uint32_t nlink, uid, gid;
	uint16_t mode, pad0;
	uint64_t ino, size, blocks, attributes_mask;
	uint8_t timestamps[4 * 16];
	uint32_t rdev_major, rdev_minor, dev_major, dev_minor;
	uint64_t spare[14];
};

#define STATX_BASIC_STATS 0x7ff

long sys_statx(uint64_t dirfd, uint64_t path, uint64_t flags, uint64_t mask,
	       uint64_t buf, uint64_t a5)
{
	struct statx_k sx = { .mask = STATX_BASIC_STATS, .blksize = 4096, .nlink = 1 };
	struct inode *n = NULL;
	struct file *f = NULL;
	char first;
	long err;

	(void)mask, (void)a5;
	if ((flags & AT_EMPTY_PATH) && !copy_from_user(&first, path, 1) &&
	    first == '\0') {
		f = fd_get(dirfd);
		if (!f)
			return -EBADF;
		n = f->inode;
	} else {
		n = lookup_at(dirfd, path, &err);
		if (!n)
			return err;
	}
	if (n) {
		sx.mode = n->mode;
		sx.ino = n->ino;
		sx.size = n->size;
		sx.blocks = (n->size + 511) / 512;
	} else {
		sx.mode = 0020620;	/* a console */
		sx.rdev_major = 5;
		sx.rdev_minor = 1;
	}
	if (f)
		file_put(f);
	return copy_to_user(buf, &sx, sizeof(sx));
}
