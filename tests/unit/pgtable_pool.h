/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A pool of 4 KiB pages in host memory for the page-table tests:
 * "physical" addresses are indexes into it, so every table the code
 * touches is checked to be one it was given, and what it takes is
 * counted (pool_used). A test sets pool_limit to make allocation fail.
 * Include once per test program, after defining POOL_PAGES.
 */
#ifndef PGTABLE_POOL_H
#define PGTABLE_POOL_H

#include <stdlib.h>
#include <string.h>
#include <arch/pgtable.h>
#include <kitten/errno.h>

#define POOL_BASE  0x40000000ULL	/* fake physical address of page 0 */

static uint8_t (*pool)[4096];
static unsigned pool_used;
static unsigned pool_limit;

static void *pool_virt(paddr_t pa)
{
	assert_true(pa >= POOL_BASE && pa < POOL_BASE + POOL_PAGES * 4096ULL);
	assert_int_equal(pa & 0xfff, 0);
	return pool[(pa - POOL_BASE) >> 12];
}

static int pool_alloc(void *ctx, paddr_t *pa)
{
	(void)ctx;
	if (pool_used == pool_limit)
		return -ENOMEM;
	memset(pool[pool_used], 0, 4096);
	*pa = POOL_BASE + (uint64_t)pool_used++ * 4096;
	return 0;
}

static const struct pgtable_ops ops = { .to_virt = pool_virt, .alloc = pool_alloc };

static int setup(void **state)
{
	(void)state;
	pool = aligned_alloc(4096, POOL_PAGES * 4096);
	pool_used = 0;
	pool_limit = POOL_PAGES;
	return pool ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	free(pool);
	return 0;
}

#endif
