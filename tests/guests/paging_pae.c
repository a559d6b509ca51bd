/* SPDX-License-Identifier: GPL-2.0 */
/*
 * paging_pae: the paging checks (paging.c) in 32-bit PAE paging: a
 * four-entry PDPT, 8-byte entries, 4 KiB and 2 MiB pages, and NX when the
 * CPU has it.
 *
 * Both roots share the page directory that identity-maps the first
 * 16 MiB with 2 MiB pages (PDPT entry 0) and have their own directory and
 * page table for TEST_VA (PDPT entry 1); root 0's also maps the 2 MiB
 * page at LARGE_VA. PDPT entries have no W bit (it is reserved there) and
 * are loaded when CR3 is, so they are written before paging is on.
 */
#include "paging.h"

#define PD_SHIFT 21
#define PDPT_SHIFT 30
#define PD_INDEX(va) (((va) >> PD_SHIFT) & 511)

static u64 pdpt[2][4] __aligned(32);
static u64 pd_low[512] __aligned(PAGE_SIZE);
static u64 pd_test[2][512] __aligned(PAGE_SIZE);
static u64 pt[2][512] __aligned(PAGE_SIZE);

static bool cpu_has_nx(void)
{
	u32 a, b, c, d;

	cpuid(0x80000000, &a, &b, &c, &d);
	if (a < 0x80000001)
		return false;
	cpuid(0x80000001, &a, &b, &c, &d);
	return d & (1u << 20);
}

int guest_main(void)
{
	struct paging_mode mode = {
		.name = "PAE paging, 4 KiB and 2 MiB pages",
		.wide = true,
		.nx_format = true,
		.nx = cpu_has_nx(),
		.root = {(uintptr_t)pdpt[0], (uintptr_t)pdpt[1]},
		.pt = {pt[0], pt[1]},
		.large = &pd_test[0][PD_INDEX(LARGE_VA)],
		.large_size = 2ul << 20,
	};
	unsigned int r, i;

	for (i = 0; i < 8; i++)
		pd_low[i] = ((u64)i << PD_SHIFT) | PTE_P | PTE_W | PTE_PS;
	for (r = 0; r < 2; r++) {
		pd_test[r][PD_INDEX(TEST_VA)] =
			(uintptr_t)pt[r] | PTE_P | PTE_W;
		pdpt[r][0] = (uintptr_t)pd_low | PTE_P;
		pdpt[r][TEST_VA >> PDPT_SHIFT] = (uintptr_t)pd_test[r] | PTE_P;
	}
	pd_test[0][PD_INDEX(LARGE_VA)] = LARGE_PA | PTE_P | PTE_W | PTE_PS;

	if (mode.nx)
		wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
	write_cr4(read_cr4() | CR4_PAE);
	write_cr3(mode.root[0]);
	write_cr0(read_cr0() | CR0_PG | CR0_WP);
	return paging_run(&mode);
}
