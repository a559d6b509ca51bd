// SPDX-License-Identifier: GPL-2.0
/*
 * Guest-sized extents from the buddy allocator: a power-of-two size whose
 * own aligned block is not free (the kernel sits in it) is taken from a
 * run of adjacent free blocks, as any other size is; buddy_largest_run
 * says what the largest request that could succeed is. The pool is laid
 * out as QEMU's machine is: a reserved first MiB, a kernel, and the rest.
 */
#include "support.h"

#include <stdlib.h>
#include <sys/mman.h>
#include <kitten/buddy.h>
#include <kitten/compiler.h>
#include <kitten/errno.h>


static uint8_t *meta;
static struct buddy_pool pool;

/* Nothing is written through to_virt but the free-list nodes: a sparse
 * mapping the size of the pool holds them. */
static uint8_t *arena;
static uint64_t arena_size;

static void *to_virt(paddr_t pa)
{
	assert_true(pa < arena_size);
	return arena + pa;
}

static void make_pool(uint64_t size)
{
	arena_size = size;
	arena = mmap(NULL, size, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	assert_true(arena != MAP_FAILED);
	meta = malloc(buddy_meta_size(size));
	assert_non_null(meta);
	buddy_init(&pool, 0, size, meta, to_virt);
	log_reset();
}

static int teardown(void **state)
{
	(void)state;
	munmap(arena, arena_size);
	free(meta);
	return 0;
}

/* A 768 MiB machine: [0, 2 MiB) is the low MiB and the kernel. */
static void machine_768m(void)
{
	make_pool(MiB(768));
	buddy_add_free(&pool, MiB(2), MiB(766));
}

static void power_of_two_without_its_block(void **state)
{
	paddr_t pa;
	(void)state;

	machine_768m();
	/* No 512 MiB block is free: [0, 512M) holds the kernel. */
	assert_true(buddy_largest_free_order(&pool) < 17);
	assert_int_equal(buddy_alloc_exact(&pool, MiB(512), MiB(2), &pa), 0);
	assert_int_equal(pa, MiB(2));
	assert_int_equal(buddy_free_bytes(&pool), MiB(254));
	assert_int_equal(buddy_free_range(&pool, pa, MiB(512)), 0);
	assert_int_equal(buddy_free_bytes(&pool), MiB(766));
	/* Whole again: the blocks merged back as they were. */
	assert_int_equal(buddy_largest_run(&pool, MiB(2)), MiB(766));
}

static void aligned_run_skips_to_the_alignment(void **state)
{
	paddr_t pa;
	(void)state;

	machine_768m();
	/* 256 MiB aligned to 1 GiB: no 1 GiB boundary below 768 MiB but 0. */
	assert_int_equal(buddy_alloc_exact(&pool, MiB(256), GiB(1), &pa), -ENOMEM);
	assert_int_equal(buddy_largest_run(&pool, GiB(1)), 0);
	/* Aligned to 256 MiB: from 256 MiB, not from 2 MiB. */
	assert_int_equal(buddy_largest_run(&pool, MiB(256)), MiB(512));
	assert_int_equal(buddy_alloc_exact(&pool, MiB(512), MiB(256), &pa), 0);
	assert_int_equal(pa, MiB(256));
	/* What is left before it stays free and whole. */
	assert_int_equal(buddy_largest_run(&pool, MiB(2)), MiB(254));
	assert_int_equal(buddy_alloc_exact(&pool, MiB(254), MiB(2), &pa), 0);
	assert_int_equal(pa, MiB(2));
	assert_int_equal(buddy_free_bytes(&pool), 0);
	assert_int_equal(buddy_largest_run(&pool, 4096), 0);
}

static void largest_run_is_exactly_what_fits(void **state)
{
	paddr_t pa, hole;
	uint64_t big;
	(void)state;

	machine_768m();
	/* A page taken in the middle splits the memory in two runs. */
	assert_int_equal(buddy_alloc_exact(&pool, MiB(300), MiB(2), &pa), 0);
	assert_int_equal(buddy_alloc_exact(&pool, 4096, 4096, &hole), 0);
	assert_int_equal(buddy_free_range(&pool, pa, MiB(300)), 0);
	big = buddy_largest_run(&pool, MiB(2));
	assert_true(big > 0 && big % MiB(2) == 0);
	/* Exactly that much succeeds, 2 MiB more does not. */
	assert_int_equal(buddy_alloc_exact(&pool, big + MiB(2), MiB(2), &pa),
			 -ENOMEM);
	assert_int_equal(buddy_alloc_exact(&pool, big, MiB(2), &pa), 0);
	assert_int_equal(buddy_free_range(&pool, pa, big), 0);
	assert_int_equal(buddy_free_range(&pool, hole, 4096), 0);
	assert_int_equal(buddy_largest_run(&pool, MiB(2)), MiB(766));
}

/* Above 4 GiB, as QEMU puts a big machine's RAM: 1 GiB-aligned runs of
 * several blocks, a guest of 8 GiB among them. */
static void multi_gigabyte_power_of_two(void **state)
{
	paddr_t pa;
	(void)state;

	make_pool(GiB(14));
	buddy_add_free(&pool, MiB(2), GiB(3) - MiB(2));
	buddy_add_free(&pool, GiB(4), GiB(10) - MiB(64));
	assert_int_equal(buddy_largest_run(&pool, GiB(1)), GiB(10) - MiB(64));
	assert_int_equal(buddy_alloc_exact(&pool, GiB(8), GiB(1), &pa), 0);
	assert_int_equal(pa % GiB(1), 0);
	assert_true(pa >= GiB(4) && pa + GiB(8) <= GiB(14) - MiB(64));
	/* 4 GiB more cannot be had in one piece, though almost 5 are free. */
	assert_int_equal(buddy_alloc_exact(&pool, GiB(4), GiB(1), &pa), -ENOMEM);
	assert_true(buddy_free_bytes(&pool) > GiB(4));
}

static void largest_run_refuses_bad_alignments(void **state)
{
	(void)state;

	machine_768m();
	assert_int_equal(buddy_largest_run(&pool, 0), 0);
	assert_int_equal(buddy_largest_run(&pool, MiB(3)), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(power_of_two_without_its_block, teardown),
		cmocka_unit_test_teardown(aligned_run_skips_to_the_alignment, teardown),
		cmocka_unit_test_teardown(largest_run_is_exactly_what_fits, teardown),
		cmocka_unit_test_teardown(multi_gigabyte_power_of_two, teardown),
		cmocka_unit_test_teardown(largest_run_refuses_bad_alignments, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
