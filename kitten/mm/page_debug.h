/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Freed pages checked for writes after free (kmem_debug; page_debug.c).
 * The page allocator (mm/init.c) calls these under its lock.
 */
#ifndef KITTEN_MM_PAGE_DEBUG_H
#define KITTEN_MM_PAGE_DEBUG_H

#include <kitten/types.h>

/* Start checking pages below top; false if there is no memory for it. */
bool page_debug_init(paddr_t top);
/* [pa, pa + size) is being freed by caller: poison it, remember who. */
void page_debug_freed(paddr_t pa, uint64_t size, const void *caller);
/* The pages of an extent of owner (pmem.c) go: remember whose they were. */
void page_debug_owner(paddr_t pa, uint64_t size, unsigned owner);
/* [pa, pa + size) is being handed out: report a poisoned page changed. */
void page_debug_check(paddr_t pa, uint64_t size);
struct buddy_pool;
/* Each free list's first block's links intact? Else report who freed it. */
void page_debug_check_lists(const struct buddy_pool *pool);

#endif
