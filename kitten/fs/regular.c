// SPDX-License-Identifier: GPL-2.0
/*
 * Plain files (and symbolic links) of the in-memory file system: their
 * data and their file operations.
 *
 * A file's data is one buffer, grown by doubling; an unpacked file's
 * data first points into the initramfs and is copied into a buffer of
 * its own on the first write. Growing replaces and frees the buffer, so
 * every use of data, size, buf and cap holds the inode's mutex, and the
 * copy between user memory and the buffer happens under it: a read sees
 * the file before or after a write, never a freed buffer or half a
 * write. The mutex sleeps, so a long copy holds up only this file's other
 * users, and a CPU waiting for it does not spin with interrupts off.
 */
#include <kitten/errno.h>
#include <kitten/file.h>
#include <kitten/kmem.h>
#include <kitten/ramfs.h>
#include <kitten/string.h>
#include <kitten/syscall.h>

/* Make the data its own, writable buffer of at least size bytes. */
static int reserve(struct inode *n, uint64_t size)
{
	uint64_t cap = n->cap;
	char *buf;

	if (n->buf && size <= cap)
		return 0;
	cap = MAX(cap * 2, MAX(size, (uint64_t)256));
	buf = kmem_alloc(cap);
	if (!buf)
		return -ENOSPC;
	memcpy(buf, n->data, n->size);
	memset(buf + n->size, 0, cap - n->size);
	kmem_free(n->buf);
	n->buf = buf;
	n->data = buf;
	n->cap = cap;
	return 0;
}

long inode_read_user(struct inode *n, uint64_t ubuf, uint64_t len,
		     uint64_t off)
{
	long ret;

	inode_lock(n);
	len = off < n->size ? MIN(len, n->size - off) : 0;
	ret = len && copy_to_user(ubuf, (const char *)n->data + off, len) ?
		      -EFAULT : (long)len;
	inode_unlock(n);
	return ret;
}

int inode_truncate(struct inode *n, uint64_t size)
{
	int err;

	inode_lock(n);
	err = reserve(n, size);
	if (!err) {
		if (size < n->size)
			memset((char *)n->buf + size, 0, n->size - size);
		n->size = size;
	}
	inode_unlock(n);
	return err;
}

static long file_read(struct file *f, uint64_t ubuf, uint64_t len,
		      uint64_t *pos)
{
	long n = inode_read_user(f->inode, ubuf, len, *pos);

	if (n > 0)
		*pos += n;
	return n;
}

/* With O_APPEND the end is found and written under one hold of the lock,
 * so appends from several CPUs never land on each other. */
static long file_write(struct file *f, uint64_t ubuf, uint64_t len,
		       uint64_t *pos)
{
	struct inode *n = f->inode;
	uint64_t off;
	long err;

	if (!len)
		return 0;
	inode_lock(n);
	off = READ_ONCE(f->flags) & O_APPEND ? n->size : *pos;
	err = off + len < off ? -EFBIG : reserve(n, off + len);
	if (!err && copy_from_user((char *)n->buf + off, ubuf, len)) {
		/* A fault part-way: what lies past the end stays zero. */
		if (off + len > n->size) {
			uint64_t from = MAX(off, n->size);

			memset((char *)n->buf + from, 0, off + len - from);
		}
		err = -EFAULT;
	}
	if (!err) {
		n->size = MAX(n->size, off + len);
		*pos = off + len;
	}
	inode_unlock(n);
	return err ? err : (long)len;
}

static long file_lseek(struct file *f, int64_t off, int whence, uint64_t pos)
{
	return file_seek_in(off, whence, pos, READ_ONCE(f->inode->size));
}

static int file_truncate(struct file *f, uint64_t size)
{
	return inode_truncate(f->inode, size);
}

static long file_copy_at(struct file *f, void *dst, uint64_t len, uint64_t off)
{
	struct inode *n = f->inode;
	long ret;

	inode_lock(n);
	ret = off < n->size ? (long)MIN(len, n->size - off) : 0;
	memcpy(dst, (const char *)n->data + off, ret);
	inode_unlock(n);
	return ret;
}

const struct file_operations ramfs_file_ops = {
	.read = file_read,
	.write = file_write,
	.lseek = file_lseek,
	.truncate = file_truncate,
	.copy_at = file_copy_at,
	.stat = file_stat_inode,
};
