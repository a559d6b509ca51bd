// SPDX-License-Identifier: GPL-2.0
/*
 * Shared objects and their mappings (model in shm.h).
 *
 * An object is one extent of physical memory, owned by SHM_OWNER, never
 * by a job: the processes that map it may end in any order. It is filled
 * when made and mapped whole; there is no page cache and no demand
 * paging. Objects of files are found by the file's inode (or by the open
 * file, for a kind without inodes) in one list, so two processes mapping
 * the same /dev/shm file get the same pages; the object lives while some
 * process maps it. References (one per mapping region, one per System V
 * segment, one per caller in progress) change under one spinlock, the
 * list's, since the last one may go where nothing may sleep (an address
 * space torn down at exit).
 *
 * Mappings go in the window [SHM_BASE, SHM_END) of each address space,
 * first fit, 2 MiB aligned when the object's pages allow large pages.
 */
#define pr_fmt(fmt) "shm: " fmt

#include <arch/layout.h>
#include <kitten/aspace.h>
#include <kitten/errno.h>
#include <kitten/file.h>
#include <kitten/kmem.h>
#include <kitten/list.h>
#include <kitten/pmem.h>
#include <kitten/shm.h>
#include <kitten/spinlock.h>
#include <kitten/string.h>

#define SHM_OWNER	0xfffffff0u	/* no address space has this id */

struct shm_obj {
	unsigned refs;
	paddr_t pa;
	uint64_t size;
	const void *key;	/* the file's inode or file; NULL: anonymous */
	struct file *file;	/* referenced, to write back to; or NULL */
	struct list_head node;	/* in objects, if key */
};

static LIST_HEAD(objects);
static struct spinlock objects_lock = SPINLOCK_INIT("shm", LOCK_RANK_LEAF);

static int alloc_obj(uint64_t size, struct shm_obj **out)
{
	uint64_t align = size >= LARGE_PAGE_SIZE ? LARGE_PAGE_SIZE : PAGE_SIZE;
	struct shm_obj *o;
	int err;

	if (!size)
		return -EINVAL;
	o = kmem_zalloc(sizeof(*o));
	if (!o)
		return -ENOMEM;
	o->size = ALIGN_UP(size, align);
	err = pmem_alloc(SHM_OWNER, o->size, align, &o->pa);
	if (err) {
		kmem_free(o);
		return err;
	}
	memset(__va(o->pa), 0, o->size);
	o->refs = 1;
	list_init(&o->node);
	*out = o;
	return 0;
}

int shm_create(uint64_t size, struct shm_obj **out)
{
	return alloc_obj(size, out);
}

unsigned shm_refs(const struct shm_obj *o)
{
	return READ_ONCE(o->refs);
}

void shm_get(struct shm_obj *o)
{
	unsigned long flags = spin_lock_irqsave(&objects_lock);

	o->refs++;
	spin_unlock_irqrestore(&objects_lock, flags);
}

void shm_put(struct shm_obj *o)
{
	unsigned long flags = spin_lock_irqsave(&objects_lock);
	bool last = --o->refs == 0;

	if (last && o->key)
		list_del(&o->node);
	spin_unlock_irqrestore(&objects_lock, flags);
	if (!last)
		return;
	pmem_free(SHM_OWNER, o->pa);
	if (o->file)
		file_put(o->file);
	kmem_free(o);
}

/* The live object for key, referenced; NULL if none. Lock held. */
static struct shm_obj *find_locked(const void *key)
{
	struct shm_obj *o;

	list_for_each_entry(o, &objects, node)
		if (o->key == key) {
			o->refs++;
			return o;
		}
	return NULL;
}

int shm_of_file(struct file *f, uint64_t min_size, struct shm_obj **out)
{
	const void *key = f->inode ? (const void *)f->inode : f;
	struct shm_obj *o, *other;
	struct kstat st = { 0 };
	unsigned long flags;
	long n;
	int err;

	if (!f->ops->copy_at)
		return -ENODEV;		/* as Linux says of an unmappable file */
	flags = spin_lock_irqsave(&objects_lock);
	o = find_locked(key);
	spin_unlock_irqrestore(&objects_lock, flags);
	if (!o) {
		/* Made and filled unlocked; a racing maker may win below. */
		f->ops->stat(f, &st);
		err = alloc_obj(MAX(ALIGN_UP(st.size, PAGE_SIZE), min_size), &o);
		if (err)
			return err;
		n = f->ops->copy_at(f, __va(o->pa), MIN(st.size, o->size), 0);
		if (n < 0) {
			shm_put(o);
			return (int)n;
		}
		__atomic_fetch_add(&f->refs, 1, __ATOMIC_RELAXED);
		o->file = f;
		flags = spin_lock_irqsave(&objects_lock);
		other = find_locked(key);
		if (!other) {
			o->key = key;
			list_add_tail(&o->node, &objects);
		}
		spin_unlock_irqrestore(&objects_lock, flags);
		if (other) {
			shm_put(o);
			o = other;
		}
	}
	if (o->size < min_size) {
		shm_put(o);
		return -ENOMEM;
	}
	*out = o;
	return 0;
}

/* The lowest free range of len bytes in the window, align-aligned; or 0. */
static vaddr_t find_gap(struct aspace *as, uint64_t len, uint64_t align)
{
	vaddr_t at = SHM_BASE;
	struct region *r;

	list_for_each_entry(r, &as->regions, node) {
		if (r->end <= at)
			continue;
		if (r->start >= at + len)
			break;
		at = ALIGN_UP(r->end, align);
	}
	return at + len <= SHM_END ? at : 0;
}

long shm_map(struct aspace *as, struct shm_obj *o, uint64_t off,
	     uint64_t len, unsigned perms, unsigned maxperms)
{
	paddr_t pa = o->pa + off;
	uint64_t align = len >= LARGE_PAGE_SIZE && IS_ALIGNED(pa, LARGE_PAGE_SIZE) ?
				 LARGE_PAGE_SIZE : PAGE_SIZE;
	vaddr_t va;
	int err;

	if (off > o->size || len > o->size - off || !len)
		return -EINVAL;
	/* Another thread may take the gap first: then look again. */
	do {
		mutex_lock(&as->lock);
		va = find_gap(as, len, align);
		mutex_unlock(&as->lock);
		if (!va)
			return -ENOMEM;
		err = aspace_map_shared(as, va, len, pa, perms, maxperms, o, off);
	} while (err == -EEXIST);
	return err ? err : (long)va;
}

/*
 * Write what the current process's shared mappings of files in [va, end)
 * hold back to the files, up to each file's size (a mapping may run past
 * it). The write goes through the file's operations table from the
 * mapping itself, so any kind of file that can be written takes it.
 */
static int write_back(struct aspace *as, vaddr_t va, vaddr_t end)
{
	struct region *r;
	int err = 0;

	mutex_lock(&as->lock);
	list_for_each_entry(r, &as->regions, node) {
		vaddr_t lo = MAX(va, r->start), hi = MIN(end, r->end);
		struct file *f = r->shm ? r->shm->file : NULL;
		uint64_t pos = r->shm_off + (lo - r->start), len;
		struct kstat st = { 0 };
		long n;

		if (lo >= hi || !f || (f->flags & O_ACCMODE) == O_RDONLY ||
		    !f->ops->write || !aspace_range_ok(as, lo, hi - lo, ASPACE_R))
			continue;
		f->ops->stat(f, &st);
		if (pos >= st.size)
			continue;
		len = MIN(hi - lo, st.size - pos);
		mutex_lock(&f->pos_lock);
		n = f->ops->write(f, lo, len, &pos);
		mutex_unlock(&f->pos_lock);
		if (n < 0 && !err)
			err = (int)n;
	}
	mutex_unlock(&as->lock);
	return err;
}

int shm_sync(struct aspace *as, vaddr_t va, uint64_t len)
{
	if (va + len <= SHM_BASE || va >= SHM_END)
		return 0;
	return write_back(as, va, va + len);
}

int shm_unmap(struct aspace *as, vaddr_t va, uint64_t len)
{
	if (va + len <= SHM_BASE || va >= SHM_END)
		return 0;
	write_back(as, va, va + len);	/* munmap itself cannot fail for it */
	return aspace_unmap_shared(as, va, len);
}

int shm_mapping_at(struct aspace *as, vaddr_t va, uint64_t *len)
{
	struct region *r;
	int err = -EINVAL;

	mutex_lock(&as->lock);
	list_for_each_entry(r, &as->regions, node)
		if (r->shm && r->start == va) {
			*len = r->end - r->start;
			err = 0;
			break;
		}
	mutex_unlock(&as->lock);
	return err;
}

int shm_copy(struct aspace *as, struct aspace *from)
{
	struct region *r;
	int err = 0;

	list_for_each_entry(r, &from->regions, node) {
		uint64_t len = r->end - r->start;

		if (!r->shm)
			continue;
		err = aspace_map_shared(as, r->start, len, r->shm->pa + r->shm_off,
					r->perms, r->perms, r->shm, r->shm_off);
		if (!err) {
			mutex_lock(&as->lock);
			err = aspace_copy_protection(as, r->start, from, r->start,
						     len);
			mutex_unlock(&as->lock);
		}
		if (err)
			break;
	}
	return err;
}
