/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The PC's legacy platform devices, each one file in devices/:
 *
 *   pic    8259A master/slave pair (0x20, 0xA0) and the ELCR (0x4D0):
 *          IRQ router for lines 0-15, interrupt source of vCPU 0
 *   pit    8254 timer (0x40-0x43) and system control port B (0x61):
 *          channel 0 drives IRQ 0 through a timer on vCPU 0
 *   rtc    MC146818 clock and CMOS NVRAM (0x70, 0x71), IRQ 8
 *   i8042  keyboard controller (0x60, 0x64): probing, IRQ 1, and the
 *          reset line, which stops the VM
 *   passthrough  a host device's memory and ISA IRQ, given to the guest
 *
 * Device interrupts cross devices only through the IRQ lines of intr.h.
 * Lock order: a device's own lock, then the PIC's (devices drive lines
 * while holding their lock; the PIC calls no device).
 */
#ifndef PALACIOS_DEVICES_LEGACY_H
#define PALACIOS_DEVICES_LEGACY_H

#include <stdint.h>

#include <palacios/device.h>

extern const struct v3_device_type v3_dev_pic;
extern const struct v3_device_type v3_dev_pit;
extern const struct v3_device_type v3_dev_rtc;
extern const struct v3_device_type v3_dev_i8042;
extern const struct v3_device_type v3_dev_passthrough;

/*
 * The ISA lines the emulated PC drives, which a passthrough IRQ may not
 * share: PIT 0, keyboard 1, the PIC cascade 2, COM1 4, RTC 8, PCI INTx
 * 9-11 (pci.c), mouse 12.
 */
#define V3_EMULATED_IRQ_LINES	0x1f17u

/*
 * Describe mem_bytes of guest RAM, laid out below 3 GiB and from 4 GiB
 * (v3_mem_layout, as v3_vm_create does), in the CMOS fields SeaBIOS and old
 * kernels read: base and extended KiB (0x15-0x18, 0x30-0x31), 64 KiB
 * blocks between 16 MiB and 4 GiB (0x34-0x35), 64 KiB blocks above
 * 4 GiB (0x5b-0x5d), the equipment byte (0x14) and the checksum
 * (0x2e-0x2f). rtc is the device's instance (its create's *priv); the
 * device calls this itself with the VM's memory size when created.
 */
void v3_rtc_set_memory(void *rtc, uint64_t mem_bytes);

#endif
