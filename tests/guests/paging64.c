/* SPDX-License-Identifier: GPL-2.0 */
/*
 * paging64: the paging checks (paging.c) in long mode: four-level tables,
 * 4 KiB and 2 MiB pages, NX.
 *
 * Root 0 is lib/'s boot PML4, which identity-maps the first 1 GiB; the
 * test table and the 2 MiB page at LARGE_VA are added under it. Root 1 is
 * a second PML4 with a PDPT of its own that shares the boot identity map
 * (PDPT entry 0) and has its own table for TEST_VA.
 */
#include "paging.h"

static bool cpu_has_nx(void)
{
	u32 a, b, c, d;

	cpuid(0x80000001, &a, &b, &c, &d);
	return d & (1u << 20);
}

int guest_main(void)
{
	u64 *boot_pdpt = (u64 *)(uintptr_t)(boot_pml4[0] & PTE_ADDR);
	u64 *pml4_b = pt64_alloc(), *pdpt_b = pt64_alloc();
	struct paging_mode mode = {
		.name = "long-mode paging, 4 KiB and 2 MiB pages",
		.wide = true,
		.nx_format = true,
		.nx = cpu_has_nx(),
		.root = {(uintptr_t)boot_pml4, (uintptr_t)pml4_b},
		.large_size = 2ul << 20,
	};

	pml4_b[0] = (uintptr_t)pdpt_b | PTE_P | PTE_W;
	pdpt_b[0] = boot_pdpt[0];
	mode.pt[0] = pt64_entry(boot_pml4, TEST_VA, 1);
	mode.pt[1] = pt64_entry(pml4_b, TEST_VA, 1);
	mode.large = pt64_entry(boot_pml4, LARGE_VA, 2);
	*(volatile u64 *)mode.large = LARGE_PA | PTE_P | PTE_W | PTE_PS;

	if (mode.nx)
		wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
	return paging_run(&mode);
}
