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
/* [pa, pa + size) is being handed out: report a poisoned page changed. */
void page_debug_check(paddr_t pa, uint64_t size);

#endif
