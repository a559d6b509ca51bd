/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel heap. Small requests (up to KMEM_MAX_SMALL bytes) come from
 * power-of-two size classes carved out of single pages; larger ones are
 * whole page blocks. Every pointer is 16-byte aligned. A bad or double
 * free is reported and ignored, never allowed to corrupt the heap.
 *
 * struct kmem_heap is the allocator on any page source, so host tests can
 * run it on their own memory; kmem_alloc() and friends are the kernel's
 * one heap on the buddy allocator (mm/init.c), safe on every CPU.
 */
#ifndef KITTEN_KMEM_H
#define KITTEN_KMEM_H

#include <kitten/list.h>
#include <kitten/types.h>

#define KMEM_MIN_SMALL	16
#define KMEM_MAX_SMALL	2048
#define KMEM_NR_CLASSES	8	/* 16, 32, ... 2048 */

struct kmem_heap {
	/* 2^order pages, 4 KiB aligned, as a virtual pointer. */
	int (*page_alloc)(void *ctx, unsigned order, void **out);
	void (*page_free)(void *ctx, void *ptr);
	void *ctx;
	struct list_head partial[KMEM_NR_CLASSES];	/* slabs with room */
	uint64_t bytes_in_use;
	uint64_t pages_held;
	/* What the heap holds, by kind: the answer to "who has the pages". */
	uint64_t live[KMEM_NR_CLASSES];		/* objects handed out */
	uint64_t slabs[KMEM_NR_CLASSES];	/* slab pages per class */
	uint64_t large_blocks;			/* large blocks handed out */
	uint64_t large_pages;			/* and their pages */
	/*
	 * Check freed small objects (kmem_debug): each keeps who freed it and
	 * a poison pattern, checked when it is handed out again, so a write
	 * after free is reported with the object, the bytes and the freer.
	 */
	bool check_freed;
	uint64_t freed_writes;			/* such writes found */
};

void kmem_heap_init(struct kmem_heap *heap,
		    int (*page_alloc)(void *ctx, unsigned order, void **out),
		    void (*page_free)(void *ctx, void *ptr), void *ctx);
void *kmem_heap_alloc(struct kmem_heap *heap, size_t size);
void *kmem_heap_zalloc(struct kmem_heap *heap, size_t size);
void kmem_heap_free(struct kmem_heap *heap, void *ptr);
/* The same, recording caller as the freer (for check_freed). */
void kmem_heap_free_from(struct kmem_heap *heap, void *ptr,
			 const void *caller);

void *kmem_alloc(size_t size);
void *kmem_zalloc(size_t size);
void kmem_free(void *ptr);
uint64_t kmem_bytes_in_use(void);
/* A consistent copy of the kernel heap's counters (its lists unusable). */
void kmem_snapshot(struct kmem_heap *out);

#endif
