// SPDX-License-Identifier: GPL-2.0
/*
 * Buddy allocation (the model is in buddy.h).
 *
 * Each page has a state byte:
 *   MANAGED  the page belongs to the allocator (given by buddy_add_free)
 *   HEAD     the page starts a block; ORDER holds the block's order
 *   FREE     with HEAD: the block is on a free list
 * Pages inside a block have only MANAGED. So a free is valid exactly when
 * the address is a HEAD that is not FREE, which catches double frees and
 * interior or foreign addresses without a search.
 *
 * A block's buddy is at pa ^ block_size; blocks merge while the buddy is
 * a free head of the same order.
 */
#define pr_fmt(fmt) "buddy: " fmt

#include <kitten/buddy.h>
#include <kitten/errno.h>
#include <kitten/printk.h>

#define ST_MANAGED	0x20
#define ST_HEAD		0x80
#define ST_FREE		0x40
#define ST_ORDER	0x1f

static uint64_t block_bytes(unsigned order)
{
	return BUDDY_PAGE_SIZE << order;
}

static uint64_t page_index(const struct buddy_pool *pool, paddr_t pa)
{
	return (pa - pool->base) >> BUDDY_PAGE_SHIFT;
}

static bool in_pool(const struct buddy_pool *pool, paddr_t pa)
{
	return pa >= pool->base && page_index(pool, pa) < pool->nr_pages;
}

static struct list_head *node_of(const struct buddy_pool *pool, paddr_t pa)
{
	return pool->to_virt(pa);
}

static paddr_t pa_of(const struct buddy_pool *pool, struct list_head *node)
{
	const uint8_t *probe = (const uint8_t *)node;

	/* to_virt is linear: one known address gives the offset. */
	return pool->base + (uint64_t)(probe - (const uint8_t *)pool->to_virt(pool->base));
}

size_t buddy_meta_size(uint64_t size)
{
	return size >> BUDDY_PAGE_SHIFT;
}

void buddy_init(struct buddy_pool *pool, paddr_t base, uint64_t size,
		void *meta, void *(*to_virt)(paddr_t pa))
{
	pool->base = base;
	pool->nr_pages = size >> BUDDY_PAGE_SHIFT;
	pool->state = meta;
	pool->to_virt = to_virt;
	pool->free_pages = 0;
	pool->managed_pages = 0;
	for (unsigned o = 0; o <= BUDDY_MAX_ORDER; o++)
		list_init(&pool->free[o]);
	for (uint64_t i = 0; i < pool->nr_pages; i++)
		pool->state[i] = 0;
}

static void push_free(struct buddy_pool *pool, paddr_t pa, unsigned order)
{
	pool->state[page_index(pool, pa)] = ST_MANAGED | ST_HEAD | ST_FREE | order;
	list_add(node_of(pool, pa), &pool->free[order]);
}

static void unlink_free(struct buddy_pool *pool, paddr_t pa)
{
	list_del(node_of(pool, pa));
	pool->state[page_index(pool, pa)] = ST_MANAGED;
}

/* Free a block whose pages are MANAGED and not on any list; merge up. */
static void release(struct buddy_pool *pool, paddr_t pa, unsigned order)
{
	pool->free_pages += 1ULL << order;
	while (order < BUDDY_MAX_ORDER) {
		paddr_t buddy = pa ^ block_bytes(order);

		if (!in_pool(pool, buddy) ||
		    pool->state[page_index(pool, buddy)] !=
			    (ST_MANAGED | ST_HEAD | ST_FREE | order))
			break;
		unlink_free(pool, buddy);
		pool->state[page_index(pool, pa)] = ST_MANAGED;
		pa &= ~block_bytes(order);
		order++;
	}
	push_free(pool, pa, order);
}

void buddy_add_free(struct buddy_pool *pool, paddr_t start, uint64_t len)
{
	paddr_t end = start + len < start ? UINT64_MAX : start + len;
	paddr_t pool_end = pool->base + (pool->nr_pages << BUDDY_PAGE_SHIFT);

	start = (start + BUDDY_PAGE_SIZE - 1) & ~(BUDDY_PAGE_SIZE - 1);
	end &= ~(BUDDY_PAGE_SIZE - 1);
	if (start < pool->base || end > pool_end) {
		pr_warn("range [%#lx-%#lx) reaches outside the pool; clipped\n",
			start, end);
		start = start < pool->base ? pool->base : start;
		end = end > pool_end ? pool_end : end;
	}

	while (start < end) {
		unsigned order = 0;
		uint64_t i = page_index(pool, start);

		while (order < BUDDY_MAX_ORDER &&
		       !(start & block_bytes(order)) &&
		       start + block_bytes(order + 1) <= end)
			order++;
		if (pool->state[i] & ST_MANAGED) {
			pr_warn("page %#lx given twice; ignored\n", start);
			start += BUDDY_PAGE_SIZE;
			continue;
		}
		for (uint64_t p = 0; p < (1ULL << order); p++)
			if (pool->state[i + p] & ST_MANAGED)
				order = 0;	/* overlap: go page by page */
		for (uint64_t p = 0; p < (1ULL << order); p++)
			pool->state[i + p] = ST_MANAGED;
		pool->managed_pages += 1ULL << order;
		release(pool, start, order);
		start += block_bytes(order);
	}
}

int buddy_alloc(struct buddy_pool *pool, unsigned order, paddr_t *pa)
{
	unsigned k = order;

	if (order > BUDDY_MAX_ORDER)
		return -EINVAL;
	while (k <= BUDDY_MAX_ORDER && list_empty(&pool->free[k]))
		k++;
	if (k > BUDDY_MAX_ORDER)
		return -ENOMEM;

	*pa = pa_of(pool, pool->free[k].next);
	unlink_free(pool, *pa);
	while (k > order) {	/* split: keep the low half, free the high */
		k--;
		push_free(pool, *pa + block_bytes(k), k);
	}
	pool->state[page_index(pool, *pa)] = ST_MANAGED | ST_HEAD | order;
	pool->free_pages -= 1ULL << order;
	return 0;
}

int buddy_alloc_bytes(struct buddy_pool *pool, uint64_t size, paddr_t *pa)
{
	unsigned order = 0;

	while (order <= BUDDY_MAX_ORDER && block_bytes(order) < size)
		order++;
	return buddy_alloc(pool, order, pa);
}

/* The largest aligned block at pa that ends at or before end. */
static unsigned chunk_order(paddr_t pa, paddr_t end)
{
	unsigned order = 0;

	while (order < BUDDY_MAX_ORDER && !(pa & block_bytes(order)) &&
	       pa + block_bytes(order + 1) <= end)
		order++;
	return order;
}

/*
 * Take n free max-order blocks that follow each other in memory, for
 * requests larger than one block (a job's multi-GiB heap).
 */
static int alloc_run(struct buddy_pool *pool, uint64_t n, paddr_t *pa)
{
	struct list_head *pos;

	list_for_each(pos, &pool->free[BUDDY_MAX_ORDER]) {
		paddr_t start = pa_of(pool, pos);
		uint64_t i;

		for (i = 1; i < n; i++) {
			paddr_t next = start + i * block_bytes(BUDDY_MAX_ORDER);

			if (!in_pool(pool, next) ||
			    pool->state[page_index(pool, next)] !=
				    (ST_MANAGED | ST_HEAD | ST_FREE | BUDDY_MAX_ORDER))
				break;
		}
		if (i < n)
			continue;
		for (i = 0; i < n; i++)
			unlink_free(pool, start + i * block_bytes(BUDDY_MAX_ORDER));
		pool->free_pages -= n << BUDDY_MAX_ORDER;
		*pa = start;
		return 0;
	}
	return -ENOMEM;
}

/* Mark [start, end) as allocated, naturally aligned chunks. */
static void mark_allocated(struct buddy_pool *pool, paddr_t start, paddr_t end)
{
	for (paddr_t p = start; p < end;) {
		unsigned k = chunk_order(p, end);

		pool->state[page_index(pool, p)] = ST_MANAGED | ST_HEAD | k;
		p += block_bytes(k);
	}
}

/* Free [start, end) (pages already taken off the free lists) as chunks. */
static void release_range(struct buddy_pool *pool, paddr_t start, paddr_t end)
{
	for (paddr_t p = start; p < end;) {
		unsigned k = chunk_order(p, end);

		pool->state[page_index(pool, p)] = ST_MANAGED;
		release(pool, p, k);
		p += block_bytes(k);
	}
}

/*
 * Find size bytes, aligned to align, in a run of adjacent free blocks of
 * any orders, and take exactly that: no power-of-two rounding, so a job's
 * odd-sized extent needs no block twice its size.
 */
static int alloc_from_run(struct buddy_pool *pool, uint64_t size,
			  uint64_t align, paddr_t *pa)
{
	paddr_t run = 0, start, end;
	uint64_t run_pages = 0, i;

	for (i = 0; i < pool->nr_pages;) {
		uint8_t st = pool->state[i];
		uint64_t n = st & ST_HEAD ? 1ULL << (st & ST_ORDER) : 1;

		if ((st & (ST_HEAD | ST_FREE)) != (ST_HEAD | ST_FREE)) {
			run_pages = 0;
			i += n;
			continue;
		}
		if (!run_pages)
			run = pool->base + (i << BUDDY_PAGE_SHIFT);
		run_pages += n;
		i += n;
		start = (run + align - 1) & ~(align - 1);
		if (start + size <= run + (run_pages << BUDDY_PAGE_SHIFT))
			break;
	}
	if (i >= pool->nr_pages && !(run_pages && start + size <=
				     run + (run_pages << BUDDY_PAGE_SHIFT)))
		return -ENOMEM;
	/* Take every free block of the run up to the end of the range. */
	end = start + size;
	for (paddr_t p = run; p < end;) {
		unsigned k = pool->state[page_index(pool, p)] & ST_ORDER;

		unlink_free(pool, p);
		pool->free_pages -= 1ULL << k;
		if (p + block_bytes(k) > end)
			release_range(pool, end, p + block_bytes(k));
		p += block_bytes(k);
	}
	release_range(pool, run, start);	/* the part before the alignment */
	mark_allocated(pool, start, end);
	*pa = start;
	return 0;
}

int buddy_alloc_exact(struct buddy_pool *pool, uint64_t size, uint64_t align,
		      paddr_t *pa)
{
	uint64_t want = size > align ? size : align, taken;
	unsigned order = 0;
	paddr_t p, end;
	int err;

	if (!size || size & (BUDDY_PAGE_SIZE - 1) || (align & (align - 1)) ||
	    align > block_bytes(BUDDY_MAX_ORDER))
		return -EINVAL;
	/* Not a power of two: take exactly the size from a run if one fits. */
	if (want & (want - 1) && alloc_from_run(pool, size, align, pa) == 0)
		return 0;
	if (want > block_bytes(BUDDY_MAX_ORDER)) {
		uint64_t n = (size + block_bytes(BUDDY_MAX_ORDER) - 1) /
			     block_bytes(BUDDY_MAX_ORDER);

		if (n > pool->nr_pages >> BUDDY_MAX_ORDER)
			return -ENOMEM;
		err = alloc_run(pool, n, pa);
		taken = n * block_bytes(BUDDY_MAX_ORDER);
	} else {
		while (block_bytes(order) < want)
			order++;
		err = buddy_alloc(pool, order, pa);
		taken = block_bytes(order);
	}
	/*
	 * A power of two has no aligned block of its own (a 512 MiB guest
	 * in a 768 MiB machine, whose first 512 MiB hold the kernel): any
	 * aligned run of free blocks will do.
	 */
	if (err == -ENOMEM && !(want & (want - 1)))
		return alloc_from_run(pool, size, align, pa);
	if (err)
		return err;
	/* Keep [pa, pa+size) as naturally aligned blocks; free the tail. */
	end = *pa + taken;
	p = *pa + size;
	mark_allocated(pool, *pa, p);
	release_range(pool, p, end);
	return 0;
}

int buddy_free_range(struct buddy_pool *pool, paddr_t pa, uint64_t size)
{
	paddr_t end = pa + size;

	/* Check every piece first, so a bad range changes nothing. */
	for (paddr_t p = pa; p < end;) {
		unsigned k = chunk_order(p, end);
		uint8_t st;

		if (!in_pool(pool, p))
			return buddy_free(pool, p);	/* reports it */
		st = pool->state[page_index(pool, p)];
		if ((st & (ST_HEAD | ST_FREE)) != ST_HEAD || (st & ST_ORDER) != k) {
			pr_err("free of [%#lx +%#lx]: not an allocated range\n",
			       pa, size);
			return -EINVAL;
		}
		p += block_bytes(k);
	}
	for (paddr_t p = pa; p < end;) {
		unsigned k = chunk_order(p, end);

		buddy_free(pool, p);
		p += block_bytes(k);
	}
	return 0;
}

int buddy_free(struct buddy_pool *pool, paddr_t pa)
{
	uint8_t st;

	if (!in_pool(pool, pa) || (pa & (BUDDY_PAGE_SIZE - 1))) {
		pr_err("free of %#lx: not a page of this pool\n", pa);
		return -EINVAL;
	}
	st = pool->state[page_index(pool, pa)];
	if ((st & (ST_HEAD | ST_FREE)) == (ST_HEAD | ST_FREE)) {
		pr_err("double free of %#lx\n", pa);
		return -EINVAL;
	}
	if (!(st & ST_HEAD)) {
		pr_err("free of %#lx: not the start of an allocated block\n", pa);
		return -EINVAL;
	}
	pool->state[page_index(pool, pa)] = ST_MANAGED;
	release(pool, pa, st & ST_ORDER);
	return 0;
}

uint64_t buddy_free_bytes(const struct buddy_pool *pool)
{
	return pool->free_pages << BUDDY_PAGE_SHIFT;
}

uint64_t buddy_managed_bytes(const struct buddy_pool *pool)
{
	return pool->managed_pages << BUDDY_PAGE_SHIFT;
}

uint64_t buddy_largest_run(const struct buddy_pool *pool, uint64_t align)
{
	uint64_t best = 0, run_pages = 0, i;
	paddr_t run = 0;

	if (!align || (align & (align - 1)))
		return 0;
	for (i = 0; i < pool->nr_pages;) {
		uint8_t st = pool->state[i];
		uint64_t n = st & ST_HEAD ? 1ULL << (st & ST_ORDER) : 1;
		paddr_t start, end;

		i += n;
		if ((st & (ST_HEAD | ST_FREE)) != (ST_HEAD | ST_FREE)) {
			run_pages = 0;
			continue;
		}
		if (!run_pages)
			run = pool->base + ((i - n) << BUDDY_PAGE_SHIFT);
		run_pages += n;
		start = (run + align - 1) & ~(align - 1);
		end = run + (run_pages << BUDDY_PAGE_SHIFT);
		if (end > start && end - start > best)
			best = end - start;
	}
	return best;
}

int buddy_largest_free_order(const struct buddy_pool *pool)
{
	for (int o = BUDDY_MAX_ORDER; o >= 0; o--)
		if (!list_empty(&pool->free[o]))
			return o;
	return -1;
}

int buddy_block_order(const struct buddy_pool *pool, paddr_t pa)
{
	uint8_t st;

	if (!in_pool(pool, pa))
		return -1;
	st = pool->state[page_index(pool, pa)];
	return (st & (ST_HEAD | ST_FREE)) == ST_HEAD ? st & ST_ORDER : -1;
}
