// SPDX-License-Identifier: GPL-2.0
/*
 * Page-table construction and walks, on tables in host memory: "physical"
 * addresses are indexes into a pool of 4 KiB pages, so every table the
 * code touches is checked to be one it was given.
 */
#include "support.h"

#define POOL_PAGES 512
#include "pgtable_pool.h"

static void check_translation(struct pgtable *pt, vaddr_t va, paddr_t pa,
			      uint64_t want_size)
{
	paddr_t got;
	uint64_t size, flags;

	assert_int_equal(pgtable_lookup(pt, va, &got, &flags, &size), 0);
	assert_int_equal(got, pa);
	assert_int_equal(size, want_size);
	assert_true(flags & PTE_PRESENT);
}

static void map_picks_largest_pages(void **state)
{
	struct pgtable pt;
	struct pgtable_stats st;
	(void)state;

	assert_int_equal(pgtable_create(&pt, &ops, false), 0);
	/* 4 KiB head, 2 MiB middle, 4 KiB tail: 4K + 2M + 2M + 8K. */
	vaddr_t va = 0x200000 - 0x1000;
	assert_int_equal(pgtable_map(&pt, va, 0x10200000 - 0x1000,
				     0x1000 + 0x400000 + 0x2000, PTE_WRITE), 0);
	pgtable_count(&pt, 0, 0x1000000, &st);
	assert_int_equal(st.pages_4k, 3);
	assert_int_equal(st.pages_2m, 2);
	assert_int_equal(st.pages_1g, 0);
	check_translation(&pt, va, 0x10200000 - 0x1000, 0x1000);
	check_translation(&pt, 0x200000 + 0x12345, 0x10200000 + 0x12345, 0x200000);
	check_translation(&pt, 0x600000 + 0x1abc, 0x10600000 + 0x1abc, 0x1000);
}

static void huge_pages_when_allowed(void **state)
{
	struct pgtable pt;
	struct pgtable_stats st;
	(void)state;

	assert_int_equal(pgtable_create(&pt, &ops, true), 0);
	assert_int_equal(pgtable_map(&pt, 0xffff888000000000ULL, 0,
				     (2ULL << 30) + 0x200000, PTE_WRITE), 0);
	pgtable_count(&pt, 0xffff888000000000ULL, 4ULL << 30, &st);
	assert_int_equal(st.pages_1g, 2);
	assert_int_equal(st.pages_2m, 1);
	check_translation(&pt, 0xffff888040000123ULL, 0x40000123, 1ULL << 30);
	/* Tables used: PML4, PDPT, one PD for the tail. */
	assert_int_equal(pool_used, 3);
}

static void misaligned_va_pa_use_small_pages(void **state)
{
	struct pgtable pt;
	struct pgtable_stats st;
	(void)state;

	assert_int_equal(pgtable_create(&pt, &ops, true), 0);
	/* va is 2 MiB aligned but pa is not: no large page may be used. */
	assert_int_equal(pgtable_map(&pt, 0x400000, 0x1001000, 0x400000, 0), 0);
	pgtable_count(&pt, 0, 0x1000000, &st);
	assert_int_equal(st.pages_4k, 1024);
	assert_int_equal(st.pages_2m, 0);
}

static void overlap_refused_without_change(void **state)
{
	struct pgtable pt;
	struct pgtable_stats st;
	(void)state;

	assert_int_equal(pgtable_create(&pt, &ops, false), 0);
	assert_int_equal(pgtable_map(&pt, 0x200000, 0x200000, 0x200000, 0), 0);
	unsigned used = pool_used;
	/* Overlaps the 2 MiB page by its last 4 KiB. */
	assert_int_equal(pgtable_map(&pt, 0x100000, 0x900000, 0x101000, 0),
			 -EEXIST);
	assert_int_equal(pool_used, used);
	pgtable_count(&pt, 0, 0x1000000, &st);
	assert_int_equal(st.pages_4k, 0);
	assert_int_equal(st.pages_2m, 1);
	/* Inside a large page too. */
	assert_int_equal(pgtable_map(&pt, 0x300000, 0x300000, 0x1000, 0), -EEXIST);
}

static void bad_arguments(void **state)
{
	struct pgtable pt;
	(void)state;

	assert_int_equal(pgtable_create(&pt, &ops, false), 0);
	assert_int_equal(pgtable_map(&pt, 0x1001, 0x1000, 0x1000, 0), -EINVAL);
	assert_int_equal(pgtable_map(&pt, 0x1000, 0x1800, 0x1000, 0), -EINVAL);
	assert_int_equal(pgtable_map(&pt, 0x1000, 0x1000, 0x10, 0), -EINVAL);
	assert_int_equal(pgtable_map(&pt, 0xfffffffffffff000ULL, 0, 0x2000, 0),
			 -EINVAL);
}

static void flags_reach_the_leaf(void **state)
{
	struct pgtable pt;
	uint64_t flags;
	(void)state;

	assert_int_equal(pgtable_create(&pt, &ops, false), 0);
	assert_int_equal(pgtable_map(&pt, 0x1000, 0x5000, 0x1000,
				     PTE_USER | PTE_NX | PTE_PRESENT | PTE_LARGE), 0);
	assert_int_equal(pgtable_lookup(&pt, 0x1000, NULL, &flags, NULL), 0);
	assert_true(flags & PTE_USER);
	assert_true(flags & PTE_NX);
	assert_false(flags & PTE_WRITE);
	/* PTE_LARGE is not the caller's to set on a 4 KiB leaf. */
	assert_false(flags & PTE_LARGE);
	assert_int_equal(pgtable_lookup(&pt, 0x2000, NULL, NULL, NULL), -ENOENT);
}

static void out_of_table_memory(void **state)
{
	struct pgtable pt;
	(void)state;

	pool_limit = 3;		/* PML4, PDPT, PD: no room for a PT */
	assert_int_equal(pgtable_create(&pt, &ops, false), 0);
	assert_int_equal(pgtable_map(&pt, 0x200000, 0x200000, 0x200000, 0), 0);
	assert_int_equal(pgtable_map(&pt, 0x1000, 0x1000, 0x1000, 0), -ENOMEM);
	check_translation(&pt, 0x200000, 0x200000, 0x200000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(map_picks_largest_pages, setup, teardown),
		cmocka_unit_test_setup_teardown(huge_pages_when_allowed, setup, teardown),
		cmocka_unit_test_setup_teardown(misaligned_va_pa_use_small_pages, setup, teardown),
		cmocka_unit_test_setup_teardown(overlap_refused_without_change, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_arguments, setup, teardown),
		cmocka_unit_test_setup_teardown(flags_reach_the_leaf, setup, teardown),
		cmocka_unit_test_setup_teardown(out_of_table_memory, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
