// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel page-table set-up. The boot tables from head.S map 4 GiB
 * identically, which is wrong in both directions (user space must start
 * empty; RAM above 4 GiB is missing), so they are replaced here by tables
 * that map exactly the RAM ranges: the direct map at PHYS_MAP_BASE, and
 * the first 1 GiB again at KERNEL_VMA for the image.
 */
#define pr_fmt(fmt) "paging: " fmt

#include <arch/cpufeature.h>
#include <arch/layout.h>
#include <arch/paging.h>
#include <arch/x86.h>
#include <kitten/panic.h>
#include <kitten/printk.h>


struct pgtable kernel_pgtable;
static struct pgtable_ops kernel_pgtable_ops = { .to_virt = __va };

static void map_or_panic(vaddr_t va, paddr_t pa, uint64_t len, uint64_t flags)
{
	int err = pgtable_map(&kernel_pgtable, va, pa, len, flags);

	if (err)
		panic("cannot map %#lx-%#lx at %#lx: error %d", pa, pa + len,
		      va, err);
}

uint64_t paging_nx(void)
{
	return boot_cpu_has(X86_FEATURE_NX) ? PTE_NX : 0;
}

void paging_set_table_allocator(int (*alloc_table)(void *ctx, paddr_t *pa))
{
	kernel_pgtable_ops.alloc = alloc_table;
}

void paging_init(const struct paging_range *ram, unsigned nr,
		 int (*alloc_table)(void *ctx, paddr_t *pa))
{
	struct pgtable_stats st;
	uint64_t top = 0;

	kernel_pgtable_ops.alloc = alloc_table;
	if (pgtable_create(&kernel_pgtable, &kernel_pgtable_ops,
			   boot_cpu_has(X86_FEATURE_PDPE1GB)))
		panic("no memory for the kernel page tables");

	if (paging_nx())
		wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
	for (unsigned i = 0; i < nr; i++) {
		map_or_panic(PHYS_MAP_BASE + ram[i].start, ram[i].start,
			     ram[i].end - ram[i].start,
			     PTE_WRITE | PTE_GLOBAL | paging_nx());
		top = MAX(top, ram[i].end);
	}
	map_or_panic(KERNEL_VMA, 0, HUGE_PAGE_SIZE, PTE_WRITE | PTE_GLOBAL);

	write_cr4(read_cr4() | CR4_PGE);
	write_cr3(kernel_pgtable.root);

	pgtable_count(&kernel_pgtable, PHYS_MAP_BASE, top, &st);
	pr_info("direct map of %lu MiB: %lu x 1G, %lu x 2M, %lu x 4K pages\n",
		(st.pages_1g << 10) + (st.pages_2m << 1) + (st.pages_4k >> 8),
		st.pages_1g, st.pages_2m, st.pages_4k);
}

bool paging_kernel_mapped(vaddr_t va, uint64_t len)
{
	vaddr_t end = va + len;

	if (!kernel_pgtable.root)	/* still on the boot tables */
		return va >= KERNEL_VMA || (va >= PHYS_MAP_BASE &&
					    end <= PHYS_MAP_BASE + GiB(4));
	for (va = ALIGN_DOWN(va, PAGE_SIZE); va < end; va += PAGE_SIZE)
		if (pgtable_lookup(&kernel_pgtable, va, NULL, NULL, NULL))
			return false;
	return true;
}
