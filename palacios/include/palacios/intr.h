/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How interrupts travel in a VM, modelled on a PC:
 *
 *   device --IRQ line--> routers (8259 PIC pair, IOAPIC)
 *   IOAPIC, MSI --APIC message--> APIC bus --> the target vCPU's local APIC
 *   local APIC, or the PIC through ExtINT --> interrupt source of a vCPU
 *   vCPU entry: the highest pending vector of its sources is injected
 *
 * Devices only drive lines (v3_irq_set_line) or send APIC messages
 * (v3_apic_send); they never choose vectors or vCPUs. Routers and
 * interrupt controllers register here, so the VM's configuration decides
 * which exist (a guest without an IOAPIC still gets its PIC interrupts).
 *
 * Lines, sources and the bus may be used from any thread: a device's
 * timer or a host IRQ handler (passthrough) raises a line on whatever CPU
 * it runs on. Each controller locks its own state.
 */
#ifndef PALACIOS_INTR_H
#define PALACIOS_INTR_H

#include <stdbool.h>
#include <stdint.h>

struct v3_vm;
struct v3_vcpu;

/* --- IRQ lines (ISA IRQ 0-15 and the IOAPIC's GSIs up to 23) ------------- */

#define V3_IRQ_LINES 24

struct v3_irq_router_ops {
	/* Line irq went to level (edge devices pulse: high, then low). */
	void (*set_line)(struct v3_vm *vm, unsigned irq, bool level, void *priv);
};

int v3_register_irq_router(struct v3_vm *vm, const struct v3_irq_router_ops *ops,
			   void *priv);
void v3_irq_set_line(struct v3_vm *vm, unsigned irq, bool level);
/* An edge: the line goes high then low. */
void v3_irq_pulse(struct v3_vm *vm, unsigned irq);

/* --- the APIC bus ------------------------------------------------------ */

enum v3_apic_delivery {
	V3_APIC_FIXED = 0,
	V3_APIC_LOWEST = 1,
	V3_APIC_SMI = 2,
	V3_APIC_NMI = 4,
	V3_APIC_INIT = 5,
	V3_APIC_SIPI = 6,
	V3_APIC_EXTINT = 7,
};

struct v3_apic_msg {
	uint32_t dest;		/* APIC id, or logical destination */
	bool logical;		/* destination mode */
	bool broadcast;		/* to all (dest 0xff physical) */
	uint8_t vector;
	uint8_t delivery;	/* enum v3_apic_delivery */
	bool level_trigger;	/* the IOAPIC wants an EOI broadcast back */
	int source_vcpu;	/* an IPI's sender (for shorthands), or -1 */
	uint8_t shorthand;	/* 0 none, 1 self, 2 all, 3 all but self */
};

struct v3_apic_bus_ops {
	/* Deliver msg to the matching local APICs; 0 or a negative errno. */
	int (*deliver)(struct v3_vm *vm, const struct v3_apic_msg *msg, void *priv);
};

struct v3_eoi_listener_ops {
	/* A local APIC took an EOI for a level-triggered vector. */
	void (*eoi)(struct v3_vm *vm, uint8_t vector, void *priv);
};

/* The local APIC device registers the bus; the IOAPIC listens to EOIs. */
int v3_register_apic_bus(struct v3_vm *vm, const struct v3_apic_bus_ops *ops,
			 void *priv);
int v3_register_eoi_listener(struct v3_vm *vm,
			     const struct v3_eoi_listener_ops *ops, void *priv);
/* -ENODEV when the VM has no local APICs. */
int v3_apic_send(struct v3_vm *vm, const struct v3_apic_msg *msg);
void v3_apic_eoi_broadcast(struct v3_vm *vm, uint8_t vector);

/* --- a vCPU's interrupt sources ---------------------------------------- */

struct v3_intr_source_ops {
	/* The vector this source wants delivered now, or -1. */
	int (*pending)(struct v3_vcpu *v, void *priv);
	/* The vCPU is taking it (the INTA cycle / IRR to ISR). */
	void (*ack)(struct v3_vcpu *v, uint8_t vector, void *priv);
};

/* The local APIC registers one per vCPU; the PIC one on vCPU 0 while the
 * guest uses it (virtual wire / no APIC). Sources are asked in order of
 * registration, after the VMM's own hypercall-raised vectors. */
int v3_register_intr_source(struct v3_vcpu *v,
			    const struct v3_intr_source_ops *ops, void *priv);
/* Something changed for v's sources: make it look again (from any thread). */
void v3_intr_kick(struct v3_vcpu *v);

/* INIT and SIPI for a vCPU (the local APIC's IPIs). */
void v3_vcpu_init_signal(struct v3_vcpu *v);
void v3_vcpu_startup(struct v3_vcpu *v, uint8_t vector);

#endif
