// SPDX-License-Identifier: GPL-2.0
/*
 * System calls that take paths: open, stat, access, readlink, mkdir,
 * unlink, rename, symlink, link, truncate, getcwd, chdir, statx, statfs. Paths are
 * resolved against the process's working directory by the VFS walk
 * (vfs.c), which follows links and crosses mounts; *at() calls accept
 * AT_FDCWD or a descriptor of a directory. The call then asks the file
 * system owning the inode (or the last name's directory) through its
 * inode operations. Path buffers come from the heap: kernel stacks are
 * small.
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
#include <kitten/vfs.h>

#define PATH_MAX	4096
#define AT_FDCWD	-100
#define AT_SYMLINK_NOFOLLOW 0x100
#define O_NOFOLLOW	0400000
#define AT_REMOVEDIR	0x200
#define AT_SYMLINK_FOLLOW 0x400
#define AT_EMPTY_PATH	0x1000
#define ST_RDONLY	1
#define ST_VALID	0x20
#define R_OK		4
#define W_OK		2
#define X_OK		1

/*
 * What lookups of name find: name itself, or for a link of /proc whose
 * target is made when asked (/proc/<pid>/exe: the program, procfs.c)
 * that target, in *buf (heap; the caller frees it, NULL or not).
 */
static const char *follow_proc(const char *name, char **buf)
{
	const char *target;

	*buf = NULL;
	if (strncmp(name, "/proc/", 6))
		return name;
	*buf = kmem_alloc(PATH_MAX);
	target = *buf ? procfs_follow(name, *buf, PATH_MAX) : NULL;
	return target ? target : name;
}

struct inode *lookup_path(const char *path)
{
	struct inode *dir = fdtable_cwd(), *n = NULL;
	char *buf;

	if (vfs_walk(dir, follow_proc(path, &buf), WALK_FOLLOW, &n, NULL))
		n = NULL;
	inode_put(dir);
	kmem_free(buf);
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

/* The file an fd names (AT_EMPTY_PATH), referenced; NULL with *err. */
static struct inode *fd_inode(uint64_t fd, long *err)
{
	struct file *f = fd_get(fd);
	struct inode *n = f ? f->inode : NULL;

	if (n)
		inode_get(n);
	else
		*err = f ? -ENOENT : -EBADF;
	if (f)
		file_put(f);
	return n;
}

/* Is the first byte of the user string path its NUL? */
static bool empty_path(uint64_t path)
{
	char first;

	return !copy_from_user(&first, path, 1) && first == '\0';
}

/* The inode a *at() call names, referenced; NULL with *err set. */
static struct inode *lookup_at(uint64_t dirfd, uint64_t path, bool follow,
			       long *err)
{
	struct inode *dir, *n = NULL;
	char *name, *buf;

	*err = at_path(dirfd, path, &dir, &name);
	if (*err)
		return NULL;
	*err = vfs_walk(dir, follow_proc(name, &buf),
			follow ? WALK_FOLLOW : 0, &n, NULL);
	kmem_free(buf);
	at_done(dir, name);
	return *err ? NULL : n;
}

/*
 * The directory holding a *at() call's last name (referenced) and that
 * name, for calls that create or remove it; "." and ".." and "/" name no
 * entry to make or remove (-EEXIST for creation, -EBUSY otherwise).
 */
static long parent_at(uint64_t dirfd, uint64_t path, bool create,
		      struct inode **parent, char *last)
{
	struct inode *dir;
	char *name;
	long err;

	err = at_path(dirfd, path, &dir, &name);
	if (err)
		return err;
	err = vfs_walk(dir, name, WALK_PARENT, parent, last);
	at_done(dir, name);
	if (!err && (!last[0] || !strcmp(last, ".") || !strcmp(last, ".."))) {
		inode_put(*parent);
		err = create ? -EEXIST : -EBUSY;
	}
	if (!err && !inode_is_dir(*parent)) {
		inode_put(*parent);
		err = -ENOTDIR;
	}
	/* Put here: a caller that puts what it got (renameat) must not
	 * put it again (it freed the cwd of rename(x, "..")). */
	if (err)
		*parent = NULL;
	return err;
}

/*
 * The inode open() names, referenced, created if asked. Another CPU may
 * create the name between the lookup and the creation: then it is
 * looked up again (unless O_EXCL asks for the creation to be ours).
 */
static long open_inode(struct inode *dir, const char *name, unsigned flags,
		       uint32_t mode, struct inode **out)
{
	char last[VFS_NAME_MAX + 1];
	struct inode *parent;
	long err;

	if (!(flags & O_CREAT) && (flags & O_NOFOLLOW)) {
		err = vfs_walk(dir, name, 0, out, NULL);
		if (!err && ((*out)->mode & CPIO_S_IFMT) == CPIO_S_IFLNK) {
			inode_put(*out);
			err = -ELOOP;	/* as Linux: the last name is a link */
		}
		return err;
	}
	if (!(flags & O_CREAT))
		return vfs_walk(dir, name, WALK_FOLLOW, out, NULL);
	err = vfs_walk(dir, name, WALK_PARENT, &parent, last);
	if (err)
		return err;
	if (!last[0] || !strcmp(last, ".") || !strcmp(last, "..")) {
		inode_put(parent);
		return -EISDIR;
	}
	/* Bounded: a link to a missing file is there and not there. */
	for (int tries = 0; tries < 8; tries++) {
		err = vfs_walk(parent, last, WALK_FOLLOW, out, NULL);
		if (!err && (flags & O_EXCL)) {
			inode_put(*out);
			err = -EEXIST;
		}
		if (err != -ENOENT)
			break;
		err = parent->iops->create ?
			      parent->iops->create(parent, last,
						   CPIO_S_IFREG | (mode & 07777),
						   out) : -EPERM;
		if (err != -EEXIST || (flags & O_EXCL))
			break;
	}
	inode_put(parent);
	return err;
}

SYSCALL_DEFINE4(openat, uint64_t, dirfd, uint64_t, path, uint64_t, flags,
		uint64_t, mode)
{
	struct inode *dir, *n;
	struct file *f = NULL;
	char *name, *buf;
	long err;
	int fd;

	err = at_path(dirfd, path, &dir, &name);
	if (err)
		return err;
	err = open_inode(dir, follow_proc(name, &buf), flags, mode, &n);
	kmem_free(buf);
	at_done(dir, name);
	if (err)
		return err;
	if ((flags & O_DIRECTORY) && !inode_is_dir(n))
		err = -ENOTDIR;
	else if (inode_is_dir(n) && (flags & O_ACCMODE))
		err = -EISDIR;
	if (!err)
		err = file_open(n, flags, &f);
	inode_put(n);		/* the file holds its own */
	if (err)
		return err;
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
	long err;

	if ((flags & AT_EMPTY_PATH) && empty_path(path))
		return fd_stat_to_user(dirfd, buf);
	n = lookup_at(dirfd, path, !(flags & AT_SYMLINK_NOFOLLOW), &err);
	if (!n)
		return err;
	err = vfs_getattr(n, &st);
	inode_put(n);
	return err ? err : stat_to_user(&st, buf);
}

SYSCALL_DEFINE2(stat, uint64_t, path, uint64_t, buf)
{
	return do_sys_newfstatat(AT_FDCWD, path, buf, 0);
}

SYSCALL_DEFINE2(lstat, uint64_t, path, uint64_t, buf)
{
	return do_sys_newfstatat(AT_FDCWD, path, buf, AT_SYMLINK_NOFOLLOW);
}

/* Everyone is root on a compute node: existence is the only question. */
SYSCALL_DEFINE3(faccessat, uint64_t, dirfd, uint64_t, path, uint64_t, mode)
{
	struct inode *n;
	long err;

	if (mode & ~(uint64_t)(R_OK | W_OK | X_OK))
		return -EINVAL;
	n = lookup_at(dirfd, path, true, &err);
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

SYSCALL_DEFINE4(readlinkat, uint64_t, dirfd, uint64_t, path, uint64_t, buf,
		uint64_t, size)
{
	char *target = NULL, *name;
	struct inode *dir, *n;
	long len;

	len = at_path(dirfd, path, &dir, &name);
	if (len)
		return len;
	len = readlink_proc(name, buf, size);
	if (len != PROCFS_NOT_MINE) {
		at_done(dir, name);
		return len;
	}
	len = vfs_walk(dir, name, 0, &n, NULL);
	at_done(dir, name);
	if (len)
		return len;
	target = kmem_alloc(PATH_MAX);
	if (!target)
		len = -ENOMEM;
	else if ((n->mode & CPIO_S_IFMT) != CPIO_S_IFLNK || !n->iops->readlink)
		len = -EINVAL;
	else
		len = n->iops->readlink(n, target, PATH_MAX);
	if (len > 0) {
		len = MIN(size, (uint64_t)len);
		len = copy_to_user(buf, target, len) ? -EFAULT : len;
	}
	inode_put(n);
	kmem_free(target);
	return len;
}

SYSCALL_DEFINE3(readlink, uint64_t, path, uint64_t, buf, uint64_t, size)
{
	return do_sys_readlinkat(AT_FDCWD, path, buf, size);
}

SYSCALL_DEFINE3(mkdirat, uint64_t, dirfd, uint64_t, path, uint64_t, mode)
{
	char last[VFS_NAME_MAX + 1];
	struct inode *dir;
	long err;

	err = parent_at(dirfd, path, true, &dir, last);
	if (err)
		return err;
	err = dir->iops->create ?
		      dir->iops->create(dir, last,
					CPIO_S_IFDIR | (mode & 07777), NULL) :
		      -EPERM;
	inode_put(dir);
	return err;
}

SYSCALL_DEFINE2(mkdir, uint64_t, path, uint64_t, mode)
{
	return do_sys_mkdirat(AT_FDCWD, path, mode);
}

SYSCALL_DEFINE3(symlinkat, uint64_t, target, uint64_t, dirfd, uint64_t, path)
{
	char last[VFS_NAME_MAX + 1];
	struct inode *dir;
	long err = 0;
	char *to = getname(target, &err);

	if (!to)
		return err;
	err = parent_at(dirfd, path, true, &dir, last);
	if (!err) {
		err = dir->iops->symlink ? dir->iops->symlink(dir, last, to) :
					   -EPERM;
		inode_put(dir);
	}
	kmem_free(to);
	return err;
}

SYSCALL_DEFINE2(symlink, uint64_t, target, uint64_t, path)
{
	return do_sys_symlinkat(target, AT_FDCWD, path);
}

SYSCALL_DEFINE5(linkat, uint64_t, olddirfd, uint64_t, oldpath, uint64_t,
		newdirfd, uint64_t, newpath, uint64_t, flags)
{
	char last[VFS_NAME_MAX + 1];
	struct inode *n, *dir;
	long err;

	if (flags & ~(uint64_t)(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if ((flags & AT_EMPTY_PATH) && empty_path(oldpath))
		n = fd_inode(olddirfd, &err);
	else
		n = lookup_at(olddirfd, oldpath, flags & AT_SYMLINK_FOLLOW,
			      &err);
	if (!n)
		return err;
	err = parent_at(newdirfd, newpath, true, &dir, last);
	if (!err) {
		if (inode_is_dir(n))
			err = -EPERM;	/* no hard links to directories */
		else if (n->sb != dir->sb || n->iops != dir->iops)
			err = -EXDEV;
		else
			err = dir->iops->link ? dir->iops->link(n, dir, last) :
						-EPERM;
		inode_put(dir);
	}
	inode_put(n);
	return err;
}

SYSCALL_DEFINE2(link, uint64_t, oldpath, uint64_t, newpath)
{
	return do_sys_linkat(AT_FDCWD, oldpath, AT_FDCWD, newpath, 0);
}

/* Linux's struct statfs, of the file system holding n, to user buf. */
static long statfs_to_user(struct inode *n, uint64_t buf)
{
	struct kstatfs k;
	struct {
		int64_t type, bsize;
		uint64_t blocks, bfree, bavail, files, ffree;
		int32_t fsid[2];
		int64_t namelen, frsize, flags, spare[4];
	} st;
	long err = n->iops->statfs ? n->iops->statfs(n, &k) : -ENOSYS;

	if (err)
		return err;
	st = (typeof(st)){
		.type = k.type, .bsize = k.bsize, .blocks = k.blocks,
		.bfree = k.bfree, .bavail = k.bavail, .files = k.files,
		.ffree = k.ffree, .fsid = { (int32_t)k.fsid, k.fsid >> 32 },
		.namelen = k.namelen, .frsize = k.bsize,
		.flags = ST_VALID | (k.readonly ? ST_RDONLY : 0),
	};
	return copy_to_user(buf, &st, sizeof(st));
}

SYSCALL_DEFINE2(statfs, uint64_t, path, uint64_t, buf)
{
	long err;
	struct inode *n = lookup_at(AT_FDCWD, path, true, &err);

	if (!n)
		return err;
	err = statfs_to_user(n, buf);
	inode_put(n);
	return err;
}

/* Pipes and sockets have no file system here (-EINVAL). */
SYSCALL_DEFINE2(fstatfs, uint64_t, fd, uint64_t, buf)
{
	long err;
	struct inode *n = fd_inode(fd, &err);

	if (!n)
		return err == -ENOENT ? -EINVAL : err;
	err = statfs_to_user(n, buf);
	inode_put(n);
	return err;
}

/* A mount point stays while mounted: Linux says EBUSY. */
static long check_not_mounted_on(struct inode *dir, const char *name)
{
	struct inode *n;
	long err;

	if (dir->iops->lookup(dir, name, &n))
		return 0;	/* the file system will say what is wrong */
	err = vfs_covered(n) ? -EBUSY : 0;
	inode_put(n);
	return err;
}

SYSCALL_DEFINE3(unlinkat, uint64_t, dirfd, uint64_t, path, uint64_t, flags)
{
	char last[VFS_NAME_MAX + 1];
	struct inode *dir;
	long err;

	if (flags & ~(uint64_t)AT_REMOVEDIR)
		return -EINVAL;
	err = parent_at(dirfd, path, false, &dir, last);
	if (err)
		return err == -EBUSY && (flags & AT_REMOVEDIR) ? -EINVAL : err;
	err = check_not_mounted_on(dir, last);
	if (!err)
		err = dir->iops->unlink ?
			      dir->iops->unlink(dir, last, flags & AT_REMOVEDIR) :
			      -EPERM;
	inode_put(dir);
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
	char from[VFS_NAME_MAX + 1], to[VFS_NAME_MAX + 1];
	struct inode *fdir = NULL, *tdir = NULL;
	long err;

	err = parent_at(olddir, oldpath, false, &fdir, from);
	if (!err)
		err = parent_at(newdir, newpath, false, &tdir, to);
	if (!err && (fdir->sb != tdir->sb || fdir->iops != tdir->iops))
		err = -EXDEV;	/* between file systems: copy, as mv does */
	if (!err)
		err = check_not_mounted_on(fdir, from);
	if (!err)
		err = check_not_mounted_on(tdir, to);
	if (!err)
		err = fdir->iops->rename ?
			      fdir->iops->rename(fdir, from, tdir, to) : -EPERM;
	if (fdir)
		inode_put(fdir);
	if (tdir)
		inode_put(tdir);
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

SYSCALL_DEFINE2(truncate, uint64_t, path, uint64_t, length)
{
	struct inode *n;
	long err;

	if ((int64_t)length < 0)
		return -EINVAL;
	n = lookup_at(AT_FDCWD, path, true, &err);
	if (!n)
		return err;
	if (inode_is_dir(n))
		err = -EISDIR;
	else
		err = n->iops->setsize ? n->iops->setsize(n, length) : -EINVAL;
	inode_put(n);
	return err;
}

/* The absolute path of the working directory. */
SYSCALL_DEFINE2(getcwd, uint64_t, buf, uint64_t, size)
{
	char *path = kmem_alloc(PATH_MAX);
	struct inode *dir = fdtable_cwd();
	long ret;

	ret = path ? vfs_path(dir, path, PATH_MAX) : -ENOMEM;
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
	long err;
	struct inode *n = lookup_at(AT_FDCWD, path, true, &err);

	if (!n)
		return err;
	if (!inode_is_dir(n)) {
		inode_put(n);
		return -ENOTDIR;
	}
	fdtable_set_cwd(n);	/* the table keeps the reference */
	return 0;
}

SYSCALL_DEFINE1(fchdir, uint64_t, fd)
{
	long err = 0;
	struct inode *n = base_dir(fd, &err);

	if (!n)
		return err;
	fdtable_set_cwd(n);
	return 0;
}

struct statx_time {
	int64_t sec;
	uint32_t nsec;
	int32_t pad;
};

/* struct statx, as Linux lays it out; the times are the kstat's mtime
 * (zero where none is kept), the birth time is not given. */
struct statx_k {
	uint32_t mask, blksize;
	uint64_t attributes;
	uint32_t nlink, uid, gid;
	uint16_t mode, pad0;
	uint64_t ino, size, blocks, attributes_mask;
	struct statx_time atime, btime, ctime, mtime;
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
	long err;

	(void)mask;
	if ((flags & AT_EMPTY_PATH) && empty_path(path)) {
		f = fd_get(dirfd);
		if (!f)
			return -EBADF;
		f->ops->stat(f, &st);
		file_put(f);
	} else {
		n = lookup_at(dirfd, path, !(flags & AT_SYMLINK_NOFOLLOW),
			      &err);
		if (!n)
			return err;
		err = vfs_getattr(n, &st);
		inode_put(n);
		if (err)
			return err;
	}
	sx.mode = st.mode;
	sx.ino = st.ino;
	sx.nlink = st.nlink;
	sx.size = st.size;
	sx.blocks = (st.size + 511) / 512;
	sx.atime = sx.ctime = sx.mtime =
		(struct statx_time){ st.mtime, st.mtime_nsec, 0 };
	sx.rdev_major = st.rdev >> 8;
	sx.rdev_minor = st.rdev & 0xff;
	return copy_to_user(buf, &sx, sizeof(sx));
}
