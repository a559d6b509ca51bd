/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The file tree above its file systems (kitten/fs/vfs.c, mount.c): path
 * walks that follow symbolic links and cross mount points, and the
 * operations a path call asks of the file system owning an inode.
 *
 * The in-memory file system (ramfs.h) is the root and stays Kitten's own
 * (/dev, /proc, /sys, /tmp, the initramfs). Other file systems (9P
 * exports: kitten/fs/9p/) are mounted on its directories, or on each
 * other's, at boot (9p= kernel arguments, docs/9p.md). Mounts are only
 * added at boot, before any user task runs, and never removed: walks read
 * the mount table without a lock.
 *
 * An inode is named by (sb, ino): the ramfs gives each inode its own
 * number (sb NULL), a 9P export the server's qid path. A file system that
 * makes a new struct inode for each lookup (9P) still names the same
 * file the same way, which is what mount points are matched by.
 */
#ifndef KITTEN_VFS_H
#define KITTEN_VFS_H

#include <kitten/types.h>

#define VFS_PATH_MAX	4096
#define VFS_NAME_MAX	255

struct inode;
struct file;
struct kstat;

/* What statfs(2) reports of a file system. */
struct kstatfs {
	uint64_t type, bsize, blocks, bfree, bavail, files, ffree, fsid;
	uint64_t namelen;
	bool readonly;
};

#define TMPFS_MAGIC	0x01021994
#define V9FS_MAGIC	0x01021997

/*
 * What a file system does for path calls. Names are single components,
 * NUL-terminated, never "." or "..". Results are referenced inodes.
 */
struct inode_operations {
	/* The child name of directory dir: 0, -ENOENT, -errno. */
	int (*lookup)(struct inode *dir, const char *name, struct inode **out);
	/* dir's parent within the file system (the top's: itself). */
	int (*parent)(struct inode *dir, struct inode **out);
	/* A new regular file or directory (by mode's type); out may be NULL. */
	int (*create)(struct inode *dir, const char *name, uint32_t mode,
		      struct inode **out);
	int (*symlink)(struct inode *dir, const char *name, const char *target);
	/* A further name of n in dir (both of this file system): link(2). */
	int (*link)(struct inode *n, struct inode *dir, const char *name);
	/* Remove a name (rmdir when dir_only). */
	int (*unlink)(struct inode *dir, const char *name, bool dir_only);
	/* Both directories are of this file system. */
	int (*rename)(struct inode *fdir, const char *fname,
		      struct inode *tdir, const char *tname);
	/* A link's target, NUL-terminated, into buf: its length, -errno. */
	long (*readlink)(struct inode *n, char *buf, size_t size);
	/* Fresh status (a remote file's may have changed since lookup). */
	int (*getattr)(struct inode *n, struct kstat *st);
	/* truncate(2) by path. */
	int (*setsize)(struct inode *n, uint64_t size);
	/* statfs(2) of the file system holding n. */
	int (*statfs)(struct inode *n, struct kstatfs *st);
	/* Fill in f (f->priv) for open; 0 or -errno (-EROFS, -EACCES). */
	int (*open)(struct inode *n, struct file *f);
	/* The path below the file system's top, without a leading '/'
	 * ("" for the top); for getcwd across mounts. */
	long (*relpath)(struct inode *n, char *buf, size_t size);
	/* The last reference is gone: let go of the kind's own. No sleeping. */
	void (*release)(struct inode *n);
};

extern const struct inode_operations ramfs_iops;

/* Is a the same file as b? */
bool vfs_same(const struct inode *a, const struct inode *b);

#define WALK_FOLLOW	1	/* follow a link in the last component */
#define WALK_PARENT	2	/* stop at the last component's directory */

/*
 * Walk path from dir (NULL or an absolute path: the root). With
 * WALK_PARENT, *out is the directory holding the last component and its
 * name is copied to last (VFS_NAME_MAX + 1 bytes; "" for "/", and "." or
 * ".." as given). 0 or -ENOENT, -ENOTDIR, -ELOOP, -ENAMETOOLONG, -errno.
 */
int vfs_walk(struct inode *dir, const char *path, unsigned flags,
	     struct inode **out, char *last);
/* One step: name (not empty) in dir, across mounts; links not followed. */
int vfs_lookup(struct inode *dir, const char *name, struct inode **out);

/* Cover directory mp with root (both referenced by the mount now). */
int vfs_mount(struct inode *mp, struct inode *root);
/* Is n a mount point (covered by a mount)? */
bool vfs_covered(const struct inode *n);
/* The absolute path of n across mounts; length with the NUL, -errno. */
long vfs_path(struct inode *n, char *buf, size_t size);
/* stat: fresh from the file system where it has getattr. */
int vfs_getattr(struct inode *n, struct kstat *st);

/* Mount the 9p= exports the kernel arguments name (mount.c). */
void vfs_mount_boot(const char *cmdline);

#endif
