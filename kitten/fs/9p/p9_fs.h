/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The 9P file system's pieces shared by its inodes (p9_fs.c) and its
 * open files (p9_file.c). An inode holds a walked fid (not opened): it
 * names the file for lookups, status and changes; each open file opens
 * a copy of it, since a 9P fid that is opened can no longer be walked.
 */
#ifndef KITTEN_FS_P9_FS_H
#define KITTEN_FS_P9_FS_H

#include <kitten/file.h>
#include <kitten/ramfs.h>

#include "p9.h"

/* One attached export (the inode's sb). */
struct p9_sb {
	struct p9_client c;
	char tag[32];
};

/* An inode's own (inode->priv): its fid and its path in the export. */
struct p9_node {
	struct p9_fid_ref ref;
	char path[];		/* "" for the export's top, "usr/lib" below */
};

/* An open file's own (file->priv). */
struct p9_open {
	struct p9_fid_ref ref;
};

static inline struct p9_client *p9_inode_client(const struct inode *n)
{
	return &((struct p9_sb *)n->sb)->c;
}

static inline uint32_t p9_inode_fid(const struct inode *n)
{
	return ((struct p9_node *)n->priv)->ref.fid;
}

static inline uint32_t p9_file_fid(const struct file *f)
{
	return ((struct p9_open *)f->priv)->ref.fid;
}

void p9_attr_to_kstat(const struct p9_attr *a, struct kstat *st);

extern const struct file_operations p9_file_ops;
extern const struct file_operations p9_dir_ops;

/* Attach the export of the device with mount tag tag; its top in *root
 * (referenced). */
int p9_fs_attach(const char *tag, bool readonly, struct inode **root);

/* Call fn for each name (not "." or "..") of 9P directory dir, with its
 * DT_* type; stops at fn's first nonzero return, which it returns. */
int p9_fs_for_each(struct inode *dir,
		   int (*fn)(void *ctx, const char *name, uint8_t type),
		   void *ctx);

#endif
