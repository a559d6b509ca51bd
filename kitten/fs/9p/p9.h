/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The 9P2000.L client (kitten/fs/9p/), in two layers:
 *
 *   - messages (p9_msg.c): laying out requests and parsing replies, pure
 *     functions on a buffer, tested on the host;
 *   - the client (p9_client.c): one attached export, its fids and tags,
 *     one function per request, each one round trip over the transport
 *     (p9_transport.h). It too is tested on the host, against a small
 *     9P server over a host directory (tests/unit/test_p9.c).
 *
 * The file system above it (p9_fs.c) turns these into inodes and files.
 * Every function returns 0 (or a count) or a negative errno: a server's
 * Rlerror is its errno, a malformed or mismatched reply is -EIO.
 */
#ifndef KITTEN_FS_P9_H
#define KITTEN_FS_P9_H

#include <kitten/list.h>
#include <kitten/spinlock.h>
#include <kitten/types.h>

struct p9_transport;

#define P9_NOTAG	0xffff
#define P9_NOFID	0xffffffffu
#define P9_HDR		7	/* size[4] type[1] tag[2] */
#define P9_IOHDR	24	/* what a Twrite/Rread adds to its data */
#define P9_MAXWELEM	16	/* names in one Twalk */

enum p9_type {
	P9_RLERROR = 7,
	P9_TSTATFS = 8,
	P9_TLOPEN = 12,
	P9_TLCREATE = 14,
	P9_TSYMLINK = 16,
	P9_TREADLINK = 22,
	P9_TGETATTR = 24,
	P9_TSETATTR = 26,
	P9_TREADDIR = 40,
	P9_TFSYNC = 50,
	P9_TLINK = 70,
	P9_TMKDIR = 72,
	P9_TRENAMEAT = 74,
	P9_TUNLINKAT = 76,
	P9_TVERSION = 100,
	P9_TATTACH = 104,
	P9_TWALK = 110,
	P9_TREAD = 116,
	P9_TWRITE = 118,
	P9_TCLUNK = 120,
};				/* each R-type is its T-type + 1 */

#define P9_GETATTR_BASIC	0x7ffULL
#define P9_SETATTR_SIZE		0x8
#define P9_AT_REMOVEDIR		0x200

struct p9_qid {
	uint8_t type;
	uint32_t version;
	uint64_t path;
};

struct p9_attr {
	struct p9_qid qid;
	uint32_t mode, uid, gid;
	uint64_t nlink, rdev, size, blocks;
	uint64_t mtime_sec, mtime_nsec;
};

struct p9_statfs {
	uint32_t type, bsize, namelen;
	uint64_t blocks, bfree, bavail, files, ffree, fsid;
};

/* --- messages (p9_msg.c) ------------------------------------------------ */

/*
 * A message being built or parsed. Building past cap or parsing past len
 * sets err instead of touching memory, so a caller checks once, at the
 * end, rather than after every field.
 */
struct p9_msg {
	uint8_t *buf;
	size_t cap;	/* building: the buffer's size */
	size_t len;	/* building: bytes so far; parsing: the reply's */
	size_t pos;	/* parsing: the next byte */
	bool err;
};

void p9_begin(struct p9_msg *m, void *buf, size_t cap, uint8_t type,
	      uint16_t tag);
void p9_put8(struct p9_msg *m, uint8_t v);
void p9_put16(struct p9_msg *m, uint16_t v);
void p9_put32(struct p9_msg *m, uint32_t v);
void p9_put64(struct p9_msg *m, uint64_t v);
void p9_putstr(struct p9_msg *m, const char *s, size_t len);
/* Room for len bytes of data, to be filled by the caller; NULL if none. */
void *p9_putspace(struct p9_msg *m, size_t len);
/* Fill in the size field: the message's length, or -EINVAL if it overran. */
long p9_finish(struct p9_msg *m);

/*
 * Start parsing the reply rbuf (len bytes) to a request of type ttype
 * with tag: 0, the Rlerror's -errno, or -EIO if it is not that reply.
 */
int p9_reply(struct p9_msg *m, void *rbuf, size_t len, uint8_t ttype,
	     uint16_t tag);
uint8_t p9_get8(struct p9_msg *m);
uint16_t p9_get16(struct p9_msg *m);
uint32_t p9_get32(struct p9_msg *m);
uint64_t p9_get64(struct p9_msg *m);
/* A string in place (not NUL-terminated): its start, length in *len. */
const char *p9_getstr(struct p9_msg *m, uint16_t *len);
/* len bytes in place, or NULL if the reply is shorter. */
const void *p9_getdata(struct p9_msg *m, size_t len);
void p9_getqid(struct p9_msg *m, struct p9_qid *qid);
void p9_getattr_body(struct p9_msg *m, struct p9_attr *a);

/* One Rreaddir entry at *pos of data (len bytes); false at the end. */
struct p9_dirent {
	struct p9_qid qid;
	uint64_t offset;	/* where the listing continues after it */
	uint8_t type;		/* DT_* */
	const char *name;	/* not NUL-terminated */
	uint16_t namelen;
};
bool p9_next_dirent(const void *data, size_t len, size_t *pos,
		    struct p9_dirent *d);

/* --- the client (p9_client.c) ------------------------------------------ */

struct p9_client {
	struct p9_transport *t;
	uint32_t msize;		/* agreed in Tversion */
	uint32_t root;		/* the attached export's fid */
	struct p9_qid root_qid;
	bool readonly;		/* refuse changes here: -EROFS */
	struct spinlock lock;	/* next_fid, next_tag, dead */
	uint32_t next_fid;
	uint16_t next_tag;
	struct list_head dead;	/* fids to clunk: struct p9_fid_ref */
};

/*
 * A fid whose last user is gone, queued for Tclunk by the next request
 * (p9_fid_put): its user may be in a context that cannot sleep, and a
 * round trip sleeps. free(ref) runs after the clunk.
 */
struct p9_fid_ref {
	struct list_head link;
	uint32_t fid;
	void (*free)(struct p9_fid_ref *ref);
};

/* Tversion and Tattach over t; 0 or -errno. */
int p9_client_init(struct p9_client *c, struct p9_transport *t,
		   const char *aname, bool readonly);
/* Queue ref->fid for Tclunk; never sleeps. */
void p9_fid_put(struct p9_client *c, struct p9_fid_ref *ref);
/* Clunk what p9_fid_put queued (every request does it first). */
void p9_client_reap(struct p9_client *c);

/* A new fid for the file nwname names below fid (nwname 0: a copy of
 * fid); *newfid and its qid in *qid (may be NULL). */
int p9_walk(struct p9_client *c, uint32_t fid, unsigned nwname,
	    const char *const *names, uint32_t *newfid, struct p9_qid *qid);
int p9_clunk(struct p9_client *c, uint32_t fid);
/* Open fid with Linux open flags; the largest single transfer in *iounit
 * (0: msize's). */
int p9_lopen(struct p9_client *c, uint32_t fid, uint32_t flags,
	     uint32_t *iounit);
/* Create name in directory fid and open it: fid becomes the new file's. */
int p9_lcreate(struct p9_client *c, uint32_t fid, const char *name,
	       uint32_t flags, uint32_t mode, struct p9_qid *qid);
/* Bytes read at off into kernel memory buf (at most the msize allows). */
long p9_read(struct p9_client *c, uint32_t fid, uint64_t off, void *buf,
	     uint32_t count);
long p9_write(struct p9_client *c, uint32_t fid, uint64_t off,
	      const void *buf, uint32_t count);
/* The largest count one p9_read or p9_write moves. */
uint32_t p9_iosize(const struct p9_client *c);
int p9_getattr(struct p9_client *c, uint32_t fid, struct p9_attr *a);
int p9_truncate(struct p9_client *c, uint32_t fid, uint64_t size);
/* Rreaddir's data into buf (cap bytes) from listing offset off: bytes. */
long p9_readdir(struct p9_client *c, uint32_t fid, uint64_t off, void *buf,
		uint32_t cap);
/* The link's target, NUL-terminated, into buf: its length, -ENAMETOOLONG. */
long p9_readlink(struct p9_client *c, uint32_t fid, char *buf, size_t size);
int p9_mkdir(struct p9_client *c, uint32_t dfid, const char *name,
	     uint32_t mode, struct p9_qid *qid);
int p9_unlinkat(struct p9_client *c, uint32_t dfid, const char *name,
		uint32_t flags);
int p9_renameat(struct p9_client *c, uint32_t olddfid, const char *oldname,
		uint32_t newdfid, const char *newname);
int p9_symlink(struct p9_client *c, uint32_t dfid, const char *name,
	       const char *target, struct p9_qid *qid);
int p9_link(struct p9_client *c, uint32_t dfid, uint32_t fid,
	    const char *name);
int p9_statfs(struct p9_client *c, uint32_t fid, struct p9_statfs *st);
int p9_fsync(struct p9_client *c, uint32_t fid);

#endif
