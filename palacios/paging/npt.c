// SPDX-License-Identifier: GPL-2.0
/*
 * Nested paging (AMD NPT): one table per VM mapping guest-physical to
 * host-physical, built once when the VM is created because the memory map
 * does not change while it runs. RAM is mapped with 2 MiB pages where the
 * guest and host addresses are both aligned and the 2 MiB lie in one RAM
 * region with no hook; 4 KiB pages fill the rest. Passed-through device
 * memory is mapped the same way, uncached. Hooked pages and holes
 * stay unmapped, so the guest's accesses to them exit as nested page
 * faults: MMIO is emulated, anything else stops the VM.
 */
#include <palacios/paging.h>
#include <palacios/vmm.h>

static uint64_t alloc_table(void *ctx)
{
	(void)ctx;
	return v3_host->alloc_pages(1, V3_PAGE_SIZE);
}

static void free_table(void *ctx, uint64_t pa)
{
	(void)ctx;
	v3_host->free_pages(pa, 1);
}

static void *table_virt(void *ctx, uint64_t pa)
{
	(void)ctx;
	return v3_host->phys_to_virt(pa);
}

static const struct v3_pt_pages host_pages = {
	.alloc = alloc_table, .free = free_table, .to_virt = table_virt,
};

static int map_region(struct v3_vm *vm, const struct v3_mem_region *r)
{
	const uint64_t flags = PTE_W | PTE_U | (r->device ? PTE_PCD | PTE_PWT : 0);
	uint64_t gpa = r->start;

	while (gpa < r->end) {
		uint64_t hpa = r->hpa + (gpa - r->start);
		uint64_t size = V3_PAGE_SIZE;
		int ret;

		if (!(gpa & (V3_LARGE_PAGE - 1)) && !(hpa & (V3_LARGE_PAGE - 1)) &&
		    r->end - gpa >= V3_LARGE_PAGE &&
		    !v3_mem_hooked(&vm->mem, gpa, V3_LARGE_PAGE))
			size = V3_LARGE_PAGE;
		if (size == V3_PAGE_SIZE && v3_mem_hooked(&vm->mem, gpa, size)) {
			gpa += size;
			continue;
		}
		ret = v3_pt_map(&host_pages, vm->npt_root, 4, gpa, hpa, size,
				flags);
		if (ret)
			return ret;
		gpa += size;
	}
	return 0;
}

int v3_npt_build(struct v3_vm *vm)
{
	int ret;

	vm->npt_root = v3_host->alloc_pages(1, V3_PAGE_SIZE);
	if (!vm->npt_root)
		return -V3_ENOMEM;
	for (unsigned i = 0; i < vm->mem.nr_ram; i++) {
		ret = map_region(vm, &vm->mem.ram[i]);
		if (ret) {
			v3_npt_free(vm);
			return ret;
		}
	}
	return 0;
}

void v3_npt_free(struct v3_vm *vm)
{
	if (!vm->npt_root)
		return;
	v3_pt_clear(&host_pages, vm->npt_root, 4);
	v3_host->free_pages(vm->npt_root, 1);
	vm->npt_root = 0;
}
