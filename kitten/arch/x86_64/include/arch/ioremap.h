/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Uncached mappings of device memory (local APIC, IOAPIC, HPET) in their
 * own kernel virtual area, so device registers are never reached through
 * the cacheable direct map.
 */
#ifndef ARCH_IOREMAP_H
#define ARCH_IOREMAP_H

#include <kitten/types.h>

#define IOREMAP_BASE	0xffffc90000000000
#define IOREMAP_SIZE	(1UL << 30)

/* Map [pa, pa+size) uncached; returns NULL when out of space or memory. */
void *ioremap(paddr_t pa, uint64_t size);

#endif
