// SPDX-License-Identifier: GPL-2.0
/*
 * The in-memory file system tree (see ramfs.h): path lookup and creation,
 * and unpacking of the initramfs.
 */
#define pr_fmt(fmt) "ramfs: " fmt

#include <kitten/cpio.h>
#include <kitten/errno.h>
#include <kitten/kmem.h>
#include <kitten/printk.h>
#include <kitten/ramfs.h>
#include <kitten/string.h>

static struct inode root;
static uint64_t next_ino = 2;

void ramfs_init(void)
{
	root.name = "";
	root.mode = CPIO_S_IFDIR | 0755;
	root.ino = 1;
	root.refs = 1;
	root.parent = &root;
	list_init(&root.children);
	list_init(&root.sibling);
}

static struct inode *child(struct inode *dir, const char *name, size_t len)
{
	struct inode *c;

	if (len == 1 && name[0] == '.')
		return dir;
	if (len == 2 && name[0] == '.' && name[1] == '.')
		return dir->parent;
	list_for_each_entry(c, &dir->children, sibling)
		if (strlen(c->name) == len && strncmp(c->name, name, len) == 0)
			return c;
	return NULL;
}

struct inode *ramfs_lookup(const char *path)
{
	return path[0] == '/' ? ramfs_lookup_from(&root, path) : NULL;
}

/* Walk the first len bytes of path from dir (from the root if absolute). */
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
		if ((node->mode & CPIO_S_IFMT) != CPIO_S_IFDIR)
			return NULL;	/* a file used as a directory */
		for (p = path; p < end && *p != '/'; p++)
			;
		node = child(node, path, p - path);
		if (!node)
			return NULL;
		path = p;
	}
}

struct inode *ramfs_lookup_from(struct inode *dir, const char *path)
{
	return walk(dir, path, strlen(path));
}

static struct inode *new_inode(struct inode *dir, const char *name,
			       size_t len, uint32_t mode)
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
	n->mode = mode;
	n->ino = __atomic_fetch_add(&next_ino, 1, __ATOMIC_RELAXED);
	n->refs = 1;		/* the tree's */
	n->parent = dir;
	list_init(&n->children);
	list_add_tail(&n->sibling, &dir->children);
	return n;
}

int ramfs_create(const char *path, uint32_t mode, const void *data,
		 uint64_t size, struct inode **out)
{
	struct inode *dir = &root, *n;

	for (;;) {
		const char *slash;
		size_t len;

		while (*path == '/')
			path++;
		slash = strchr(path, '/');
		len = slash ? (size_t)(slash - path) : strlen(path);
		if (len == 0 || len > RAMFS_NAME_MAX)
			return -EINVAL;
		n = child(dir, path, len);
		if (!slash || !slash[1]) {	/* the last component */
			if (n)
				return -EEXIST;
			n = new_inode(dir, path, len, mode);
			if (!n)
				return -ENOMEM;
			n->data = data;
			n->size = size;
			if (out)
				*out = n;
			return 0;
		}
		if (!n)
			n = new_inode(dir, path, len, CPIO_S_IFDIR | 0755);
		if (!n)
			return -ENOMEM;
		if ((n->mode & CPIO_S_IFMT) != CPIO_S_IFDIR)
			return -ENOTDIR;
		dir = n;
		path += len;
	}
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

int ramfs_register(const char *path, uint32_t mode,
		   const struct inode_ops *ops, void *priv)
{
	struct inode *n;
	int err = ramfs_create(path, mode, NULL, 0, &n);

	if (!err) {
		n->ops = ops;
		n->priv = priv;
	}
	return err;
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
	kmem_free(inode->buf);
	kmem_free(inode->name);
	kmem_free(inode);
}

/* Make the file's data its own, writable buffer of at least size bytes. */
static int reserve(struct inode *inode, uint64_t size)
{
	uint64_t cap = inode->cap;
	char *buf;

	if (inode->buf && size <= cap)
		return 0;
	cap = MAX(cap * 2, MAX(size, (uint64_t)256));
	buf = kmem_alloc(cap);
	if (!buf)
		return -ENOSPC;
	memcpy(buf, inode->data, inode->size);
	memset(buf + inode->size, 0, cap - inode->size);
	kmem_free(inode->buf);
	inode->buf = buf;
	inode->data = buf;
	inode->cap = cap;
	return 0;
}

int inode_write(struct inode *inode, uint64_t off, const void *src,
		uint64_t len)
{
	int err;

	if (off + len < off)
		return -EFBIG;
	err = reserve(inode, off + len);
	if (err)
		return err;
	memcpy((char *)inode->buf + off, src, len);
	inode->size = MAX(inode->size, off + len);
	return 0;
}

int inode_truncate(struct inode *inode, uint64_t size)
{
	int err = reserve(inode, size);

	if (err)
		return err;
	if (size < inode->size)
		memset((char *)inode->buf + size, 0, inode->size - size);
	inode->size = size;
	return 0;
}

/* Split path into its directory (looked up from dir) and its last name. */
static struct inode *parent_of(struct inode *dir, const char *path,
			       const char **name, size_t *len)
{
	size_t plen = strlen(path), cut;

	while (plen > 1 && path[plen - 1] == '/')
		plen--;			/* "dir/" names dir */
	cut = plen;
	while (cut > 0 && path[cut - 1] != '/')
		cut--;
	*name = path + cut;
	*len = plen - cut;
	return walk(dir, path, cut);
}

static bool is_dir(const struct inode *n)
{
	return (n->mode & CPIO_S_IFMT) == CPIO_S_IFDIR;
}

int ramfs_mknod(struct inode *dir, const char *path, uint32_t mode,
		struct inode **out)
{
	const char *name;
	size_t len;
	struct inode *parent = parent_of(dir, path, &name, &len), *n;

	if (!parent)
		return -ENOENT;
	if (!is_dir(parent))
		return -ENOTDIR;
	if (len == 0 || len > RAMFS_NAME_MAX)
		return len ? -ENAMETOOLONG : -EEXIST;
	if (child(parent, name, len))
		return -EEXIST;
	n = new_inode(parent, name, len, mode);
	if (!n)
		return -ENOSPC;
	if (out)
		*out = n;
	return 0;
}

int ramfs_unlink(struct inode *dir, const char *path, bool dir_only)
{
	const char *name;
	size_t len;
	struct inode *parent = parent_of(dir, path, &name, &len), *n;

	if (!parent)
		return -ENOENT;
	n = child(parent, name, len);
	if (!n || n == &root || n == parent || n == parent->parent)
		return n ? -EBUSY : -ENOENT;
	if (dir_only && !is_dir(n))
		return -ENOTDIR;
	if (!dir_only && is_dir(n))
		return -EISDIR;
	if (is_dir(n) && !list_empty(&n->children))
		return -ENOTEMPTY;
	list_del(&n->sibling);
	inode_put(n);		/* open files keep it until they close */
	return 0;
}

int ramfs_rename(struct inode *dir, const char *from, const char *to)
{
	const char *fname, *tname;
	size_t flen, tlen;
	struct inode *fparent = parent_of(dir, from, &fname, &flen);
	struct inode *tparent = parent_of(dir, to, &tname, &tlen);
	struct inode *n, *old;
	char *newname;

	if (!fparent || !tparent)
		return -ENOENT;
	if (!is_dir(tparent))
		return -ENOTDIR;
	n = child(fparent, fname, flen);
	if (!n || n == &root)
		return n ? -EBUSY : -ENOENT;
	for (struct inode *p = tparent; p != &root; p = p->parent)
		if (p == n)
			return -EINVAL;		/* into itself */
	if (tlen == 0 || tlen > RAMFS_NAME_MAX)
		return -EINVAL;
	old = child(tparent, tname, tlen);
	if (old == n)
		return 0;
	if (old && (is_dir(old) != is_dir(n)))
		return is_dir(old) ? -EISDIR : -ENOTDIR;
	if (old && is_dir(old) && !list_empty(&old->children))
		return -ENOTEMPTY;
	newname = kmem_alloc(tlen + 1);
	if (!newname)
		return -ENOSPC;
	memcpy(newname, tname, tlen);
	newname[tlen] = '\0';
	if (old) {
		list_del(&old->sibling);
		inode_put(old);
	}
	list_del(&n->sibling);
	kmem_free(n->name);
	n->name = newname;
	n->parent = tparent;
	list_add_tail(&n->sibling, &tparent->children);
	return 0;
}
