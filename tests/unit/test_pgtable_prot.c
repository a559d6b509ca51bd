// SPDX-License-Identifier: GPL-2.0
/*
 * Page permissions: pgtable_protect on whole and partial large pages
 * (splitting them over the same physical memory) and pgtable_merge
 * putting large pages back. Tables come from a pool that counts what is
 * taken and given back, so every split and merge is visible.
 */
#include "support.h"

#define POOL_PAGES 64
#include "pgtable_pool.h"

#define RW	(PTE_USER | PTE_WRITE | PTE_NX)
#define RO	(PTE_USER | PTE_NX)
#define RX	(PTE_USER)
#define NONE	(PTE_NX)

static uint64_t flags_at(struct pgtable *pt, vaddr_t va)
{
	uint64_t flags;

	assert_int_equal(pgtable_lookup(pt, va, NULL, &flags, NULL), 0);
	return flags & (PTE_USER | PTE_WRITE | PTE_NX | PTE_PRESENT);
}

static void check(struct pgtable *pt, vaddr_t va, paddr_t pa, uint64_t size,
		  uint64_t flags)
{
	paddr_t got;
	uint64_t got_size;

	assert_int_equal(pgtable_lookup(pt, va, &got, NULL, &got_size), 0);
	assert_int_equal(got, pa);
	assert_int_equal(got_size, size);
	assert_int_equal(flags_at(pt, va), flags | PTE_PRESENT);
}

static void count(struct pgtable *pt, uint64_t n4k, uint64_t n2m, uint64_t n1g)
{
	struct pgtable_stats st;

	pgtable_count(pt, 0, 1ULL << 39, &st);
	assert_int_equal(st.pages_4k, n4k);
	assert_int_equal(st.pages_2m, n2m);
	assert_int_equal(st.pages_1g, n1g);
}

static void whole_large_page_stays_large(void **state)
{
	struct pgtable pt;
	(void)state;

	assert_int_equal(pgtable_create(&pt, &ops, false), 0);
	assert_int_equal(pgtable_map(&pt, 0x400000, 0x10400000, 0x400000, RW), 0);
	unsigned used = pool_used;

	assert_int_equal(pgtable_protect(&pt, 0x400000, 0x200000, RO), 1);
	assert_int_equal(pool_used, used);
	count(&pt, 0, 2, 0);
	check(&pt, 0x400000 + 0x1234, 0x10401234, 0x200000, RO);
	check(&pt, 0x600000, 0x10600000, 0x200000, RW);
}

static void part_of_a_large_page_splits(void **state)
{
	struct pgtable pt;
	paddr_t detached[4];
	(void)state;

	assert_int_equal(pgtable_create(&pt, &ops, false), 0);
	assert_int_equal(pgtable_map(&pt, 0x400000, 0x10400000, 0x400000, RW), 0);
	unsigned used = pool_used;

	/* One guard page in the middle of the first 2 MiB page. */
	assert_int_equal(pgtable_protect(&pt, 0x405000, 0x1000, NONE), 1);
	assert_int_equal(pool_used, used + 1);
	count(&pt, 512, 1, 0);
	check(&pt, 0x404fff, 0x10404fff, 0x1000, RW);
	check(&pt, 0x405000, 0x10405000, 0x1000, NONE);
	check(&pt, 0x406000, 0x10406000, 0x1000, RW);
	check(&pt, 0x5ff000, 0x105ff000, 0x1000, RW);
	check(&pt, 0x600000, 0x10600000, 0x200000, RW);
	/* Nothing to merge while the page differs. */
	assert_int_equal(pgtable_merge(&pt, 0x400000, 0x400000, detached, 4), 0);

	/* Back to RW: the table is redundant and goes; 2 MiB again. */
	assert_int_equal(pgtable_protect(&pt, 0x405000, 0x1000, RW), 1);
	/* Only blocks wholly inside the range are looked at. */
	assert_int_equal(pgtable_merge(&pt, 0x405000, 0x1000, detached, 4), 0);
	assert_int_equal(pgtable_merge(&pt, 0x400000, 0x1ff000, detached, 4), 0);
	assert_int_equal(pgtable_merge(&pt, 0x400000, 0x200000, detached, 4), 1);
	assert_int_equal(detached[0], POOL_BASE + used * 4096ULL);
	count(&pt, 0, 2, 0);
	check(&pt, 0x405000, 0x10405000, 0x200000, RW);
}

static void range_across_two_large_pages(void **state)
{
	struct pgtable pt;
	(void)state;

	assert_int_equal(pgtable_create(&pt, &ops, false), 0);
	assert_int_equal(pgtable_map(&pt, 0x400000, 0x10400000, 0x400000, RW), 0);
	assert_int_equal(pgtable_protect(&pt, 0x5ff000, 0x2000, RX), 1);
	count(&pt, 1024, 0, 0);
	check(&pt, 0x5fe000, 0x105fe000, 0x1000, RW);
	check(&pt, 0x5ff000, 0x105ff000, 0x1000, RX);
	check(&pt, 0x600000, 0x10600000, 0x1000, RX);
	check(&pt, 0x601000, 0x10601000, 0x1000, RW);
}

static void same_permissions_change_nothing(void **state)
{
	struct pgtable pt;
	(void)state;

	assert_int_equal(pgtable_create(&pt, &ops, false), 0);
	assert_int_equal(pgtable_map(&pt, 0x400000, 0x10400000, 0x200000, RW), 0);
	unsigned used = pool_used;

	assert_int_equal(pgtable_protect(&pt, 0x401000, 0x3000, RW), 0);
	assert_int_equal(pool_used, used);
	count(&pt, 0, 1, 0);
}

static void giant_page_splits_twice_and_merges_back(void **state)
{
	struct pgtable pt;
	paddr_t detached[4];
	(void)state;

	assert_int_equal(pgtable_create(&pt, &ops, true), 0);
	assert_int_equal(pgtable_map(&pt, 1ULL << 30, 1ULL << 30, 1ULL << 30, RW), 0);
	count(&pt, 0, 0, 1);
	assert_int_equal(pgtable_protect(&pt, (1ULL << 30) + 0x201000, 0x1000, RO), 1);
	count(&pt, 512, 511, 0);
	check(&pt, (1ULL << 30) + 0x201000, (1ULL << 30) + 0x201000, 0x1000, RO);
	check(&pt, (1ULL << 30) + 0x400000, (1ULL << 30) + 0x400000, 0x200000, RW);
	check(&pt, (2ULL << 30) - 1, (2ULL << 30) - 1, 0x200000, RW);

	assert_int_equal(pgtable_protect(&pt, (1ULL << 30) + 0x201000, 0x1000, RW), 1);
	assert_int_equal(pgtable_merge(&pt, 1ULL << 30, 1ULL << 30,
				       detached, 4), 2);
	count(&pt, 0, 0, 1);
	check(&pt, (1ULL << 30) + 0x201000, (1ULL << 30) + 0x201000,
	      1ULL << 30, RW);
}

static void merge_needs_contiguous_aligned_memory(void **state)
{
	struct pgtable pt;
	paddr_t detached[4];
	(void)state;

	assert_int_equal(pgtable_create(&pt, &ops, false), 0);
	/* pa not 2 MiB aligned: 512 small pages that must stay small. */
	assert_int_equal(pgtable_map(&pt, 0x400000, 0x10401000, 0x200000, RW), 0);
	assert_int_equal(pgtable_merge(&pt, 0x400000, 0x200000, detached, 4), 0);
	/* Aligned but two halves from different places. */
	assert_int_equal(pgtable_map(&pt, 0x800000, 0x20800000, 0x100000, RW), 0);
	assert_int_equal(pgtable_map(&pt, 0x900000, 0x30900000, 0x100000, RW), 0);
	assert_int_equal(pgtable_merge(&pt, 0x800000, 0x200000, detached, 4), 0);
	count(&pt, 1024, 0, 0);
}

static void refused_before_any_change(void **state)
{
	struct pgtable pt;
	(void)state;

	assert_int_equal(pgtable_create(&pt, &ops, false), 0);
	assert_int_equal(pgtable_map(&pt, 0x400000, 0x10400000, 0x200000, RW), 0);
	/* Runs past the mapping: nothing changes. */
	assert_int_equal(pgtable_protect(&pt, 0x400000, 0x201000, RO), -ENOENT);
	check(&pt, 0x400000, 0x10400000, 0x200000, RW);
	assert_int_equal(pgtable_protect(&pt, 0x400800, 0x1000, RO), -EINVAL);
	assert_int_equal(pgtable_protect(&pt, 0x400000, 0x800, RO), -EINVAL);
	assert_int_equal(pgtable_protect(&pt, 0xfffffffffffff000ULL, 0x2000, RO),
			 -EINVAL);
	/* No table for the split: the old large page stays as it was. */
	pool_limit = pool_used;
	assert_int_equal(pgtable_protect(&pt, 0x401000, 0x1000, RO), -ENOMEM);
	check(&pt, 0x401000, 0x10401000, 0x200000, RW);
}

static void other_bits_survive(void **state)
{
	struct pgtable pt;
	uint64_t flags;
	(void)state;

	assert_int_equal(pgtable_create(&pt, &ops, false), 0);
	assert_int_equal(pgtable_map(&pt, 0x400000, 0x10400000, 0x200000,
				     RW | PTE_PCD | PTE_GLOBAL), 0);
	assert_int_equal(pgtable_protect(&pt, 0x400000, 0x1000, NONE), 1);
	assert_int_equal(pgtable_lookup(&pt, 0x400000, NULL, &flags, NULL), 0);
	assert_true(flags & PTE_PCD);
	assert_true(flags & PTE_GLOBAL);
	assert_false(flags & (PTE_USER | PTE_WRITE));
	assert_true(flags & PTE_NX);
	assert_int_equal(pgtable_lookup(&pt, 0x401000, NULL, &flags, NULL), 0);
	assert_true(flags & PTE_PCD);
	assert_false(flags & PTE_LARGE);	/* bit 7 is PAT in a 4 KiB leaf */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(whole_large_page_stays_large, setup, teardown),
		cmocka_unit_test_setup_teardown(part_of_a_large_page_splits, setup, teardown),
		cmocka_unit_test_setup_teardown(range_across_two_large_pages, setup, teardown),
		cmocka_unit_test_setup_teardown(same_permissions_change_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(giant_page_splits_twice_and_merges_back, setup, teardown),
		cmocka_unit_test_setup_teardown(merge_needs_contiguous_aligned_memory, setup, teardown),
		cmocka_unit_test_setup_teardown(refused_before_any_change, setup, teardown),
		cmocka_unit_test_setup_teardown(other_bits_survive, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
