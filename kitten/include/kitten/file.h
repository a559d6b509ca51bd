/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Open files and file-descriptor tables. A file is an inode of the
 * in-memory file system or the console; a table of them is shared by the
 * tasks of one process.
 */
#ifndef KITTEN_FILE_H
#define KITTEN_FILE_H

#include <kitten/spinlock.h>
#include <kitten/types.h>

#define FD_MAX 64

struct inode;

struct file {
	struct inode *inode;	/* NULL: the console */
	uint64_t pos;
	unsigned flags;
	unsigned refs;
};

struct fdtable {
	unsigned refs;
	struct spinlock lock;
	struct file *fd[FD_MAX];
};

/* A table with the console on descriptors 0, 1 and 2. */
struct fdtable *fdtable_create(void);
void fdtable_get(struct fdtable *t);
void fdtable_put(struct fdtable *t);

#endif
