// SPDX-License-Identifier: GPL-2.0
/*
 * Writes into freed pages (kmem_debug). A freed page is filled with a
 * pattern, past the first 16 bytes where the buddy allocator keeps its
 * free-list links, and the caller that freed it is recorded; when the
 * page is handed out again, a byte that differs is reported with the
 * page, the offset, the 8 bytes there and the freer. A page's later
 * user is innocent: its earlier one, or whoever kept a pointer into it
 * (a page table, a device, a stale TLB entry), wrote after the free.
 */
#define pr_fmt(fmt) "page_debug: " fmt

#include <arch/layout.h>
#include <kitten/buddy.h>
#include <kitten/mm.h>
#include <kitten/panic.h>
#include <kitten/printk.h>
#include <kitten/string.h>

#include "page_debug.h"

#define POISON		0x6b
#define SKIP		16	/* the buddy's links */

static const void **freer;	/* per page: who freed it, NULL if not poisoned */
static unsigned *owner_of;	/* per page: the extent owner that had it */
static uint64_t nr_pages;

/* A zeroed table of bytes from the page allocator, or NULL. */
static void *zeroed_table(uint64_t bytes)
{
	unsigned order = 0;
	paddr_t pa;

	while ((PAGE_SIZE << order) < bytes)
		order++;
	if (page_alloc(order, &pa))
		return NULL;
	memset(__va(pa), 0, PAGE_SIZE << order);
	return __va(pa);
}

bool page_debug_init(paddr_t top)
{
	uint64_t pages = top >> PAGE_SHIFT;

	owner_of = zeroed_table(pages * sizeof(*owner_of));
	freer = owner_of ? zeroed_table(pages * sizeof(*freer)) : NULL;
	if (!freer)
		return false;	/* freer is what turns the checks on */
	nr_pages = pages;
	return true;
}

void page_debug_freed(paddr_t pa, uint64_t size, const void *caller)
{
	for (uint64_t p = pa; freer && p < pa + size; p += PAGE_SIZE) {
		if ((p >> PAGE_SHIFT) >= nr_pages)
			break;
		memset((char *)__va(p) + SKIP, POISON, PAGE_SIZE - SKIP);
		freer[p >> PAGE_SHIFT] = caller ? caller : (const void *)1;
	}
}

void page_debug_owner(paddr_t pa, uint64_t size, unsigned owner)
{
	for (uint64_t p = pa; freer && p < pa + size; p += PAGE_SIZE)
		if ((p >> PAGE_SHIFT) < nr_pages)
			owner_of[p >> PAGE_SHIFT] = owner;
}

void page_debug_check(paddr_t pa, uint64_t size)
{
	for (uint64_t p = pa; freer && p < pa + size; p += PAGE_SIZE) {
		uint64_t i = p >> PAGE_SHIFT;
		const unsigned char *b = __va(p);

		if (i >= nr_pages)
			break;
		if (!freer[i])
			continue;
		for (unsigned off = SKIP; off < PAGE_SIZE; off++) {
			if (b[off] == POISON)
				continue;
			pr_err("page %#lx written after free at offset %#x: %016lx (freed from %p)\n",
			       p, off & ~7u, *(const uint64_t *)(b + (off & ~7u)),
			       freer[i]);
			break;
		}
		freer[i] = NULL;
	}
}

/*
 * The links of a free block live in its first bytes, which the poison
 * leaves alone: a write there shows as a broken list, found here before
 * the allocator follows it.
 */
void page_debug_check_lists(const struct buddy_pool *pool)
{
	for (unsigned o = 0; freer && o <= BUDDY_MAX_ORDER; o++) {
		const struct list_head *first = pool->free[o].next;
		paddr_t pa;

		if (first == &pool->free[o] || (first->next && first->prev))
			continue;
		pa = __pa(first);
		panic("page %#lx (free, order %u) written after free at offset 0: %016lx %016lx (freed from %p, owner %u)",
		      pa, o, (uint64_t)first->next, (uint64_t)first->prev,
		      (pa >> PAGE_SHIFT) < nr_pages ? freer[pa >> PAGE_SHIFT] : NULL,
		      (pa >> PAGE_SHIFT) < nr_pages ? owner_of[pa >> PAGE_SHIFT] : 0);
	}
}
