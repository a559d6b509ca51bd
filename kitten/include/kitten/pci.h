/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PCI: the devices found on the buses at boot, their BARs and
 * capabilities, and the drivers that claim them.
 *
 * Enumeration (kitten/drivers/pci.c) reads each function's first 256
 * bytes of configuration space once, into pci_dev.config; the capability
 * list is walked over that copy (kitten/drivers/pci_cap.c, pure, so it is
 * tested on the host). Registers a driver changes (command, MSI-X
 * control) are read and written live with pci_config_*().
 *
 * Drivers are listed in the table in pci.c; after enumeration each
 * device is offered to the first driver whose id table matches it.
 */
#ifndef KITTEN_PCI_H
#define KITTEN_PCI_H

#include <kitten/types.h>

#define PCI_CONFIG_SIZE		256

/* Configuration header offsets (PCI Local Bus 3.0, 6.1). */
#define PCI_VENDOR_ID		0x00
#define PCI_DEVICE_ID		0x02
#define PCI_COMMAND		0x04
#define PCI_STATUS		0x06
#define PCI_CLASS_REVISION	0x08	/* class << 8 | revision */
#define PCI_HEADER_TYPE		0x0e
#define PCI_BAR0		0x10
#define PCI_SECONDARY_BUS	0x19	/* type 1 (bridge) headers */
#define PCI_SUBSYSTEM_ID	0x2e
#define PCI_CAPABILITY_LIST	0x34
#define PCI_INTERRUPT_LINE	0x3c
#define PCI_INTERRUPT_PIN	0x3d	/* 0: no INTx */

#define PCI_COMMAND_IO		0x0001
#define PCI_COMMAND_MEMORY	0x0002
#define PCI_COMMAND_MASTER	0x0004
#define PCI_COMMAND_INTX_DISABLE 0x0400
#define PCI_STATUS_CAP_LIST	0x0010

#define PCI_CAP_ID_MSIX		0x11
#define PCI_CAP_ID_VNDR		0x09

#define PCI_CLASS_BRIDGE_HOST	0x0600
#define PCI_CLASS_BRIDGE_PCI	0x0604

#define PCI_NR_BARS		6

struct pci_bar {
	paddr_t base;		/* bus address (memory) or port (I/O) */
	uint64_t size;		/* 0: not implemented */
	bool io;		/* an I/O port BAR */
	bool is64;		/* a 64-bit memory BAR (takes the next slot too) */
	void *virt;		/* mapping, once pci_bar_map() made it */
};

struct pci_driver;

struct pci_dev {
	uint8_t bus, slot, func;
	uint16_t vendor, device;
	uint32_t class;		/* base class << 16 | subclass << 8 | prog-if */
	uint8_t header_type;	/* without the multi-function bit */
	uint8_t irq_line;	/* as the firmware set it; 0xff: none */
	struct pci_bar bar[PCI_NR_BARS];
	uint8_t config[PCI_CONFIG_SIZE];	/* as read at enumeration */
	const struct pci_driver *driver;	/* the one that claimed it */
	void *driver_data;
};

struct pci_device_id {
	uint16_t vendor, device;
};

struct pci_driver {
	const char *name;
	const struct pci_device_id *ids;	/* ends with vendor 0 */
	/* Take the device: 0, or -errno and the device stays unclaimed. */
	int (*probe)(struct pci_dev *dev);
};

/* Enumerate every bus, print one line per function, probe drivers. */
void pci_init(void);

/* The n-th function (from 0) with this vendor and device id, or NULL. */
struct pci_dev *pci_find_device(uint16_t vendor, uint16_t device, unsigned n);
/* The n-th function of this class (class << 8 | subclass), or NULL. */
struct pci_dev *pci_find_class(uint16_t class_sub, unsigned n);
unsigned pci_device_count(void);

uint32_t pci_config_read32(const struct pci_dev *dev, unsigned off);
uint16_t pci_config_read16(const struct pci_dev *dev, unsigned off);
void pci_config_write32(const struct pci_dev *dev, unsigned off, uint32_t v);
void pci_config_write16(const struct pci_dev *dev, unsigned off, uint16_t v);

/* Map memory BAR n uncached (once; later calls return the same). NULL if
 * it is absent, an I/O BAR, or cannot be mapped. */
void *pci_bar_map(struct pci_dev *dev, unsigned n);
/* Turn on memory decoding and bus mastering (DMA). */
void pci_enable_master(struct pci_dev *dev);

/*
 * Point MSI-X table entry `entry` at vector on the CPU with APIC id
 * apic_id, unmask it and enable MSI-X (INTx off). -ENODEV when the
 * device has no MSI-X, -EINVAL for an entry beyond its table.
 */
int pci_msix_route(struct pci_dev *dev, unsigned entry, uint8_t vector,
		   uint32_t apic_id);

/* Mask or unmask MSI-X table entry `entry`; while it is masked the
 * device holds its messages pending and sends them on unmask. */
int pci_msix_mask(struct pci_dev *dev, unsigned entry, bool masked);

/*
 * Capability walking over a configuration-space copy (pure): the offset
 * of the first capability with this id after offset `after` (0: from
 * the start of the list), or 0 when there is none. A list that loops or
 * points into the header ends the walk.
 */
unsigned pci_cap_find(const uint8_t config[PCI_CONFIG_SIZE], uint8_t id,
		      unsigned after);

static inline uint16_t pci_cfg16(const uint8_t *c, unsigned off)
{
	return c[off] | c[off + 1] << 8;
}

static inline uint32_t pci_cfg32(const uint8_t *c, unsigned off)
{
	return pci_cfg16(c, off) | (uint32_t)pci_cfg16(c, off + 2) << 16;
}

#endif
