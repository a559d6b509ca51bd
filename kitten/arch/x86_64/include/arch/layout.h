/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's virtual address layout.
 *
 *   0x0000000000000000 - 0x00007fffffffffff  user space (one PML4 slot per
 *                                            SMARTMAP rank, see aspace)
 *   0xffff888000000000 - ...                 direct map of all physical RAM
 *   0xffffffff80000000 - 0xffffffffbfffffff  the kernel image (phys 0 - 1 GiB)
 *
 * The image is linked at KERNEL_VMA + its physical load address so that
 * -mcmodel=kernel code can use 32-bit sign-extended addresses. Everything
 * else reaches memory through the direct map, with __va()/__pa().
 */
#ifndef ARCH_LAYOUT_H
#define ARCH_LAYOUT_H

#define KERNEL_VMA	0xffffffff80000000
#define KERNEL_PHYS	0x100000
#define PHYS_MAP_BASE	0xffff888000000000

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1UL << PAGE_SHIFT)
#define LARGE_PAGE_SIZE	(1UL << 21)
#define HUGE_PAGE_SIZE	(1UL << 30)

/* The end of user space: the lower half of the canonical addresses. */
#define USER_TOP	(1ULL << 47)

#ifndef __ASSEMBLY__
#include <kitten/types.h>

static inline void *__va(paddr_t pa)
{
	return (void *)(pa + PHYS_MAP_BASE);
}

/* Physical address of a direct-map or kernel-image virtual address. */
static inline paddr_t __pa(const void *va)
{
	vaddr_t v = (vaddr_t)va;

	return v >= KERNEL_VMA ? v - KERNEL_VMA : v - PHYS_MAP_BASE;
}
#endif

#endif
