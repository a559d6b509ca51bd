// SPDX-License-Identifier: GPL-2.0
/*
 * mmap block bookkeeping inside a job's heap (kitten/mm/mmap.c): blocks
 * handed out from the top down, MAP_FIXED claims over used and free
 * blocks and below the lowest block, partial unmaps, and the space
 * going back to brk() when the bottom block is freed. The page rights
 * (aspace_protect_locked) are recorded, not applied.
 */
#include "support.h"

#include <stdlib.h>
#include <string.h>
#include <kitten/aspace.h>
#include <kitten/errno.h>
#include <kitten/kmem.h>
#include <kitten/mmap.h>

#define P	4096ULL
#define BRK	0x1000000ULL
#define TOP	0x2000000ULL

static struct aspace as;
static vaddr_t last_protect_va;
static uint64_t last_protect_len;
static unsigned protects;

void *kmem_zalloc(size_t size)
{
	return calloc(1, size);
}

void kmem_free(void *p)
{
	free(p);
}

int aspace_protect_locked(struct aspace *a, vaddr_t va, uint64_t len,
			  unsigned perms)
{
	assert_ptr_equal(a, &as);
	assert_int_equal(perms, ASPACE_R | ASPACE_W);
	last_protect_va = va;
	last_protect_len = len;
	protects++;
	return 0;
}

static int setup(void **state)
{
	(void)state;
	memset(&as, 0, sizeof(as));
	list_init(&as.mmaps);
	as.brk_start = as.brk = BRK;
	as.brk_limit = as.mmap_low = TOP;
	protects = 0;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	mmap_release_all(&as);
	return 0;
}

static void blocks_from_the_top_and_back_to_brk(void **state)
{
	long a, b;

	(void)state;
	a = mmap_alloc(&as, 3 * P);
	b = mmap_alloc(&as, P);
	assert_int_equal(a, TOP - 3 * P);
	assert_int_equal(b, TOP - 4 * P);
	assert_int_equal(as.mmap_low, TOP - 4 * P);
	assert_int_equal(mmap_alloc(&as, 5), -EINVAL);
	/* Freeing the bottom block gives its space back to brk(). */
	assert_int_equal(mmap_free(&as, b, P), 0);
	assert_int_equal(as.mmap_low, TOP - 3 * P);
	assert_int_equal(mmap_free(&as, a, 3 * P), 0);
	assert_int_equal(as.mmap_low, TOP);
	assert_true(list_empty(&as.mmaps));
}

static void partial_unmap(void **state)
{
	long a;

	(void)state;
	a = mmap_alloc(&as, 4 * P);
	assert_int_equal(mmap_free(&as, a + P, 2 * P), 0);
	assert_int_equal(protects, 1);	/* the freed part gets RW back */
	assert_int_equal(last_protect_va, a + P);
	assert_int_equal(last_protect_len, 2 * P);
	assert_true(mmap_owned(&as, a, P));
	assert_false(mmap_owned(&as, a + P, P));
	assert_true(mmap_owned(&as, a + 3 * P, P));
	assert_false(mmap_owned(&as, a, 4 * P));
	assert_true(mmap_range_free(&as, a + P, 2 * P));
	/* The hole is reused first. */
	assert_int_equal(mmap_alloc(&as, 2 * P), a + P);
	assert_true(mmap_owned(&as, a, 4 * P));
}

/* ld.so: reserve a library's span, then map each segment over it. */
static void fixed_over_a_reservation(void **state)
{
	long r;

	(void)state;
	r = mmap_alloc(&as, 8 * P);
	assert_false(mmap_range_free(&as, r + 2 * P, P));
	assert_int_equal(mmap_claim(&as, r + 2 * P, 3 * P), 0);
	assert_int_equal(mmap_claim(&as, r + 5 * P, 3 * P), 0);
	assert_true(mmap_owned(&as, r, 8 * P));
	assert_int_equal(as.mmap_low, r);
	/* dlclose: the whole span goes at once. */
	assert_int_equal(mmap_free(&as, r, 8 * P), 0);
	assert_int_equal(as.mmap_low, TOP);
}

static void fixed_below_the_blocks(void **state)
{
	long a;

	(void)state;
	a = mmap_alloc(&as, P);
	/* Free heap between the break and the blocks becomes a block. */
	assert_true(mmap_range_free(&as, BRK + 16 * P, 2 * P));
	assert_int_equal(mmap_claim(&as, BRK + 16 * P, 2 * P), 0);
	assert_int_equal(as.mmap_low, BRK + 16 * P);
	assert_true(mmap_owned(&as, BRK + 16 * P, 2 * P));
	assert_false(mmap_owned(&as, BRK + 18 * P, P));
	assert_true(mmap_range_free(&as, BRK + 18 * P, a - (BRK + 18 * P)));
	/* A new block fills the gap from its bottom, not below the break. */
	assert_int_equal(mmap_alloc(&as, P), BRK + 18 * P);
	/* Claims across used and free blocks. */
	assert_int_equal(mmap_claim(&as, BRK + 17 * P, 4 * P), 0);
	assert_true(mmap_owned(&as, BRK + 16 * P, 5 * P));
	assert_false(mmap_range_free(&as, BRK + 20 * P, P));
}

static void fixed_outside_the_heap(void **state)
{
	(void)state;
	as.brk = BRK + 5 * P + 1;	/* part of a page in use by brk() */
	assert_int_equal(mmap_claim(&as, BRK + 5 * P, P), -ENOMEM);
	assert_false(mmap_range_free(&as, BRK + 5 * P, P));
	assert_int_equal(mmap_claim(&as, BRK + 6 * P, P), 0);
	assert_int_equal(mmap_claim(&as, TOP - P, 2 * P), -ENOMEM);
	assert_int_equal(mmap_claim(&as, TOP - P, 0), -EINVAL);
	assert_int_equal(mmap_claim(&as, TOP - P + 1, P), -EINVAL);
	assert_int_equal(mmap_claim(&as, -P, 2 * P), -EINVAL);	/* wraps */
	assert_false(mmap_range_free(&as, TOP - P, 2 * P));
}

static void fork_copies_blocks(void **state)
{
	struct aspace child;
	long a;

	(void)state;
	a = mmap_alloc(&as, 2 * P);
	assert_int_equal(mmap_free(&as, a, P), 0);
	memset(&child, 0, sizeof(child));
	list_init(&child.mmaps);
	child.brk = BRK;
	child.brk_limit = TOP;
	child.mmap_low = as.mmap_low;
	assert_int_equal(mmap_copy(&child, &as), 0);
	assert_true(mmap_owned(&child, a + P, P));
	assert_false(mmap_owned(&child, a, P));
	mmap_release_all(&child);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(blocks_from_the_top_and_back_to_brk,
						setup, teardown),
		cmocka_unit_test_setup_teardown(partial_unmap, setup, teardown),
		cmocka_unit_test_setup_teardown(fixed_over_a_reservation, setup,
						teardown),
		cmocka_unit_test_setup_teardown(fixed_below_the_blocks, setup,
						teardown),
		cmocka_unit_test_setup_teardown(fixed_outside_the_heap, setup,
						teardown),
		cmocka_unit_test_setup_teardown(fork_copies_blocks, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
