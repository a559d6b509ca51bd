// SPDX-License-Identifier: GPL-2.0
/*
 * The 9P2000.L client (kitten/fs/9p/p9_msg.c, p9_client.c) against a
 * small 9P server in this file that serves a host directory made for
 * each test: the fake transport hands each request to the server and its
 * reply back, as the virtio-9p driver would. What the client creates,
 * writes, renames and removes is checked on the host directory itself,
 * and what the host puts there is checked through the client.
 */
#include "support.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <kitten/p9_transport.h>

#include "../../kitten/fs/9p/p9.h"

/* --- the kernel's services, on the host --------------------------------- */

void *kmem_alloc(size_t size)
{
	return malloc(size ? size : 1);
}

void *kmem_zalloc(size_t size)
{
	return calloc(1, size ? size : 1);
}

void kmem_free(void *p)
{
	free(p);
}

void spin_lock_init(struct spinlock *lock, const char *name, unsigned rank)
{
	(void)lock, (void)name, (void)rank;
}

unsigned long spin_lock_irqsave(struct spinlock *lock)
{
	(void)lock;
	return 0;
}

void spin_unlock_irqrestore(struct spinlock *lock, unsigned long flags)
{
	(void)lock, (void)flags;
}

/* --- a 9P server over a host directory ---------------------------------- */

#define MAX_FIDS 64

struct sfid {
	bool used;
	char path[512];
	int fd;		/* once opened */
};

static struct {
	char root[256];
	struct sfid fids[MAX_FIDS];
	unsigned live;		/* fids the client holds */
	unsigned requests;
	uint32_t msize;
	int cut_reply;		/* the next reply loses this many bytes */
} srv;

struct p9_transport {
	int unused;
};
static struct p9_transport the_transport;

struct p9_transport *p9_transport_find(const char *tag)
{
	return strcmp(tag, "test") ? NULL : &the_transport;
}

size_t p9_transport_max_msg(struct p9_transport *t)
{
	(void)t;
	return srv.msize;
}

static struct sfid *fid_get(uint32_t fid)
{
	return fid < MAX_FIDS && srv.fids[fid].used ? &srv.fids[fid] : NULL;
}

static struct sfid *fid_new(uint32_t fid, const char *path)
{
	struct sfid *f;

	if (fid >= MAX_FIDS || srv.fids[fid].used)
		return NULL;
	f = &srv.fids[fid];
	f->used = true;
	f->fd = -1;
	snprintf(f->path, sizeof(f->path), "%s", path);
	srv.live++;
	return f;
}

static void fid_drop(struct sfid *f)
{
	if (f->fd >= 0)
		close(f->fd);
	f->used = false;
	srv.live--;
}

static void put_qid(struct p9_msg *r, const struct stat *st)
{
	p9_put8(r, S_ISDIR(st->st_mode) ? 0x80 : S_ISLNK(st->st_mode) ? 2 : 0);
	p9_put32(r, 0);
	p9_put64(r, st->st_ino);
}

static int qid_of(struct p9_msg *r, const char *path)
{
	struct stat st;

	if (lstat(path, &st))
		return errno;
	put_qid(r, &st);
	return 0;
}

/* The test's paths are short; a cut one would fail the test's checks. */
#pragma GCC diagnostic ignored "-Wformat-truncation"
static void child(char *out, size_t size, const char *dir, const char *name,
		  uint16_t len)
{
	snprintf(out, size, "%s/%.*s", dir, (int)len, name);
}

/* Serve one request m into reply r; 0 or an errno for Rlerror. */
static int serve(struct p9_msg *m, struct p9_msg *r, uint8_t type)
{
	char path[512], path2[512];
	const char *s, *s2;
	uint16_t len, len2;
	struct sfid *f, *g;
	struct stat st;
	uint32_t fid;

	switch (type) {
	case P9_TVERSION: {
		uint32_t msize = p9_get32(m);

		p9_put32(r, msize < srv.msize ? msize : srv.msize);
		p9_putstr(r, "9P2000.L", 8);
		return 0;
	}
	case P9_TATTACH:
		fid = p9_get32(m);
		return fid_new(fid, srv.root) ? qid_of(r, srv.root) : EBADF;
	case P9_TWALK: {
		uint32_t newfid;
		uint16_t n;
		unsigned done = 0;

		fid = p9_get32(m);
		newfid = p9_get32(m);
		n = p9_get16(m);
		f = fid_get(fid);
		if (!f)
			return EBADF;
		snprintf(path, sizeof(path), "%s", f->path);
		p9_put16(r, 0);		/* nwqid, filled in below */
		for (; done < n; done++) {
			s = p9_getstr(m, &len);
			child(path2, sizeof(path2), path, s, len);
			if (lstat(path2, &st))
				break;
			snprintf(path, sizeof(path), "%s", path2);
			put_qid(r, &st);
		}
		if (n && done == 0)
			return ENOENT;
		r->buf[P9_HDR] = done;
		if (done == n && !fid_new(newfid, path))
			return EBADF;
		return 0;
	}
	case P9_TLOPEN:
		f = fid_get(p9_get32(m));
		if (!f)
			return EBADF;
		f->fd = open(f->path, (p9_get32(m) & O_ACCMODE) | O_NOFOLLOW);
		if (f->fd < 0)
			return errno;
		qid_of(r, f->path);
		p9_put32(r, 0);
		return 0;
	case P9_TLCREATE: {
		uint32_t flags, mode;

		f = fid_get(p9_get32(m));
		s = p9_getstr(m, &len);
		flags = p9_get32(m);
		mode = p9_get32(m);
		if (!f)
			return EBADF;
		child(path, sizeof(path), f->path, s, len);
		f->fd = open(path, flags | O_CREAT, mode);
		if (f->fd < 0)
			return errno;
		snprintf(f->path, sizeof(f->path), "%s", path);
		qid_of(r, path);
		p9_put32(r, 0);
		return 0;
	}
	case P9_TREAD: {
		uint64_t off;
		uint32_t count;
		ssize_t n;
		uint8_t *data;

		f = fid_get(p9_get32(m));
		off = p9_get64(m);
		count = p9_get32(m);
		if (!f || f->fd < 0)
			return EBADF;
		p9_put32(r, 0);
		data = p9_putspace(r, count);
		if (!data)
			return EMSGSIZE;
		n = pread(f->fd, data, count, off);
		if (n < 0)
			return errno;
		r->len -= count - n;
		memcpy(r->buf + P9_HDR, &(uint32_t){ n }, 4);
		return 0;
	}
	case P9_TWRITE: {
		uint64_t off;
		uint32_t count;
		ssize_t n;

		f = fid_get(p9_get32(m));
		off = p9_get64(m);
		count = p9_get32(m);
		if (!f || f->fd < 0)
			return EBADF;
		n = pwrite(f->fd, p9_getdata(m, count), count, off);
		if (n < 0)
			return errno;
		p9_put32(r, n);
		return 0;
	}
	case P9_TCLUNK:
		f = fid_get(p9_get32(m));
		if (!f)
			return EBADF;
		fid_drop(f);
		return 0;
	case P9_TGETATTR:
		f = fid_get(p9_get32(m));
		if (!f)
			return EBADF;
		if (lstat(f->path, &st))
			return errno;
		p9_put64(r, P9_GETATTR_BASIC);
		put_qid(r, &st);
		p9_put32(r, st.st_mode);
		p9_put32(r, st.st_uid);
		p9_put32(r, st.st_gid);
		p9_put64(r, st.st_nlink);
		p9_put64(r, st.st_rdev);
		p9_put64(r, st.st_size);
		p9_put64(r, st.st_blksize);
		p9_put64(r, st.st_blocks);
		for (int i = 0; i < 12; i++)
			p9_put64(r, i == 2 ? (uint64_t)st.st_mtime : 0);
		return 0;
	case P9_TSETATTR: {
		uint32_t valid;
		uint64_t size;

		f = fid_get(p9_get32(m));
		valid = p9_get32(m);
		p9_get32(m);
		p9_get32(m);
		p9_get32(m);
		size = p9_get64(m);
		if (!f)
			return EBADF;
		if ((valid & P9_SETATTR_SIZE) && truncate(f->path, size))
			return errno;
		return 0;
	}
	case P9_TREADDIR: {
		uint64_t off, i = 0;
		uint32_t count;
		size_t start;
		struct dirent *e;
		DIR *d;

		f = fid_get(p9_get32(m));
		off = p9_get64(m);
		count = p9_get32(m);
		if (!f || f->fd < 0)
			return EBADF;
		d = opendir(f->path);
		if (!d)
			return errno;
		p9_put32(r, 0);
		start = r->len;
		while ((e = readdir(d))) {
			size_t need = 24 + strlen(e->d_name);

			if (i++ < off)
				continue;
			if (r->len - start + need > count)
				break;
			p9_put8(r, 0);
			p9_put32(r, 0);
			p9_put64(r, e->d_ino);
			p9_put64(r, i);
			p9_put8(r, e->d_type);
			p9_putstr(r, e->d_name, strlen(e->d_name));
		}
		closedir(d);
		memcpy(r->buf + P9_HDR, &(uint32_t){ r->len - start }, 4);
		return 0;
	}
	case P9_TREADLINK: {
		char target[256];
		ssize_t n;

		f = fid_get(p9_get32(m));
		if (!f)
			return EBADF;
		n = readlink(f->path, target, sizeof(target));
		if (n < 0)
			return errno;
		p9_putstr(r, target, n);
		return 0;
	}
	case P9_TMKDIR:
		f = fid_get(p9_get32(m));
		s = p9_getstr(m, &len);
		if (!f)
			return EBADF;
		child(path, sizeof(path), f->path, s, len);
		if (mkdir(path, p9_get32(m)))
			return errno;
		return qid_of(r, path);
	case P9_TUNLINKAT:
		f = fid_get(p9_get32(m));
		s = p9_getstr(m, &len);
		if (!f)
			return EBADF;
		child(path, sizeof(path), f->path, s, len);
		if (unlinkat(AT_FDCWD, path, p9_get32(m) & P9_AT_REMOVEDIR ?
						     AT_REMOVEDIR : 0))
			return errno;
		return 0;
	case P9_TRENAMEAT:
		f = fid_get(p9_get32(m));
		s = p9_getstr(m, &len);
		g = fid_get(p9_get32(m));
		s2 = p9_getstr(m, &len2);
		if (!f || !g)
			return EBADF;
		child(path, sizeof(path), f->path, s, len);
		child(path2, sizeof(path2), g->path, s2, len2);
		return rename(path, path2) ? errno : 0;
	case P9_TSYMLINK:
		f = fid_get(p9_get32(m));
		s = p9_getstr(m, &len);
		s2 = p9_getstr(m, &len2);
		if (!f)
			return EBADF;
		child(path, sizeof(path), f->path, s, len);
		snprintf(path2, sizeof(path2), "%.*s", (int)len2, s2);
		if (symlink(path2, path))
			return errno;
		return qid_of(r, path);
	case P9_TSTATFS: {
		struct statfs sf;

		f = fid_get(p9_get32(m));
		if (!f)
			return EBADF;
		if (statfs(f->path, &sf))
			return errno;
		p9_put32(r, sf.f_type);
		p9_put32(r, sf.f_bsize);
		p9_put64(r, sf.f_blocks);
		p9_put64(r, sf.f_bfree);
		p9_put64(r, sf.f_bavail);
		p9_put64(r, sf.f_files);
		p9_put64(r, sf.f_ffree);
		p9_put64(r, 0);
		p9_put32(r, 255);
		return 0;
	}
	case P9_TFSYNC:
		f = fid_get(p9_get32(m));
		if (!f || f->fd < 0)
			return EBADF;
		return fsync(f->fd) ? errno : 0;
	}
	return EOPNOTSUPP;
}

long p9_transport_rpc(struct p9_transport *t, const void *tmsg, size_t tlen,
		      void *rmsg, size_t rcap)
{
	struct p9_msg m = { .buf = (void *)tmsg, .len = tlen };
	struct p9_msg r;
	uint32_t size;
	uint8_t type;
	uint16_t tag;
	int err;

	assert_ptr_equal(t, &the_transport);
	srv.requests++;
	size = p9_get32(&m);
	type = p9_get8(&m);
	tag = p9_get16(&m);
	assert_int_equal(size, tlen);
	assert_true(tlen <= srv.msize);
	p9_begin(&r, rmsg, rcap, type + 1, tag);
	err = serve(&m, &r, type);
	assert_false(m.err);	/* every request is as long as its fields */
	if (err) {
		p9_begin(&r, rmsg, rcap, P9_RLERROR, tag);
		p9_put32(&r, err);
	}
	assert_false(r.err);	/* the client left room for the reply */
	p9_finish(&r);
	if (srv.cut_reply) {
		r.len -= srv.cut_reply;
		srv.cut_reply = 0;
	}
	return r.len;
}

/* --- the tests ----------------------------------------------------------- */

static struct p9_client client;

static void host_path(char *out, size_t size, const char *name)
{
	snprintf(out, size, "%s/%s", srv.root, name);
}

static void host_write(const char *name, const char *text)
{
	char path[512];
	FILE *f;

	host_path(path, sizeof(path), name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int setup(void **state)
{
	(void)state;
	memset(&srv, 0, sizeof(srv));
	srv.msize = 8192 + P9_IOHDR;
	snprintf(srv.root, sizeof(srv.root), "/tmp/kitten-p9-XXXXXX");
	assert_non_null(mkdtemp(srv.root));
	assert_int_equal(p9_client_init(&client, &the_transport, "", false), 0);
	return 0;
}

static int teardown(void **state)
{
	char cmd[300];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", srv.root);
	return system(cmd);
}

static uint32_t walk1(const char *name)
{
	uint32_t fid;

	assert_int_equal(p9_walk(&client, client.root, 1, &name, &fid, NULL), 0);
	return fid;
}

static void version_and_attach(void **state)
{
	(void)state;
	assert_int_equal(client.msize, srv.msize);
	assert_int_equal(p9_iosize(&client), 8192);
	assert_int_equal(client.root_qid.type, 0x80);	/* a directory */
	assert_int_equal(srv.live, 1);			/* the root fid */
}

static void walk_missing_is_enoent(void **state)
{
	const char *names[] = { "no", "such" };
	char path[512];
	uint32_t fid;

	(void)state;
	assert_int_equal(p9_walk(&client, client.root, 1, names, &fid, NULL),
			 -ENOENT);
	/* A walk that stops part-way makes no fid either. */
	host_path(path, sizeof(path), "no");
	assert_int_equal(mkdir(path, 0755), 0);
	assert_int_equal(p9_walk(&client, client.root, 2, names, &fid, NULL),
			 -ENOENT);
	assert_int_equal(srv.live, 1);
}

static void read_what_the_host_wrote(void **state)
{
	char buf[64] = { 0 };
	struct p9_attr a;
	uint32_t fid;

	(void)state;
	host_write("data.txt", "written on the host\n");
	fid = walk1("data.txt");
	assert_int_equal(p9_getattr(&client, fid, &a), 0);
	assert_int_equal(a.size, 20);
	assert_true((a.mode & S_IFMT) == S_IFREG);
	assert_int_equal(p9_lopen(&client, fid, O_RDONLY, NULL), 0);
	assert_int_equal(p9_read(&client, fid, 0, buf, sizeof(buf)), 20);
	assert_string_equal(buf, "written on the host\n");
	assert_int_equal(p9_read(&client, fid, 8, buf, 2), 2);
	assert_memory_equal(buf, "on", 2);
	assert_int_equal(p9_read(&client, fid, 20, buf, 8), 0);	/* the end */
	assert_int_equal(p9_clunk(&client, fid), 0);
	assert_int_equal(srv.live, 1);
}

static void create_write_and_the_host_reads(void **state)
{
	char path[512], buf[64] = { 0 };
	struct p9_qid qid;
	uint32_t fid;
	FILE *f;

	(void)state;
	assert_int_equal(p9_walk(&client, client.root, 0, NULL, &fid, NULL), 0);
	assert_int_equal(p9_lcreate(&client, fid, "new.txt", O_RDWR | O_EXCL,
				    0644, &qid), 0);
	assert_int_equal(p9_write(&client, fid, 0, "from kitten", 11), 11);
	assert_int_equal(p9_fsync(&client, fid), 0);
	assert_int_equal(p9_clunk(&client, fid), 0);
	host_path(path, sizeof(path), "new.txt");
	f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(buf, sizeof(buf), f));
	fclose(f);
	assert_string_equal(buf, "from kitten");
	/* O_EXCL on a name that exists: the host's errno comes back. */
	assert_int_equal(p9_walk(&client, client.root, 0, NULL, &fid, NULL), 0);
	assert_int_equal(p9_lcreate(&client, fid, "new.txt", O_RDWR | O_EXCL,
				    0644, &qid), -EEXIST);
	assert_int_equal(p9_clunk(&client, fid), 0);
}

static void big_transfers_are_cut_to_msize(void **state)
{
	static char big[20000], back[20000];
	uint32_t fid;

	(void)state;
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = i * 7;
	host_write("big", "");
	fid = walk1("big");
	assert_int_equal(p9_lopen(&client, fid, O_RDWR, NULL), 0);
	/* One request moves at most the I/O size; the caller loops. */
	assert_int_equal(p9_write(&client, fid, 0, big, sizeof(big)), 8192);
	assert_int_equal(p9_write(&client, fid, 8192, big + 8192, 11808), 8192);
	assert_int_equal(p9_write(&client, fid, 16384, big + 16384, 3616), 3616);
	assert_int_equal(p9_read(&client, fid, 0, back, sizeof(back)), 8192);
	assert_int_equal(p9_read(&client, fid, 8192, back + 8192, 8192), 8192);
	assert_int_equal(p9_read(&client, fid, 16384, back + 16384, 8192), 3616);
	assert_memory_equal(big, back, sizeof(big));
	assert_int_equal(p9_truncate(&client, fid, 100), 0);
	{
		struct p9_attr a;

		assert_int_equal(p9_getattr(&client, fid, &a), 0);
		assert_int_equal(a.size, 100);
	}
	assert_int_equal(p9_clunk(&client, fid), 0);
}

static void directories_listed_and_changed(void **state)
{
	char buf[4096], path[512];
	bool seen_a = false, seen_d = false;
	struct p9_dirent d;
	uint64_t off = 0;
	size_t pos;
	uint32_t dir, fid;
	long n;

	(void)state;
	assert_int_equal(p9_mkdir(&client, client.root, "d", 0755, NULL), 0);
	assert_int_equal(p9_mkdir(&client, client.root, "d", 0755, NULL),
			 -EEXIST);
	host_write("a", "x");
	assert_int_equal(p9_walk(&client, client.root, 0, NULL, &dir, NULL), 0);
	assert_int_equal(p9_lopen(&client, dir, O_RDONLY, NULL), 0);
	/* A small buffer: the listing comes in several replies. */
	while ((n = p9_readdir(&client, dir, off, buf, 40)) > 0)
		for (pos = 0; p9_next_dirent(buf, n, &pos, &d);) {
			seen_a |= d.namelen == 1 && d.name[0] == 'a';
			seen_d |= d.namelen == 1 && d.name[0] == 'd' &&
				  d.type == DT_DIR;
			off = d.offset;
		}
	assert_int_equal(n, 0);
	assert_true(seen_a && seen_d);
	assert_int_equal(p9_clunk(&client, dir), 0);

	/* Moved into d, then d cannot go while it holds it. */
	fid = walk1("d");
	assert_int_equal(p9_renameat(&client, client.root, "a", fid, "b"), 0);
	host_path(path, sizeof(path), "d/b");
	assert_int_equal(access(path, F_OK), 0);
	assert_int_equal(p9_unlinkat(&client, client.root, "d",
				     P9_AT_REMOVEDIR), -ENOTEMPTY);
	assert_int_equal(p9_unlinkat(&client, fid, "b", 0), 0);
	assert_int_equal(p9_unlinkat(&client, client.root, "d",
				     P9_AT_REMOVEDIR), 0);
	assert_int_equal(access(path, F_OK), -1);
	assert_int_equal(p9_clunk(&client, fid), 0);
}

static void symlinks_and_statfs(void **state)
{
	char target[64];
	struct p9_statfs sf;
	uint32_t fid;

	(void)state;
	assert_int_equal(p9_symlink(&client, client.root, "ln", "../x/y", NULL),
			 0);
	fid = walk1("ln");
	assert_int_equal(p9_readlink(&client, fid, target, sizeof(target)), 6);
	assert_string_equal(target, "../x/y");
	assert_int_equal(p9_readlink(&client, fid, target, 6), -ENAMETOOLONG);
	assert_int_equal(p9_clunk(&client, fid), 0);
	assert_int_equal(p9_statfs(&client, client.root, &sf), 0);
	assert_int_equal(sf.namelen, 255);
	assert_true(sf.bsize > 0);
}

static int freed;

static void count_free(struct p9_fid_ref *ref)
{
	(void)ref;
	freed++;
}

/* A fid given up where sleeping is not allowed is clunked by the next
 * request, before that request. */
static void put_fids_are_clunked_by_the_next_request(void **state)
{
	struct p9_fid_ref ref = { .free = count_free };
	struct p9_attr a;

	(void)state;
	ref.fid = walk1(".");
	assert_int_equal(srv.live, 2);
	freed = 0;
	p9_fid_put(&client, &ref);
	assert_int_equal(srv.live, 2);		/* not yet: no round trip */
	assert_int_equal(p9_getattr(&client, client.root, &a), 0);
	assert_int_equal(srv.live, 1);
	assert_int_equal(freed, 1);
}

static void bad_replies_are_eio(void **state)
{
	uint8_t buf[64];
	struct p9_msg m, r;
	struct p9_attr a;
	long len;

	(void)state;
	/* A reply cut short. */
	srv.cut_reply = 10;
	assert_int_equal(p9_getattr(&client, client.root, &a), -EIO);
	/* Another tag, another type, a size that is not the length. */
	p9_begin(&m, buf, sizeof(buf), P9_TCLUNK + 1, 5);
	len = p9_finish(&m);
	assert_int_equal(p9_reply(&r, buf, len, P9_TCLUNK, 6), -EIO);
	assert_int_equal(p9_reply(&r, buf, len, P9_TREAD, 5), -EIO);
	assert_int_equal(p9_reply(&r, buf, len - 1, P9_TCLUNK, 5), -EIO);
	assert_int_equal(p9_reply(&r, buf, len, P9_TCLUNK, 5), 0);
	/* Rlerror carries the errno. */
	p9_begin(&m, buf, sizeof(buf), P9_RLERROR, 5);
	p9_put32(&m, ENOTEMPTY);
	assert_int_equal(p9_reply(&r, buf, p9_finish(&m), P9_TCLUNK, 5),
			 -ENOTEMPTY);
}

/* Bytes on the wire as the protocol lays them out. */
static void twalk_layout(void **state)
{
	static const uint8_t want[] = {
		25, 0, 0, 0, 110, 3, 0,		/* size, Twalk, tag 3 */
		1, 0, 0, 0, 2, 0, 0, 0,		/* fid 1, newfid 2 */
		2, 0, 2, 0, 'u', 's', 2, 0, 'r', 'x',	/* 2 names */
	};
	uint8_t buf[64];
	struct p9_msg m;

	(void)state;
	p9_begin(&m, buf, sizeof(buf), P9_TWALK, 3);
	p9_put32(&m, 1);
	p9_put32(&m, 2);
	p9_put16(&m, 2);
	p9_putstr(&m, "us", 2);
	p9_putstr(&m, "rx", 2);
	assert_int_equal(p9_finish(&m), sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
	/* Too long for the buffer: refused, nothing written past it. */
	p9_begin(&m, buf, 10, P9_TWALK, 3);
	p9_put64(&m, 1);
	assert_int_equal(p9_finish(&m), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(version_and_attach, setup, teardown),
		cmocka_unit_test_setup_teardown(walk_missing_is_enoent, setup, teardown),
		cmocka_unit_test_setup_teardown(read_what_the_host_wrote, setup, teardown),
		cmocka_unit_test_setup_teardown(create_write_and_the_host_reads, setup, teardown),
		cmocka_unit_test_setup_teardown(big_transfers_are_cut_to_msize, setup, teardown),
		cmocka_unit_test_setup_teardown(directories_listed_and_changed, setup, teardown),
		cmocka_unit_test_setup_teardown(symlinks_and_statfs, setup, teardown),
		cmocka_unit_test_setup_teardown(put_fids_are_clunked_by_the_next_request, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_replies_are_eio, setup, teardown),
		cmocka_unit_test(twalk_layout),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
