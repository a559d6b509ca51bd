// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel heap on a counting page source: the test knows how many
 * pages the heap holds at any time, and can make the source run dry.
 */
#include "support.h"

#include <stdlib.h>
#include <string.h>
#include <kitten/errno.h>
#include <kitten/kmem.h>

static struct kmem_heap heap;
static long pages_out;		/* blocks the heap holds */
static long page_budget;	/* pages the source will still give */

static int source_alloc(void *ctx, unsigned order, void **out)
{
	(void)ctx;
	if (page_budget < (1L << order))
		return -ENOMEM;
	*out = aligned_alloc(4096, 4096UL << order);
	if (!*out)
		return -ENOMEM;
	page_budget -= 1L << order;
	pages_out++;
	return 0;
}

static void source_free(void *ctx, void *ptr)
{
	(void)ctx;
	pages_out--;
	free(ptr);
}

static int setup(void **state)
{
	(void)state;
	pages_out = 0;
	page_budget = 1 << 20;
	kmem_heap_init(&heap, source_alloc, source_free, NULL);
	log_reset();
	return 0;
}

static void every_small_size_aligned_and_usable(void **state)
{
	void *p[2048 + 1];
	(void)state;

	for (size_t size = 1; size <= 2048; size++) {
		p[size] = kmem_heap_alloc(&heap, size);
		assert_non_null(p[size]);
		assert_int_equal((uintptr_t)p[size] % 16, 0);
		memset(p[size], (int)size, size);
	}
	for (size_t size = 1; size <= 2048; size++) {
		assert_int_equal(((uint8_t *)p[size])[size - 1], (uint8_t)size);
		kmem_heap_free(&heap, p[size]);
	}
	assert_int_equal(heap.bytes_in_use, 0);
	assert_int_equal(pages_out, 0);	/* empty slabs went back */
}

static void large_allocations(void **state)
{
	(void)state;

	for (size_t size = 2049; size < 300000; size = size * 3 / 2) {
		uint8_t *p = kmem_heap_alloc(&heap, size);

		assert_non_null(p);
		assert_int_equal((uintptr_t)p % 16, 0);
		memset(p, 0x5a, size);
		assert_true(heap.bytes_in_use >= size);
		kmem_heap_free(&heap, p);
		assert_int_equal(heap.bytes_in_use, 0);
	}
}

static void zalloc_zeroes(void **state)
{
	(void)state;
	uint8_t *p = kmem_heap_alloc(&heap, 100);

	memset(p, 0xff, 100);
	kmem_heap_free(&heap, p);
	p = kmem_heap_zalloc(&heap, 100);
	for (int i = 0; i < 100; i++)
		assert_int_equal(p[i], 0);
	kmem_heap_free(&heap, p);
}

static void double_free_detected(void **state)
{
	(void)state;
	void *a = kmem_heap_alloc(&heap, 64), *b = kmem_heap_alloc(&heap, 64);
	uint64_t in_use = heap.bytes_in_use;

	kmem_heap_free(&heap, a);
	kmem_heap_free(&heap, a);
	assert_true(log_contains("double free"));
	assert_int_equal(heap.bytes_in_use, in_use - 64);
	/* The freed object comes back exactly once. */
	void *c = kmem_heap_alloc(&heap, 64), *d = kmem_heap_alloc(&heap, 64);

	assert_ptr_equal(c, a);
	assert_ptr_not_equal(d, a);
	kmem_heap_free(&heap, b);
	kmem_heap_free(&heap, c);
	kmem_heap_free(&heap, d);
}

static void bogus_frees_detected(void **state)
{
	(void)state;
	char *a = kmem_heap_alloc(&heap, 128);
	/* Memory kmem never owned; its page start is readable, as in the
	 * kernel's direct map. */
	char *foreign = aligned_alloc(4096, 8192);

	memset(foreign, 0, 8192);
	kmem_heap_free(&heap, a + 8);	/* inside an object */
	assert_true(log_contains("not an object"));
	log_reset();
	kmem_heap_free(&heap, foreign + 100);
	assert_true(log_contains("not allocated by kmem"));
	free(foreign);
	kmem_heap_free(&heap, NULL);	/* allowed, like free(NULL) */
	kmem_heap_free(&heap, a);
	assert_int_equal(heap.bytes_in_use, 0);
}

static void source_exhaustion_returns_null(void **state)
{
	void *p[1024];
	int n = 0;
	(void)state;

	page_budget = 4;
	while (n < 1024 && (p[n] = kmem_heap_alloc(&heap, 1024)))
		n++;
	assert_int_equal(n, 4 * 3);	/* three 1 KiB objects per slab page */
	assert_null(kmem_heap_alloc(&heap, 100000));
	while (n)
		kmem_heap_free(&heap, p[--n]);
	assert_int_equal(pages_out, 0);
}

/* Random sizes against a shadow map of owned bytes. */
static void random_no_overlap(void **state)
{
	struct { uint8_t *p; size_t size; uint8_t tag; } live[400];
	unsigned n = 0;
	(void)state;

	srand(7);
	for (int step = 0; step < 20000; step++) {
		if (n < 400 && (n == 0 || rand() % 2)) {
			size_t size = 1 + rand() % (rand() % 8 ? 512 : 9000);
			uint8_t *p = kmem_heap_alloc(&heap, size);

			assert_non_null(p);
			live[n].p = p;
			live[n].size = size;
			live[n].tag = rand();
			memset(p, live[n].tag, size);
			n++;
		} else {
			unsigned i = rand() % n;

			/* Nobody else wrote into it meanwhile. */
			for (size_t b = 0; b < live[i].size; b++)
				assert_int_equal(live[i].p[b], live[i].tag);
			kmem_heap_free(&heap, live[i].p);
			live[i] = live[--n];
		}
	}
	while (n)
		kmem_heap_free(&heap, live[--n].p);
	assert_int_equal(heap.bytes_in_use, 0);
	assert_int_equal(heap.pages_held, 0);
}

/*
 * The heap's account of what it holds: live objects and slab pages per
 * class, large blocks and their pages, and all of it back to zero when
 * everything is freed -- what /proc/kitten/memory reports.
 */
static void accounting_by_kind(void **state)
{
	void *small[300], *big[3];
	(void)state;

	for (int i = 0; i < 300; i++)
		small[i] = kmem_heap_alloc(&heap, 100);	/* class 128 */
	big[0] = kmem_heap_alloc(&heap, 3000);		/* 1 page */
	big[1] = kmem_heap_alloc(&heap, 5000);		/* 2 pages */
	big[2] = kmem_heap_alloc(&heap, 4096);		/* 2: the header */
	assert_int_equal(heap.live[3], 300);
	/* 31 objects of 128 bytes after a slab's 64-byte header. */
	assert_int_equal(heap.slabs[3], (300 + 30) / 31);
	assert_int_equal(heap.large_blocks, 3);
	assert_int_equal(heap.large_pages, 5);
	assert_int_equal(heap.pages_held, heap.slabs[3] + 5);
	for (unsigned c = 0; c < KMEM_NR_CLASSES; c++)
		if (c != 3)
			assert_int_equal(heap.live[c] + heap.slabs[c], 0);
	/* One object keeps its whole slab. */
	for (int i = 0; i < 299; i++)
		kmem_heap_free(&heap, small[i]);
	assert_int_equal(heap.live[3], 1);
	assert_int_equal(heap.slabs[3], 1);
	kmem_heap_free(&heap, small[298]);	/* its slab-mate: a double free */
	assert_int_equal(heap.live[3], 1);
	kmem_heap_free(&heap, small[299]);
	for (int i = 0; i < 3; i++)
		kmem_heap_free(&heap, big[i]);
	assert_int_equal(heap.live[3] + heap.slabs[3], 0);
	assert_int_equal(heap.large_blocks + heap.large_pages, 0);
	assert_int_equal(heap.pages_held, 0);
	assert_int_equal(pages_out, 0);
}

/* With check_freed, a write into a freed object is found when it is
 * handed out again; an object left alone is not reported. */
static void write_after_free_reported(void **state)
{
	char *a, *b, *c, *keep;
	(void)state;

	heap.check_freed = true;
	keep = kmem_heap_alloc(&heap, 100);	/* the slab stays */
	a = kmem_heap_alloc(&heap, 100);
	b = kmem_heap_alloc(&heap, 100);
	assert_non_null(keep);
	assert_non_null(a);
	assert_non_null(b);
	kmem_heap_free(&heap, b);
	kmem_heap_free(&heap, a);
	c = kmem_heap_alloc(&heap, 100);	/* a, untouched */
	assert_ptr_equal(c, a);
	assert_int_equal(heap.freed_writes, 0);
	b[40] = 0;				/* b is free: a stale write */
	assert_ptr_equal(kmem_heap_alloc(&heap, 100), b);
	assert_int_equal(heap.freed_writes, 1);
	assert_true(log_contains("written after free: byte 40 is 0"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(every_small_size_aligned_and_usable, setup),
		cmocka_unit_test_setup(large_allocations, setup),
		cmocka_unit_test_setup(zalloc_zeroes, setup),
		cmocka_unit_test_setup(double_free_detected, setup),
		cmocka_unit_test_setup(bogus_frees_detected, setup),
		cmocka_unit_test_setup(source_exhaustion_returns_null, setup),
		cmocka_unit_test_setup(random_no_overlap, setup),
		cmocka_unit_test_setup(accounting_by_kind, setup),
		cmocka_unit_test_setup(write_after_free_reported, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
