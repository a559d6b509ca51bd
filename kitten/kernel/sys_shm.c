// SPDX-License-Identifier: GPL-2.0
/*
 * System V shared memory: shmget, shmat, shmdt, shmctl. A segment is a
 * shared object (shm.h) with a key, found in one small table; shmat maps
 * the whole object into the caller's shared window, so every process
 * that attaches sees the same physical pages. IPC_RMID takes the segment
 * out of the table; the object lives on while some process has it
 * attached, as on Linux. A segment outlives the processes that made it;
 * the init task removes what a job left when the job ends, as ipcrm
 * would.
 */
#include <kitten/aspace.h>
#include <kitten/cred.h>
#include <kitten/errno.h>
#include <kitten/mutex.h>
#include <kitten/shm.h>
#include <kitten/string.h>
#include <kitten/syscall.h>
#include <kitten/task.h>

#define NR_SEGMENTS	64
#define IPC_PRIVATE	0
#define IPC_CREAT	01000
#define IPC_EXCL	02000
#define IPC_RMID	0
#define IPC_STAT	2
#define IPC_64		0x100
#define SHM_RDONLY	010000
#define SHM_RND		020000
#define SHM_MAX		(64ULL << 30)

struct segment {
	struct shm_obj *obj;	/* NULL: a free slot */
	int32_t key;
	uint64_t size;		/* as asked for */
	uint32_t mode, uid, gid;
	uint32_t cpid;
	uint64_t ctime_ns;
};

/* Linux's struct shmid64_ds for x86_64. */
struct shmid64_ds {
	int32_t key;
	uint32_t uid, gid, cuid, cgid;
	uint16_t mode, pad1, seq, pad2;
	uint64_t unused1, unused2;
	uint64_t segsz;
	int64_t atime, dtime, ctime;
	int32_t cpid, lpid;
	uint64_t nattch;
	uint64_t unused4, unused5;
};
_Static_assert(sizeof(struct shmid64_ds) == 112, "shmid64_ds layout");

static struct segment segments[NR_SEGMENTS];
static DEFINE_MUTEX(segments_lock);

/* The segment named id, or NULL. Lock held. */
static struct segment *segment_of(uint64_t id)
{
	return id < NR_SEGMENTS && segments[id].obj ? &segments[id] : NULL;
}

static long new_segment(int32_t key, uint64_t size, uint32_t mode)
{
	struct aspace *as = task_current()->aspace;
	struct segment *s = NULL;
	struct cred c;
	int err;

	for (unsigned i = 0; i < NR_SEGMENTS && !s; i++)
		if (!segments[i].obj)
			s = &segments[i];
	if (!s)
		return -ENOSPC;
	err = shm_create(size, &s->obj);
	if (err)
		return err;
	cred_get(as, &c);
	s->key = key;
	s->size = size;
	s->mode = mode & 0777;
	s->uid = c.euid;
	s->gid = c.egid;
	s->cpid = as->leader_id;
	return s - segments;
}

SYSCALL_DEFINE3(shmget, uint64_t, key, uint64_t, size, uint64_t, flags)
{
	int32_t k = (int32_t)key;
	long ret = -ENOENT;

	if (size > SHM_MAX)
		return -EINVAL;
	mutex_lock(&segments_lock);
	for (unsigned i = 0; k != IPC_PRIVATE && i < NR_SEGMENTS; i++) {
		if (!segments[i].obj || segments[i].key != k)
			continue;
		ret = (flags & (IPC_CREAT | IPC_EXCL)) == (IPC_CREAT | IPC_EXCL) ?
			      -EEXIST :
		      size > segments[i].size ? -EINVAL : (long)i;
		goto out;
	}
	if (k == IPC_PRIVATE || flags & IPC_CREAT)
		ret = size ? new_segment(k, size, flags) : -EINVAL;
out:
	mutex_unlock(&segments_lock);
	return ret;
}

/* Attached where the kernel chooses: an address asked for is refused. */
SYSCALL_DEFINE3(shmat, uint64_t, id, uint64_t, addr, uint64_t, flags)
{
	struct aspace *as = task_current()->aspace;
	unsigned perms = ASPACE_R | (flags & SHM_RDONLY ? 0 : ASPACE_W);
	struct shm_obj *o = NULL;
	uint64_t size = 0;
	long ret;

	if (addr)
		return -EINVAL;
	mutex_lock(&segments_lock);
	if (segment_of(id)) {
		o = segments[id].obj;
		size = ALIGN_UP(segments[id].size, PAGE_SIZE);
		shm_get(o);
	}
	mutex_unlock(&segments_lock);
	if (!o)
		return -EINVAL;
	ret = shm_map(as, o, 0, size, perms, perms | ASPACE_X);
	shm_put(o);
	return ret;
}

SYSCALL_DEFINE1(shmdt, uint64_t, addr)
{
	struct aspace *as = task_current()->aspace;
	uint64_t len;
	int err = shm_mapping_at(as, addr, &len);

	return err ? err : shm_unmap(as, addr, len);
}

static long stat_segment(struct segment *s, uint64_t id, uint64_t buf)
{
	struct shmid64_ds ds;

	memset(&ds, 0, sizeof(ds));
	ds.key = s->key;
	ds.uid = ds.cuid = s->uid;
	ds.gid = ds.cgid = s->gid;
	ds.mode = s->mode;
	ds.seq = (uint16_t)id;
	ds.segsz = s->size;
	ds.cpid = s->cpid;
	/* The table's reference is not an attachment. */
	ds.nattch = shm_refs(s->obj) - 1;
	return copy_to_user(buf, &ds, sizeof(ds)) ? -EFAULT : 0;
}

/* IPC_STAT and IPC_RMID; the other commands are not supported (-EINVAL). */
SYSCALL_DEFINE3(shmctl, uint64_t, id, uint64_t, cmd, uint64_t, buf)
{
	struct shm_obj *gone = NULL;
	struct segment *s;
	long ret = -EINVAL;

	mutex_lock(&segments_lock);
	s = segment_of(id);
	if (s && (cmd & ~(uint64_t)IPC_64) == IPC_STAT) {
		ret = stat_segment(s, id, buf);
	} else if (s && (cmd & ~(uint64_t)IPC_64) == IPC_RMID) {
		gone = s->obj;
		memset(s, 0, sizeof(*s));
		ret = 0;
	}
	mutex_unlock(&segments_lock);
	if (gone)
		shm_put(gone);	/* attachments keep it until they go */
	return ret;
}
