// SPDX-License-Identifier: GPL-2.0
/*
 * Bookkeeping for mmap() within a job's heap (model in mmap.h). The
 * blocks cover [mmap_low, brk_limit) without gaps, sorted by address,
 * each used or free; neighbours that are both free merge, and a free
 * block at the bottom gives its space back to brk(). Callers hold
 * as->lock. Memory that is not handed out keeps the heap's rights (read
 * and write), so freeing a block undoes what mprotect() did to it.
 */
#include <arch/layout.h>
#include <kitten/aspace.h>
#include <kitten/errno.h>
#include <kitten/kmem.h>
#include <kitten/mmap.h>

struct mmap_block {
	vaddr_t start, end;
	bool used;
	struct list_head node;
};

static struct mmap_block *new_block(vaddr_t start, vaddr_t end, bool used)
{
	struct mmap_block *b = kmem_zalloc(sizeof(*b));

	if (b) {
		b->start = start;
		b->end = end;
		b->used = used;
	}
	return b;
}

/* Split b at addr (inside it); the upper part follows b. */
static int split(struct mmap_block *b, vaddr_t addr)
{
	struct mmap_block *upper;

	if (addr <= b->start || addr >= b->end)
		return 0;
	upper = new_block(addr, b->end, b->used);
	if (!upper)
		return -ENOMEM;
	b->end = addr;
	list_add(&upper->node, &b->node);
	return 0;
}

static void tidy(struct aspace *as)
{
	struct mmap_block *b, *next;

	list_for_each_entry_safe(b, next, &as->mmaps, node) {
		if (&next->node != &as->mmaps && !b->used && !next->used) {
			next->start = b->start;
			list_del(&b->node);
			kmem_free(b);
		}
	}
	if (!list_empty(&as->mmaps)) {
		b = list_first_entry(&as->mmaps, struct mmap_block, node);
		if (!b->used) {		/* the bottom goes back to brk() */
			as->mmap_low = b->end;
			list_del(&b->node);
			kmem_free(b);
		}
	}
}

long mmap_alloc(struct aspace *as, uint64_t len)
{
	struct mmap_block *b;

	if (!len || len & (PAGE_SIZE - 1))
		return -EINVAL;
	/* Reuse the lowest free block that fits; else grow down. */
	list_for_each_entry(b, &as->mmaps, node) {
		if (b->used || b->end - b->start < len)
			continue;
		if (split(b, b->start + len))
			return -ENOMEM;
		b->used = true;
		return b->start;
	}
	if (as->mmap_low - as->brk < len)
		return -ENOMEM;
	b = new_block(as->mmap_low - len, as->mmap_low, true);
	if (!b)
		return -ENOMEM;
	list_add(&b->node, &as->mmaps);
	as->mmap_low -= len;
	return b->start;
}

bool mmap_range_free(struct aspace *as, vaddr_t addr, uint64_t len)
{
	struct mmap_block *b;
	vaddr_t end = addr + len;

	if (addr < ALIGN_UP(as->brk, PAGE_SIZE) || end > as->brk_limit ||
	    end < addr)
		return false;
	list_for_each_entry(b, &as->mmaps, node)
		if (b->used && b->start < end && addr < b->end)
			return false;
	return true;
}

int mmap_claim(struct aspace *as, vaddr_t addr, uint64_t len)
{
	vaddr_t end = addr + len;
	struct mmap_block *b;

	if (!len || (addr | len) & (PAGE_SIZE - 1) || end < addr)
		return -EINVAL;
	if (addr < ALIGN_UP(as->brk, PAGE_SIZE) || end > as->brk_limit)
		return -ENOMEM;
	if (addr < as->mmap_low) {
		/* The space from addr up joins the blocks, free for now. */
		b = new_block(addr, as->mmap_low, false);
		if (!b)
			return -ENOMEM;
		list_add(&b->node, &as->mmaps);
		as->mmap_low = addr;
	}
	/* A block split here is visited again as its upper part. */
	list_for_each_entry(b, &as->mmaps, node) {
		if (b->end <= addr || b->start >= end)
			continue;
		if (split(b, addr) || split(b, end))
			return -ENOMEM;
		if (b->start >= addr && b->end <= end)
			b->used = true;
	}
	tidy(as);
	return 0;
}

int mmap_free(struct aspace *as, vaddr_t addr, uint64_t len)
{
	vaddr_t end = addr + len;
	struct mmap_block *b;
	int err;

	if (addr & (PAGE_SIZE - 1) || end < addr)
		return -EINVAL;
	list_for_each_entry(b, &as->mmaps, node) {
		if (b->end <= addr || b->start >= end || !b->used)
			continue;
		if (split(b, addr) || split(b, end))
			return -ENOMEM;
		if (b->start < addr || b->end > end)
			continue;
		/* Free memory has the heap's rights (see sys_mmap). */
		err = aspace_protect_locked(as, b->start, b->end - b->start,
					    ASPACE_R | ASPACE_W);
		if (err)
			return err;
		b->used = false;
	}
	tidy(as);
	return 0;
}

bool mmap_owned(struct aspace *as, vaddr_t addr, uint64_t len)
{
	struct mmap_block *b;
	vaddr_t end = addr + len;

	list_for_each_entry(b, &as->mmaps, node) {
		if (b->end <= addr || b->start >= end)
			continue;
		if (!b->used)
			return false;
		if (b->start > addr)
			return false;	/* a gap below this block */
		addr = b->end;
		if (addr >= end)
			return true;
	}
	return false;
}

bool mmap_handed_out(struct aspace *as, vaddr_t addr, uint64_t len)
{
	vaddr_t lo = MAX(addr, ALIGN_UP(as->brk, PAGE_SIZE));
	vaddr_t hi = MIN(addr + len, as->brk_limit);

	return lo >= hi || mmap_owned(as, lo, hi - lo);
}

void mmap_release_all(struct aspace *as)
{
	struct mmap_block *b, *tmp;

	list_for_each_entry_safe(b, tmp, &as->mmaps, node)
		kmem_free(b);
	list_init(&as->mmaps);
}

int mmap_copy(struct aspace *as, struct aspace *from)
{
	struct mmap_block *b, *c;

	list_for_each_entry(b, &from->mmaps, node) {
		c = new_block(b->start, b->end, b->used);
		if (!c)
			return -ENOMEM;
		list_add_tail(&c->node, &as->mmaps);
	}
	return 0;
}
