// SPDX-License-Identifier: GPL-2.0
/*
 * The 9P2000.L client: one attached export over one transport. Each
 * request is one function that lays out the T-message, makes the round
 * trip and parses the R-message (p9_msg.c); nothing is cached here, the
 * file system above decides what to keep.
 *
 * Many tasks call at once: a request's buffers are its own (allocated
 * per call, sized for that request), and only the fid and tag counters
 * and the queue of fids to clunk are shared, under one spinlock that is
 * never held across a round trip.
 *
 * Fids are numbered upwards and not reused: 2^32 walks outlast a job.
 * Tags are numbered upwards modulo 2^16, skipping NOTAG; two requests in
 * flight share a tag only after 65535 others started meanwhile.
 *
 * A fid is given up from wherever its last user lets go, which may be a
 * task's exit that cannot sleep. So p9_fid_put only queues it, and the
 * next request clunks the queue first (p9_client_reap).
 */
#include <kitten/errno.h>
#include <kitten/kmem.h>
#include <kitten/p9_transport.h>
#include <kitten/string.h>

#include "p9.h"

#define P9_VERSION	"9P2000.L"
#define P9_MSIZE_MAX	(256u << 10)	/* 256 KiB: big reads, small heap */
#define P9_SMALL	256		/* any reply without names or data */

/* One request in progress: both buffers in one allocation. */
struct call {
	struct p9_client *c;
	struct p9_msg t, r;
	uint8_t *mem;
	size_t rcap;
	uint8_t type;
	uint16_t tag;
};

static uint16_t new_tag(struct p9_client *c)
{
	unsigned long flags = spin_lock_irqsave(&c->lock);
	uint16_t tag = c->next_tag++;

	if (c->next_tag == P9_NOTAG)
		c->next_tag = 0;
	spin_unlock_irqrestore(&c->lock, flags);
	return tag;
}

static uint32_t new_fid(struct p9_client *c)
{
	unsigned long flags = spin_lock_irqsave(&c->lock);
	uint32_t fid = c->next_fid++;

	if (c->next_fid == P9_NOFID)
		c->next_fid = 1;
	spin_unlock_irqrestore(&c->lock, flags);
	return fid;
}

static int begin(struct p9_client *c, struct call *k, uint8_t type,
		 size_t tcap, size_t rcap)
{
	if (type != P9_TCLUNK)
		p9_client_reap(c);
	*k = (struct call){ .c = c, .type = type, .rcap = rcap };
	k->mem = kmem_alloc(tcap + rcap);
	if (!k->mem)
		return -ENOMEM;
	k->tag = type == P9_TVERSION ? P9_NOTAG : new_tag(c);
	p9_begin(&k->t, k->mem, tcap, type, k->tag);
	return 0;
}

/* Send what was laid out and start parsing the reply; 0 or -errno. */
static int roundtrip(struct call *k)
{
	long tlen = p9_finish(&k->t);
	long rlen;

	if (tlen < 0)
		return tlen;
	rlen = p9_transport_rpc(k->c->t, k->mem, tlen, k->mem + k->t.cap,
				k->rcap);
	if (rlen < 0)
		return rlen;
	return p9_reply(&k->r, k->mem + k->t.cap, rlen, k->type, k->tag);
}

/* The end of a call: -EIO if the reply was short, else err. */
static int end(struct call *k, int err)
{
	if (!err && k->r.err)
		err = -EIO;
	kmem_free(k->mem);
	return err;
}

uint32_t p9_iosize(const struct p9_client *c)
{
	return c->msize - P9_IOHDR;
}

int p9_client_init(struct p9_client *c, struct p9_transport *t,
		   const char *aname, bool readonly)
{
	size_t max = p9_transport_max_msg(t);
	struct call k;
	const char *v;
	uint16_t vlen;
	int err;

	memset(c, 0, sizeof(*c));
	c->t = t;
	c->readonly = readonly;
	c->next_fid = 1;
	spin_lock_init(&c->lock, "p9", LOCK_RANK_LEAF);
	list_init(&c->dead);
	c->msize = MIN(max, (size_t)P9_MSIZE_MAX);
	if (c->msize < 4096)
		return -EINVAL;	/* too small for a page of data and a name */

	err = begin(c, &k, P9_TVERSION, 64, 64);
	if (err)
		return err;
	p9_put32(&k.t, c->msize);
	p9_putstr(&k.t, P9_VERSION, strlen(P9_VERSION));
	err = roundtrip(&k);
	if (!err) {
		uint32_t msize = p9_get32(&k.r);

		v = p9_getstr(&k.r, &vlen);
		if (k.r.err || msize < 4096 || msize > c->msize ||
		    vlen != strlen(P9_VERSION) || memcmp(v, P9_VERSION, vlen))
			err = -EINVAL;	/* not a 9P2000.L server */
		else
			c->msize = msize;
	}
	err = end(&k, err);
	if (err)
		return err;

	c->root = new_fid(c);
	err = begin(c, &k, P9_TATTACH, 64 + strlen(aname), P9_SMALL);
	if (err)
		return err;
	p9_put32(&k.t, c->root);
	p9_put32(&k.t, P9_NOFID);	/* no authentication */
	p9_putstr(&k.t, "root", 4);
	p9_putstr(&k.t, aname, strlen(aname));
	p9_put32(&k.t, 0);		/* n_uname: uid 0 */
	err = roundtrip(&k);
	if (!err)
		p9_getqid(&k.r, &c->root_qid);
	return end(&k, err);
}

void p9_fid_put(struct p9_client *c, struct p9_fid_ref *ref)
{
	unsigned long flags = spin_lock_irqsave(&c->lock);

	list_add_tail(&ref->link, &c->dead);
	spin_unlock_irqrestore(&c->lock, flags);
}

void p9_client_reap(struct p9_client *c)
{
	for (;;) {
		unsigned long flags = spin_lock_irqsave(&c->lock);
		struct p9_fid_ref *ref = NULL;

		if (!list_empty(&c->dead)) {
			ref = list_first_entry(&c->dead, struct p9_fid_ref, link);
			list_del(&ref->link);
		}
		spin_unlock_irqrestore(&c->lock, flags);
		if (!ref)
			return;
		/* A failed clunk leaves the fid to the server: nothing to do. */
		(void)p9_clunk(c, ref->fid);
		if (ref->free)
			ref->free(ref);
	}
}

int p9_walk(struct p9_client *c, uint32_t fid, unsigned nwname,
	    const char *const *names, uint32_t *newfid, struct p9_qid *qid)
{
	size_t tcap = 32;
	struct call k;
	int err;

	if (nwname > P9_MAXWELEM)
		return -ENAMETOOLONG;
	for (unsigned i = 0; i < nwname; i++)
		tcap += 2 + strlen(names[i]);
	err = begin(c, &k, P9_TWALK, tcap, 16 + 13 * P9_MAXWELEM);
	if (err)
		return err;
	*newfid = new_fid(c);
	p9_put32(&k.t, fid);
	p9_put32(&k.t, *newfid);
	p9_put16(&k.t, nwname);
	for (unsigned i = 0; i < nwname; i++)
		p9_putstr(&k.t, names[i], strlen(names[i]));
	err = roundtrip(&k);
	if (!err) {
		uint16_t nwqid = p9_get16(&k.r);
		struct p9_qid q = { 0 };

		for (unsigned i = 0; i < nwqid && !k.r.err; i++)
			p9_getqid(&k.r, &q);
		/* Fewer qids than names: the walk stopped and newfid was
		 * not made. */
		if (nwqid != nwname)
			err = -ENOENT;
		else if (qid)
			*qid = q;
	}
	return end(&k, err);
}

int p9_clunk(struct p9_client *c, uint32_t fid)
{
	struct call k;
	int err = begin(c, &k, P9_TCLUNK, 16, P9_SMALL);

	if (err)
		return err;
	p9_put32(&k.t, fid);
	return end(&k, roundtrip(&k));
}

int p9_lopen(struct p9_client *c, uint32_t fid, uint32_t flags,
	     uint32_t *iounit)
{
	struct p9_qid qid;
	struct call k;
	int err = begin(c, &k, P9_TLOPEN, 16, P9_SMALL);

	if (err)
		return err;
	p9_put32(&k.t, fid);
	p9_put32(&k.t, flags);
	err = roundtrip(&k);
	if (!err) {
		uint32_t n;

		p9_getqid(&k.r, &qid);
		n = p9_get32(&k.r);
		if (iounit)
			*iounit = n < p9_iosize(c) ? n : 0;
	}
	return end(&k, err);
}

int p9_lcreate(struct p9_client *c, uint32_t fid, const char *name,
	       uint32_t flags, uint32_t mode, struct p9_qid *qid)
{
	struct call k;
	int err = begin(c, &k, P9_TLCREATE, 32 + strlen(name), P9_SMALL);

	if (err)
		return err;
	p9_put32(&k.t, fid);
	p9_putstr(&k.t, name, strlen(name));
	p9_put32(&k.t, flags);
	p9_put32(&k.t, mode);
	p9_put32(&k.t, 0);	/* gid */
	err = roundtrip(&k);
	if (!err)
		p9_getqid(&k.r, qid);
	return end(&k, err);
}

long p9_read(struct p9_client *c, uint32_t fid, uint64_t off, void *buf,
	     uint32_t count)
{
	struct call k;
	long err;

	count = MIN(count, p9_iosize(c));
	err = begin(c, &k, P9_TREAD, 32, P9_HDR + 4 + count);
	if (err)
		return err;
	p9_put32(&k.t, fid);
	p9_put64(&k.t, off);
	p9_put32(&k.t, count);
	err = roundtrip(&k);
	if (!err) {
		uint32_t n = p9_get32(&k.r);
		const void *data = n <= count ? p9_getdata(&k.r, n) : NULL;

		if (data) {
			memcpy(buf, data, n);
			err = n;
		} else {
			err = -EIO;	/* more than asked for, or cut short */
		}
	}
	return end(&k, err);
}

long p9_write(struct p9_client *c, uint32_t fid, uint64_t off,
	      const void *buf, uint32_t count)
{
	struct call k;
	void *space;
	long err;

	count = MIN(count, p9_iosize(c));
	err = begin(c, &k, P9_TWRITE, 32 + count, P9_SMALL);
	if (err)
		return err;
	p9_put32(&k.t, fid);
	p9_put64(&k.t, off);
	p9_put32(&k.t, count);
	space = p9_putspace(&k.t, count);
	if (space)
		memcpy(space, buf, count);
	err = roundtrip(&k);
	if (!err) {
		uint32_t n = p9_get32(&k.r);

		err = n <= count ? (long)n : -EIO;
	}
	return end(&k, err);
}

int p9_getattr(struct p9_client *c, uint32_t fid, struct p9_attr *a)
{
	struct call k;
	int err = begin(c, &k, P9_TGETATTR, 32, P9_SMALL);

	if (err)
		return err;
	p9_put32(&k.t, fid);
	p9_put64(&k.t, P9_GETATTR_BASIC);
	err = roundtrip(&k);
	if (!err)
		p9_getattr_body(&k.r, a);
	return end(&k, err);
}

int p9_truncate(struct p9_client *c, uint32_t fid, uint64_t size)
{
	struct call k;
	int err = begin(c, &k, P9_TSETATTR, 80, P9_SMALL);

	if (err)
		return err;
	p9_put32(&k.t, fid);
	p9_put32(&k.t, P9_SETATTR_SIZE);
	p9_put32(&k.t, 0);	/* mode */
	p9_put32(&k.t, 0);	/* uid */
	p9_put32(&k.t, 0);	/* gid */
	p9_put64(&k.t, size);
	for (int i = 0; i < 4; i++)
		p9_put64(&k.t, 0);	/* atime, mtime */
	return end(&k, roundtrip(&k));
}

long p9_readdir(struct p9_client *c, uint32_t fid, uint64_t off, void *buf,
		uint32_t cap)
{
	struct call k;
	long err;

	cap = MIN(cap, p9_iosize(c));
	err = begin(c, &k, P9_TREADDIR, 32, P9_HDR + 4 + cap);
	if (err)
		return err;
	p9_put32(&k.t, fid);
	p9_put64(&k.t, off);
	p9_put32(&k.t, cap);
	err = roundtrip(&k);
	if (!err) {
		uint32_t n = p9_get32(&k.r);
		const void *data = n <= cap ? p9_getdata(&k.r, n) : NULL;

		if (data) {
			memcpy(buf, data, n);
			err = n;
		} else {
			err = -EIO;
		}
	}
	return end(&k, err);
}

long p9_readlink(struct p9_client *c, uint32_t fid, char *buf, size_t size)
{
	struct call k;
	long err = begin(c, &k, P9_TREADLINK, 16, P9_HDR + 2 + 4096);

	if (err)
		return err;
	p9_put32(&k.t, fid);
	err = roundtrip(&k);
	if (!err) {
		uint16_t len;
		const char *s = p9_getstr(&k.r, &len);

		if (!s) {
			err = -EIO;
		} else if (len + 1u > size) {
			err = -ENAMETOOLONG;
		} else {
			memcpy(buf, s, len);
			buf[len] = '\0';
			err = len;
		}
	}
	return end(&k, err);
}

int p9_mkdir(struct p9_client *c, uint32_t dfid, const char *name,
	     uint32_t mode, struct p9_qid *qid)
{
	struct call k;
	int err = begin(c, &k, P9_TMKDIR, 32 + strlen(name), P9_SMALL);

	if (err)
		return err;
	p9_put32(&k.t, dfid);
	p9_putstr(&k.t, name, strlen(name));
	p9_put32(&k.t, mode);
	p9_put32(&k.t, 0);	/* gid */
	err = roundtrip(&k);
	if (!err && qid)
		p9_getqid(&k.r, qid);
	return end(&k, err);
}

int p9_unlinkat(struct p9_client *c, uint32_t dfid, const char *name,
		uint32_t flags)
{
	struct call k;
	int err = begin(c, &k, P9_TUNLINKAT, 32 + strlen(name), P9_SMALL);

	if (err)
		return err;
	p9_put32(&k.t, dfid);
	p9_putstr(&k.t, name, strlen(name));
	p9_put32(&k.t, flags);
	return end(&k, roundtrip(&k));
}

int p9_renameat(struct p9_client *c, uint32_t olddfid, const char *oldname,
		uint32_t newdfid, const char *newname)
{
	struct call k;
	int err = begin(c, &k, P9_TRENAMEAT,
			32 + strlen(oldname) + strlen(newname), P9_SMALL);

	if (err)
		return err;
	p9_put32(&k.t, olddfid);
	p9_putstr(&k.t, oldname, strlen(oldname));
	p9_put32(&k.t, newdfid);
	p9_putstr(&k.t, newname, strlen(newname));
	return end(&k, roundtrip(&k));
}

int p9_symlink(struct p9_client *c, uint32_t dfid, const char *name,
	       const char *target, struct p9_qid *qid)
{
	struct call k;
	int err = begin(c, &k, P9_TSYMLINK, 32 + strlen(name) + strlen(target),
			P9_SMALL);

	if (err)
		return err;
	p9_put32(&k.t, dfid);
	p9_putstr(&k.t, name, strlen(name));
	p9_putstr(&k.t, target, strlen(target));
	p9_put32(&k.t, 0);	/* gid */
	err = roundtrip(&k);
	if (!err && qid)
		p9_getqid(&k.r, qid);
	return end(&k, err);
}

int p9_link(struct p9_client *c, uint32_t dfid, uint32_t fid, const char *name)
{
	struct call k;
	int err = begin(c, &k, P9_TLINK, 32 + strlen(name), P9_SMALL);

	if (err)
		return err;
	p9_put32(&k.t, dfid);
	p9_put32(&k.t, fid);
	p9_putstr(&k.t, name, strlen(name));
	return end(&k, roundtrip(&k));
}

int p9_statfs(struct p9_client *c, uint32_t fid, struct p9_statfs *st)
{
	struct call k;
	int err = begin(c, &k, P9_TSTATFS, 16, P9_SMALL);

	if (err)
		return err;
	p9_put32(&k.t, fid);
	err = roundtrip(&k);
	if (!err) {
		st->type = p9_get32(&k.r);
		st->bsize = p9_get32(&k.r);
		st->blocks = p9_get64(&k.r);
		st->bfree = p9_get64(&k.r);
		st->bavail = p9_get64(&k.r);
		st->files = p9_get64(&k.r);
		st->ffree = p9_get64(&k.r);
		st->fsid = p9_get64(&k.r);
		st->namelen = p9_get32(&k.r);
	}
	return end(&k, err);
}

int p9_fsync(struct p9_client *c, uint32_t fid)
{
	struct call k;
	int err = begin(c, &k, P9_TFSYNC, 16, P9_SMALL);

	if (err)
		return err;
	p9_put32(&k.t, fid);
	p9_put32(&k.t, 0);	/* datasync: no, all of it */
	return end(&k, roundtrip(&k));
}
