/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Additions to the long-mode page tables. entry64.S identity-maps the
 * first 1 GiB with 2 MiB pages; guests map more (the MMIO page, test
 * pages, a second root) with 4 KiB or 2 MiB entries made here. Tables come
 * from a small zeroed pool and are reached through the identity map, as
 * the pool lies in the first 1 GiB.
 */
#include "guest.h"

#define POOL_PAGES 16

static u64 pool[POOL_PAGES][512] __aligned(PAGE_SIZE);
static unsigned int pool_used;

u64 *pt64_alloc(void)
{
	if (pool_used == POOL_PAGES) {
		printf("# pt64: out of page-table pages\n");
		guest_exit(1);
	}
	return pool[pool_used++];
}

/*
 * The entry that maps va at the given level (1: 4 KiB page, 2: 2 MiB
 * page, 3: 1 GiB page) under pml4, adding the tables above it if missing.
 */
volatile u64 *pt64_entry(u64 *pml4, u64 va, int level)
{
	u64 *table = pml4;
	int l;

	for (l = 4; l > level; l--) {
		volatile u64 *e = &table[(va >> (12 + 9 * (l - 1))) & 511];

		if (*e & PTE_PS) {
			printf("# pt64: 0x%lx lies in a large page\n", va);
			guest_exit(1);
		}
		if (!(*e & PTE_P))
			*e = (uintptr_t)pt64_alloc() | PTE_P | PTE_W;
		table = (u64 *)(uintptr_t)(*e & PTE_ADDR);
	}
	return &table[(va >> (12 + 9 * (level - 1))) & 511];
}
