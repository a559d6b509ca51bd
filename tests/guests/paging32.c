/* SPDX-License-Identifier: GPL-2.0 */
/*
 * paging32: the paging checks (paging.c) in 32-bit paging with CR4.PSE,
 * two-level tables of 4-byte entries, 4 KiB and 4 MiB pages.
 *
 * Each of the two roots identity-maps the first 16 MiB with 4 MiB pages
 * and has its own page table for TEST_VA; root 0 also maps the 4 MiB page
 * at LARGE_VA.
 */
#include "paging.h"

#define PDE_SHIFT 22

static u32 pd[2][1024] __aligned(PAGE_SIZE);
static u32 pt[2][1024] __aligned(PAGE_SIZE);

int guest_main(void)
{
	struct paging_mode mode = {
		.name = "32-bit paging, 4 KiB and 4 MiB (PSE) pages",
		.root = {(uintptr_t)pd[0], (uintptr_t)pd[1]},
		.pt = {pt[0], pt[1]},
		.large = &pd[0][LARGE_VA >> PDE_SHIFT],
		.large_size = 4ul << 20,
	};
	unsigned int r, i;

	for (r = 0; r < 2; r++) {
		for (i = 0; i < 4; i++)
			pd[r][i] = (i << PDE_SHIFT) | PTE_P | PTE_W | PTE_PS;
		pd[r][TEST_VA >> PDE_SHIFT] = (uintptr_t)pt[r] | PTE_P | PTE_W;
	}
	pd[0][LARGE_VA >> PDE_SHIFT] = LARGE_PA | PTE_P | PTE_W | PTE_PS;

	write_cr4(read_cr4() | CR4_PSE);
	write_cr3(mode.root[0]);
	write_cr0(read_cr0() | CR0_PG | CR0_WP);
	return paging_run(&mode);
}
