// SPDX-License-Identifier: GPL-2.0
/*
 * The socket system calls: each checks and copies in its arguments
 * (addresses, msghdr, iovec, control messages), calls the AF_UNIX
 * protocol (unix_socket.c, through socket.h) and copies results out.
 * Other address families are -EAFNOSUPPORT: Kitten has no network stack.
 *
 * Control messages: SCM_RIGHTS on sendmsg takes a reference to each
 * file named; recvmsg installs the files received as new descriptors
 * (MSG_CMSG_CLOEXEC marks them close-on-exec) and, when the buffer is too
 * short, closes the rest and sets MSG_CTRUNC, as Linux does.
 * SCM_CREDENTIALS is checked against the sender's own (-EPERM
 * otherwise) and given to receivers that set SO_PASSCRED.
 */
#include <kitten/errno.h>
#include <kitten/file.h>
#include <kitten/kmem.h>
#include <kitten/poll.h>
#include <kitten/socket.h>
#include <kitten/string.h>
#include <kitten/syscall.h>

#define SOL_SOCKET	1
#define SCM_RIGHTS	1
#define SCM_CREDENTIALS	2
#define SOCK_FLAGS	(O_NONBLOCK | O_CLOEXEC)
#define UIO_MAXIOV	1024
#define CMSG_HDR	16
#define CMSG_ALIGN(n)	(((n) + 7) & ~7ULL)

struct msghdr_k {
	uint64_t name;
	uint32_t namelen, pad;
	uint64_t iov, iovlen, control, controllen;
	int32_t flags, pad2;
};

struct cmsghdr_k {
	uint64_t len;
	int32_t level, type;
};

int sockmsg_copy_in(void *dst, const struct sockmsg *m, uint64_t off,
		    uint64_t len)
{
	for (unsigned i = 0; i < m->niov && len; i++) {
		uint64_t n;

		if (off >= m->iov[i].len) {
			off -= m->iov[i].len;
			continue;
		}
		n = MIN(len, m->iov[i].len - off);
		if (copy_from_user(dst, m->iov[i].base + off, n))
			return -EFAULT;
		dst = (char *)dst + n;
		len -= n;
		off = 0;
	}
	return 0;
}

int sockmsg_copy_out(const struct sockmsg *m, uint64_t off, const void *src,
		     uint64_t len)
{
	for (unsigned i = 0; i < m->niov && len; i++) {
		uint64_t n;

		if (off >= m->iov[i].len) {
			off -= m->iov[i].len;
			continue;
		}
		n = MIN(len, m->iov[i].len - off);
		if (copy_to_user(m->iov[i].base + off, src, n))
			return -EFAULT;
		src = (const char *)src + n;
		len -= n;
		off = 0;
	}
	return 0;
}

/* The socket behind fd, referenced; NULL with *err -EBADF or -ENOTSOCK. */
static struct file *sock_get(uint64_t fd, long *err)
{
	struct file *f = fd_get(fd);

	*err = f ? 0 : -EBADF;
	if (f && !file_is_socket(f)) {
		file_put(f);
		*err = -ENOTSOCK;
		f = NULL;
	}
	return f;
}

static long addr_in(struct sockaddr_un *a, uint64_t uaddr, uint64_t len)
{
	if (len > sizeof(*a) || len < sizeof(a->family))
		return -EINVAL;
	memset(a, 0, sizeof(*a));
	if (copy_from_user(a, uaddr, len))
		return -EFAULT;
	return a->family == AF_UNIX ? 0 : -EINVAL;
}

/* Write len bytes of address a to uaddr (as much as *ulen allows). */
static long addr_out(const struct sockaddr_un *a, unsigned len, uint64_t uaddr,
		     uint64_t ulen)
{
	uint32_t room;

	if (!uaddr)
		return 0;
	if (copy_from_user(&room, ulen, sizeof(room)))
		return -EFAULT;
	if ((int32_t)room < 0)
		return -EINVAL;
	if (copy_to_user(uaddr, a, MIN(room, len)) ||
	    copy_to_user(ulen, &len, sizeof(len)))
		return -EFAULT;
	return 0;
}

static long install_pair(struct file *a, struct file *b, unsigned flags,
			 uint64_t usv)
{
	int fds[2];

	fds[0] = fd_install(a, 0, flags & O_CLOEXEC);
	fds[1] = fds[0] < 0 ? -1 : fd_install(b, 0, flags & O_CLOEXEC);
	if (fds[1] < 0) {
		if (fds[0] >= 0)
			fd_close(fds[0]);
		else
			file_put(a);
		file_put(b);
		return -EMFILE;
	}
	if (copy_to_user(usv, fds, sizeof(fds))) {
		fd_close(fds[0]);
		fd_close(fds[1]);
		return -EFAULT;
	}
	return 0;
}

static long check_family(uint64_t domain, uint64_t type, uint64_t protocol)
{
	if (domain != AF_UNIX)
		return -EAFNOSUPPORT;
	if (protocol && protocol != AF_UNIX)
		return -EPROTONOSUPPORT;
	if (type & ~(uint64_t)(SOCK_TYPE_MASK | SOCK_FLAGS))
		return -EINVAL;
	return 0;
}

SYSCALL_DEFINE3(socket, uint64_t, domain, uint64_t, type, uint64_t, protocol)
{
	long err = check_family(domain, type, protocol);
	struct file *f;
	int fd;

	if (err)
		return err;
	err = unix_create(type & SOCK_TYPE_MASK, type & O_NONBLOCK, &f);
	if (err)
		return err == -EINVAL ? -ESOCKTNOSUPPORT : err;
	fd = fd_install(f, 0, type & O_CLOEXEC);
	if (fd < 0)
		file_put(f);
	return fd;
}

SYSCALL_DEFINE4(socketpair, uint64_t, domain, uint64_t, type,
		uint64_t, protocol, uint64_t, usv)
{
	long err = check_family(domain, type, protocol);
	struct file *a, *b;

	if (err)
		return err;
	err = unix_pair(type & SOCK_TYPE_MASK, type & O_NONBLOCK, &a, &b);
	if (err)
		return err == -EINVAL ? -ESOCKTNOSUPPORT : err;
	return install_pair(a, b, type, usv);
}

SYSCALL_DEFINE3(bind, uint64_t, fd, uint64_t, uaddr, uint64_t, len)
{
	struct sockaddr_un a;
	long err;
	struct file *f = sock_get(fd, &err);

	if (!f)
		return err;
	err = addr_in(&a, uaddr, len);
	if (!err)
		err = unix_bind(f, &a, len);
	file_put(f);
	return err;
}

SYSCALL_DEFINE2(listen, uint64_t, fd, int64_t, backlog)
{
	long err;
	struct file *f = sock_get(fd, &err);

	if (!f)
		return err;
	err = unix_listen(f, (int)backlog);
	file_put(f);
	return err;
}

SYSCALL_DEFINE3(connect, uint64_t, fd, uint64_t, uaddr, uint64_t, len)
{
	struct sockaddr_un a;
	long err;
	struct file *f = sock_get(fd, &err);

	if (!f)
		return err;
	err = addr_in(&a, uaddr, len);
	if (!err)
		err = unix_connect(f, &a, len);
	file_put(f);
	return err;
}

SYSCALL_DEFINE4(accept4, uint64_t, fd, uint64_t, uaddr, uint64_t, ulen,
		uint64_t, flags)
{
	struct sockaddr_un a;
	struct file *nf;
	unsigned alen;
	long err;
	struct file *f = sock_get(fd, &err);
	int nfd;

	if (!f)
		return err;
	if (flags & ~(uint64_t)SOCK_FLAGS) {
		file_put(f);
		return -EINVAL;
	}
	err = unix_accept(f, flags, &nf);
	file_put(f);
	if (err)
		return err;
	if (uaddr && (unix_name(nf, false, &a, &alen) ||
		      addr_out(&a, alen, uaddr, ulen))) {
		file_put(nf);
		return -EFAULT;
	}
	nfd = fd_install(nf, 0, flags & O_CLOEXEC);
	if (nfd < 0)
		file_put(nf);
	return nfd;
}

SYSCALL_DEFINE3(accept, uint64_t, fd, uint64_t, uaddr, uint64_t, ulen)
{
	return do_sys_accept4(fd, uaddr, ulen, 0);
}

static long sock_name(uint64_t fd, uint64_t uaddr, uint64_t ulen, bool peer)
{
	struct sockaddr_un a;
	unsigned alen;
	long err;
	struct file *f = sock_get(fd, &err);

	if (!f)
		return err;
	err = unix_name(f, peer, &a, &alen);
	file_put(f);
	return err ? err : addr_out(&a, alen, uaddr, ulen);
}

SYSCALL_DEFINE3(getsockname, uint64_t, fd, uint64_t, uaddr, uint64_t, ulen)
{
	return sock_name(fd, uaddr, ulen, false);
}

SYSCALL_DEFINE3(getpeername, uint64_t, fd, uint64_t, uaddr, uint64_t, ulen)
{
	return sock_name(fd, uaddr, ulen, true);
}

SYSCALL_DEFINE2(shutdown, uint64_t, fd, uint64_t, how)
{
	long err;
	struct file *f = sock_get(fd, &err);

	if (!f)
		return err;
	err = unix_shutdown(f, how);
	file_put(f);
	return err;
}

/* SCM_RIGHTS and SCM_CREDENTIALS from a sendmsg's control buffer. */
static long control_in(struct sockmsg *m, uint64_t uctl, uint64_t len)
{
	uint64_t at = 0;

	while (at + CMSG_HDR <= len) {
		struct cmsghdr_k h;
		uint64_t n;

		if (copy_from_user(&h, uctl + at, sizeof(h)))
			return -EFAULT;
		if (h.len < CMSG_HDR || h.len > len - at)
			return -EINVAL;
		n = h.len - CMSG_HDR;
		if (h.level != SOL_SOCKET)
			return -EINVAL;
		if (h.type == SCM_RIGHTS) {
			int fds[SCM_MAX_FD];

			if (n % 4 || m->nfds + n / 4 > SCM_MAX_FD)
				return -EINVAL;
			if (copy_from_user(fds, uctl + at + CMSG_HDR, n))
				return -EFAULT;
			for (uint64_t i = 0; i < n / 4; i++) {
				struct file *f = fd_get(fds[i]);

				if (!f)
					return -EBADF;
				m->fds[m->nfds++] = f;
			}
		} else if (h.type == SCM_CREDENTIALS) {
			struct ucred c, mine = unix_my_cred();

			if (n < sizeof(c) || copy_from_user(&c, uctl + at + CMSG_HDR, sizeof(c)))
				return -EINVAL;
			if (c.pid != mine.pid || c.uid != mine.uid || c.gid != mine.gid)
				return -EPERM;	/* only one's own, unprivileged */
		} else {
			return -EINVAL;
		}
		at += CMSG_ALIGN(h.len);
	}
	return 0;
}

/* Gather a user iovec into m (kernel copy of the array in *iov). */
static long iov_in(struct sockmsg *m, uint64_t uiov, uint64_t n,
		   struct uiov **iov)
{
	if (n > UIO_MAXIOV)
		return -EMSGSIZE;
	*iov = kmem_alloc(n * sizeof(**iov) + 1);
	if (!*iov)
		return -ENOMEM;
	if (copy_from_user(*iov, uiov, n * sizeof(**iov)))
		return -EFAULT;
	m->iov = *iov;
	m->niov = n;
	m->len = 0;
	for (uint64_t i = 0; i < n; i++) {
		if ((int64_t)(*iov)[i].len < 0 ||
		    !user_range_ok((*iov)[i].base, (*iov)[i].len))
			return -EFAULT;
		m->len += (*iov)[i].len;
	}
	return 0;
}

static void drop_fds(struct sockmsg *m)
{
	for (int i = 0; i < m->nfds; i++)
		file_put(m->fds[i]);
	m->nfds = 0;
}

/* A send of m (iov set) on fd, to the address at uaddr if given. */
static long do_send(uint64_t fd, struct sockmsg *m, uint64_t uaddr,
		    uint64_t alen)
{
	long err;
	struct file *f = sock_get(fd, &err);

	if (!f)
		return err;
	if (uaddr) {
		err = addr_in(&m->addr, uaddr, alen);
		m->addrlen = alen;
	}
	if (!err)
		err = unix_send(f, m);
	file_put(f);
	return err;
}

/* The message of sendto or recvfrom: one buffer, no control data. */
static struct sockmsg *one_buffer_msg(struct uiov *iov, uint64_t flags)
{
	struct sockmsg *m = kmem_zalloc(sizeof(*m));

	if (m) {
		m->iov = iov;
		m->niov = 1;
		m->len = iov->len;
		m->flags = flags;
	}
	return m;
}

SYSCALL_DEFINE6(sendto, uint64_t, fd, uint64_t, buf, uint64_t, len,
		uint64_t, flags, uint64_t, uaddr, uint64_t, alen)
{
	struct uiov iov = { buf, len };
	struct sockmsg *m = one_buffer_msg(&iov, flags);
	long ret;

	if (!m)
		return -ENOMEM;
	ret = user_range_ok(buf, len) ? do_send(fd, m, uaddr, alen) : -EFAULT;
	kmem_free(m);
	return ret;
}

SYSCALL_DEFINE3(sendmsg, uint64_t, fd, uint64_t, umsg, uint64_t, flags)
{
	struct sockmsg *m = kmem_zalloc(sizeof(*m));
	struct uiov *iov = NULL;
	struct msghdr_k h;
	long ret;

	if (!m)
		return -ENOMEM;
	ret = copy_from_user(&h, umsg, sizeof(h));
	if (!ret)
		ret = iov_in(m, h.iov, h.iovlen, &iov);
	m->flags = flags;
	if (!ret && h.controllen)
		ret = control_in(m, h.control, h.controllen);
	if (!ret)
		ret = do_send(fd, m, h.name, h.namelen);
	drop_fds(m);	/* those the protocol did not take */
	kmem_free(iov);
	kmem_free(m);
	return ret;
}

/* Control messages for what m received: credentials, then files. */
static void control_out(struct sockmsg *m, struct msghdr_k *h)
{
	uint64_t at = 0;
	bool cloexec = m->flags & MSG_CMSG_CLOEXEC;

	if (m->want_cred && h->controllen >= CMSG_HDR + sizeof(m->cred)) {
		struct cmsghdr_k c = { CMSG_HDR + sizeof(m->cred), SOL_SOCKET,
				       SCM_CREDENTIALS };

		if (copy_to_user(h->control, &c, sizeof(c)) ||
		    copy_to_user(h->control + CMSG_HDR, &m->cred, sizeof(m->cred)))
			m->out_flags |= MSG_CTRUNC;
		at = CMSG_ALIGN(c.len);
	} else if (m->want_cred) {
		m->out_flags |= MSG_CTRUNC;
	}
	if (m->nfds) {
		uint64_t room = h->controllen > at + CMSG_HDR ?
				(h->controllen - at - CMSG_HDR) / 4 : 0;
		int n = MIN((uint64_t)m->nfds, room), fds[SCM_MAX_FD];
		struct cmsghdr_k c = { CMSG_HDR + 4 * n, SOL_SOCKET, SCM_RIGHTS };
		int i;

		for (i = 0; i < n; i++) {
			fds[i] = fd_install(m->fds[i], 0, cloexec);
			if (fds[i] < 0)
				break;
		}
		n = i;
		c.len = CMSG_HDR + 4 * n;
		if (n && (copy_to_user(h->control + at, &c, sizeof(c)) ||
			  copy_to_user(h->control + at + CMSG_HDR, fds, 4 * n)))
			m->out_flags |= MSG_CTRUNC;
		if (n)
			at += CMSG_ALIGN(c.len);
		if (n < m->nfds)
			m->out_flags |= MSG_CTRUNC;
		for (i = n; i < m->nfds; i++)	/* no room: closed */
			file_put(m->fds[i]);
		m->nfds = 0;
	}
	h->controllen = at;
}

/* A receive into m on fd; the source address to uaddr/ulen if given. */
static long do_recv(uint64_t fd, struct sockmsg *m, uint64_t uaddr,
		    uint64_t ulen)
{
	long err, n;
	struct file *f = sock_get(fd, &err);

	if (!f)
		return err;
	m->want_cred = unix_passcred(f);
	n = unix_recv(f, m);
	file_put(f);
	if (n >= 0 && uaddr) {
		if (!m->addrlen) {
			m->addr.family = AF_UNIX;
			m->addrlen = sizeof(m->addr.family);
		}
		err = addr_out(&m->addr, m->addrlen, uaddr, ulen);
		if (err)
			return err;
	}
	return n;
}

SYSCALL_DEFINE6(recvfrom, uint64_t, fd, uint64_t, buf, uint64_t, len,
		uint64_t, flags, uint64_t, uaddr, uint64_t, ulen)
{
	struct uiov iov = { buf, len };
	struct sockmsg *m = one_buffer_msg(&iov, flags);
	long ret;

	if (!m)
		return -ENOMEM;
	ret = user_range_ok(buf, len) ? do_recv(fd, m, uaddr, ulen) : -EFAULT;
	drop_fds(m);	/* recvfrom takes no files */
	kmem_free(m);
	return ret;
}

SYSCALL_DEFINE3(recvmsg, uint64_t, fd, uint64_t, umsg, uint64_t, flags)
{
	struct sockmsg *m = kmem_zalloc(sizeof(*m));
	struct uiov *iov = NULL;
	struct msghdr_k h;
	long ret;

	if (!m)
		return -ENOMEM;
	ret = copy_from_user(&h, umsg, sizeof(h));
	if (!ret)
		ret = iov_in(m, h.iov, h.iovlen, &iov);
	m->flags = flags;
	if (!ret)
		ret = do_recv(fd, m, 0, 0);
	if (ret >= 0) {
		uint32_t namelen = MIN(h.namelen, m->addrlen);

		if (h.name && m->addrlen && copy_to_user(h.name, &m->addr, namelen))
			ret = -EFAULT;
		h.namelen = h.name ? m->addrlen : 0;
		control_out(m, &h);
		h.flags = m->out_flags;
		if (copy_to_user(umsg, &h, sizeof(h)))
			ret = -EFAULT;
	}
	drop_fds(m);
	kmem_free(iov);
	kmem_free(m);
	return ret;
}

SYSCALL_DEFINE5(setsockopt, uint64_t, fd, uint64_t, level, uint64_t, opt,
		uint64_t, uval, uint64_t, len)
{
	long err;
	struct file *f = sock_get(fd, &err);
	int val = 0;

	if (!f)
		return err;
	if (level != SOL_SOCKET)
		err = -ENOPROTOOPT;
	else if (len < sizeof(val))
		err = -EINVAL;
	else if (copy_from_user(&val, uval, sizeof(val)))
		err = -EFAULT;
	else
		err = unix_setsockopt(f, opt, val);
	file_put(f);
	return err;
}

SYSCALL_DEFINE5(getsockopt, uint64_t, fd, uint64_t, level, uint64_t, opt,
		uint64_t, uval, uint64_t, ulen)
{
	long err;
	struct file *f = sock_get(fd, &err);
	uint8_t val[16];
	unsigned len = 0;
	int32_t room;

	if (!f)
		return err;
	if (level != SOL_SOCKET)
		err = -ENOPROTOOPT;
	else if (copy_from_user(&room, ulen, sizeof(room)))
		err = -EFAULT;
	else if (room < 0)
		err = -EINVAL;
	else
		err = unix_getsockopt(f, opt, val, &len);
	file_put(f);
	if (err)
		return err;
	len = MIN(len, (unsigned)room);
	if (copy_to_user(uval, val, len) || copy_to_user(ulen, &len, sizeof(len)))
		return -EFAULT;
	return 0;
}
