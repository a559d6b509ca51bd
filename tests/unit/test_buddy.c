// SPDX-License-Identifier: GPL-2.0
/*
 * The buddy allocator on a host arena. "Physical" addresses are offsets
 * into the arena plus a fake base, so to_virt is a simple translation and
 * every address the allocator touches is bounds-checked.
 */
#include "support.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <kitten/buddy.h>
#include <kitten/errno.h>

#define PAGE 4096ULL

static uint8_t *arena;
static uint64_t arena_size;
static paddr_t arena_base;
static uint8_t *meta;
static struct buddy_pool pool;

static void *to_virt(paddr_t pa)
{
	assert_true(pa >= arena_base && pa < arena_base + arena_size);
	return arena + (pa - arena_base);
}

/* A pool over [base, base+size), nothing free yet. */
static void make_pool(paddr_t base, uint64_t size)
{
	arena_base = base;
	arena_size = size;
	arena = mmap(NULL, size, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	assert_true(arena != MAP_FAILED);
	meta = malloc(buddy_meta_size(size));
	assert_non_null(meta);
	buddy_init(&pool, base, size, meta, to_virt);
	log_reset();
}

static int teardown(void **state)
{
	(void)state;
	munmap(arena, arena_size);
	free(meta);
	return 0;
}

static void empty_until_added(void **state)
{
	paddr_t pa;
	(void)state;

	make_pool(0x100000000ULL, 16 << 20);
	assert_int_equal(buddy_free_bytes(&pool), 0);
	assert_int_equal(buddy_alloc(&pool, 0, &pa), -ENOMEM);
	assert_int_equal(buddy_largest_free_order(&pool), -1);
}

static void blocks_are_naturally_aligned(void **state)
{
	paddr_t pa;
	(void)state;

	/* The pool base is only page aligned: alignment is absolute. */
	make_pool(0x40003000ULL, 64 << 20);
	buddy_add_free(&pool, 0x40003000ULL, 64 << 20);
	for (unsigned order = 0; order <= 12; order++) {
		assert_int_equal(buddy_alloc(&pool, order, &pa), 0);
		assert_int_equal(pa % (PAGE << order), 0);
	}
}

static void holes_are_never_handed_out(void **state)
{
	paddr_t pa;
	uint64_t got = 0;
	(void)state;

	make_pool(0, 8 << 20);
	buddy_add_free(&pool, 0x1000, 0x7f000);		/* below 512K */
	buddy_add_free(&pool, 0x200000, 0x400000);	/* 2M..6M */
	assert_int_equal(buddy_free_bytes(&pool), 0x7f000 + 0x400000);
	while (buddy_alloc(&pool, 0, &pa) == 0) {
		assert_true((pa >= 0x1000 && pa < 0x80000) ||
			    (pa >= 0x200000 && pa < 0x600000));
		got += PAGE;
	}
	assert_int_equal(got, 0x7f000 + 0x400000);
	assert_int_equal(buddy_free_bytes(&pool), 0);
}

static void exhaustion_then_full_recovery(void **state)
{
	paddr_t blocks[2048];
	unsigned n = 0;
	(void)state;

	make_pool(0, 8 << 20);
	buddy_add_free(&pool, 0, 8 << 20);
	assert_int_equal(buddy_largest_free_order(&pool), 11);
	while (buddy_alloc(&pool, 0, &blocks[n]) == 0)
		n++;
	assert_int_equal(n, 2048);
	assert_int_equal(buddy_alloc(&pool, 0, &blocks[0]), -ENOMEM);
	/* Free in a scrambled order; everything must merge back. */
	for (unsigned i = 0; i < n; i++)
		assert_int_equal(buddy_free(&pool, blocks[(i * 7) % n]), 0);
	assert_int_equal(buddy_free_bytes(&pool), 8 << 20);
	assert_int_equal(buddy_largest_free_order(&pool), 11);
}

static void fragmentation_blocks_larger_orders(void **state)
{
	paddr_t blocks[256], pa;
	(void)state;

	make_pool(0, 1 << 20);
	buddy_add_free(&pool, 0, 1 << 20);
	for (int i = 0; i < 256; i++)
		assert_int_equal(buddy_alloc(&pool, 0, &blocks[i]), 0);
	for (int i = 0; i < 256; i += 2)
		assert_int_equal(buddy_free(&pool, blocks[i]), 0);
	/* Half the memory is free, but no two free pages are buddies. */
	assert_int_equal(buddy_free_bytes(&pool), 512 << 10);
	assert_int_equal(buddy_alloc(&pool, 1, &pa), -ENOMEM);
	for (int i = 1; i < 256; i += 2)
		assert_int_equal(buddy_free(&pool, blocks[i]), 0);
	assert_int_equal(buddy_alloc(&pool, 8, &pa), 0);
	assert_int_equal(pa, 0);
}

static void bad_frees_are_refused(void **state)
{
	paddr_t pa;
	(void)state;

	make_pool(0, 1 << 20);
	buddy_add_free(&pool, 0x10000, 0xf0000);
	assert_int_equal(buddy_alloc(&pool, 2, &pa), 0);
	uint64_t before = buddy_free_bytes(&pool);

	assert_int_equal(buddy_free(&pool, pa + PAGE), -EINVAL);
	assert_true(log_contains("not the start of an allocated block"));
	assert_int_equal(buddy_free(&pool, pa + 1), -EINVAL);
	assert_int_equal(buddy_free(&pool, 0x2000000), -EINVAL);
	assert_true(log_contains("not a page of this pool"));
	assert_int_equal(buddy_free(&pool, 0x1000), -EINVAL);	/* never given */
	assert_int_equal(buddy_free_bytes(&pool), before);
	assert_int_equal(buddy_free(&pool, pa), 0);
	log_reset();
	assert_int_equal(buddy_free(&pool, pa), -EINVAL);
	assert_true(log_contains("double free"));
	assert_int_equal(buddy_free_bytes(&pool), 0xf0000);
}

static void bad_orders_and_sizes(void **state)
{
	paddr_t pa;
	(void)state;

	make_pool(0, 4 << 20);
	buddy_add_free(&pool, 0, 4 << 20);
	assert_int_equal(buddy_alloc(&pool, BUDDY_MAX_ORDER + 1, &pa), -EINVAL);
	assert_int_equal(buddy_alloc_bytes(&pool, 3 << 20, &pa), 0);	/* 4M */
	assert_int_equal(buddy_free_bytes(&pool), 0);
	assert_int_equal(buddy_free(&pool, pa), 0);
	assert_int_equal(buddy_alloc_bytes(&pool, 5 << 20, &pa), -ENOMEM);
}

static void overlapping_add_is_ignored(void **state)
{
	(void)state;

	make_pool(0, 1 << 20);
	buddy_add_free(&pool, 0, 0x80000);
	buddy_add_free(&pool, 0x40000, 0x80000);	/* half overlaps */
	assert_true(log_contains("given twice"));
	assert_int_equal(buddy_free_bytes(&pool), 0xc0000);
	assert_int_equal(buddy_managed_bytes(&pool), 0xc0000);
	buddy_add_free(&pool, 0x80000, 0x200000);	/* runs past the end */
	assert_true(log_contains("outside the pool"));
	assert_int_equal(buddy_free_bytes(&pool), 1 << 20);
}

static void one_gigabyte_blocks(void **state)
{
	paddr_t a, b, c;
	(void)state;

	/* 3 GiB of address space; untouched arena pages cost nothing. */
	make_pool(1ULL << 30, 3ULL << 30);
	buddy_add_free(&pool, 1ULL << 30, 3ULL << 30);
	assert_int_equal(buddy_largest_free_order(&pool), BUDDY_MAX_ORDER);
	assert_int_equal(buddy_alloc(&pool, BUDDY_MAX_ORDER, &a), 0);
	assert_int_equal(buddy_alloc(&pool, BUDDY_MAX_ORDER, &b), 0);
	assert_int_equal(buddy_alloc(&pool, BUDDY_MAX_ORDER, &c), 0);
	assert_int_equal(a % (1ULL << 30), 0);
	assert_true(a != b && b != c && a != c);
	assert_int_equal(buddy_free_bytes(&pool), 0);
	assert_int_equal(buddy_free(&pool, b), 0);
	assert_int_equal(buddy_free_bytes(&pool), 1ULL << 30);
	assert_int_equal(buddy_free(&pool, a), 0);
	assert_int_equal(buddy_free(&pool, c), 0);

	/* Larger than one block: adjacent 1 GiB blocks, the tail given back. */
	uint64_t big = (2ULL << 30) + (4 << 20);

	assert_int_equal(buddy_alloc_exact(&pool, big, 2 << 20, &a), 0);
	assert_int_equal(buddy_free_bytes(&pool), (3ULL << 30) - big);
	assert_int_equal(buddy_alloc_exact(&pool, 2ULL << 30, PAGE, &b), -ENOMEM);
	assert_int_equal(buddy_alloc_exact(&pool, 4ULL << 30, PAGE, &b), -ENOMEM);
	assert_int_equal(buddy_free_range(&pool, a, big), 0);
	assert_int_equal(buddy_free_bytes(&pool), 3ULL << 30);
}

static void exact_sizes_give_back_the_tail(void **state)
{
	paddr_t a, b;
	(void)state;

	make_pool(0, 16 << 20);
	buddy_add_free(&pool, 0, 16 << 20);
	assert_int_equal(buddy_alloc_exact(&pool, 3 << 20, 2 << 20, &a), 0);
	assert_int_equal(a % (2 << 20), 0);
	assert_int_equal(buddy_free_bytes(&pool), 13 << 20);
	/* The tail is free again: a 1 MiB block fits right after. */
	assert_int_equal(buddy_alloc_exact(&pool, 5 * PAGE, PAGE, &b), 0);
	assert_int_equal(buddy_free_bytes(&pool), (13 << 20) - 5 * PAGE);
	/* Part of a range, or the wrong size, is refused. */
	assert_int_equal(buddy_free_range(&pool, a, 1 << 20), -EINVAL);
	assert_int_equal(buddy_free_range(&pool, a + PAGE, 3 << 20), -EINVAL);
	assert_int_equal(buddy_free_range(&pool, a, 3 << 20), 0);
	assert_int_equal(buddy_free_range(&pool, a, 3 << 20), -EINVAL);
	assert_int_equal(buddy_free_range(&pool, b, 5 * PAGE), 0);
	assert_int_equal(buddy_free_bytes(&pool), 16 << 20);
	assert_int_equal(buddy_largest_free_order(&pool), 12);
	assert_int_equal(buddy_alloc_exact(&pool, 100, PAGE, &a), -EINVAL);
	assert_int_equal(buddy_alloc_exact(&pool, PAGE, 3 * PAGE, &a), -EINVAL);
	assert_int_equal(buddy_alloc_exact(&pool, 32 << 20, PAGE, &a), -ENOMEM);
}

static void exact_sizes_from_runs_of_blocks(void **state)
{
	paddr_t first, pa;
	(void)state;

	make_pool(0, 4 << 20);
	buddy_add_free(&pool, 0, 4 << 20);
	/* One page taken at the bottom: no free 4 MiB block is left... */
	assert_int_equal(buddy_alloc(&pool, 0, &first), 0);
	assert_int_equal(buddy_largest_free_order(&pool), 9);
	/* ...but 3 MiB of adjacent free blocks are, and that is enough. */
	assert_int_equal(buddy_alloc_exact(&pool, 3 << 20, PAGE, &pa), 0);
	assert_true(pa >= first + PAGE && pa + (3 << 20) <= (4 << 20));
	assert_int_equal(buddy_free_bytes(&pool), (4 << 20) - PAGE - (3 << 20));
	/* Alignment is honoured inside a run too. */
	paddr_t aligned;

	assert_int_equal(buddy_free_range(&pool, pa, 3 << 20), 0);
	assert_int_equal(buddy_alloc_exact(&pool, 3 * PAGE, 1 << 20, &aligned), 0);
	assert_int_equal(aligned % (1 << 20), 0);
	assert_int_equal(buddy_free_range(&pool, aligned, 3 * PAGE), 0);
	assert_int_equal(buddy_free(&pool, first), 0);
	assert_int_equal(buddy_free_bytes(&pool), 4 << 20);
	assert_int_equal(buddy_largest_free_order(&pool), 10);
}

/*
 * Random allocations, power-of-two blocks and exact sizes mixed, against
 * a shadow model: no two live allocations overlap, and everything comes
 * back in the end.
 */
static void random_against_shadow(void **state)
{
	struct { paddr_t pa; uint64_t size; bool exact; } live[512];
	unsigned n = 0;
	uint8_t *owner = calloc(4096, 1);	/* one byte per page of 16 MiB */
	(void)state;

	make_pool(0, 16 << 20);
	buddy_add_free(&pool, 0, 16 << 20);
	srand(42);
	for (int step = 0; step < 20000; step++) {
		if (n < 512 && (n == 0 || rand() % 3)) {
			bool exact = rand() % 2;
			uint64_t size = exact ? PAGE * (1 + rand() % 100)
					      : PAGE << (rand() % 7);
			paddr_t pa;

			if (exact ? buddy_alloc_exact(&pool, size, PAGE << (rand() % 3), &pa)
				  : buddy_alloc(&pool, __builtin_ctzll(size / PAGE), &pa))
				continue;
			for (uint64_t p = 0; p < size / PAGE; p++) {
				assert_int_equal(owner[pa / PAGE + p], 0);
				owner[pa / PAGE + p] = 1;
			}
			/* The memory is really ours: write all of it. */
			memset(to_virt(pa), 0xa5, size);
			live[n].pa = pa;
			live[n].size = size;
			live[n++].exact = exact;
		} else {
			unsigned i = rand() % n;

			for (uint64_t p = 0; p < live[i].size / PAGE; p++)
				owner[live[i].pa / PAGE + p] = 0;
			assert_int_equal(live[i].exact ?
					 buddy_free_range(&pool, live[i].pa, live[i].size) :
					 buddy_free(&pool, live[i].pa), 0);
			live[i] = live[--n];
		}
	}
	while (n--)
		assert_int_equal(live[n].exact ?
				 buddy_free_range(&pool, live[n].pa, live[n].size) :
				 buddy_free(&pool, live[n].pa), 0);
	assert_int_equal(buddy_free_bytes(&pool), 16 << 20);
	assert_int_equal(buddy_largest_free_order(&pool), 12);
	free(owner);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(empty_until_added, teardown),
		cmocka_unit_test_teardown(blocks_are_naturally_aligned, teardown),
		cmocka_unit_test_teardown(holes_are_never_handed_out, teardown),
		cmocka_unit_test_teardown(exhaustion_then_full_recovery, teardown),
		cmocka_unit_test_teardown(fragmentation_blocks_larger_orders, teardown),
		cmocka_unit_test_teardown(bad_frees_are_refused, teardown),
		cmocka_unit_test_teardown(bad_orders_and_sizes, teardown),
		cmocka_unit_test_teardown(overlapping_add_is_ignored, teardown),
		cmocka_unit_test_teardown(one_gigabyte_blocks, teardown),
		cmocka_unit_test_teardown(exact_sizes_give_back_the_tail, teardown),
		cmocka_unit_test_teardown(exact_sizes_from_runs_of_blocks, teardown),
		cmocka_unit_test_teardown(random_against_shadow, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
