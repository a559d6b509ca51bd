/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The PCI bus of a VM (devices/pci.c), for devices that plug into it.
 *
 * The "pci" device must be created before any PCI device: it is the host
 * bridge at 00:00.0 and bus 0, reached by configuration mechanism #1
 * (ports 0xCF8, 0xCFC-0xCFF). A device registers with a description of
 * its identity and its BARs and gets the next free slot, function 0. The
 * bus then owns the standard header (0x00-0x3F): it answers BAR sizing,
 * hooks each BAR's ports or memory where the guest puts it while the
 * command register enables decoding, and routes the device's INTx pin to
 * an IRQ line. It assigns every BAR an address when the device registers
 * (ports from 0xC000, memory from 0xE0000000) and enables decoding, so
 * a guest that boots without a BIOS finds working devices.
 *
 * INTx routing (a fixed swizzle, as a board's wiring would be): pin P
 * (1 = INTA#) of slot S drives IRQ line 9 + (S + P - 1) % 3, and the bus
 * writes that line into the interrupt line register (0x3C), where a
 * guest without an interrupt routing table looks for it. Lines are
 * level-triggered and shared: a line is high while any device on it
 * asserts its pin and has not set the command register's interrupt
 * disable bit.
 */
#ifndef PALACIOS_PCI_H
#define PALACIOS_PCI_H

#include <stdbool.h>
#include <stdint.h>

struct v3_vm;
struct v3_vcpu;
struct v3_pci_dev;

#define V3_PCI_MAX_BARS		6
#define V3_PCI_IO_BASE		0xc000u
#define V3_PCI_MEM_BASE		0xe0000000u
#define V3_PCI_MEM_LIMIT	0xfec00000u	/* the IOAPIC and up: not ours */

enum v3_pci_bar_type {
	V3_PCI_BAR_NONE,
	V3_PCI_BAR_IO,		/* ports: size a power of two, 4 to 256 */
	V3_PCI_BAR_MEM32,	/* 32-bit, not prefetchable: 2^n, >= 4096 */
};

/*
 * An access of len bytes at offset into a BAR; len is 1, 2 or 4 (8 for
 * memory) and the access lies within the BAR. priv is the description's.
 * Return 0, or a negative value after stopping the VM.
 */
typedef int (*v3_pci_bar_read_fn)(struct v3_vcpu *v, uint32_t offset,
				  void *data, unsigned len, void *priv);
typedef int (*v3_pci_bar_write_fn)(struct v3_vcpu *v, uint32_t offset,
				   const void *data, unsigned len, void *priv);

struct v3_pci_bar_desc {
	enum v3_pci_bar_type type;
	uint32_t size;
	v3_pci_bar_read_fn read;
	v3_pci_bar_write_fn write;
};

struct v3_pci_dev_desc {
	const char *name;		/* for the log */
	uint16_t vendor, device;
	uint16_t subsys_vendor, subsys_id;
	uint32_t class_code;		/* base << 16 | sub << 8 | prog-if */
	uint8_t revision;
	uint8_t int_pin;		/* 0: none; 1-4: INTA#-INTD# */
	struct v3_pci_bar_desc bars[V3_PCI_MAX_BARS];
	/*
	 * Optional: the device-specific registers 0x40-0xFF, a dword at a
	 * time (reg is dword aligned). A write gives the new bytes in val
	 * and which bytes the guest wrote in mask (0xff per byte). Without
	 * these the registers read as zero and writes are dropped. Called
	 * with the bus's lock held: do not call back into the bus.
	 */
	uint32_t (*cfg_read)(unsigned reg, void *priv);
	void (*cfg_write)(unsigned reg, uint32_t val, uint32_t mask,
			  void *priv);
	void *priv;
};

/*
 * Plug a device into vm's bus; desc is copied. NULL (and a log line)
 * when the VM has no bus, the bus is full or the description is invalid.
 */
struct v3_pci_dev *v3_pci_register(struct v3_vm *vm,
				   const struct v3_pci_dev_desc *desc);
/* Unplug it: its BARs are unhooked and its interrupt dropped. */
void v3_pci_unregister(struct v3_pci_dev *d);

/* Drive the device's INTx pin (any thread; it may hold its own lock). */
void v3_pci_set_irq(struct v3_pci_dev *d, bool level);

/*
 * The IRQ line INTx pin `pin` (1 = INTA) of bus-0 slot `slot` drives:
 * lines 9-11, swizzled by slot as on a PC. The firmware tables (the
 * DSDT's _PRT) describe the same wiring.
 */
static inline unsigned v3_pci_intx_line(unsigned slot, unsigned pin)
{
	return 9 + (slot + pin - 1) % 3;
}

#endif
