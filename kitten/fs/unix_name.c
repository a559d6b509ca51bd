// SPDX-License-Identifier: GPL-2.0
/*
 * AF_UNIX names. An abstract name (a leading NUL, then any bytes) lives
 * only in the list of names here. A path name is also a socket inode
 * made in the file tree with ramfs_mknod (S_IFSOCK, so stat and ls see a
 * socket), and is found again by looking the path up and matching the
 * inode, so relative paths and renames of the directory work as lookups
 * do. Autobind (a bind with the family alone) picks an abstract name of
 * five hex digits no socket has, as Linux does. The list is under
 * unix_lock; a socket leaves it when it closes (unix_socket.c).
 */
#include <kitten/errno.h>
#include <kitten/file.h>
#include <kitten/ramfs.h>
#include <kitten/socket.h>
#include <kitten/string.h>
#include <kitten/vfs.h>

#include "unix_socket.h"

static LIST_HEAD(names);
static unsigned autobind_next;

static bool abstract(const struct sockaddr_un *a, unsigned len)
{
	return len > sizeof(a->family) && a->path[0] == '\0';
}

/* A path name as a C string in buf (UNIX_PATH_MAX + 1 bytes). */
static int path_of(const struct sockaddr_un *a, unsigned len, char *buf)
{
	size_t n = len - sizeof(a->family);

	memcpy(buf, a->path, n);
	buf[n] = '\0';
	return strlen(buf) ? 0 : -EINVAL;
}

struct usock *unix_lookup(const struct sockaddr_un *a, unsigned len)
{
	struct inode *inode = NULL;
	struct usock *s, *found = NULL;
	unsigned long flags;
	char path[UNIX_PATH_MAX + 1];

	if (!abstract(a, len)) {
		if (path_of(a, len, path))
			return NULL;
		inode = lookup_path(path);
		if (!inode)
			return NULL;
	}
	flags = spin_lock_irqsave(&unix_lock);
	list_for_each_entry(s, &names, name_node) {
		if (inode ? s->inode == inode :
			    s->addrlen == len && !memcmp(&s->addr, a, len)) {
			found = s;
			usock_get(s);
			break;
		}
	}
	spin_unlock_irqrestore(&unix_lock, flags);
	if (inode)
		inode_put(inode);
	return found;
}

static bool name_taken(const struct sockaddr_un *a, unsigned len)
{
	struct usock *s;

	list_for_each_entry(s, &names, name_node)
		if (s->addrlen == len && !memcmp(&s->addr, a, len))
			return true;
	return false;
}

/* Give s an abstract name "\0XXXXX" no socket has; unix_lock held. */
static void autobind(struct usock *s)
{
	static const char hex[] = "0123456789abcdef";

	do {
		unsigned v = autobind_next++ & 0xfffff;

		s->addr.family = AF_UNIX;
		s->addr.path[0] = '\0';
		for (int i = 0; i < 5; i++)
			s->addr.path[1 + i] = hex[v >> (16 - 4 * i) & 0xf];
	} while (name_taken(&s->addr, sizeof(uint16_t) + 6));
	s->addrlen = sizeof(uint16_t) + 6;
	s->listed = true;
	list_add_tail(&s->name_node, &names);
}

/* The socket's name in the file tree, through its directory's file
 * system (a file system without sockets refuses: -EPERM). */
static int make_socket_inode(const char *path, struct inode **out)
{
	char last[VFS_NAME_MAX + 1];
	struct inode *cwd = fdtable_cwd(), *dir;
	int err = vfs_walk(cwd, path, WALK_PARENT, &dir, last);

	inode_put(cwd);
	if (err)
		return err;
	if (!last[0] || !strcmp(last, ".") || !strcmp(last, ".."))
		err = -EEXIST;
	else if (!inode_is_dir(dir))
		err = -ENOTDIR;
	else if (!dir->iops->create)
		err = -EPERM;
	else
		err = dir->iops->create(dir, last, S_IFSOCK | 0755, out);
	inode_put(dir);
	return err;
}

int unix_bind(struct file *f, const struct sockaddr_un *a, unsigned len)
{
	struct usock *s = f->priv;
	struct inode *inode = NULL;
	char path[UNIX_PATH_MAX + 1];
	unsigned long flags;
	int err = 0;

	if (len < sizeof(a->family) || len > sizeof(*a) || a->family != AF_UNIX)
		return -EINVAL;
	if (READ_ONCE(s->addrlen))
		return -EINVAL;
	if (len > sizeof(a->family) && !abstract(a, len)) {
		if (path_of(a, len, path))
			return -EINVAL;
		err = make_socket_inode(path, &inode);
		if (err)
			return err == -EEXIST ? -EADDRINUSE : err;
	}
	flags = spin_lock_irqsave(&unix_lock);
	if (s->addrlen) {
		err = -EINVAL;	/* bound meanwhile by another thread */
	} else if (len == sizeof(a->family)) {
		autobind(s);
	} else if (!inode && name_taken(a, len)) {
		err = -EADDRINUSE;
	} else {
		memcpy(&s->addr, a, len);
		s->addrlen = len;
		s->inode = inode;
		inode = NULL;
		s->listed = true;
		list_add_tail(&s->name_node, &names);
	}
	spin_unlock_irqrestore(&unix_lock, flags);
	if (inode)
		inode_put(inode);	/* the file stays, as on Linux */
	return err;
}

int unix_name(struct file *f, bool peer, struct sockaddr_un *a, unsigned *len)
{
	struct usock *s = f->priv, *of;
	unsigned long flags = spin_lock_irqsave(&unix_lock);
	int err = 0;

	of = peer ? s->peer : s;
	if (!of || (peer && s->state != CONNECTED)) {
		err = -ENOTCONN;
	} else if (of->addrlen) {
		*a = of->addr;
		*len = of->addrlen;
	} else {
		a->family = AF_UNIX;
		*len = sizeof(a->family);
	}
	spin_unlock_irqrestore(&unix_lock, flags);
	return err;
}

