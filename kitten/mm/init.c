// SPDX-License-Identifier: GPL-2.0
/*
 * Memory initialization. The loader's map becomes a sanitized memmap with
 * the kernel's own ranges reserved; the kernel page tables are built from
 * it; then every usable byte goes into one buddy pool, which backs the
 * kernel heap and, later, the memory jobs are given.
 *
 * Before the buddy pool exists, page tables and the pool's metadata come
 * from early_alloc(), which carves them off the top of usable memory and
 * records them in the memmap as kernel memory.
 */
#define pr_fmt(fmt) "mm: " fmt

#include <arch/bootinfo.h>
#include <arch/layout.h>
#include <arch/paging.h>
#include <kitten/buddy.h>
#include <kitten/cmdline.h>
#include "page_debug.h"
#include <kitten/errno.h>
#include <kitten/kmem.h>
#include <kitten/memmap.h>
#include <kitten/mm.h>
#include <kitten/panic.h>
#include <kitten/printk.h>
#include <kitten/spinlock.h>
#include <kitten/string.h>

extern const char _kernel_start[], _kernel_end[];

static struct memmap memmap;
static struct buddy_pool phys_pool;
static struct kmem_heap kernel_heap;
static struct spinlock phys_lock = SPINLOCK_INIT("phys", LOCK_RANK_MM);
static struct spinlock heap_lock = SPINLOCK_INIT("heap", LOCK_RANK_HEAP);

/* Until the final page tables are live, only the low 4 GiB are mapped. */
static paddr_t early_limit = GiB(4);

static int early_alloc(uint64_t size, paddr_t *pa)
{
	size = ALIGN_UP(size, PAGE_SIZE);
	for (int i = (int)memmap.nr - 1; i >= 0; i--) {
		const struct memmap_entry *e = &memmap.entries[i];
		paddr_t top = MIN(e->base + e->size, early_limit);

		if (e->type != MEMMAP_USABLE || top < e->base + size)
			continue;
		*pa = ALIGN_DOWN(top - size, PAGE_SIZE);
		if (*pa < e->base)
			continue;
		if (memmap_reserve(&memmap, *pa, size, MEMMAP_KERNEL))
			return -ENOMEM;
		memset(__va(*pa), 0, size);
		return 0;
	}
	return -ENOMEM;
}

static int early_alloc_table(void *ctx, paddr_t *pa)
{
	(void)ctx;
	return early_alloc(PAGE_SIZE, pa);
}

static void build_memmap(const struct boot_info *bi)
{
	uint64_t limit;

	memmap_init(&memmap);
	for (unsigned i = 0; i < bi->nr_regions; i++)
		memmap_add(&memmap, bi->regions[i].base, bi->regions[i].len,
			   bi->regions[i].type);
	memmap_sanitize(&memmap);

	/* Real-mode memory: BIOS data, and where APs will start. */
	memmap_reserve(&memmap, 0, MiB(1), MEMMAP_RESERVED);
	memmap_reserve(&memmap, __pa(_kernel_start),
		       _kernel_end - _kernel_start, MEMMAP_KERNEL);
	memmap_reserve(&memmap, ALIGN_DOWN(bi->info_start, PAGE_SIZE),
		       ALIGN_UP(bi->info_end, PAGE_SIZE) -
			       ALIGN_DOWN(bi->info_start, PAGE_SIZE),
		       MEMMAP_RESERVED);
	/*
	 * Whole pages: a module's end is rarely page-aligned (GRUB aligns
	 * only its start), and the page allocator manages whole pages.
	 */
	for (unsigned i = 0; i < bi->nr_modules; i++) {
		paddr_t lo = ALIGN_DOWN(bi->modules[i].start, PAGE_SIZE);
		paddr_t hi = ALIGN_UP(bi->modules[i].end, PAGE_SIZE);

		memmap_reserve(&memmap, lo, hi - lo, MEMMAP_MODULE);
	}

	if (cmdline_get_size(bi->cmdline, "mem", &limit) == 0) {
		pr_info("mem=%lu MiB: ignoring memory above it\n", limit >> 20);
		memmap_clip(&memmap, limit);
	}
}

/*
 * The direct map covers RAM and firmware tables. Reserved ranges are
 * mapped only below 4 GiB, where BIOS data and tables live; above it they
 * are address space the chipset claims (terabytes of it on some boards).
 */
static bool direct_mapped(const struct memmap_entry *e)
{
	if (e->type == MEMMAP_BAD)
		return false;
	if (e->type == MEMMAP_RESERVED)
		return e->base + e->size <= GiB(4);
	return true;
}

static void map_kernel(void)
{
	static struct paging_range ram[MEMMAP_MAX_ENTRIES];
	unsigned nr = 0;

	for (unsigned i = 0; i < memmap.nr; i++) {
		const struct memmap_entry *e = &memmap.entries[i];

		if (!direct_mapped(e))
			continue;
		/* Ranges that touch or share a page become one. */
		if (nr && ram[nr - 1].end >= ALIGN_DOWN(e->base, PAGE_SIZE))
			ram[nr - 1].end = MAX(ram[nr - 1].end,
					      ALIGN_UP(e->base + e->size, PAGE_SIZE));
		else
			ram[nr++] = (struct paging_range){
				ALIGN_DOWN(e->base, PAGE_SIZE),
				ALIGN_UP(e->base + e->size, PAGE_SIZE),
			};
	}
	paging_init(ram, nr, early_alloc_table);
	early_limit = ~0ULL;
}

static void init_buddy(void)
{
	paddr_t top = 0, meta;

	for (unsigned i = 0; i < memmap.nr; i++)
		if (memmap.entries[i].type == MEMMAP_USABLE)
			top = MAX(top, memmap.entries[i].base + memmap.entries[i].size);
	if (early_alloc(buddy_meta_size(top), &meta))
		panic("no memory for the page allocator's metadata");
	buddy_init(&phys_pool, 0, top, __va(meta), __va);
	for (unsigned i = 0; i < memmap.nr; i++)
		if (memmap.entries[i].type == MEMMAP_USABLE)
			buddy_add_free(&phys_pool, memmap.entries[i].base,
				       memmap.entries[i].size);
}

static int heap_page_alloc(void *ctx, unsigned order, void **out)
{
	paddr_t pa;
	int err;

	(void)ctx;
	err = page_alloc(order, &pa);
	if (!err)
		*out = __va(pa);
	return err;
}

static void heap_page_free(void *ctx, void *ptr)
{
	(void)ctx;
	page_free(__pa(ptr));
}

/* Kernel page tables grow from the buddy pool once it exists. */
static int table_page_alloc(void *ctx, paddr_t *pa)
{
	int err;

	(void)ctx;
	err = page_alloc(0, pa);
	if (!err)
		memset(__va(*pa), 0, PAGE_SIZE);
	return err;
}

void mm_init(const struct boot_info *bi)
{
	build_memmap(bi);
	map_kernel();
	init_buddy();
	kmem_heap_init(&kernel_heap, heap_page_alloc, heap_page_free, NULL);
	/* Off by default: a freed object costs a memset, a new one a scan. */
	kernel_heap.check_freed = cmdline_get(bi->cmdline, "kmem_debug", NULL, 0);
	if (kernel_heap.check_freed && !page_debug_init(phys_pool.nr_pages << PAGE_SHIFT))
		pr_err("kmem_debug: no memory to check freed pages\n");
	paging_set_table_allocator(table_page_alloc);

	memmap_print(&memmap);
	pr_info("%lu KiB usable, %lu KiB kernel, %lu KiB free\n",
		memmap_total(&memmap, MEMMAP_USABLE) >> 10,
		memmap_total(&memmap, MEMMAP_KERNEL) >> 10,
		buddy_free_bytes(&phys_pool) >> 10);
}

int page_alloc(unsigned order, paddr_t *pa)
{
	unsigned long flags = spin_lock_irqsave(&phys_lock);
	int err;

	page_debug_check_lists(&phys_pool);
	err = buddy_alloc(&phys_pool, order, pa);
	if (!err)
		page_debug_check(*pa, PAGE_SIZE << order);
	spin_unlock_irqrestore(&phys_lock, flags);
	return err;
}

int page_free(paddr_t pa)
{
	unsigned long flags = spin_lock_irqsave(&phys_lock);
	int order = buddy_block_order(&phys_pool, pa);
	int err;

	if (order >= 0)
		page_debug_freed(pa, PAGE_SIZE << order,
				 __builtin_return_address(0));
	err = buddy_free(&phys_pool, pa);

	spin_unlock_irqrestore(&phys_lock, flags);
	return err;
}

int page_alloc_exact(uint64_t size, uint64_t align, paddr_t *pa)
{
	unsigned long flags = spin_lock_irqsave(&phys_lock);
	int err;

	page_debug_check_lists(&phys_pool);
	err = buddy_alloc_exact(&phys_pool, size, align, pa);

	if (!err)
		page_debug_check(*pa, size);

	spin_unlock_irqrestore(&phys_lock, flags);
	return err;
}

int page_free_range(paddr_t pa, uint64_t size)
{
	unsigned long flags = spin_lock_irqsave(&phys_lock);
	int err;

	page_debug_freed(pa, size, __builtin_return_address(0));
	err = buddy_free_range(&phys_pool, pa, size);

	spin_unlock_irqrestore(&phys_lock, flags);
	return err;
}

uint64_t mm_largest_free(void)
{
	int order = buddy_largest_free_order(&phys_pool);

	return order < 0 ? 0 : PAGE_SIZE << order;
}

uint64_t mm_free_memory(uint64_t align, uint64_t *largest_run)
{
	unsigned long flags = spin_lock_irqsave(&phys_lock);
	uint64_t free = buddy_free_bytes(&phys_pool);

	*largest_run = buddy_largest_run(&phys_pool, align);
	spin_unlock_irqrestore(&phys_lock, flags);
	return free;
}

uint64_t mm_free_bytes(void)
{
	return buddy_free_bytes(&phys_pool);
}

uint64_t mm_managed_bytes(void)
{
	return buddy_managed_bytes(&phys_pool);
}

const struct memmap *mm_memmap(void)
{
	return &memmap;
}

void *kmem_alloc(size_t size)
{
	unsigned long flags = spin_lock_irqsave(&heap_lock);
	void *p = kmem_heap_alloc(&kernel_heap, size);

	spin_unlock_irqrestore(&heap_lock, flags);
	return p;
}

void *kmem_zalloc(size_t size)
{
	void *p = kmem_alloc(size);

	if (p)
		memset(p, 0, size);
	return p;
}

void kmem_free(void *ptr)
{
	unsigned long flags = spin_lock_irqsave(&heap_lock);

	kmem_heap_free_from(&kernel_heap, ptr, __builtin_return_address(0));
	spin_unlock_irqrestore(&heap_lock, flags);
}

uint64_t kmem_bytes_in_use(void)
{
	return kernel_heap.bytes_in_use;
}

void kmem_snapshot(struct kmem_heap *out)
{
	unsigned long flags = spin_lock_irqsave(&heap_lock);

	*out = kernel_heap;
	spin_unlock_irqrestore(&heap_lock, flags);
}
