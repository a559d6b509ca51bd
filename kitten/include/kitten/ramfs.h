/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The in-memory file system: a tree of inodes, filled from the initramfs
 * at boot. File data of unpacked files points into the initramfs module,
 * which stays reserved, so unpacking copies nothing.
 */
#ifndef KITTEN_RAMFS_H
#define KITTEN_RAMFS_H

#include <kitten/list.h>
#include <kitten/types.h>

#define RAMFS_NAME_MAX 255

struct inode {
	char *name;
	uint32_t mode;		/* S_IF* type and permission bits */
	uint64_t ino;
	const void *data;	/* file contents, or a symlink's target */
	uint64_t size;
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

#endif
