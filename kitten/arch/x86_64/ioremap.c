// SPDX-License-Identifier: GPL-2.0
/*
 * ioremap: device registers are mapped once at boot and never unmapped,
 * so the virtual area is handed out by a simple bump pointer.
 */
#define pr_fmt(fmt) "ioremap: " fmt

#include <arch/ioremap.h>
#include <arch/layout.h>
#include <arch/paging.h>
#include <kitten/printk.h>
#include <kitten/spinlock.h>

static vaddr_t next_va = IOREMAP_BASE;
static struct spinlock ioremap_lock = SPINLOCK_INIT("ioremap", LOCK_RANK_PGTABLE);

void *ioremap(paddr_t pa, uint64_t size)
{
	paddr_t start = ALIGN_DOWN(pa, PAGE_SIZE);
	uint64_t len = ALIGN_UP(pa + size, PAGE_SIZE) - start;
	unsigned long flags = spin_lock_irqsave(&ioremap_lock);
	vaddr_t va = next_va;
	int err = -1;

	if (va + len <= IOREMAP_BASE + IOREMAP_SIZE)
		err = pgtable_map(&kernel_pgtable, va, start, len,
				  PTE_WRITE | PTE_PCD | PTE_PWT | PTE_GLOBAL |
					  paging_nx());
	if (!err)
		next_va += len;
	spin_unlock_irqrestore(&ioremap_lock, flags);
	if (err) {
		pr_err("cannot map %#lx (+%#lx): error %d\n", pa, size, err);
		return NULL;
	}
	return (void *)(va + (pa - start));
}
