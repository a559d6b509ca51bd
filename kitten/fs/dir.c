// SPDX-License-Identifier: GPL-2.0
/*
 * Directories of the in-memory file system as open files: listed with
 * getdents64, not read. The file position is a listing cookie (see
 * ramfs_readdir), so a program that lists in several calls while others
 * create, rename and unlink sees every name that stays exactly once.
 * Records are built in a kernel buffer under the tree lock and copied
 * out after it is released.
 */
#include <kitten/errno.h>
#include <kitten/file.h>
#include <kitten/kmem.h>
#include <kitten/ramfs.h>
#include <kitten/syscall.h>

#define DENTS_MAX	32768	/* bytes of records per call */

static long dir_read(struct file *f, uint64_t ubuf, uint64_t len,
		     uint64_t *pos)
{
	(void)f, (void)ubuf, (void)len, (void)pos;
	return -EISDIR;
}

/* Back to a cookie an earlier listing gave (seekdir, rewinddir). */
static long dir_lseek(struct file *f, int64_t off, int whence, uint64_t pos)
{
	(void)f;
	return whence == SEEK_END ? -EINVAL : file_seek_in(off, whence, pos, 0);
}

static long dir_getdents(struct file *f, uint64_t ubuf, uint64_t len,
			 uint64_t *pos)
{
	size_t cap = MIN(len, (uint64_t)DENTS_MAX);
	char *kbuf = cap ? kmem_alloc(cap) : NULL;
	uint64_t next = *pos;
	long n;

	if (cap && !kbuf)
		return -ENOMEM;
	n = ramfs_readdir(f->inode, &next, kbuf, cap);
	if (n > 0 && copy_to_user(ubuf, kbuf, n))
		n = -EFAULT;
	if (n >= 0)
		*pos = next;
	kmem_free(kbuf);
	return n;
}

const struct file_operations ramfs_dir_ops = {
	.read = dir_read,
	.lseek = dir_lseek,
	.getdents = dir_getdents,
	.stat = file_stat_inode,
};
