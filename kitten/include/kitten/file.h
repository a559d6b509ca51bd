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
	struct inode *inode;	/* NULL: a console */
	bool kernel_log;	/* console: the kernel log, not the user console */
	uint64_t pos;
	unsigned flags;
	unsigned refs;
};

struct fdtable {
	unsigned refs;
	struct spinlock lock;
	struct file *fd[FD_MAX];
};

/*
 * A table with a console on descriptors 0, 1 and 2: the kernel log for
 * the init task (its reports belong with the kernel's), the user console
 * for jobs.
 */
struct fdtable *fdtable_create(bool kernel_log);
void fdtable_get(struct fdtable *t);
void fdtable_put(struct fdtable *t);

/* Copy up to len bytes of fd's file from offset off into kernel-visible
 * memory dst (for mmap of a file); bytes read or a negative errno. */
long file_read_at(uint64_t fd, void *dst, uint64_t len, uint64_t off);

#endif
