// SPDX-License-Identifier: GPL-2.0
/*
 * Interrupt handler registration and dispatch. One handler per vector;
 * ISA IRQs are routed through the IOAPIC, honoring the firmware's
 * interrupt source overrides (on PCs ISA IRQ 0 arrives on GSI 2).
 * Every vector is counted per CPU, which is what /proc/interrupts and the
 * noise tests read.
 */
#define pr_fmt(fmt) "irq: " fmt

#include <arch/apic.h>
#include <arch/ioapic.h>
#include <arch/irq.h>
#include <arch/percpu.h>
#include <kitten/errno.h>
#include <kitten/irq.h>
#include <kitten/printk.h>
#include <kitten/spinlock.h>
#include <kitten/string.h>

#define NR_ISA_IRQS 16

struct vector_desc {
	irq_handler_t handler;
	void *arg;
	const char *name;
};

struct isa_route {
	uint32_t gsi;
	unsigned flags;
	int vector;		/* 0 when not requested */
};

static struct vector_desc vectors[NR_VECTORS];
static struct isa_route isa[NR_ISA_IRQS];
static struct spinlock irq_lock = SPINLOCK_INIT("irq", LOCK_RANK_LEAF);

void irq_init_isa_routes(void)
{
	for (unsigned i = 0; i < NR_ISA_IRQS; i++)
		isa[i] = (struct isa_route){ .gsi = i };
}

void irq_set_isa_override(unsigned irq, uint32_t gsi, unsigned flags)
{
	if (irq < NR_ISA_IRQS)
		isa[irq] = (struct isa_route){ .gsi = gsi, .flags = flags };
}

static int claim_vector(unsigned vector, irq_handler_t handler, void *arg,
			const char *name)
{
	unsigned long flags = spin_lock_irqsave(&irq_lock);
	int ret = -EBUSY;

	if (vector == 0) {
		for (unsigned v = FIRST_DEVICE_VECTOR; v < FIRST_SYSTEM_VECTOR; v++)
			if (!vectors[v].handler) {
				vector = v;
				break;
			}
		ret = -ENOSPC;
	}
	if (vector >= FIRST_EXTERNAL_VECTOR && vector < NR_VECTORS &&
	    !vectors[vector].handler) {
		vectors[vector] = (struct vector_desc){ handler, arg, name };
		ret = vector;
	}
	spin_unlock_irqrestore(&irq_lock, flags);
	return ret;
}

int irq_vector_request(unsigned vector, irq_handler_t handler, void *arg,
		       const char *name)
{
	int ret = claim_vector(vector, handler, arg, name);

	if (ret < 0)
		pr_err("%s: vector %u not available (error %d)\n", name, vector,
		       ret);
	return ret;
}

void irq_vector_free(unsigned vector)
{
	unsigned long flags = spin_lock_irqsave(&irq_lock);

	if (vector < NR_VECTORS)
		vectors[vector] = (struct vector_desc){ 0 };
	spin_unlock_irqrestore(&irq_lock, flags);
}

int request_irq(unsigned irq, irq_handler_t handler, void *arg,
		const char *name, unsigned cpu)
{
	int vector, err;

	if (irq >= NR_ISA_IRQS || cpu >= CONFIG_NR_CPUS || !cpus[cpu])
		return -EINVAL;
	if (isa[irq].vector)
		return -EBUSY;
	vector = irq_vector_request(0, handler, arg, name);
	if (vector < 0)
		return vector;
	err = ioapic_route(isa[irq].gsi, vector, cpus[cpu]->apic_id,
			   isa[irq].flags);
	if (err) {
		irq_vector_free(vector);
		pr_err("%s: IRQ %u (GSI %u) cannot be routed: error %d\n", name,
		       irq, isa[irq].gsi, err);
		return err;
	}
	isa[irq].vector = vector;
	return 0;
}

void free_irq(unsigned irq)
{
	if (irq >= NR_ISA_IRQS || !isa[irq].vector)
		return;
	ioapic_mask(isa[irq].gsi);
	irq_vector_free(isa[irq].vector);
	isa[irq].vector = 0;
}

bool irq_masked(unsigned irq)
{
	return irq >= NR_ISA_IRQS || ioapic_masked(isa[irq].gsi);
}

void irq_dispatch(struct trap_frame *frame)
{
	unsigned vector = frame->vector;
	struct vector_desc *d = &vectors[vector];

	this_cpu()->irq_count[vector]++;
	if (vector == APIC_SPURIOUS_VECTOR)
		return;		/* no EOI for a spurious interrupt */
	if (d->handler)
		d->handler(vector, d->arg, frame);
	else
		pr_warn("unexpected interrupt on vector %u (CPU %u)\n", vector,
			this_cpu_id());
	apic_eoi();
}

const char *irq_vector_name(unsigned vector)
{
	if (vector == APIC_SPURIOUS_VECTOR)
		return "spurious";
	return vector < NR_VECTORS && vectors[vector].name ?
		vectors[vector].name : "";
}

void irq_print_stats(void)
{
	struct cpu *c;

	for (unsigned v = FIRST_EXTERNAL_VECTOR; v < NR_VECTORS; v++) {
		char line[CONFIG_NR_CPUS * 9 + 1];
		size_t len = 0;
		uint64_t total = 0;

		for_each_online_cpu(c) {
			total += c->irq_count[v];
			len += snprintf(line + len, sizeof(line) - len, " %8lu",
					c->irq_count[v]);
		}
		if (total)
			printk(KERN_INFO "%4u:%s  %s\n", v, line,
			       vectors[v].name ? vectors[v].name : "");
	}
	for_each_online_cpu(c)
		printk(KERN_INFO "CPU%u: %lu context switches\n", c->id,
		       c->context_switches);
}
