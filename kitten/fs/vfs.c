// SPDX-License-Identifier: GPL-2.0
/*
 * Path walks across file systems (see vfs.h). A walk takes one component
 * at a time, asking the file system that owns the directory in hand
 * (inode->iops->lookup); after each step it checks the mount table: a
 * directory some mount covers is replaced by that mount's top, and ".."
 * at a mount's top leaves it for the covered directory first. Symbolic
 * links are followed here, for every file system alike: the rest of the
 * path is appended to the link's target and the walk goes on from the
 * link's directory (or from the root for an absolute target), at most
 * 40 times per walk as on Linux.
 *
 * Nothing is held across steps but references: a remote file system's
 * lookup sleeps (a round trip), and the ramfs takes its tree lock for
 * each step only.
 *
 * The mount table is filled at boot, before user tasks exist, and never
 * changes after: walks read it without a lock. It is small (one entry
 * per top-level directory of a host's root, and a few more), so a linear
 * scan per step costs less than one remote round trip.
 */
#define pr_fmt(fmt) "vfs: " fmt

#include <kitten/cpio.h>
#include <kitten/errno.h>
#include <kitten/file.h>
#include <kitten/kmem.h>
#include <kitten/printk.h>
#include <kitten/ramfs.h>
#include <kitten/string.h>
#include <kitten/vfs.h>

#define VFS_MAX_MOUNTS	64
#define VFS_MAX_LINKS	40

struct mount {
	struct inode *mp;	/* the directory covered */
	struct inode *root;	/* what covers it */
	char *rootrel;		/* root's relpath in its file system */
};

static struct mount mounts[VFS_MAX_MOUNTS];
static unsigned nr_mounts;

bool vfs_same(const struct inode *a, const struct inode *b)
{
	return a == b || (a->sb && a->sb == b->sb && a->ino == b->ino);
}

/* The mount covering n (when top is false) or topped by n; or NULL. */
static struct mount *mount_of(const struct inode *n, bool top)
{
	for (unsigned i = 0; i < READ_ONCE(nr_mounts); i++)
		if (vfs_same(top ? mounts[i].root : mounts[i].mp, n))
			return &mounts[i];
	return NULL;
}

bool vfs_covered(const struct inode *n)
{
	return mount_of(n, false) != NULL;
}

int vfs_mount(struct inode *mp, struct inode *root)
{
	struct mount *m;
	char *rel = NULL;
	long len;

	if (!inode_is_dir(mp) || !inode_is_dir(root))
		return -ENOTDIR;
	if (nr_mounts == VFS_MAX_MOUNTS)
		return -ENOSPC;
	if (root->iops->relpath) {
		rel = kmem_alloc(VFS_PATH_MAX);
		if (!rel)
			return -ENOMEM;
		len = root->iops->relpath(root, rel, VFS_PATH_MAX);
		if (len < 0) {
			kmem_free(rel);
			return len;
		}
	}
	m = &mounts[nr_mounts];
	inode_get(mp);
	inode_get(root);
	*m = (struct mount){ mp, root, rel };
	__atomic_store_n(&nr_mounts, nr_mounts + 1, __ATOMIC_RELEASE);
	return 0;
}

int vfs_lookup(struct inode *dir, const char *name, struct inode **out)
{
	struct inode *n;
	struct mount *m;
	int err;

	if (!inode_is_dir(dir))
		return -ENOTDIR;
	if (!strcmp(name, ".")) {
		inode_get(dir);
		*out = dir;
		return 0;
	}
	if (!strcmp(name, "..")) {
		/* Out of every mount this directory tops, then up. */
		n = dir;
		while ((m = mount_of(n, true)))
			n = m->mp;
		return n->iops->parent(n, out);
	}
	err = dir->iops->lookup(dir, name, &n);
	if (err)
		return err;
	while ((m = mount_of(n, false))) {
		inode_put(n);
		n = m->root;
		inode_get(n);
	}
	*out = n;
	return 0;
}

static bool is_link(const struct inode *n)
{
	return (n->mode & CPIO_S_IFMT) == CPIO_S_IFLNK;
}

/*
 * Replace the walk's path with link's target followed by rest; the walk
 * restarts from *at, or from the root for an absolute target.
 */
static int follow(struct inode *link, const char *rest, char *path,
		  struct inode **at)
{
	char *target = kmem_alloc(VFS_PATH_MAX);
	long len;
	int err = 0;

	if (!target)
		return -ENOMEM;
	len = link->iops->readlink ?
		      link->iops->readlink(link, target, VFS_PATH_MAX) : -EINVAL;
	if (len < 0)
		err = len;
	else if (len == 0)
		err = -ENOENT;
	else if (len + strlen(rest) + 2 > VFS_PATH_MAX)
		err = -ENAMETOOLONG;
	if (!err) {
		/* rest starts with '/' or is empty: the separator is kept. */
		memmove(path + len, rest, strlen(rest) + 1);
		memcpy(path, target, len);
		if (target[0] == '/') {
			inode_put(*at);
			*at = ramfs_root();
		}
	}
	kmem_free(target);
	return err;
}

int vfs_walk(struct inode *dir, const char *path, unsigned flags,
	     struct inode **out, char *last)
{
	size_t plen = strlen(path);
	bool slash = plen && path[plen - 1] == '/';
	char name[VFS_NAME_MAX + 1];
	struct inode *n, *c;
	unsigned links = 0;
	char *buf, *p;
	int err = 0;

	if (last)
		last[0] = '\0';
	if (plen >= VFS_PATH_MAX)
		return -ENAMETOOLONG;
	buf = kmem_alloc(VFS_PATH_MAX);
	if (!buf)
		return -ENOMEM;
	memcpy(buf, path, plen + 1);
	if (buf[0] == '/' || !dir) {
		n = ramfs_root();
	} else {
		n = dir;
		inode_get(n);
	}
	for (p = buf;;) {
		char *e, *rest;
		bool final;

		while (*p == '/')
			p++;
		if (!*p)
			break;
		for (e = p; *e && *e != '/'; e++)
			;
		if (e - p > VFS_NAME_MAX) {
			err = -ENAMETOOLONG;
			break;
		}
		memcpy(name, p, e - p);
		name[e - p] = '\0';
		for (rest = e; *rest == '/'; rest++)
			;
		final = !*rest;
		if (final && (flags & WALK_PARENT)) {
			memcpy(last, name, e - p + 1);
			break;
		}
		err = vfs_lookup(n, name, &c);
		if (err)
			break;
		if (is_link(c) && (!final || slash || (flags & WALK_FOLLOW))) {
			err = ++links > VFS_MAX_LINKS ? -ELOOP :
							 follow(c, e, buf, &n);
			inode_put(c);
			if (err)
				break;
			p = buf;
			continue;
		}
		inode_put(n);
		n = c;
		p = e;
	}
	kmem_free(buf);
	if (!err && slash && !(flags & WALK_PARENT) && !inode_is_dir(n))
		err = -ENOTDIR;
	if (err) {
		inode_put(n);
		return err;
	}
	*out = n;
	return 0;
}

long vfs_path(struct inode *n, char *buf, size_t size)
{
	struct mount *best = NULL;
	size_t best_len = 0, rlen, at;
	char *rel;
	long len;

	if (!n->iops->relpath)
		return ramfs_path(n, buf, size);
	rel = kmem_alloc(VFS_PATH_MAX);
	if (!rel)
		return -ENOMEM;
	len = n->iops->relpath(n, rel, VFS_PATH_MAX);
	/* The mount of n's file system whose top is the longest prefix. */
	for (unsigned i = 0; len >= 0 && i < READ_ONCE(nr_mounts); i++) {
		struct mount *m = &mounts[i];

		if (m->root->sb != n->sb || !m->rootrel)
			continue;
		rlen = strlen(m->rootrel);
		if (strncmp(rel, m->rootrel, rlen) ||
		    (rel[rlen] && rel[rlen] != '/' && rlen))
			continue;
		if (!best || rlen > best_len) {
			best = m;
			best_len = rlen;
		}
	}
	if (len >= 0 && !best)
		len = -ENOENT;	/* not under any mount: unreachable */
	if (len >= 0)
		len = vfs_path(best->mp, buf, size);
	if (len > 0) {
		const char *tail = rel + best_len;

		at = len - 1;	/* at the NUL */
		while (*tail == '/')
			tail++;
		if (*tail && at + 1 + strlen(tail) + 1 > size) {
			len = -ENAMETOOLONG;
		} else if (*tail) {
			if (buf[at - 1] != '/')
				buf[at++] = '/';
			memcpy(buf + at, tail, strlen(tail) + 1);
			len = at + strlen(tail) + 1;
		}
	}
	kmem_free(rel);
	return len;
}

int vfs_getattr(struct inode *n, struct kstat *st)
{
	if (n->iops->getattr)
		return n->iops->getattr(n, st);
	inode_stat(n, st);
	return 0;
}
