/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The driver interface to interrupts, close to Linux's so drivers port
 * with little change: request_irq() for a legacy (ISA) IRQ routed through
 * the IOAPIC, irq_vector_request() for a raw vector (IPIs, MSI, the APIC
 * timer). Handlers run with interrupts disabled on the CPU that took the
 * interrupt; the EOI is sent after they return.
 */
#ifndef KITTEN_IRQ_H
#define KITTEN_IRQ_H

#include <kitten/types.h>

struct trap_frame;

typedef void (*irq_handler_t)(unsigned vector, void *arg,
			      struct trap_frame *frame);

/* Route ISA IRQ irq (0-15) to a free vector on cpu and install handler. */
int request_irq(unsigned irq, irq_handler_t handler, void *arg,
		const char *name, unsigned cpu);
void free_irq(unsigned irq);
/* Whether ISA IRQ irq's line is masked where it is routed (an IRQ nobody
 * has requested, or one freed, must be). */
bool irq_masked(unsigned irq);

/* Install a handler for a vector (0 to pick a free one); returns it. */
int irq_vector_request(unsigned vector, irq_handler_t handler, void *arg,
		       const char *name);
void irq_vector_free(unsigned vector);

/* Called by trap dispatch for every vector at or above 32. */
void irq_dispatch(struct trap_frame *frame);

/* Print per-CPU interrupt counts by vector, and context switches. */
void irq_print_stats(void);
/* The name a vector's handler was installed with, or "" (stats.c). */
const char *irq_vector_name(unsigned vector);

#endif
