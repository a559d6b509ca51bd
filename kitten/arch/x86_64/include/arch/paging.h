/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's own page tables: a direct map of RAM at PHYS_MAP_BASE and
 * the image at KERNEL_VMA. These upper-half mappings are shared by every
 * address space; user address spaces copy the kernel's PML4 entries.
 */
#ifndef ARCH_PAGING_H
#define ARCH_PAGING_H

#include <arch/pgtable.h>
#include <kitten/types.h>

struct paging_range {
	paddr_t start, end;
};

/*
 * Build the kernel tables: the direct map covers each of the nr RAM
 * ranges, with the largest pages that fit. alloc_table gives zeroed
 * 4 KiB pages that must already be reachable through the boot tables.
 */
void paging_init(const struct paging_range *ram, unsigned nr,
		 int (*alloc_table)(void *ctx, paddr_t *pa));

extern struct pgtable kernel_pgtable;

/* After the page allocator is up, new kernel tables come from it. */
void paging_set_table_allocator(int (*alloc_table)(void *ctx, paddr_t *pa));

/* PTE_NX when the CPU supports no-execute, else 0. */
uint64_t paging_nx(void);

/* True when [va, va+len) is mapped in the kernel tables (panic uses it). */
bool paging_kernel_mapped(vaddr_t va, uint64_t len);

#endif
