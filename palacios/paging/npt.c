// SPDX-License-Identifier: GPL-2.0
/*
 * Nested paging (AMD NPT): one table per VM mapping guest-physical to
 * host-physical, built once when the VM is created because the memory map
 * does not change while it runs. RAM is mapped with the largest page, of
 * 1 GiB (where the CPU has them), 2 MiB and 4 KiB, whose guest and host
 * addresses are both aligned to its size and which lies in one RAM region
 * with no hook. A few 1 GiB entries map a big guest: the nested walk
 * that follows a guest TLB miss touches three levels, not four, and the
 * tables of a 64 GiB guest take one page. Passed-through device
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

/* CPUID 0x80000001 EDX bit 26: 1 GiB pages, in NPT as in the host's. */
static bool have_1g_pages(void)
{
	uint32_t a = 0x80000001, b, c = 0, d;

	__asm__("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	return d & (1u << 26);
}

/* The largest page that maps [gpa, ...) onto hpa, within r, unhooked. */
static unsigned page_kind(struct v3_vm *vm, const struct v3_mem_region *r,
			  uint64_t gpa, uint64_t hpa, bool huge)
{
	static const uint64_t sizes[] = { V3_PAGE_SIZE, V3_LARGE_PAGE,
					  V3_HUGE_PAGE };

	for (unsigned k = huge ? 2 : 1; k > 0; k--)
		if (!((gpa | hpa) & (sizes[k] - 1)) && r->end - gpa >= sizes[k] &&
		    !v3_mem_hooked(&vm->mem, gpa, sizes[k]))
			return k;
	return 0;
}

static int map_region(struct v3_vm *vm, const struct v3_mem_region *r,
		      bool huge)
{
	const uint64_t flags = PTE_W | PTE_U | (r->device ? PTE_PCD | PTE_PWT : 0);
	uint64_t gpa = r->start;

	while (gpa < r->end) {
		uint64_t hpa = r->hpa + (gpa - r->start);
		unsigned k = page_kind(vm, r, gpa, hpa, huge);
		uint64_t size = V3_PAGE_SIZE << (9 * k);
		int ret;

		if (!k && v3_mem_hooked(&vm->mem, gpa, size)) {
			gpa += size;
			continue;
		}
		ret = v3_pt_map(&host_pages, vm->npt_root, 4, gpa, hpa, size,
				flags);
		if (ret)
			return ret;
		vm->npt_pages[k]++;
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
		ret = map_region(vm, &vm->mem.ram[i], have_1g_pages());
		if (ret) {
			v3_npt_free(vm);
			return ret;
		}
	}
	VM_INFO(vm, "nested page tables: %llu x 1G, %llu x 2M, %llu x 4K",
		(unsigned long long)vm->npt_pages[2],
		(unsigned long long)vm->npt_pages[1],
		(unsigned long long)vm->npt_pages[0]);
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
