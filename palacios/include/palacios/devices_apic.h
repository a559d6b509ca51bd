/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The APIC devices of a PC: a local APIC for every vCPU ("lapic",
 * devices/lapic.c) and one 82093AA I/O APIC ("ioapic", devices/ioapic.c).
 * They meet only through intr.h: the local APICs own the APIC bus, the
 * I/O APIC is an IRQ router that sends messages on it and listens to EOIs.
 *
 * What the guest's firmware tables (core/acpi_tables.c's MADT) state:
 * local APIC ids equal vCPU ids; the I/O APIC's id after reset is the
 * number of vCPUs (the first id after the local APICs', modulo 16: the
 * register has 4 bits); its pins are GSIs 0-23 and GSI n is ISA IRQ n.
 *
 * Create "lapic" before any device that registers its own interrupt
 * source (the 8259 PIC): a vCPU asks its sources in registration order,
 * so the APIC's vectors then come first and the PIC's ExtINT vector is
 * taken only when the APIC has nothing deliverable.
 */
#ifndef PALACIOS_DEVICES_APIC_H
#define PALACIOS_DEVICES_APIC_H

#include <palacios/device.h>

#define V3_LAPIC_BASE		0xfee00000ull
#define V3_IOAPIC_BASE		0xfec00000ull
#define V3_IOAPIC_PINS		24

extern const struct v3_device_type v3_dev_lapic;
extern const struct v3_device_type v3_dev_ioapic;

#endif
