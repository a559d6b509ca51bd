// SPDX-License-Identifier: GPL-2.0
/*
 * Mounts at boot: each kernel argument 9p=TAG:PATH[:ro|:rw] attaches the
 * 9P export of the device with mount tag TAG and mounts it at PATH
 * (read-only unless :rw), in the order given, so a later export may sit
 * inside an earlier one (the host's / read-only, then the current
 * directory read-write at its own path).
 *
 * PATH "/" is special: the ramfs stays the root, because /dev, /proc,
 * /sys, /tmp and the initramfs are Kitten's own, and the export's
 * top-level entries join it: a directory becomes a ramfs directory with
 * the export's one mounted on it, a symbolic link (Debian's /bin, /lib,
 * /lib64) is copied, and a name Kitten has already stays Kitten's. Why
 * this rather than the export as the root: docs/9p.md.
 */
#define pr_fmt(fmt) "mount: " fmt

#include <kitten/cpio.h>
#include <kitten/errno.h>
#include <kitten/kmem.h>
#include <kitten/printk.h>
#include <kitten/ramfs.h>
#include <kitten/string.h>
#include <kitten/vfs.h>

#include "9p/p9_fs.h"

#define ARG_MAX	512

struct top_union {
	struct inode *top;	/* the export's */
	struct inode *root;	/* the ramfs's */
	unsigned joined, kept;
};

/* One top-level name of the export joins the root. */
static int join_one(void *ctx, const char *name, uint8_t type)
{
	struct top_union *u = ctx;
	struct inode *n, *mine, *mp;
	char *target;
	long len;
	int err;

	(void)type;	/* the status says, for servers that give DT_UNKNOWN */
	if (!ramfs_iops.lookup(u->root, name, &mine)) {
		inode_put(mine);
		u->kept++;
		return 0;
	}
	if (u->top->iops->lookup(u->top, name, &n))
		return 0;	/* gone since it was listed */
	if (inode_is_dir(n)) {
		err = ramfs_mknod(u->root, name, CPIO_S_IFDIR | 0755, NULL, 0,
				  &mp);
		if (!err) {
			err = vfs_mount(mp, n);
			inode_put(mp);
		}
	} else if ((n->mode & CPIO_S_IFMT) == CPIO_S_IFLNK) {
		target = kmem_alloc(VFS_PATH_MAX);
		len = target ? n->iops->readlink(n, target, VFS_PATH_MAX) :
			       -ENOMEM;
		err = len < 0 ? len :
				ramfs_mknod(u->root, name, CPIO_S_IFLNK | 0777,
					    target, len, NULL);
		kmem_free(target);
	} else {
		err = 1;	/* a plain file at the top: not joined */
	}
	inode_put(n);
	if (err < 0)
		pr_warn("/%s: not joined (error %d)\n", name, err);
	else if (!err)
		u->joined++;
	return err == -ENOSPC ? err : 0;	/* a full mount table ends it */
}

static int mount_one(const char *tag, const char *path, bool readonly)
{
	struct inode *top, *mp;
	int err = p9_fs_attach(tag, readonly, &top);

	if (err)
		return err;
	if (!strcmp(path, "/")) {
		struct top_union u = { .top = top, .root = ramfs_root() };

		err = p9_fs_for_each(top, join_one, &u);
		inode_put(u.root);
		pr_info("%s on /: %u names joined, %u kept Kitten's\n", tag,
			u.joined, u.kept);
	} else {
		err = vfs_walk(NULL, path, WALK_FOLLOW, &mp, NULL);
		if (err == -ENOENT &&
		    !ramfs_create(path, CPIO_S_IFDIR | 0755, NULL, 0, NULL))
			err = vfs_walk(NULL, path, WALK_FOLLOW, &mp, NULL);
		if (!err) {
			err = vfs_mount(mp, top);
			inode_put(mp);
		}
		if (!err)
			pr_info("%s on %s\n", tag, path);
	}
	inode_put(top);
	return err;
}

/* One 9p= value: TAG:PATH[:ro|:rw]. */
static void mount_arg(char *v)
{
	char *path = strchr(v, ':'), *mode;
	bool readonly = true;
	int err;

	if (!path || path == v || path[1] != '/') {
		pr_err("9p=%s: expected TAG:/PATH[:ro|:rw]\n", v);
		return;
	}
	*path++ = '\0';
	mode = strrchr(path, ':');
	if (mode && (!strcmp(mode, ":ro") || !strcmp(mode, ":rw"))) {
		readonly = mode[2] == 'o';
		*mode = '\0';
	}
	err = mount_one(v, path, readonly);
	if (err)
		pr_err("9p=%s:%s: cannot mount (error %d)\n", v, path, err);
}

void vfs_mount_boot(const char *cmdline)
{
	char *word = kmem_alloc(ARG_MAX);
	const char *p = cmdline;

	if (!word)
		return;
	/* Words as cmdline.c reads them: quotes group, "--" ends. */
	while (*p) {
		size_t len = 0;
		bool quoted = false;

		while (*p == ' ')
			p++;
		for (; *p && (quoted || *p != ' '); p++) {
			if (*p == '"')
				quoted = !quoted;
			else if (len < ARG_MAX - 1)
				word[len++] = *p;
		}
		word[len] = '\0';
		if (!strcmp(word, "--"))
			break;
		if (!strncmp(word, "9p=", 3))
			mount_arg(word + 3);
	}
	kmem_free(word);
}
