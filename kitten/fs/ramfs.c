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

struct inode *ramfs_lookup_from(struct inode *dir, const char *path)
{
	struct inode *node = path[0] == '/' || !dir ? &root : dir;

	for (;;) {
		const char *slash;
		size_t len;

		while (*path == '/')
			path++;
		if (!*path)
			return node;
		if ((node->mode & CPIO_S_IFMT) != CPIO_S_IFDIR)
			return NULL;	/* a file used as a directory */
		slash = strchr(path, '/');
		len = slash ? (size_t)(slash - path) : strlen(path);
		node = child(node, path, len);
		if (!node)
			return NULL;
		path += len;
	}
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
	n->ino = next_ino++;
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
