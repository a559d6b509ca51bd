// SPDX-License-Identifier: GPL-2.0
/*
 * A 9P2000.L export as a Kitten file system: inodes whose path calls
 * (vfs.h) are 9P requests.
 *
 * No cache: each lookup walks one name (Twalk) and asks its status
 * (Tgetattr), so a job sees the host's files as they are now, and what
 * the host changes during a job is seen at the next lookup. An inode is
 * made per lookup and dropped with its last reference; files are told
 * apart by (sb, qid path), which is what mount points are matched by
 * (QEMU's multidevs=remap keeps qid paths distinct across the host's
 * devices).
 *
 * An inode keeps its path below the export's top, without links (the
 * VFS follows links itself, and restarts from the link's directory), so
 * ".." is the path without its last name, walked again from the top, and
 * getcwd is the mount's path followed by it.
 *
 * A read-only export (9p=TAG:PATH:ro) refuses every change here, with
 * -EROFS, before asking the server.
 */
#define pr_fmt(fmt) "9p: " fmt

#include <kitten/cpio.h>
#include <kitten/errno.h>
#include <kitten/kmem.h>
#include <kitten/p9_transport.h>
#include <kitten/printk.h>
#include <kitten/string.h>
#include <kitten/vfs.h>

#include "p9_fs.h"

static const struct inode_operations p9_iops;

/* A node's or open file's own, after its fid's clunk. */
static void free_ref(struct p9_fid_ref *ref)
{
	kmem_free(ref);
}

void p9_attr_to_kstat(const struct p9_attr *a, struct kstat *st)
{
	*st = (struct kstat){
		.ino = a->qid.path,
		.size = a->size,
		.mode = a->mode,
		.nlink = a->nlink,
		.rdev = (uint32_t)a->rdev,
		.mtime = a->mtime_sec,
		.mtime_nsec = a->mtime_nsec,
	};
}

/*
 * An inode for fid (now the inode's), found at path (len bytes, then
 * name if any); it asks the file's status. On failure fid is clunked.
 */
static int new_inode(struct p9_sb *sb, uint32_t fid, const char *path,
		     size_t len, const char *name, struct inode **out)
{
	size_t nlen = name ? strlen(name) : 0;
	struct p9_node *node = kmem_alloc(sizeof(*node) + len + nlen + 2);
	struct inode *n = kmem_zalloc(sizeof(*n));
	struct p9_attr a;
	int err;

	err = node && n ? p9_getattr(&sb->c, fid, &a) : -ENOMEM;
	if (err) {
		kmem_free(n);
		kmem_free(node);
		(void)p9_clunk(&sb->c, fid);
		return err;
	}
	node->ref = (struct p9_fid_ref){ .fid = fid, .free = free_ref };
	memcpy(node->path, path, len);
	if (name) {
		if (len)
			node->path[len++] = '/';
		memcpy(node->path + len, name, nlen);
		len += nlen;
	}
	node->path[len] = '\0';

	n->mode = a.mode;
	n->rdev = a.rdev;
	n->ino = a.qid.path;
	/* No size: it is asked of the server (getattr) when wanted, and
	 * code that reads a ramfs inode's data directly sees an empty file
	 * (data is NULL) rather than a size without data. */
	n->size = 0;
	n->fops = inode_is_dir(n) ? &p9_dir_ops : &p9_file_ops;
	n->iops = &p9_iops;
	n->sb = sb;
	n->priv = node;
	n->refs = 1;
	mutex_init(&n->lock);
	list_init(&n->children);
	list_init(&n->sibling);
	*out = n;
	return 0;
}

static struct p9_node *node_of(const struct inode *n)
{
	return n->priv;
}

static struct p9_sb *sb_of(const struct inode *n)
{
	return n->sb;
}

static int p9_lookup(struct inode *dir, const char *name, struct inode **out)
{
	struct p9_node *d = node_of(dir);
	uint32_t fid;
	int err;

	err = p9_walk(&sb_of(dir)->c, d->ref.fid, 1, &name, &fid, NULL);
	if (err)
		return err;
	return new_inode(sb_of(dir), fid, d->path, strlen(d->path), name, out);
}

/* The first len bytes of path walked from the export's top: a new fid. */
static int walk_path(struct p9_sb *sb, const char *path, size_t len,
		     uint32_t *out)
{
	const char *names[P9_MAXWELEM];
	char *copy = kmem_alloc(len + 1), *p;
	uint32_t fid = sb->c.root, next;
	bool own = false;
	int err = 0;

	if (!copy)
		return -ENOMEM;
	memcpy(copy, path, len);
	copy[len] = '\0';
	p = copy;
	do {	/* at most P9_MAXWELEM names per Twalk; at least one Twalk */
		unsigned nr = 0;

		while (*p && nr < P9_MAXWELEM) {
			names[nr++] = p;
			p = strchr(p, '/');
			if (!p)
				p = copy + len;
			else
				*p++ = '\0';
		}
		err = p9_walk(&sb->c, fid, nr, names, &next, NULL);
		if (own)
			(void)p9_clunk(&sb->c, fid);
		fid = next;
		own = true;
	} while (!err && *p);
	kmem_free(copy);
	*out = fid;
	return err;
}

static int p9_parent(struct inode *dir, struct inode **out)
{
	const char *path = node_of(dir)->path;
	const char *slash = strrchr(path, '/');
	size_t len = slash ? (size_t)(slash - path) : 0;
	uint32_t fid;
	int err;

	if (!path[0]) {		/* the top is its own parent */
		inode_get(dir);
		*out = dir;
		return 0;
	}
	err = walk_path(sb_of(dir), path, len, &fid);
	if (err)
		return err;
	return new_inode(sb_of(dir), fid, path, len, NULL, out);
}

static int p9_create(struct inode *dir, const char *name, uint32_t mode,
		     struct inode **out)
{
	struct p9_client *c = &sb_of(dir)->c;
	uint32_t dfid = node_of(dir)->ref.fid, fid;
	struct p9_qid qid;
	int err;

	if (c->readonly)
		return -EROFS;
	if ((mode & CPIO_S_IFMT) == CPIO_S_IFDIR) {
		err = p9_mkdir(c, dfid, name, mode & 07777, &qid);
	} else {
		/* Tlcreate makes the fid it is given the new, open file's:
		 * a copy of the directory's, given up after. */
		err = p9_walk(c, dfid, 0, NULL, &fid, NULL);
		if (err)
			return err;
		err = p9_lcreate(c, fid, name, O_RDONLY | O_CREAT | O_EXCL,
				 mode & 07777, &qid);
		(void)p9_clunk(c, fid);
	}
	if (err || !out)
		return err;
	return p9_lookup(dir, name, out);
}

static int p9_symlink_op(struct inode *dir, const char *name,
			 const char *target)
{
	struct p9_client *c = &sb_of(dir)->c;

	if (c->readonly)
		return -EROFS;
	return p9_symlink(c, node_of(dir)->ref.fid, name, target, NULL);
}

static int p9_link_op(struct inode *n, struct inode *dir, const char *name)
{
	struct p9_client *c = &sb_of(dir)->c;

	if (c->readonly)
		return -EROFS;
	return p9_link(c, node_of(dir)->ref.fid, node_of(n)->ref.fid, name);
}

static int p9_unlink(struct inode *dir, const char *name, bool dir_only)
{
	struct p9_client *c = &sb_of(dir)->c;

	if (c->readonly)
		return -EROFS;
	return p9_unlinkat(c, node_of(dir)->ref.fid, name,
			   dir_only ? P9_AT_REMOVEDIR : 0);
}

static int p9_rename(struct inode *fdir, const char *fname,
		     struct inode *tdir, const char *tname)
{
	struct p9_client *c = &sb_of(fdir)->c;

	if (c->readonly)
		return -EROFS;
	return p9_renameat(c, node_of(fdir)->ref.fid, fname,
			   node_of(tdir)->ref.fid, tname);
}

static long p9_readlink_op(struct inode *n, char *buf, size_t size)
{
	return p9_readlink(&sb_of(n)->c, node_of(n)->ref.fid, buf, size);
}

static int p9_getattr_op(struct inode *n, struct kstat *st)
{
	struct p9_attr a;
	int err = p9_getattr(&sb_of(n)->c, node_of(n)->ref.fid, &a);

	if (!err)
		p9_attr_to_kstat(&a, st);
	return err;
}

static int p9_statfs_op(struct inode *n, struct kstatfs *st)
{
	struct p9_client *c = &sb_of(n)->c;
	struct p9_statfs s;
	int err = p9_statfs(c, node_of(n)->ref.fid, &s);

	if (err)
		return err;
	*st = (struct kstatfs){
		.type = V9FS_MAGIC, .bsize = s.bsize, .blocks = s.blocks,
		.bfree = s.bfree, .bavail = s.bavail, .files = s.files,
		.ffree = s.ffree, .fsid = s.fsid, .namelen = s.namelen,
		.readonly = c->readonly,
	};
	return 0;
}

static int p9_setsize(struct inode *n, uint64_t size)
{
	struct p9_client *c = &sb_of(n)->c;

	if (c->readonly)
		return -EROFS;
	return p9_truncate(c, node_of(n)->ref.fid, size);
}

/* Open a copy of the inode's fid for the file (f->priv). */
static int p9_open(struct inode *n, struct file *f)
{
	struct p9_client *c = &sb_of(n)->c;
	unsigned acc = f->flags & O_ACCMODE;
	struct p9_open *o;
	uint32_t fid;
	int err;

	if (c->readonly && (acc != O_RDONLY || (f->flags & O_TRUNC)))
		return -EROFS;
	o = kmem_alloc(sizeof(*o));
	if (!o)
		return -ENOMEM;
	err = p9_walk(c, node_of(n)->ref.fid, 0, NULL, &fid, NULL);
	if (!err) {
		/* O_APPEND reaches the server: its writes then land at the
		 * end, atomically, whoever else appends meanwhile. */
		err = p9_lopen(c, fid, acc | (f->flags & O_APPEND) |
					       (inode_is_dir(n) ? O_DIRECTORY : 0),
			       NULL);
		if (err)
			(void)p9_clunk(c, fid);
	}
	if (err) {
		kmem_free(o);
		return err;
	}
	o->ref = (struct p9_fid_ref){ .fid = fid, .free = free_ref };
	f->priv = o;
	return 0;
}

static long p9_relpath(struct inode *n, char *buf, size_t size)
{
	size_t len = strlen(node_of(n)->path);

	if (len + 1 > size)
		return -ENAMETOOLONG;
	memcpy(buf, node_of(n)->path, len + 1);
	return len + 1;
}

/* Inodes go wherever their last reference does: clunk later. */
static void p9_release(struct inode *n)
{
	p9_fid_put(&sb_of(n)->c, &node_of(n)->ref);
	n->priv = NULL;
}

static const struct inode_operations p9_iops = {
	.lookup = p9_lookup,
	.parent = p9_parent,
	.create = p9_create,
	.symlink = p9_symlink_op,
	.link = p9_link_op,
	.unlink = p9_unlink,
	.rename = p9_rename,
	.readlink = p9_readlink_op,
	.getattr = p9_getattr_op,
	.setsize = p9_setsize,
	.statfs = p9_statfs_op,
	.open = p9_open,
	.relpath = p9_relpath,
	.release = p9_release,
};

int p9_fs_attach(const char *tag, bool readonly, struct inode **root)
{
	struct p9_transport *t = p9_transport_find(tag);
	struct p9_sb *sb;
	uint32_t fid;
	int err;

	if (!t)
		return -ENODEV;
	sb = kmem_zalloc(sizeof(*sb));
	if (!sb)
		return -ENOMEM;
	strlcpy(sb->tag, tag, sizeof(sb->tag));
	err = p9_client_init(&sb->c, t, "", readonly);
	/* The root fid stays the export's; the top inode holds a copy. */
	if (!err)
		err = p9_walk(&sb->c, sb->c.root, 0, NULL, &fid, NULL);
	if (!err)
		err = new_inode(sb, fid, "", 0, NULL, root);
	if (err)
		kmem_free(sb);	/* the server forgets it with the device */
	else
		pr_info("%s: attached (msize %u, %s)\n", tag, sb->c.msize,
			readonly ? "read-only" : "read-write");
	return err;
}

int p9_fs_for_each(struct inode *dir,
		   int (*fn)(void *ctx, const char *name, uint8_t type),
		   void *ctx)
{
	struct p9_client *c = &sb_of(dir)->c;
	uint32_t cap = MIN(p9_iosize(c), 8192u), fid;
	char *buf = kmem_alloc(cap), name[VFS_NAME_MAX + 1];
	uint64_t off = 0;
	int err;

	if (!buf)
		return -ENOMEM;
	err = p9_walk(c, node_of(dir)->ref.fid, 0, NULL, &fid, NULL);
	if (err)
		goto out;
	err = p9_lopen(c, fid, O_RDONLY | O_DIRECTORY, NULL);
	while (!err) {
		long len = p9_readdir(c, fid, off, buf, cap);
		struct p9_dirent d;
		size_t pos = 0;

		if (len <= 0) {
			err = len;
			break;
		}
		while (!err && p9_next_dirent(buf, len, &pos, &d)) {
			off = d.offset;
			if (d.namelen > VFS_NAME_MAX)
				continue;
			memcpy(name, d.name, d.namelen);
			name[d.namelen] = '\0';
			if (strcmp(name, ".") && strcmp(name, ".."))
				err = fn(ctx, name, d.type);
		}
		if (!pos)
			err = -EIO;	/* a reply without a whole entry */
	}
	(void)p9_clunk(c, fid);
out:
	kmem_free(buf);
	return err;
}
