// SPDX-License-Identifier: GPL-2.0
/*
 * 9P2000.L messages: little-endian integers, strings as a 16-bit length
 * and bytes, a 7-byte header (size, type, tag) in front of each. Pure
 * functions on a buffer: the client (p9_client.c) composes a request
 * field by field and parses the reply the same way. A field that does
 * not fit, or a reply shorter than its fields, sets m->err rather than
 * reading or writing out of bounds; the client checks it once per
 * message. Nothing here allocates, sleeps or trusts the server.
 */
#include <kitten/errno.h>
#include <kitten/string.h>

#include "p9.h"

static uint8_t *room(struct p9_msg *m, size_t len)
{
	uint8_t *p;

	if (m->err || len > m->cap - m->len) {
		m->err = true;
		return NULL;
	}
	p = m->buf + m->len;
	m->len += len;
	return p;
}

static void put_le(struct p9_msg *m, uint64_t v, unsigned bytes)
{
	uint8_t *p = room(m, bytes);

	for (unsigned i = 0; p && i < bytes; i++)
		p[i] = v >> (8 * i);
}

void p9_put8(struct p9_msg *m, uint8_t v)
{
	put_le(m, v, 1);
}

void p9_put16(struct p9_msg *m, uint16_t v)
{
	put_le(m, v, 2);
}

void p9_put32(struct p9_msg *m, uint32_t v)
{
	put_le(m, v, 4);
}

void p9_put64(struct p9_msg *m, uint64_t v)
{
	put_le(m, v, 8);
}

void p9_putstr(struct p9_msg *m, const char *s, size_t len)
{
	uint8_t *p;

	if (len > 0xffff) {
		m->err = true;
		return;
	}
	p9_put16(m, len);
	p = room(m, len);
	if (p)
		memcpy(p, s, len);
}

void *p9_putspace(struct p9_msg *m, size_t len)
{
	return room(m, len);
}

void p9_begin(struct p9_msg *m, void *buf, size_t cap, uint8_t type,
	      uint16_t tag)
{
	*m = (struct p9_msg){ .buf = buf, .cap = cap };
	p9_put32(m, 0);		/* the size, once known */
	p9_put8(m, type);
	p9_put16(m, tag);
}

long p9_finish(struct p9_msg *m)
{
	if (m->err)
		return -EINVAL;
	for (unsigned i = 0; i < 4; i++)
		m->buf[i] = m->len >> (8 * i);
	return m->len;
}

static const uint8_t *take(struct p9_msg *m, size_t len)
{
	const uint8_t *p;

	if (m->err || len > m->len - m->pos) {
		m->err = true;
		return NULL;
	}
	p = m->buf + m->pos;
	m->pos += len;
	return p;
}

static uint64_t get_le(struct p9_msg *m, unsigned bytes)
{
	const uint8_t *p = take(m, bytes);
	uint64_t v = 0;

	for (unsigned i = 0; p && i < bytes; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

uint8_t p9_get8(struct p9_msg *m)
{
	return get_le(m, 1);
}

uint16_t p9_get16(struct p9_msg *m)
{
	return get_le(m, 2);
}

uint32_t p9_get32(struct p9_msg *m)
{
	return get_le(m, 4);
}

uint64_t p9_get64(struct p9_msg *m)
{
	return get_le(m, 8);
}

const char *p9_getstr(struct p9_msg *m, uint16_t *len)
{
	*len = p9_get16(m);
	return (const char *)take(m, *len);
}

const void *p9_getdata(struct p9_msg *m, size_t len)
{
	return take(m, len);
}

void p9_getqid(struct p9_msg *m, struct p9_qid *qid)
{
	qid->type = p9_get8(m);
	qid->version = p9_get32(m);
	qid->path = p9_get64(m);
}

int p9_reply(struct p9_msg *m, void *rbuf, size_t len, uint8_t ttype,
	     uint16_t tag)
{
	uint32_t size;
	uint8_t type;

	*m = (struct p9_msg){ .buf = rbuf, .len = len };
	size = p9_get32(m);
	type = p9_get8(m);
	if (m->err || size != len || p9_get16(m) != tag)
		return -EIO;
	if (type == P9_RLERROR) {
		uint32_t ecode = p9_get32(m);

		/* A server's errno is Linux's; nonsense becomes EIO. */
		return m->err || ecode == 0 || ecode > 4095 ? -EIO :
							      -(int)ecode;
	}
	return type == ttype + 1 ? 0 : -EIO;
}

void p9_getattr_body(struct p9_msg *m, struct p9_attr *a)
{
	(void)p9_get64(m);	/* valid: QEMU gives every basic field */
	p9_getqid(m, &a->qid);
	a->mode = p9_get32(m);
	a->uid = p9_get32(m);
	a->gid = p9_get32(m);
	a->nlink = p9_get64(m);
	a->rdev = p9_get64(m);
	a->size = p9_get64(m);
	(void)p9_get64(m);	/* blksize */
	a->blocks = p9_get64(m);
	(void)p9_get64(m);	/* atime */
	(void)p9_get64(m);
	a->mtime_sec = p9_get64(m);
	a->mtime_nsec = p9_get64(m);
	/* ctime, btime, gen, data_version follow; nothing here uses them. */
}

bool p9_next_dirent(const void *data, size_t len, size_t *pos,
		    struct p9_dirent *d)
{
	struct p9_msg m = { .buf = (void *)data, .len = len, .pos = *pos };

	if (*pos >= len)
		return false;
	p9_getqid(&m, &d->qid);
	d->offset = p9_get64(&m);
	d->type = p9_get8(&m);
	d->name = p9_getstr(&m, &d->namelen);
	if (m.err)
		return false;
	*pos = m.pos;
	return true;
}
