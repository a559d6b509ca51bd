/* SPDX-License-Identifier: GPL-2.0 */
/* The IOAPICs: routing of device interrupt lines (GSIs) to CPU vectors. */
#ifndef ARCH_IOAPIC_H
#define ARCH_IOAPIC_H

#include <kitten/types.h>

#define IOAPIC_ACTIVE_LOW	(1 << 0)
#define IOAPIC_LEVEL		(1 << 1)

int ioapic_add(uint32_t id, paddr_t address, uint32_t gsi_base);
/* Route gsi to vector on the CPU with apic_id, unmasked. */
int ioapic_route(uint32_t gsi, uint8_t vector, uint32_t apic_id,
		 unsigned flags);
int ioapic_mask(uint32_t gsi);
/* Whether the IOAPIC holds gsi masked, as read back from its register. */
bool ioapic_masked(uint32_t gsi);

/* Turn off the two 8259 PICs: the IOAPIC replaces them. */
void pic_disable(void);

#endif
