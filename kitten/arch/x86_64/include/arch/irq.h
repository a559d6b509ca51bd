/* SPDX-License-Identifier: GPL-2.0 */
/* Architecture side of interrupt set-up, called by platform discovery. */
#ifndef ARCH_IRQ_H
#define ARCH_IRQ_H

#include <kitten/types.h>

/* Vectors handed to devices; below them are the CPU exceptions. */
#define FIRST_DEVICE_VECTOR 0x30

void irq_init_isa_routes(void);
void irq_set_isa_override(unsigned irq, uint32_t gsi, unsigned flags);

#endif
