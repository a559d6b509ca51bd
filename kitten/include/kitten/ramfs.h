/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The in-memory file system (tmpfs-like): a tree of inodes, filled from
 * the initramfs at boot and writable after. File data of unpacked files
 * points into the initramfs module, which stays reserved, so unpacking
 * copies nothing; the first write to such a file copies it into a buffer
 * of its own. Drivers add generated files (/proc, /sys, /dev) with a file
 * operations table of their own, as the paper describes for ported Linux
 * drivers.
 *
 * Locking. System calls on many CPUs share the tree:
 *   - one spinlock (the tree lock, ramfs.c) covers every name, parent and
 *     child link: lookups, creation, unlink, rename, listings and paths
 *     are each one short critical section that touches no user memory;
 *   - each inode's mutex covers its data (data, size, buf, cap): reads,
 *     writes and truncation copy between user memory and the buffer
 *     under it, so a reader never sees a buffer that a writer replaced
 *     and freed. It is a sleeping lock because those copies can be long.
 * Nothing takes the tree lock and an inode's mutex together.
 *
 * Lifetime: an inode is referenced by the tree while it has a name, and
 * by every open file, working directory and caller that looked it up; the
 * last reference frees it, so an unlinked file lives until it is closed.
 */
#ifndef KITTEN_RAMFS_H
#define KITTEN_RAMFS_H

#include <kitten/list.h>
#include <kitten/mutex.h>
#include <kitten/types.h>

#define RAMFS_NAME_MAX 255

struct file_operations;
struct inode_operations;

/*
 * An inode of any file system: the ramfs's own fields below, and for the
 * others (9P, kitten/fs/9p/) iops, sb and priv; their tree fields stay
 * empty. Path calls reach a file system through iops (vfs.h).
 */
struct inode {
	uint32_t mode;		/* S_IF* type and permission bits */
	uint32_t rdev;		/* a device's number: major << 8 | minor */
	uint64_t ino;
	const struct file_operations *fops;	/* what open() gives */
	const struct inode_operations *iops;	/* path calls (vfs.h) */
	void *sb;		/* the file system instance; NULL: the ramfs */
	void *priv;		/* the kind's own: a generated file's source */
	unsigned refs;

	struct mutex lock;	/* the data */
	const void *data;	/* file contents, or a symlink's target */
	uint64_t size;
	void *buf;		/* when written: data == buf, cap bytes */
	uint64_t cap;

	/* The tree lock's (ramfs.c). */
	char *name;
	struct inode *parent;	/* NULL once unlinked; the root's: itself */
	struct list_head children;	/* in increasing cookie order */
	struct list_head sibling;
	uint64_t cookie;	/* its place in the parent's listing */
	uint64_t next_cookie;	/* a directory's: for its next child */

	/*
	 * Hard links (link(2)). A file's first name is the inode itself; each
	 * further name is an inode of its own in the tree that stands for the
	 * file (same), holds a reference to it, and sits on the file's
	 * other_names list. Lookups return the file, never the stand-in.
	 */
	struct inode *same;		/* a further name's: the file */
	struct list_head other_names;	/* the file's further names */
	struct list_head same_node;	/* a further name's: in that list */
	unsigned other_count;		/* the file's: how many */
};

/* Plain files and symbolic links (regular.c), directories (dir.c). */
extern const struct file_operations ramfs_file_ops;
extern const struct file_operations ramfs_dir_ops;

void ramfs_init(void);
/*
 * The inode at an absolute path (symbolic links are not followed), not
 * referenced: for start-up only, before any user task can unlink it.
 */
struct inode *ramfs_lookup(const char *path);
/* The inode at path relative to dir (NULL: the root), referenced; or NULL. */
struct inode *ramfs_lookup_from(struct inode *dir, const char *path);
/* The root, referenced. */
struct inode *ramfs_root(void);
/* Create path (and missing parent directories); -EEXIST if it exists. */
int ramfs_create(const char *path, uint32_t mode, const void *data,
		 uint64_t size, struct inode **out);
/* Unpack a cpio newc archive into the tree; returns files created. */
int ramfs_unpack(const void *archive, size_t size);

/* A generated file at path, opened with fops (parents are created). */
int ramfs_register(const char *path, uint32_t mode, uint32_t rdev,
		   const struct file_operations *fops, void *priv);

/* /dev, /proc, /sys and /tmp. */
void devfs_init(void);

void inode_get(struct inode *inode);
void inode_put(struct inode *inode);
static inline bool inode_is_dir(const struct inode *inode)
{
	return (inode->mode & 0170000) == 0040000;
}

/* The data (regular.c), each under the inode's mutex. */
static inline void inode_lock(struct inode *inode)
{
	mutex_lock(&inode->lock);
}

static inline void inode_unlock(struct inode *inode)
{
	mutex_unlock(&inode->lock);
}

/* Up to len bytes at off into user memory; bytes or -EFAULT. */
long inode_read_user(struct inode *inode, uint64_t ubuf, uint64_t len,
		     uint64_t off);
int inode_truncate(struct inode *inode, uint64_t size);

/* Remove dir/name from the tree (rmdir when dir_only); -errno. */
int ramfs_unlink(struct inode *dir, const char *path, bool dir_only);
/* Move fdir/from to tdir/to, replacing a file at the target; -errno. */
int ramfs_rename(struct inode *fdir, const char *from, struct inode *tdir,
		 const char *to);
/* Create one name under dir (referenced in *out if asked), holding size
 * bytes of data (copied; for a symbolic link); -EEXIST, -ENOENT,
 * -ENOTDIR. */
int ramfs_mknod(struct inode *dir, const char *path, uint32_t mode,
		const void *data, uint64_t size, struct inode **out);
/*
 * Fill kbuf (cap bytes) with linux_dirent64 records of dir from listing
 * position *pos on, and advance *pos: bytes, 0 at the end, or -EINVAL
 * if the first record does not fit. Positions are cookies: a name that
 * stays is listed once however the directory changes meanwhile.
 */
long ramfs_readdir(struct inode *dir, uint64_t *pos, char *kbuf, size_t cap);
/* One linux_dirent64 record (name, NUL-terminated) into kbuf at *used,
 * which advances; false if it does not fit in cap. */
bool dirent_emit(char *kbuf, size_t cap, size_t *used, uint64_t ino,
		 uint64_t next, uint8_t type, const char *name);
/* The absolute path of inode into buf (size bytes); its length with the
 * NUL, -ENOENT if it was unlinked, -ENAMETOOLONG. */
long ramfs_path(struct inode *inode, char *buf, size_t size);

#endif
