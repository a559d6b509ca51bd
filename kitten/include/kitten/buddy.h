/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A binary buddy allocator for physical pages. It hands out blocks of
 * 2^order pages (order 0 = 4 KiB up to BUDDY_MAX_ORDER = 1 GiB), each
 * aligned to its own size in absolute physical terms, so a 2 MiB block
 * can be mapped with one 2 MiB page: the contiguous, large-page memory a
 * lightweight kernel gives its jobs.
 *
 * Metadata is one byte per page, provided by the caller. The free lists
 * live inside the free blocks themselves, reached through to_virt (the
 * direct map in the kernel, the identity on a test arena). A pool starts
 * with nothing free; buddy_add_free() gives it the usable ranges.
 */
#ifndef KITTEN_BUDDY_H
#define KITTEN_BUDDY_H

#include <kitten/config.h>
#include <kitten/list.h>
#include <kitten/types.h>

#define BUDDY_PAGE_SHIFT 12
#define BUDDY_PAGE_SIZE	 (1ULL << BUDDY_PAGE_SHIFT)
#define BUDDY_MAX_ORDER	 CONFIG_BUDDY_MAX_ORDER

struct buddy_pool {
	paddr_t base;
	uint64_t nr_pages;
	uint8_t *state;			/* one byte per page, see buddy.c */
	void *(*to_virt)(paddr_t pa);
	struct list_head free[BUDDY_MAX_ORDER + 1];
	uint64_t free_pages;
	uint64_t managed_pages;		/* given by buddy_add_free() */
};

/* Bytes of metadata a pool spanning size bytes needs. */
size_t buddy_meta_size(uint64_t size);

/* A pool over [base, base+size) with nothing free; meta as sized above. */
void buddy_init(struct buddy_pool *pool, paddr_t base, uint64_t size,
		void *meta, void *(*to_virt)(paddr_t pa));

/* Make [start, start+len) free (page-aligned inward, clipped to the pool). */
void buddy_add_free(struct buddy_pool *pool, paddr_t start, uint64_t len);

/* 2^order contiguous pages: 0, -ENOMEM, or -EINVAL for a bad order. */
int buddy_alloc(struct buddy_pool *pool, unsigned order, paddr_t *pa);
/* At least size contiguous bytes (rounded up to a power of two pages). */
int buddy_alloc_bytes(struct buddy_pool *pool, uint64_t size, paddr_t *pa);

/*
 * Exactly size bytes (page multiple), contiguous and aligned to align (a
 * power of two): a block of the next power of two is split and the tail
 * given back at once; failing that (or for any other size), a run of
 * adjacent free blocks of any orders is searched from the lowest address.
 * Free with buddy_free_range(pa, size).
 */
int buddy_alloc_exact(struct buddy_pool *pool, uint64_t size, uint64_t align,
		      paddr_t *pa);
int buddy_free_range(struct buddy_pool *pool, paddr_t pa, uint64_t size);

/*
 * Give back a block. A double free, an address inside a block or not
 * from this pool is refused with -EINVAL and a message; nothing changes.
 */
int buddy_free(struct buddy_pool *pool, paddr_t pa);

uint64_t buddy_free_bytes(const struct buddy_pool *pool);
/* Everything ever given to the pool, free or allocated. */
uint64_t buddy_managed_bytes(const struct buddy_pool *pool);
/*
 * The largest size buddy_alloc_exact(size, align) could take now: the
 * longest run of adjacent free blocks, from its first aligned address
 * (0 when none). For messages: "asked N, the largest free is M".
 */
uint64_t buddy_largest_run(const struct buddy_pool *pool, uint64_t align);
/* The largest order that can be allocated now, or -1 when empty. */
int buddy_largest_free_order(const struct buddy_pool *pool);

/* The order of the allocated block starting at pa, or -1. */
int buddy_block_order(const struct buddy_pool *pool, paddr_t pa);

#endif
