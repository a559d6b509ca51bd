/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The in-memory file system (tmpfs-like): a tree of inodes, filled from
 * the initramfs at boot and writable after. File data of unpacked files
 * points into the initramfs module, which stays reserved, so unpacking
 * copies nothing; the first write to such a file copies it into a buffer
 * of its own. Drivers add generated files (/proc, /sys, /dev) with
 * callbacks, as the paper describes for ported Linux drivers.
 */
#ifndef KITTEN_RAMFS_H
#define KITTEN_RAMFS_H

#include <kitten/list.h>
#include <kitten/types.h>

#define RAMFS_NAME_MAX 255

struct inode;

/* A generated file: read and write at an offset; bytes or -errno. */
struct inode_ops {
	long (*read)(struct inode *inode, char *buf, uint64_t len, uint64_t off);
	long (*write)(struct inode *inode, const char *buf, uint64_t len,
		      uint64_t off);
};

struct inode {
	char *name;
	uint32_t mode;		/* S_IF* type and permission bits */
	uint64_t ino;
	const void *data;	/* file contents, or a symlink's target */
	uint64_t size;
	void *buf;		/* when written: data == buf, cap bytes */
	uint64_t cap;
	const struct inode_ops *ops;	/* generated files; NULL otherwise */
	void *priv;
	unsigned refs;		/* open files; the tree holds one */
	struct inode *parent;
	struct list_head children;
	struct list_head sibling;
};

void ramfs_init(void);
/* The inode at an absolute path (symbolic links are not followed). */
struct inode *ramfs_lookup(const char *path);
/* The same for a path relative to dir (NULL: the root). */
struct inode *ramfs_lookup_from(struct inode *dir, const char *path);
/* Create path (and missing parent directories); -EEXIST if it exists. */
int ramfs_create(const char *path, uint32_t mode, const void *data,
		 uint64_t size, struct inode **out);
/* Unpack a cpio newc archive into the tree; returns files created. */
int ramfs_unpack(const void *archive, size_t size);

/* A generated file at path, served by ops (parents are created). */
int ramfs_register(const char *path, uint32_t mode,
		   const struct inode_ops *ops, void *priv);

/* /dev, /proc, /sys and /tmp. */
void devfs_init(void);

void inode_get(struct inode *inode);
void inode_put(struct inode *inode);
/* Copy len bytes from src into the file at off, growing it; 0 or -errno. */
int inode_write(struct inode *inode, uint64_t off, const void *src,
		uint64_t len);
int inode_truncate(struct inode *inode, uint64_t size);

/* Remove dir/name from the tree (rmdir when dir_only); -errno. */
int ramfs_unlink(struct inode *dir, const char *path, bool dir_only);
/* Move a name, replacing a file at the target; -errno. */
int ramfs_rename(struct inode *dir, const char *from, const char *to);
/* Create one name in the tree under dir; -EEXIST, -ENOENT, -ENOTDIR. */
int ramfs_mknod(struct inode *dir, const char *path, uint32_t mode,
		struct inode **out);

#endif
