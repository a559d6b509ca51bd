// SPDX-License-Identifier: GPL-2.0
/*
 * The page-table builder Palacios uses for nested and shadow tables:
 * mappings of each size in four-level and PAE form, lookups, the PAE
 * PDPT's restricted entries, and clearing (every table page given back).
 */
#include "support.h"

#include <stdlib.h>
#include <string.h>

#include <palacios/host.h>
#include <palacios/paging.h>

#define POOL_PAGES 64
static uint8_t pool[POOL_PAGES][4096] __attribute__((aligned(4096)));
static bool used[POOL_PAGES];
static unsigned in_use;

/* "Physical" addresses are page indexes + 1, times 4 KiB. */
static uint64_t alloc(void *ctx)
{
	(void)ctx;
	for (unsigned i = 0; i < POOL_PAGES; i++)
		if (!used[i]) {
			used[i] = true;
			in_use++;
			memset(pool[i], 0, 4096);
			return (uint64_t)(i + 1) << 12;
		}
	return 0;
}

static void release(void *ctx, uint64_t pa)
{
	(void)ctx;
	assert_true(used[(pa >> 12) - 1]);
	used[(pa >> 12) - 1] = false;
	in_use--;
}

static void *to_virt(void *ctx, uint64_t pa)
{
	(void)ctx;
	return pool[(pa >> 12) - 1];
}

static const struct v3_pt_pages pages = { NULL, alloc, release, to_virt };

static void test_four_levels(void **state)
{
	uint64_t root = alloc(NULL), size, *e;

	(void)state;
	assert_int_equal(v3_pt_map(&pages, root, 4, 0x7f0000001000ull, 0x123456000ull,
				   4096, PTE_W), 0);
	assert_int_equal(in_use, 4);	/* root + PDPT + PD + PT */
	e = v3_pt_lookup(&pages, root, 4, 0x7f0000001abcull, &size);
	assert_non_null(e);
	assert_int_equal(size, 4096);
	assert_int_equal(*e, 0x123456000ull | PTE_W | PTE_P);

	assert_int_equal(v3_pt_map(&pages, root, 4, 0x40000000, 0x80000000,
				   2u << 20, PTE_W), 0);
	e = v3_pt_lookup(&pages, root, 4, 0x401fffff, &size);
	assert_int_equal(size, 2u << 20);
	assert_true(*e & PTE_PS);
	/* A 4 KiB mapping inside a 2 MiB page is refused. */
	assert_int_equal(v3_pt_map(&pages, root, 4, 0x40001000, 0, 4096, 0),
			 -V3_EEXIST);
	/* Misaligned and unknown sizes too. */
	assert_int_equal(v3_pt_map(&pages, root, 4, 0x1000, 0, 2u << 20, 0),
			 -V3_EINVAL);
	assert_int_equal(v3_pt_map(&pages, root, 4, 0, 0, 8192, 0), -V3_EINVAL);
	assert_null(v3_pt_lookup(&pages, root, 4, 0x1000, &size));
	assert_non_null(v3_pt_entry(&pages, root, 4, 0x7f0000001000ull, 1));

	v3_pt_clear(&pages, root, 4);
	assert_int_equal(in_use, 1);	/* only the root remains */
	assert_null(v3_pt_lookup(&pages, root, 4, 0x7f0000001000ull, &size));
	release(NULL, root);
}

static void test_pae(void **state)
{
	uint64_t root = alloc(NULL), size, *e;
	uint64_t *pdpt = to_virt(NULL, root);

	(void)state;
	assert_int_equal(v3_pt_map(&pages, root, 3, 0xc0001000, 0x5000, 4096,
				   PTE_W | PTE_U), 0);
	/* PDPT entries carry only P (W and U are reserved there). */
	assert_int_equal(pdpt[3] & 0xfff, PTE_P);
	e = v3_pt_lookup(&pages, root, 3, 0xc0001000, &size);
	assert_int_equal(*e, 0x5000 | PTE_W | PTE_U | PTE_P);
	/* 1 GiB pages do not exist in PAE form. */
	assert_int_equal(v3_pt_map(&pages, root, 3, 0, 0, 1u << 30, 0),
			 -V3_EINVAL);
	v3_pt_clear(&pages, root, 3);
	assert_int_equal(in_use, 1);
	release(NULL, root);
}

static void test_out_of_pages(void **state)
{
	uint64_t root = alloc(NULL);
	int ret = 0;

	(void)state;
	/* Each 1 GiB apart needs a new PD and PT: the pool runs out. */
	for (uint64_t i = 0; i < POOL_PAGES && !ret; i++)
		ret = v3_pt_map(&pages, root, 4, i << 30, 0, 4096, 0);
	assert_int_equal(ret, -V3_ENOMEM);
	v3_pt_clear(&pages, root, 4);
	assert_int_equal(in_use, 1);
	release(NULL, root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_four_levels),
		cmocka_unit_test(test_pae),
		cmocka_unit_test(test_out_of_pages),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
