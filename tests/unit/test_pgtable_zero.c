// SPDX-License-Identifier: GPL-2.0
/*
 * pgtable_zero, MADV_DONTNEED without demand paging: a range is zeroed in
 * full the first time (large pages split to 4 KiB), and after that only
 * the 4 KiB pages whose dirty bit the CPU set; merging pages back into a
 * large page forgets what was known zero. The zero callback records what
 * it was asked to clear.
 */
#include "support.h"

#define POOL_PAGES 64
#include "pgtable_pool.h"

#define RW	(PTE_USER | PTE_WRITE | PTE_NX)
#define RO	(PTE_USER | PTE_NX)
#define VA	0x400000ULL
#define PA	0x10400000ULL

static struct {
	paddr_t pa;
	uint64_t size;
} zeroed[16];
static unsigned nr_zeroed;
static uint64_t bytes_zeroed;

static void record(void *ctx, paddr_t pa, uint64_t size)
{
	(void)ctx;
	if (nr_zeroed < 16)
		zeroed[nr_zeroed] = (typeof(zeroed[0])){ pa, size };
	nr_zeroed++;
	bytes_zeroed += size;
}

static int zero(struct pgtable *pt, vaddr_t va, uint64_t len)
{
	nr_zeroed = 0;
	bytes_zeroed = 0;
	return pgtable_zero(pt, va, len, record, NULL);
}

/* The 4 KiB entry mapping va, walked by hand. */
static pte_t *pte_of(struct pgtable *pt, vaddr_t va)
{
	pte_t *t = pool_virt(pt->root);

	for (int level = 4; level > 1; level--) {
		pte_t e = t[(va >> (12 + 9 * (level - 1))) & 511];

		assert_true(e & PTE_PRESENT);
		assert_false(e & PTE_LARGE);
		t = pool_virt(e & PTE_ADDR_MASK);
	}
	return &t[(va >> 12) & 511];
}

static void count(struct pgtable *pt, uint64_t n4k, uint64_t n2m)
{
	struct pgtable_stats st;

	pgtable_count(pt, 0, 1ULL << 39, &st);
	assert_int_equal(st.pages_4k, n4k);
	assert_int_equal(st.pages_2m, n2m);
}

static void first_time_zeroes_all_then_only_dirty(void **state)
{
	struct pgtable pt;
	pte_t *e;

	(void)state;
	assert_int_equal(pgtable_create(&pt, &ops, false), 0);
	assert_int_equal(pgtable_map(&pt, VA, PA, 0x400000, RW), 0);
	count(&pt, 0, 2);
	/* Across both large pages, from one page in. */
	assert_int_equal(zero(&pt, VA + 0x1000, 0x300000), 1);
	assert_int_equal(bytes_zeroed, 0x300000);
	assert_int_equal(zeroed[0].pa, PA + 0x1000);
	assert_int_equal(zeroed[0].size, 0x1ff000);
	assert_int_equal(zeroed[1].pa, PA + 0x200000);
	assert_int_equal(zeroed[1].size, 0x101000);
	count(&pt, 1024, 0);
	/* Nothing written since: nothing to do, no flush needed. */
	assert_int_equal(zero(&pt, VA + 0x1000, 0x300000), 0);
	assert_int_equal(nr_zeroed, 0);
	/* The CPU marks two pages dirty: exactly those are zeroed. */
	*pte_of(&pt, VA + 0x5000) |= PTE_DIRTY | PTE_ACCESSED;
	*pte_of(&pt, VA + 0x2ff000) |= PTE_DIRTY;
	assert_int_equal(zero(&pt, VA + 0x1000, 0x300000), 1);
	assert_int_equal(nr_zeroed, 2);
	assert_int_equal(zeroed[0].pa, PA + 0x5000);
	assert_int_equal(zeroed[0].size, 0x1000);
	assert_int_equal(zeroed[1].pa, PA + 0x2ff000);
	assert_false(*pte_of(&pt, VA + 0x5000) & PTE_DIRTY);
	assert_true(*pte_of(&pt, VA + 0x5000) & PTE_ZEROED);
	/* The page before the range was split but never zeroed: not known
	 * zero, so a range that covers it zeroes it. */
	assert_false(*pte_of(&pt, VA) & PTE_ZEROED);
	assert_int_equal(zero(&pt, VA, 0x2000), 0);
	assert_int_equal(nr_zeroed, 1);
	assert_int_equal(zeroed[0].pa, PA);
	/* The translations and rights did not change. */
	paddr_t pa;
	uint64_t flags;

	assert_int_equal(pgtable_lookup(&pt, VA + 0x123456, &pa, &flags, NULL), 0);
	assert_int_equal(pa, PA + 0x123456);
	assert_int_equal(flags & (PTE_USER | PTE_WRITE | PTE_NX), RW);
	e = pte_of(&pt, VA + 0x3ff000);
	assert_false(*e & PTE_ZEROED);	/* past the range */
}

static void merging_forgets_zeroed(void **state)
{
	struct pgtable pt;
	paddr_t detached[4];

	(void)state;
	assert_int_equal(pgtable_create(&pt, &ops, false), 0);
	assert_int_equal(pgtable_map(&pt, VA, PA, 0x200000, RW), 0);
	assert_int_equal(zero(&pt, VA, 0x200000), 1);
	assert_int_equal(zero(&pt, VA, 0x200000), 0);
	/* Rights change and change back: the pages merge into one again. */
	assert_int_equal(pgtable_protect(&pt, VA, 0x200000, RO), 1);
	assert_int_equal(pgtable_protect(&pt, VA, 0x200000, RW), 1);
	assert_int_equal(pgtable_merge(&pt, VA, 0x200000, detached, 4), 1);
	count(&pt, 0, 1);
	/* One dirty bit for 512 pages proves nothing: all is zeroed. */
	assert_int_equal(zero(&pt, VA, 0x200000), 1);
	assert_int_equal(bytes_zeroed, 0x200000);
}

static void unmapped_changes_nothing(void **state)
{
	struct pgtable pt;

	(void)state;
	assert_int_equal(pgtable_create(&pt, &ops, false), 0);
	assert_int_equal(pgtable_map(&pt, VA, PA, 0x200000, RW), 0);
	unsigned used = pool_used;

	assert_int_equal(zero(&pt, VA, 0x201000), -ENOENT);
	assert_int_equal(nr_zeroed, 0);
	assert_int_equal(pool_used, used);
	count(&pt, 0, 1);
	assert_int_equal(zero(&pt, VA + 1, 0x1000), -EINVAL);
}

static void no_table_for_split(void **state)
{
	struct pgtable pt;

	(void)state;
	assert_int_equal(pgtable_create(&pt, &ops, false), 0);
	assert_int_equal(pgtable_map(&pt, VA, PA, 0x200000, RW), 0);
	pool_limit = pool_used;
	assert_int_equal(zero(&pt, VA, 0x1000), -ENOMEM);
	/* What it did zero it reported; the mapping is whole. */
	assert_int_equal(bytes_zeroed, 0x1000);
	count(&pt, 0, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(first_time_zeroes_all_then_only_dirty,
						setup, teardown),
		cmocka_unit_test_setup_teardown(merging_forgets_zeroed, setup,
						teardown),
		cmocka_unit_test_setup_teardown(unmapped_changes_nothing, setup,
						teardown),
		cmocka_unit_test_setup_teardown(no_table_for_split, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
