// SPDX-License-Identifier: GPL-2.0
/*
 * Job memory extents (see pmem.h): a list of who holds which contiguous
 * range of physical memory, on top of the page allocator.
 */
#define pr_fmt(fmt) "pmem: " fmt

#include <kitten/errno.h>
#include <kitten/kmem.h>
#include <kitten/list.h>
#include <kitten/mm.h>
#include <kitten/spinlock.h>
#include <kitten/pmem.h>

#include "page_debug.h"

struct extent {
	paddr_t start;
	uint64_t size;
	unsigned owner;
	struct list_head node;
};

static LIST_HEAD(extents);
/* A spinlock: an address space's last reference may drop with
 * interrupts off, and it frees the memory its process owned. */
static struct spinlock pmem_lock = SPINLOCK_INIT("pmem", LOCK_RANK_PMEM);

int pmem_alloc(unsigned owner, uint64_t size, uint64_t align, paddr_t *pa)
{
	struct extent *e = kmem_zalloc(sizeof(*e));
	unsigned long flags;
	int err;

	if (!e)
		return -ENOMEM;
	err = page_alloc_exact(size, align, pa);
	if (err) {
		kmem_free(e);
		return err;
	}
	e->start = *pa;
	e->size = size;
	e->owner = owner;
	flags = spin_lock_irqsave(&pmem_lock);
	list_add_tail(&e->node, &extents);
	spin_unlock_irqrestore(&pmem_lock, flags);
	return 0;
}

int pmem_free(unsigned owner, paddr_t pa)
{
	struct extent *e, *found = NULL;
	unsigned long flags;
	int err = -ENOENT;

	flags = spin_lock_irqsave(&pmem_lock);
	list_for_each_entry(e, &extents, node)
		if (e->start == pa) {
			found = e;
			break;
		}
	if (found && found->owner != owner) {
		err = -EPERM;
	} else if (found) {
		list_del(&found->node);
		err = 0;
	}
	spin_unlock_irqrestore(&pmem_lock, flags);
	if (!err) {
		page_free_range(found->start, found->size);
		kmem_free(found);
	}
	return err;
}

bool pmem_owns(unsigned owner, paddr_t pa, uint64_t size)
{
	struct extent *e;
	unsigned long flags;
	bool ok = false;

	flags = spin_lock_irqsave(&pmem_lock);
	list_for_each_entry(e, &extents, node)
		if (e->owner == owner && pa >= e->start &&
		    pa + size <= e->start + e->size && pa + size >= pa) {
			ok = true;
			break;
		}
	spin_unlock_irqrestore(&pmem_lock, flags);
	return ok;
}

void pmem_release_all(unsigned owner)
{
	struct extent *e, *tmp;
	unsigned long flags;
	LIST_HEAD(dead);

	flags = spin_lock_irqsave(&pmem_lock);
	list_for_each_entry_safe(e, tmp, &extents, node)
		if (e->owner == owner) {
			list_del(&e->node);
			list_add(&e->node, &dead);
		}
	spin_unlock_irqrestore(&pmem_lock, flags);
	list_for_each_entry_safe(e, tmp, &dead, node) {
		page_debug_owner(e->start, e->size, owner);
		page_free_range(e->start, e->size);
		kmem_free(e);
	}
}

void pmem_query(unsigned owner, struct pmem_info *info)
{
	struct extent *e;
	unsigned long flags;

	info->total = mm_managed_bytes();
	info->free = mm_free_bytes();
	info->largest_free = mm_largest_free();
	info->owned = 0;
	flags = spin_lock_irqsave(&pmem_lock);
	list_for_each_entry(e, &extents, node)
		if (e->owner == owner)
			info->owned += e->size;
	spin_unlock_irqrestore(&pmem_lock, flags);
}

void pmem_totals(uint64_t *count, uint64_t *bytes)
{
	struct extent *e;
	unsigned long flags;

	*count = *bytes = 0;
	flags = spin_lock_irqsave(&pmem_lock);
	list_for_each_entry(e, &extents, node) {
		(*count)++;
		*bytes += e->size;
	}
	spin_unlock_irqrestore(&pmem_lock, flags);
}
