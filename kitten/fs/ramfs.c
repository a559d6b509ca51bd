// SPDX-License-Identifier: GPL-2.0
/*
 * The in-memory file system tree (see ramfs.h): path lookup, creation,
 * unlink, rename, listings, and unpacking of the initramfs.
 *
 * Every walk and every change of the tree runs under one spinlock, the
 * tree lock: paths are short, directories small, and no user memory is
 * touched under it (callers copy paths in first and listings out after),
 * so one lock is simpler than per-directory locks and does not limit
 * a compute node, whose jobs rarely use files. Memory for a new name or
 * inode is allocated before the lock is taken when the size is known;
 * inodes that lose their last reference are put after it is released.
 */
#define pr_fmt(fmt) "ramfs: " fmt

#include <arch/layout.h>
#include <kitten/cpio.h>
#include <kitten/errno.h>
#include <kitten/file.h>
#include <kitten/kmem.h>
#include <kitten/mm.h>
#include <kitten/printk.h>
#include <kitten/ramfs.h>
#include <kitten/spinlock.h>
#include <kitten/string.h>
#include <kitten/vfs.h>

/* Listing positions 0 and 1 are "." and ".."; children count from 2. */
#define FIRST_COOKIE 2

static struct inode root;
static uint64_t next_ino = 2;
static struct spinlock tree_lock;

static void inode_init(struct inode *n, uint32_t mode)
{
	n->mode = mode;
	n->fops = (mode & CPIO_S_IFMT) == CPIO_S_IFDIR ? &ramfs_dir_ops :
							 &ramfs_file_ops;
	n->iops = &ramfs_iops;
	n->refs = 1;		/* the tree's */
	mutex_init(&n->lock);
	list_init(&n->children);
	list_init(&n->sibling);
	list_init(&n->other_names);
	list_init(&n->same_node);
	n->next_cookie = FIRST_COOKIE;
}

void ramfs_init(void)
{
	spin_lock_init(&tree_lock, "ramfs", LOCK_RANK_RAMFS);
	inode_init(&root, CPIO_S_IFDIR | 0755);
	root.name = "";
	root.ino = 1;
	root.parent = &root;
}

void inode_get(struct inode *inode)
{
	__atomic_fetch_add(&inode->refs, 1, __ATOMIC_RELAXED);
}

/* The last reference to an unlinked inode frees it. */
void inode_put(struct inode *inode)
{
	if (__atomic_sub_fetch(&inode->refs, 1, __ATOMIC_ACQ_REL))
		return;
	if (inode->iops && inode->iops->release)
		inode->iops->release(inode);
	kmem_free(inode->buf);
	kmem_free(inode->name);
	if (inode->same)
		inode_put(inode->same);	/* a further name lets go of its file */
	kmem_free(inode);
}

/* The file a name in the tree stands for. */
static struct inode *named(struct inode *n)
{
	return n && n->same ? n->same : n;
}

/* Tree lock held. */
static struct inode *child(struct inode *dir, const char *name, size_t len)
{
	struct inode *c;

	if (len == 1 && name[0] == '.')
		return dir;
	if (len == 2 && name[0] == '.' && name[1] == '.')
		return dir->parent;	/* NULL in an unlinked directory */
	list_for_each_entry(c, &dir->children, sibling)
		if (strlen(c->name) == len && strncmp(c->name, name, len) == 0)
			return c;
	return NULL;
}

/* Walk the first len bytes of path from dir (from the root if absolute
 * or dir is NULL); tree lock held. */
static struct inode *walk(struct inode *dir, const char *path, size_t len)
{
	const char *end = path + len;
	struct inode *node = (len && path[0] == '/') || !dir ? &root : dir;

	for (;;) {
		const char *p;

		while (path < end && *path == '/')
			path++;
		if (path == end)
			return node;
		if (!inode_is_dir(node))
			return NULL;	/* a file used as a directory */
		for (p = path; p < end && *p != '/'; p++)
			;
		node = child(node, path, p - path);
		if (!node)
			return NULL;
		path = p;
	}
}

struct inode *ramfs_lookup(const char *path)
{
	unsigned long flags = spin_lock_irqsave(&tree_lock);
	size_t len = path[0] == '/' ? strlen(path) : 0;
	struct inode *n = len ? named(walk(&root, path, len)) : NULL;

	spin_unlock_irqrestore(&tree_lock, flags);
	return n;
}

struct inode *ramfs_lookup_from(struct inode *dir, const char *path)
{
	unsigned long flags = spin_lock_irqsave(&tree_lock);
	struct inode *n = named(walk(dir, path, strlen(path)));

	if (n)
		inode_get(n);
	spin_unlock_irqrestore(&tree_lock, flags);
	return n;
}

struct inode *ramfs_root(void)
{
	inode_get(&root);
	return &root;
}

/* A new, unlinked inode named by the first len bytes of name. */
static struct inode *new_inode(const char *name, size_t len, uint32_t mode)
{
	struct inode *n = kmem_zalloc(sizeof(*n));

	if (!n)
		return NULL;
	n->name = kmem_alloc(len + 1);
	if (!n->name) {
		kmem_free(n);
		return NULL;
	}
	memcpy(n->name, name, len);
	n->name[len] = '\0';
	inode_init(n, mode);
	n->ino = __atomic_fetch_add(&next_ino, 1, __ATOMIC_RELAXED);
	return n;
}

/* Give n its place at the end of dir's listing; tree lock held. */
static void tree_link(struct inode *dir, struct inode *n)
{
	n->parent = dir;
	n->cookie = dir->next_cookie++;
	list_add_tail(&n->sibling, &dir->children);
}

/* Take n out of the tree; the caller puts the tree's reference. */
static void tree_unlink(struct inode *n)
{
	list_del(&n->sibling);
	n->parent = NULL;
}

static bool linked(const struct inode *n)
{
	return n->parent != NULL;
}

/*
 * Remove the name n from the tree (unlink, or a name a rename replaces);
 * the caller puts the tree's reference of the inode returned. A file
 * that loses its first name while it has others takes the place of one
 * of them, so that an open file's path (/proc/self/fd, maps) stays the
 * path of a name it has. Tree lock held.
 */
static struct inode *drop_name(struct inode *n)
{
	struct inode *other;
	char *name;

	if (n->same) {
		list_del(&n->same_node);
		n->same->other_count--;
	} else if (!list_empty(&n->other_names)) {
		other = list_first_entry(&n->other_names, struct inode,
					 same_node);
		list_del(&other->same_node);
		n->other_count--;
		list_del(&n->sibling);
		list_add(&n->sibling, &other->sibling);
		list_del(&other->sibling);
		n->parent = other->parent;
		n->cookie = other->cookie;
		name = n->name;
		n->name = other->name;
		other->name = name;
		other->parent = NULL;
		return other;
	}
	tree_unlink(n);
	return n;
}

/* Start-up (initramfs, devfs): allocates under the tree lock. */
int ramfs_create(const char *path, uint32_t mode, const void *data,
		 uint64_t size, struct inode **out)
{
	unsigned long flags = spin_lock_irqsave(&tree_lock);
	struct inode *dir = &root, *n;
	int err = 0;

	for (;;) {
		const char *slash;
		size_t len;

		while (*path == '/')
			path++;
		slash = strchr(path, '/');
		len = slash ? (size_t)(slash - path) : strlen(path);
		if (len == 0 || len > RAMFS_NAME_MAX) {
			err = -EINVAL;
			break;
		}
		n = child(dir, path, len);
		if (!slash || !slash[1]) {	/* the last component */
			if (n) {
				err = -EEXIST;
				break;
			}
			n = new_inode(path, len, mode);
			if (!n) {
				err = -ENOMEM;
				break;
			}
			n->data = data;
			n->size = size;
			tree_link(dir, n);
			if (out)
				*out = n;
			break;
		}
		if (!n) {
			n = new_inode(path, len, CPIO_S_IFDIR | 0755);
			if (!n) {
				err = -ENOMEM;
				break;
			}
			tree_link(dir, n);
		}
		if (!inode_is_dir(n)) {
			err = -ENOTDIR;
			break;
		}
		dir = n;
		path += len;
	}
	spin_unlock_irqrestore(&tree_lock, flags);
	return err;
}

int ramfs_unpack(const void *archive, size_t size)
{
	struct cpio_reader r;
	struct cpio_entry e;
	const char *why;
	int n = 0, ret;

	cpio_open(&r, archive, size);
	while ((ret = cpio_next(&r, &e, &why)) == 1) {
		int err;

		if (strcmp(e.name, ".") == 0)
			continue;
		err = ramfs_create(e.name, e.mode, e.data, e.size, NULL);
		if (err == -EEXIST && (e.mode & CPIO_S_IFMT) == CPIO_S_IFDIR)
			continue;	/* created earlier as a parent */
		if (err) {
			pr_err("%s: cannot create (error %d)\n", e.name, err);
			continue;
		}
		n++;
	}
	if (ret < 0)
		pr_err("initramfs corrupt after %d files: %s\n", n, why);
	return n;
}

int ramfs_register(const char *path, uint32_t mode, uint32_t rdev,
		   const struct file_operations *fops, void *priv)
{
	struct inode *n;
	int err = ramfs_create(path, mode, NULL, 0, &n);

	/* Not yet visible to user tasks: start-up runs before them. */
	if (!err) {
		n->rdev = rdev;
		n->fops = fops;
		n->priv = priv;
	}
	return err;
}

/* The last name of path (its length in *len) and where it starts. */
static const char *last_name(const char *path, size_t *cut, size_t *len)
{
	size_t plen = strlen(path);

	while (plen > 1 && path[plen - 1] == '/')
		plen--;			/* "dir/" names dir */
	*cut = plen;
	while (*cut > 0 && path[*cut - 1] != '/')
		(*cut)--;
	*len = plen - *cut;
	return path + *cut;
}

int ramfs_mknod(struct inode *dir, const char *path, uint32_t mode,
		const void *data, uint64_t size, struct inode **out)
{
	size_t cut, len;
	const char *name = last_name(path, &cut, &len);
	struct inode *parent, *n;
	unsigned long flags;
	int err = 0;

	if (len == 0 || len > RAMFS_NAME_MAX)
		return len ? -ENAMETOOLONG : -EEXIST;
	n = new_inode(name, len, mode);
	if (!n)
		return -ENOSPC;
	if (size) {
		n->buf = kmem_alloc(size);
		if (!n->buf) {
			inode_put(n);
			return -ENOSPC;
		}
		memcpy(n->buf, data, size);
		n->data = n->buf;
		n->size = n->cap = size;
	}
	flags = spin_lock_irqsave(&tree_lock);
	parent = walk(dir, path, cut);
	if (!parent || !linked(parent))
		err = -ENOENT;
	else if (!inode_is_dir(parent))
		err = -ENOTDIR;
	else if (child(parent, name, len))
		err = -EEXIST;
	if (!err) {
		tree_link(parent, n);
		if (out) {
			inode_get(n);
			*out = n;
		}
	}
	spin_unlock_irqrestore(&tree_lock, flags);
	if (err)
		inode_put(n);
	return err;
}

int ramfs_unlink(struct inode *dir, const char *path, bool dir_only)
{
	size_t cut, len;
	const char *name = last_name(path, &cut, &len);
	unsigned long flags = spin_lock_irqsave(&tree_lock);
	struct inode *parent = walk(dir, path, cut), *n = NULL;
	int err = 0;

	if (parent && inode_is_dir(parent))
		n = child(parent, name, len);
	if (!n)
		err = -ENOENT;
	else if (n == &root || n == parent || n == parent->parent)
		err = -EBUSY;
	else if (dir_only && !inode_is_dir(n))
		err = -ENOTDIR;
	else if (!dir_only && inode_is_dir(n))
		err = -EISDIR;
	else if (inode_is_dir(n) && !list_empty(&n->children))
		err = -ENOTEMPTY;
	else
		n = drop_name(n);
	spin_unlock_irqrestore(&tree_lock, flags);
	if (!err)
		inode_put(n);	/* open files keep it until they close */
	return err;
}

/* Can n move to tparent, replacing old there? Tree lock held. */
static int rename_ok(struct inode *n, struct inode *tparent, struct inode *old)
{
	if (!inode_is_dir(tparent))
		return -ENOTDIR;
	if (!linked(tparent))
		return -ENOENT;
	for (struct inode *p = tparent; p != &root; p = p->parent)
		if (p == n)
			return -EINVAL;		/* into itself */
	if (old && inode_is_dir(old) != inode_is_dir(n))
		return inode_is_dir(old) ? -EISDIR : -ENOTDIR;
	if (old && inode_is_dir(old) && !list_empty(&old->children))
		return -ENOTEMPTY;
	return 0;
}

int ramfs_rename(struct inode *fdir, const char *from, struct inode *tdir,
		 const char *to)
{
	size_t fcut, flen, tcut, tlen;
	const char *fname = last_name(from, &fcut, &flen);
	const char *tname = last_name(to, &tcut, &tlen);
	struct inode *fparent, *tparent, *n = NULL, *old = NULL;
	char *newname, *oldname = NULL;
	unsigned long flags;
	int err;

	if (tlen == 0 || tlen > RAMFS_NAME_MAX)
		return -EINVAL;
	/*
	 * "." and ".." name a directory, not an entry in it: replacing one
	 * would unlink the target directory (the cwd, or its parent) and
	 * link n into it under that name, both then out of the tree for
	 * good. Linux says EBUSY.
	 */
	if (tname[0] == '.' && (tlen == 1 || (tlen == 2 && tname[1] == '.')))
		return -EBUSY;
	newname = kmem_alloc(tlen + 1);
	if (!newname)
		return -ENOSPC;
	memcpy(newname, tname, tlen);
	newname[tlen] = '\0';
	flags = spin_lock_irqsave(&tree_lock);
	fparent = walk(fdir, from, fcut);
	tparent = walk(tdir, to, tcut);
	if (fparent && inode_is_dir(fparent))
		n = child(fparent, fname, flen);
	if (!n || !tparent)
		err = -ENOENT;
	else if (n == &root || n == fparent || n == fparent->parent)
		err = -EBUSY;
	else if (!inode_is_dir(tparent))
		err = -ENOTDIR;
	else if ((old = child(tparent, tname, tlen)) && named(old) == named(n))
		err = 1;	/* names of one file: nothing to do (POSIX) */
	else
		err = rename_ok(n, tparent, old);
	if (!err) {
		if (old)
			old = drop_name(old);
		tree_unlink(n);
		oldname = n->name;
		n->name = newname;
		newname = NULL;
		tree_link(tparent, n);
	}
	spin_unlock_irqrestore(&tree_lock, flags);
	kmem_free(newname);
	kmem_free(oldname);
	if (!err && old)
		inode_put(old);
	return err < 0 ? err : 0;
}

bool dirent_emit(char *kbuf, size_t cap, size_t *used, uint64_t ino,
		 uint64_t next, uint8_t type, const char *name)
{
	size_t namelen = strlen(name);
	size_t reclen = ALIGN_UP(19 + namelen + 1, 8);
	struct {
		uint64_t ino;
		int64_t off;
		uint16_t reclen;
		uint8_t type;
	} __attribute__((packed)) hdr = { ino, next, reclen, type };

	if (*used + reclen > cap)
		return false;
	memset(kbuf + *used, 0, reclen);
	memcpy(kbuf + *used, &hdr, sizeof(hdr));
	memcpy(kbuf + *used + sizeof(hdr), name, namelen);
	*used += reclen;
	return true;
}

long ramfs_readdir(struct inode *dir, uint64_t *pos, char *kbuf, size_t cap)
{
	unsigned long flags = spin_lock_irqsave(&tree_lock);
	uint64_t at = *pos;
	size_t used = 0;
	struct inode *c;
	bool fits = true;

	/* An unlinked directory lists as its own parent: it has no other. */
	if (at == 0 && (fits = dirent_emit(kbuf, cap, &used, dir->ino, 1, 4, ".")))
		at = 1;
	if (at == 1 && fits &&
	    (fits = dirent_emit(kbuf, cap, &used,
			 dir->parent ? dir->parent->ino : dir->ino, FIRST_COOKIE,
			 4, "..")))
		at = FIRST_COOKIE;
	list_for_each_entry(c, &dir->children, sibling) {
		if (!fits)
			break;
		if (c->cookie < at)
			continue;
		fits = dirent_emit(kbuf, cap, &used, c->ino, c->cookie + 1,
			    (c->mode & CPIO_S_IFMT) >> 12, c->name);
		if (fits)
			at = c->cookie + 1;
	}
	spin_unlock_irqrestore(&tree_lock, flags);
	if (!fits && !used)
		return -EINVAL;
	*pos = at;
	return used;
}

long ramfs_path(struct inode *inode, char *buf, size_t size)
{
	unsigned long flags = spin_lock_irqsave(&tree_lock);
	size_t at = size;
	long err = 0;

	if (!size)
		err = -ERANGE;
	else
		buf[--at] = '\0';
	for (struct inode *n = inode; !err && n != &root; n = n->parent) {
		/* Another file system's inode has no name here. */
		size_t len = n->name ? strlen(n->name) : 0;

		if (!n->name || !linked(n))
			err = -ENOENT;
		else if (len + 1 > at)
			err = -ENAMETOOLONG;
		else {
			at -= len;
			memcpy(buf + at, n->name, len);
			buf[--at] = '/';
		}
	}
	spin_unlock_irqrestore(&tree_lock, flags);
	if (err)
		return err;
	if (at == size - 1) {	/* the root */
		if (!at)
			return -ENAMETOOLONG;
		buf[--at] = '/';
	}
	memmove(buf, buf + at, size - at);
	return size - at;
}

/* --- path calls (vfs.h): one name in one directory each ---------------- */

static int ramfs_iop_lookup(struct inode *dir, const char *name,
			    struct inode **out)
{
	unsigned long flags = spin_lock_irqsave(&tree_lock);
	struct inode *n = named(child(dir, name, strlen(name)));

	if (n)
		inode_get(n);
	spin_unlock_irqrestore(&tree_lock, flags);
	*out = n;
	return n ? 0 : -ENOENT;
}

static int ramfs_iop_parent(struct inode *dir, struct inode **out)
{
	unsigned long flags = spin_lock_irqsave(&tree_lock);
	struct inode *n = dir->parent;

	if (n)
		inode_get(n);
	spin_unlock_irqrestore(&tree_lock, flags);
	*out = n;
	return n ? 0 : -ENOENT;	/* an unlinked directory has none */
}

static int ramfs_iop_create(struct inode *dir, const char *name,
			    uint32_t mode, struct inode **out)
{
	return ramfs_mknod(dir, name, mode, NULL, 0, out);
}

static int ramfs_iop_symlink(struct inode *dir, const char *name,
			     const char *target)
{
	return ramfs_mknod(dir, name, CPIO_S_IFLNK | 0777, target,
			   strlen(target), NULL);
}

/* link(2): a further name of n (a file of this tree) in dir. */
static int ramfs_iop_link(struct inode *n, struct inode *dir, const char *name)
{
	size_t len = strlen(name);
	struct inode *other;
	unsigned long flags;
	int err = 0;

	if (inode_is_dir(n))
		return -EPERM;
	/* Generated files (/proc, /sys, devices, sockets) are other file
	 * systems on Linux: a link to one would outlive what it shows. */
	if (n->fops != &ramfs_file_ops)
		return -EXDEV;
	if (len > RAMFS_NAME_MAX)
		return -ENAMETOOLONG;
	other = new_inode(name, len, n->mode);
	if (!other)
		return -ENOSPC;
	other->ino = n->ino;
	inode_get(n);
	other->same = n;
	flags = spin_lock_irqsave(&tree_lock);
	if (!linked(dir) || !linked(n))
		err = -ENOENT;		/* as Linux for a file with no name */
	else if (child(dir, name, len))
		err = -EEXIST;
	else {
		tree_link(dir, other);
		list_add_tail(&other->same_node, &n->other_names);
		n->other_count++;
	}
	spin_unlock_irqrestore(&tree_lock, flags);
	if (err)
		inode_put(other);
	return err;
}

/* Files live in kernel memory: the machine's memory is their limit. */
static int ramfs_statfs(struct inode *n, struct kstatfs *st)
{
	(void)n;
	*st = (struct kstatfs){
		.type = TMPFS_MAGIC, .bsize = PAGE_SIZE,
		.blocks = mm_managed_bytes() / PAGE_SIZE,
		.bfree = mm_free_bytes() / PAGE_SIZE,
		.bavail = mm_free_bytes() / PAGE_SIZE,
		.files = READ_ONCE(next_ino), .ffree = UINT32_MAX,
		.namelen = RAMFS_NAME_MAX,
	};
	return 0;
}

static int ramfs_iop_rename(struct inode *fdir, const char *fname,
			    struct inode *tdir, const char *tname)
{
	return ramfs_rename(fdir, fname, tdir, tname);
}

static long ramfs_iop_readlink(struct inode *n, char *buf, size_t size)
{
	long len;

	if ((n->mode & CPIO_S_IFMT) != CPIO_S_IFLNK)
		return -EINVAL;
	inode_lock(n);
	len = n->size;
	if ((uint64_t)len + 1 > size) {
		len = -ENAMETOOLONG;
	} else {
		memcpy(buf, n->data, len);
		buf[len] = '\0';
	}
	inode_unlock(n);
	return len;
}

const struct inode_operations ramfs_iops = {
	.lookup = ramfs_iop_lookup,
	.parent = ramfs_iop_parent,
	.create = ramfs_iop_create,
	.symlink = ramfs_iop_symlink,
	.link = ramfs_iop_link,
	.unlink = ramfs_unlink,
	.rename = ramfs_iop_rename,
	.readlink = ramfs_iop_readlink,
	.setsize = inode_truncate,
	.statfs = ramfs_statfs,
};
