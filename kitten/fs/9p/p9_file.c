// SPDX-License-Identifier: GPL-2.0
/*
 * Open files of a 9P export: each holds an opened fid of its own (see
 * p9_fs.h), and every operation is one or more round trips on it.
 *
 * Data moves in pieces of at most the client's I/O size (msize less the
 * headers) through a kernel bounce buffer, so user memory is touched
 * only between round trips and a fault costs nothing on the server. A
 * short read is the end of what there is; a short write stops the call
 * with what was written, as Linux's write does.
 *
 * Directories are listed with Treaddir. The file position is the 9P
 * offset after the last entry given out, which the server keeps stable
 * as the directory changes, so a listing in several calls is whole.
 */
#include <kitten/errno.h>
#include <kitten/kmem.h>
#include <kitten/string.h>
#include <kitten/syscall.h>

#include "p9_fs.h"

#define DENTS_MAX	32768	/* bytes of records per getdents call */

static struct p9_client *client(const struct file *f)
{
	return p9_inode_client(f->inode);
}

static long p9_file_read(struct file *f, uint64_t ubuf, uint64_t len,
			 uint64_t *pos)
{
	struct p9_client *c = client(f);
	uint32_t chunk = MIN(len, (uint64_t)p9_iosize(c));
	char *buf = chunk ? kmem_alloc(chunk) : NULL;
	uint64_t done = 0;
	long n = 0;

	if (chunk && !buf)
		return -ENOMEM;
	while (done < len) {
		uint32_t want = MIN(len - done, (uint64_t)chunk);

		n = p9_read(c, p9_file_fid(f), *pos, buf, want);
		if (n <= 0)
			break;
		if (copy_to_user(ubuf + done, buf, n)) {
			n = -EFAULT;
			break;
		}
		done += n;
		*pos += n;
		if ((uint32_t)n < want)
			break;	/* the end of the file, for now */
	}
	kmem_free(buf);
	return done ? (long)done : n;
}

static long p9_file_write(struct file *f, uint64_t ubuf, uint64_t len,
			  uint64_t *pos)
{
	struct p9_client *c = client(f);
	uint32_t chunk = MIN(len, (uint64_t)p9_iosize(c));
	char *buf = chunk ? kmem_alloc(chunk) : NULL;
	uint64_t done = 0, off = *pos;
	long n = 0;

	if (chunk && !buf)
		return -ENOMEM;
	/* O_APPEND: at the end the server sees now. Another node writing
	 * the same file meanwhile is not ruled out, as on NFS. */
	if (READ_ONCE(f->flags) & O_APPEND) {
		struct p9_attr a;

		n = p9_getattr(c, p9_file_fid(f), &a);
		off = a.size;
	}
	while (!n && done < len) {
		uint32_t want = MIN(len - done, (uint64_t)chunk);
		long w;

		if (copy_from_user(buf, ubuf + done, want)) {
			n = -EFAULT;
			break;
		}
		w = p9_write(c, p9_file_fid(f), off + done, buf, want);
		if (w < 0) {
			n = w;
			break;
		}
		done += w;
		if ((uint32_t)w < want)
			break;
	}
	kmem_free(buf);
	if (done)
		*pos = off + done;
	return done ? (long)done : n;
}

static long p9_file_lseek(struct file *f, int64_t off, int whence,
			  uint64_t pos)
{
	struct p9_attr a = { .size = 0 };

	if (whence == SEEK_END) {
		int err = p9_getattr(client(f), p9_file_fid(f), &a);

		if (err)
			return err;
	}
	return file_seek_in(off, whence, pos, a.size);
}

static int p9_file_truncate(struct file *f, uint64_t size)
{
	if (client(f)->readonly)
		return -EROFS;
	return p9_truncate(client(f), p9_file_fid(f), size);
}

/* For exec and mmap: into kernel memory, to the end or len. */
static long p9_file_copy_at(struct file *f, void *dst, uint64_t len,
			    uint64_t off)
{
	struct p9_client *c = client(f);
	uint64_t done = 0;

	while (done < len) {
		uint32_t want = MIN(len - done, (uint64_t)p9_iosize(c));
		long n = p9_read(c, p9_file_fid(f), off + done,
				 (char *)dst + done, want);

		if (n < 0)
			return done ? (long)done : n;
		done += n;
		if ((uint32_t)n < want)
			break;
	}
	return done;
}

static void p9_file_stat(struct file *f, struct kstat *st)
{
	struct p9_attr a;

	if (p9_getattr(client(f), p9_file_fid(f), &a))
		inode_stat(f->inode, st);	/* as it was at open */
	else
		p9_attr_to_kstat(&a, st);
}

/* The server's file reaches its disk: Tfsync. */
static int p9_file_fsync(struct file *f)
{
	return p9_fsync(client(f), p9_file_fid(f));
}

static void p9_file_release(struct file *f)
{
	p9_fid_put(client(f), &((struct p9_open *)f->priv)->ref);
}

const struct file_operations p9_file_ops = {
	.read = p9_file_read,
	.write = p9_file_write,
	.lseek = p9_file_lseek,
	.truncate = p9_file_truncate,
	.fsync = p9_file_fsync,
	.copy_at = p9_file_copy_at,
	.stat = p9_file_stat,
	.release = p9_file_release,
};

static long p9_dir_read(struct file *f, uint64_t ubuf, uint64_t len,
			uint64_t *pos)
{
	(void)f, (void)ubuf, (void)len, (void)pos;
	return -EISDIR;
}

/* Back to an offset an earlier listing gave (seekdir, rewinddir). */
static long p9_dir_lseek(struct file *f, int64_t off, int whence,
			 uint64_t pos)
{
	(void)f;
	return whence == SEEK_END ? -EINVAL : file_seek_in(off, whence, pos, 0);
}

/* One linux_dirent64 record at out + *used; false if it does not fit. */
static bool emit(char *out, size_t cap, size_t *used,
		 const struct p9_dirent *d)
{
	size_t reclen = ALIGN_UP(19 + d->namelen + 1, 8);
	struct {
		uint64_t ino;
		int64_t off;
		uint16_t reclen;
		uint8_t type;
	} __attribute__((packed)) hdr = { d->qid.path, d->offset, reclen,
					  d->type };

	if (*used + reclen > cap)
		return false;
	memset(out + *used, 0, reclen);
	memcpy(out + *used, &hdr, sizeof(hdr));
	memcpy(out + *used + sizeof(hdr), d->name, d->namelen);
	*used += reclen;
	return true;
}

static long p9_dir_getdents(struct file *f, uint64_t ubuf, uint64_t len,
			    uint64_t *pos)
{
	struct p9_client *c = client(f);
	size_t cap = MIN(len, (uint64_t)DENTS_MAX), used = 0, at = 0;
	uint32_t want = MIN(cap, (size_t)p9_iosize(c));
	char *raw = kmem_alloc(want), *out = kmem_alloc(cap);
	uint64_t next = *pos;
	struct p9_dirent d;
	long n;

	n = raw && out ? p9_readdir(c, p9_file_fid(f), *pos, raw, want) :
			 -ENOMEM;
	/* Each record is about the size of its 9P entry: most fit. */
	while (n > 0 && p9_next_dirent(raw, n, &at, &d) &&
	       emit(out, cap, &used, &d))
		next = d.offset;
	if (n > 0 && !used)
		n = -EINVAL;	/* the first record does not fit */
	else if (n > 0 && copy_to_user(ubuf, out, used))
		n = -EFAULT;
	else if (n >= 0)
		n = used;
	if (n >= 0)
		*pos = next;
	kmem_free(raw);
	kmem_free(out);
	return n;
}

const struct file_operations p9_dir_ops = {
	.read = p9_dir_read,
	.lseek = p9_dir_lseek,
	.getdents = p9_dir_getdents,
	.stat = p9_file_stat,
	.release = p9_file_release,
};
