// SPDX-License-Identifier: GPL-2.0
/*
 * System calls that take paths: open, stat, access, readlink, mkdir,
 * unlink, rename, getcwd, chdir, statx. Paths are resolved against
 * the process's working directory; *at() calls accept AT_FDCWD or a
 * descriptor of a directory. Path buffers come from the heap: kernel
 * stacks are small.
 *
 * Every inode held here is referenced (lookups return references), so
 * an unlink, rename or chdir on another CPU cannot free it meanwhile;
 * each call puts what it took before it returns.
 */
#include <kitten/aspace.h>
#include <kitten/cpio.h>
#include <kitten/errno.h>
#include <kitten/file.h>
#include <kitten/kmem.h>
#include <kitten/procfs.h>
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

/* A link /proc/<pid>/exe leads to the program (procfs.c). */
struct inode *lookup_path(const char *path)
{
	char *exe = kmem_alloc(PATH_MAX);
	const char *follow = exe ? procfs_follow(path, exe, PATH_MAX) : NULL;
	struct inode *dir = fdtable_cwd();
	struct inode *n = ramfs_lookup_from(dir, follow ? follow : path);

	inode_put(dir);
	kmem_free(exe);
	return n;
}

/*
 * The directory a *at() call starts from, referenced; NULL with *err set
 * if none.
 * The descriptor is an int: only the low 32 bits of the register count,
 * as C libraries may leave the upper half unset.
 */
static struct inode *base_dir(uint64_t arg, long *err)
{
	int dirfd = (int)arg;
	struct file *f;
	struct inode *dir;

	if (dirfd == AT_FDCWD)
		return fdtable_cwd();
	f = dirfd >= 0 ? fd_get(dirfd) : NULL;
	if (!f) {
		*err = -EBADF;
		return NULL;
	}
	dir = f->inode;
	if (dir && inode_is_dir(dir)) {
		inode_get(dir);
	} else {
		dir = NULL;
		*err = -ENOTDIR;
	}
	file_put(f);
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
	len = procfs_resolve(name, PATH_MAX);	/* /proc/self, /proc/<pid> */
	if (len < 0) {
		*err = len;
		kmem_free(name);
		return NULL;
	}
	return name;
}

/*
 * The start directory (referenced) and the (heap-copied) path of a *at()
 * call; on an error neither is held.
 */
static long at_path(uint64_t dirfd, uint64_t path, struct inode **dir,
		    char **name)
{
	long err = 0;

	*name = NULL;
	*dir = base_dir(dirfd, &err);
	if (!*dir)
		return err;
	*name = getname(path, &err);
	if (!*name)
		inode_put(*dir);
	return *name ? 0 : err;
}

static void at_done(struct inode *dir, char *name)
{
	inode_put(dir);
	kmem_free(name);
}

/* The inode a *at() call names, referenced; NULL with *err set. */
static struct inode *lookup_at(uint64_t dirfd, uint64_t path, long *err)
{
	struct inode *dir, *n;
	char *name;

	*err = at_path(dirfd, path, &dir, &name);
	if (*err)
		return NULL;
	n = ramfs_lookup_from(dir, name);
	at_done(dir, name);
	if (!n)
		*err = -ENOENT;
	return n;
}

/*
 * The inode open() names, referenced, created if asked. Another CPU may
 * create the name between the lookup and the creation: then it is
 * looked up again (unless O_EXCL asks for the creation to be ours).
 */
static long open_inode(struct inode *dir, const char *name, unsigned flags,
		       uint32_t mode, struct inode **out)
{
	for (;;) {
		long err;

		*out = ramfs_lookup_from(dir, name);
		if (*out && (flags & O_CREAT) && (flags & O_EXCL)) {
			inode_put(*out);
			return -EEXIST;
		}
		if (*out)
			return 0;
		if (!(flags & O_CREAT))
			return -ENOENT;
		err = ramfs_mknod(dir, name, CPIO_S_IFREG | (mode & 07777), out);
		if (err != -EEXIST || (flags & O_EXCL))
			return err;
	}
}

SYSCALL_DEFINE4(openat, uint64_t, dirfd, uint64_t, path, uint64_t, flags,
		uint64_t, mode)
{
	struct inode *dir, *n;
	struct file *f;
	char *name;
	long err;
	int fd;

	err = at_path(dirfd, path, &dir, &name);
	if (err)
		return err;
	err = open_inode(dir, name, flags, mode, &n);
	at_done(dir, name);
	if (err)
		return err;
	if ((flags & O_DIRECTORY) && !inode_is_dir(n))
		err = -ENOTDIR;
	else if (inode_is_dir(n) && (flags & O_ACCMODE))
		err = -EISDIR;
	f = err ? NULL : file_open_inode(n, flags);
	inode_put(n);		/* the file holds its own */
	if (!f)
		return err ? err : -ENOMEM;
	if ((flags & O_TRUNC) && (flags & O_ACCMODE) && f->ops->truncate)
		err = f->ops->truncate(f, 0);
	fd = err ? err : fd_install(f, 0, flags & O_CLOEXEC);
	if (fd < 0)
		file_put(f);
	return fd;
}

SYSCALL_DEFINE3(open, uint64_t, path, uint64_t, flags, uint64_t, mode)
{
	return do_sys_openat(AT_FDCWD, path, flags, mode);
}

SYSCALL_DEFINE4(newfstatat, uint64_t, dirfd, uint64_t, path, uint64_t, buf,
		uint64_t, flags)
{
	struct inode *n;
	struct kstat st;
	char first;
	long err;

	if ((flags & AT_EMPTY_PATH) && !copy_from_user(&first, path, 1) &&
	    first == '\0')
		return fd_stat_to_user(dirfd, buf);
	n = lookup_at(dirfd, path, &err);
	if (!n)
		return err;
	inode_stat(n, &st);
	inode_put(n);
	return stat_to_user(&st, buf);
}

SYSCALL_DEFINE2(stat, uint64_t, path, uint64_t, buf)
{
	return do_sys_newfstatat(AT_FDCWD, path, buf, 0);
}

SYSCALL_DEFINE2(lstat, uint64_t, path, uint64_t, buf)
{
	return do_sys_newfstatat(AT_FDCWD, path, buf, 0);
}

/* Everyone is root on a compute node: existence is the only question. */
SYSCALL_DEFINE3(faccessat, uint64_t, dirfd, uint64_t, path, uint64_t, mode)
{
	struct inode *n;
	long err;

	if (mode & ~(uint64_t)(R_OK | W_OK | X_OK))
		return -EINVAL;
	n = lookup_at(dirfd, path, &err);
	if (!n)
		return err;
	err = (mode & X_OK) && !(n->mode & 0111) ? -EACCES : 0;
	inode_put(n);
	return err;
}

SYSCALL_DEFINE2(access, uint64_t, path, uint64_t, mode)
{
	return do_sys_faccessat(AT_FDCWD, path, mode);
}

/* The links of /proc whose targets are made when asked (procfs.c). */
static long readlink_proc(const char *name, uint64_t buf, uint64_t size)
{
	char *target = kmem_alloc(PATH_MAX);
	long len;

	if (!target)
		return -ENOMEM;
	len = procfs_readlink(name, target, PATH_MAX);
	if (len >= 0) {
		len = MIN(size, (uint64_t)len);
		if (copy_to_user(buf, target, len))
			len = -EFAULT;
	}
	kmem_free(target);
	return len;
}

SYSCALL_DEFINE3(readlink, uint64_t, path, uint64_t, buf, uint64_t, size)
{
	long err = 0, len;
	char *name = getname(path, &err);
	struct inode *n;

	if (!name)
		return err;
	len = readlink_proc(name, buf, size);
	if (len != PROCFS_NOT_MINE) {
		kmem_free(name);
		return len;
	}
	n = lookup_path(name);
	kmem_free(name);
	if (!n)
		return -ENOENT;
	if ((n->mode & CPIO_S_IFMT) != CPIO_S_IFLNK)
		len = -EINVAL;
	else
		len = inode_read_user(n, buf, size, 0);
	inode_put(n);
	return len;
}

SYSCALL_DEFINE3(mkdirat, uint64_t, dirfd, uint64_t, path, uint64_t, mode)
{
	struct inode *dir;
	char *name;
	long err;

	err = at_path(dirfd, path, &dir, &name);
	if (err)
		return err;
	err = ramfs_mknod(dir, name, CPIO_S_IFDIR | (mode & 07777), NULL);
	at_done(dir, name);
	return err;
}

SYSCALL_DEFINE2(mkdir, uint64_t, path, uint64_t, mode)
{
	return do_sys_mkdirat(AT_FDCWD, path, mode);
}

SYSCALL_DEFINE3(unlinkat, uint64_t, dirfd, uint64_t, path, uint64_t, flags)
{
	struct inode *dir;
	char *name;
	long err;

	if (flags & ~(uint64_t)AT_REMOVEDIR)
		return -EINVAL;
	err = at_path(dirfd, path, &dir, &name);
	if (err)
		return err;
	err = ramfs_unlink(dir, name, flags & AT_REMOVEDIR);
	at_done(dir, name);
	return err;
}

SYSCALL_DEFINE1(unlink, uint64_t, path)
{
	return do_sys_unlinkat(AT_FDCWD, path, 0);
}

SYSCALL_DEFINE1(rmdir, uint64_t, path)
{
	return do_sys_unlinkat(AT_FDCWD, path, AT_REMOVEDIR);
}

SYSCALL_DEFINE4(renameat, uint64_t, olddir, uint64_t, oldpath, uint64_t, newdir,
		uint64_t, newpath)
{
	long err = 0;
	struct inode *from_dir = base_dir(olddir, &err);
	struct inode *to_dir = base_dir(newdir, &err);
	char *from = NULL, *to = NULL;

	if (from_dir && to_dir && from_dir != to_dir)
		err = -EXDEV;	/* both relative to one place, for now */
	else if (from_dir && to_dir)
		from = getname(oldpath, &err);
	if (from)
		to = getname(newpath, &err);
	if (to)
		err = ramfs_rename(from_dir, from, to);
	kmem_free(from);
	kmem_free(to);
	if (from_dir)
		inode_put(from_dir);
	if (to_dir)
		inode_put(to_dir);
	return err;
}

SYSCALL_DEFINE2(rename, uint64_t, oldpath, uint64_t, newpath)
{
	return do_sys_renameat(AT_FDCWD, oldpath, AT_FDCWD, newpath);
}

SYSCALL_DEFINE5(renameat2, uint64_t, olddir, uint64_t, oldpath,
		uint64_t, newdir, uint64_t, newpath, uint64_t, flags)
{
	if (flags)
		return -EINVAL;	/* RENAME_NOREPLACE and friends: not yet */
	return do_sys_renameat(olddir, oldpath, newdir, newpath);
}

/* The absolute path of the working directory. */
SYSCALL_DEFINE2(getcwd, uint64_t, buf, uint64_t, size)
{
	char *path = kmem_alloc(PATH_MAX);
	struct inode *dir = fdtable_cwd();
	long ret;

	ret = path ? ramfs_path(dir, path, PATH_MAX) : -ENOMEM;
	inode_put(dir);
	if (ret > 0 && (uint64_t)ret > size)
		ret = -ERANGE;
	else if (ret > 0 && copy_to_user(buf, path, ret))
		ret = -EFAULT;
	kmem_free(path);
	return ret;
}

SYSCALL_DEFINE1(chdir, uint64_t, path)
{
	long err = 0;
	char *name = getname(path, &err);
	struct inode *n;

	if (!name)
		return err;
	n = lookup_path(name);
	kmem_free(name);
	if (!n)
		return -ENOENT;
	if (!inode_is_dir(n)) {
		inode_put(n);
		return -ENOTDIR;
	}
	fdtable_set_cwd(n);	/* the table keeps the reference */
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

SYSCALL_DEFINE5(statx, uint64_t, dirfd, uint64_t, path, uint64_t, flags,
		uint64_t, mask, uint64_t, buf)
{
	struct statx_k sx = { .mask = STATX_BASIC_STATS, .blksize = 4096 };
	struct inode *n;
	struct file *f;
	struct kstat st;
	char first;
	long err;

	(void)mask;
	if ((flags & AT_EMPTY_PATH) && !copy_from_user(&first, path, 1) &&
	    first == '\0') {
		f = fd_get(dirfd);
		if (!f)
			return -EBADF;
		f->ops->stat(f, &st);
		file_put(f);
	} else {
		n = lookup_at(dirfd, path, &err);
		if (!n)
			return err;
		inode_stat(n, &st);
		inode_put(n);
	}
	sx.mode = st.mode;
	sx.ino = st.ino;
	sx.nlink = st.nlink;
	sx.size = st.size;
	sx.blocks = (st.size + 511) / 512;
	sx.rdev_major = st.rdev >> 8;
	sx.rdev_minor = st.rdev & 0xff;
	return copy_to_user(buf, &sx, sizeof(sx));
}
