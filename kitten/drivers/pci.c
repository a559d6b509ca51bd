// SPDX-License-Identifier: GPL-2.0
/*
 * PCI enumeration through configuration mechanism #1 (an address written
 * to port 0xcf8, data through 0xcfc), which every PC chipset QEMU models
 * (i440fx, q35) provides, so no ACPI MCFG is needed for the first 256
 * bytes of configuration space, which is all Kitten reads.
 *
 * At boot the buses are walked from bus 0, into each PCI-to-PCI bridge's
 * secondary bus; every function is recorded with its ids, class and
 * BARs (sized by the standard write-all-ones probe, with decoding off
 * meanwhile so the probe address never decodes), and printed on one
 * line. The firmware (SeaBIOS under QEMU -kernel) has already assigned
 * the BARs and interrupt lines; Kitten keeps what it chose. Then each
 * device is offered to the drivers in the table below.
 *
 * Interrupts: drivers use MSI-X (pci_msix_route): a message to a local
 * APIC, no IOAPIC pin and no routing table, and never shared.
 */
#define pr_fmt(fmt) "pci: " fmt

#include <arch/ioremap.h>
#include <arch/x86.h>
#include <kitten/errno.h>
#include <kitten/kmem.h>
#include <kitten/pci.h>
#include <kitten/printk.h>
#include <kitten/spinlock.h>
#include <kitten/string.h>

#define CONFIG_ADDRESS	0xcf8
#define CONFIG_DATA	0xcfc
#define PCI_MAX_DEVICES	256
#define PCI_MAX_BUSES	256

#define MSIX_CONTROL		2
#define MSIX_TABLE		4
#define MSIX_CTRL_ENABLE	0x8000
#define MSIX_CTRL_MASKALL	0x4000
#define MSIX_ENTRY_SIZE		16
#define MSI_ADDRESS_BASE	0xfee00000u

extern const struct pci_driver virtio_9p_driver;

/* Every driver Kitten has; a device goes to the first that matches. */
static const struct pci_driver *const drivers[] = {
	&virtio_9p_driver,
};

static struct pci_dev *devices[PCI_MAX_DEVICES];
static unsigned nr_devices;
static struct spinlock config_lock = SPINLOCK_INIT("pci-config", LOCK_RANK_LEAF);

static uint32_t config_read(uint8_t bus, uint8_t slot, uint8_t func,
			    unsigned off)
{
	unsigned long flags = spin_lock_irqsave(&config_lock);
	uint32_t v;

	outl(CONFIG_ADDRESS, 0x80000000u | bus << 16 | slot << 11 | func << 8 |
				     (off & 0xfc));
	v = inl(CONFIG_DATA);
	spin_unlock_irqrestore(&config_lock, flags);
	return v;
}

static void config_write(uint8_t bus, uint8_t slot, uint8_t func,
			 unsigned off, uint32_t v)
{
	unsigned long flags = spin_lock_irqsave(&config_lock);

	outl(CONFIG_ADDRESS, 0x80000000u | bus << 16 | slot << 11 | func << 8 |
				     (off & 0xfc));
	outl(CONFIG_DATA, v);
	spin_unlock_irqrestore(&config_lock, flags);
}

uint32_t pci_config_read32(const struct pci_dev *d, unsigned off)
{
	return config_read(d->bus, d->slot, d->func, off);
}

uint16_t pci_config_read16(const struct pci_dev *d, unsigned off)
{
	return pci_config_read32(d, off) >> (off & 2) * 8;
}

void pci_config_write32(const struct pci_dev *d, unsigned off, uint32_t v)
{
	config_write(d->bus, d->slot, d->func, off, v);
}

/* A 16-bit write through the 32-bit window: the other half is written
 * back as read, which is safe for the registers drivers change here
 * (command, whose neighbour status is write-one-to-clear, is written
 * with status zero so no status bit is cleared by accident). */
void pci_config_write16(const struct pci_dev *d, unsigned off, uint16_t v)
{
	uint32_t old = off == PCI_COMMAND ? 0 : pci_config_read32(d, off);
	unsigned shift = (off & 2) * 8;

	old &= ~(0xffffu << shift);
	pci_config_write32(d, off, old | (uint32_t)v << shift);
}

/*
 * Size BAR n of nr (and its upper half if it is 64-bit): write all ones,
 * read what sticks, put the address back. Returns the BAR slots used.
 */
static unsigned bar_probe(struct pci_dev *d, unsigned n, unsigned nr)
{
	unsigned off = PCI_BAR0 + 4 * n;
	uint32_t lo = pci_config_read32(d, off), mask, hi = 0, hmask = ~0u;
	struct pci_bar *b = &d->bar[n];

	pci_config_write32(d, off, ~0u);
	mask = pci_config_read32(d, off);
	pci_config_write32(d, off, lo);
	if (!mask || mask == ~0u)
		return 1;	/* not implemented */
	if (lo & 1) {
		b->io = true;
		b->base = lo & ~3u;
		b->size = (uint16_t)(~(mask & ~3u) + 1);
		return 1;
	}
	if ((lo & 6) == 4 && n + 1 < nr) {
		b->is64 = true;
		hi = pci_config_read32(d, off + 4);
		pci_config_write32(d, off + 4, ~0u);
		hmask = pci_config_read32(d, off + 4);
		pci_config_write32(d, off + 4, hi);
	}
	b->base = (uint64_t)hi << 32 | (lo & ~0xfu);
	b->size = ~((uint64_t)hmask << 32 | (mask & ~0xfu)) + 1;
	return b->is64 ? 2 : 1;
}

static void bars_probe(struct pci_dev *d)
{
	unsigned nr = d->header_type == 0 ? 6 : d->header_type == 1 ? 2 : 0;
	uint16_t cmd = pci_config_read16(d, PCI_COMMAND);
	/* A host bridge's decoding may carry the path to memory itself:
	 * it is left on, as Linux does. */
	bool quiet = d->class >> 8 != PCI_CLASS_BRIDGE_HOST;

	if (!nr)
		return;
	if (quiet)
		pci_config_write16(d, PCI_COMMAND,
				   cmd & ~(PCI_COMMAND_IO | PCI_COMMAND_MEMORY));
	for (unsigned n = 0; n < nr;)
		n += bar_probe(d, n, nr);
	if (quiet)
		pci_config_write16(d, PCI_COMMAND, cmd);
}

static void device_print(const struct pci_dev *d)
{
	char bars[160] = "";
	size_t len = 0;

	for (unsigned n = 0; n < PCI_NR_BARS; n++)
		if (d->bar[n].size && len < sizeof(bars))
			len += snprintf(bars + len, sizeof(bars) - len,
					" bar%u=%s%#lx+%#lx", n,
					d->bar[n].io ? "io:" : "",
					d->bar[n].base, d->bar[n].size);
	/* The INTx line the firmware routed, for the record: drivers
	 * here use MSI-X. */
	if (d->config[PCI_INTERRUPT_PIN] && d->irq_line != 0xff &&
	    len < sizeof(bars))
		snprintf(bars + len, sizeof(bars) - len, " irq %u", d->irq_line);
	pr_info("%02x:%02x.%x %04x:%04x class %06x%s\n", d->bus, d->slot,
		d->func, d->vendor, d->device, d->class, bars);
}

static void scan_bus(uint8_t bus, unsigned depth);

static void scan_function(uint8_t bus, uint8_t slot, uint8_t func,
			  unsigned depth)
{
	struct pci_dev *d;

	if (nr_devices == PCI_MAX_DEVICES) {
		pr_warn("more than %u functions; %02x:%02x.%x and later ignored\n",
			PCI_MAX_DEVICES, bus, slot, func);
		return;
	}
	d = kmem_zalloc(sizeof(*d));
	if (!d) {
		pr_err("out of memory at %02x:%02x.%x\n", bus, slot, func);
		return;
	}
	d->bus = bus;
	d->slot = slot;
	d->func = func;
	for (unsigned off = 0; off < PCI_CONFIG_SIZE; off += 4) {
		uint32_t v = config_read(bus, slot, func, off);

		memcpy(d->config + off, &v, 4);
	}
	d->vendor = pci_cfg16(d->config, PCI_VENDOR_ID);
	d->device = pci_cfg16(d->config, PCI_DEVICE_ID);
	d->class = pci_cfg32(d->config, PCI_CLASS_REVISION) >> 8;
	d->header_type = d->config[PCI_HEADER_TYPE] & 0x7f;
	d->irq_line = d->config[PCI_INTERRUPT_LINE];
	bars_probe(d);
	devices[nr_devices++] = d;
	device_print(d);
	if (d->header_type == 1 && d->class >> 8 == PCI_CLASS_BRIDGE_PCI) {
		uint8_t secondary = d->config[PCI_SECONDARY_BUS];

		/* A bridge the firmware left unconfigured has bus 0 (or
		 * its own) as secondary: do not walk in circles. */
		if (secondary > bus && depth < 32)
			scan_bus(secondary, depth + 1);
	}
}

static void scan_bus(uint8_t bus, unsigned depth)
{
	for (uint8_t slot = 0; slot < 32; slot++) {
		uint32_t id = config_read(bus, slot, 0, PCI_VENDOR_ID);
		uint8_t nr_func = 1;

		if ((id & 0xffff) == 0xffff)
			continue;
		if (config_read(bus, slot, 0, PCI_HEADER_TYPE & ~3u) >> 16 & 0x80)
			nr_func = 8;
		for (uint8_t func = 0; func < nr_func; func++)
			if (func == 0 ||
			    (config_read(bus, slot, func, 0) & 0xffff) != 0xffff)
				scan_function(bus, slot, func, depth);
	}
}

static bool driver_matches(const struct pci_driver *drv,
			   const struct pci_dev *d)
{
	for (const struct pci_device_id *id = drv->ids; id->vendor; id++)
		if (id->vendor == d->vendor && id->device == d->device)
			return true;
	return false;
}

static void probe_drivers(void)
{
	for (unsigned i = 0; i < nr_devices; i++) {
		struct pci_dev *d = devices[i];

		for (unsigned k = 0; k < ARRAY_SIZE(drivers) && !d->driver; k++) {
			int err;

			if (!driver_matches(drivers[k], d))
				continue;
			err = drivers[k]->probe(d);
			if (err)
				pr_err("%02x:%02x.%x: %s: probe failed (error %d)\n",
				       d->bus, d->slot, d->func,
				       drivers[k]->name, err);
			else
				d->driver = drivers[k];
		}
	}
}

void pci_init(void)
{
	/* Mechanism #1 answers with the enable bit read back; without
	 * it there is no PCI host bridge to talk to. */
	outl(CONFIG_ADDRESS, 0x80000000u);
	if (inl(CONFIG_ADDRESS) != 0x80000000u) {
		pr_info("no configuration mechanism #1: no PCI\n");
		return;
	}
	scan_bus(0, 0);
	pr_info("%u function(s)\n", nr_devices);
	probe_drivers();
}

struct pci_dev *pci_find_device(uint16_t vendor, uint16_t device, unsigned n)
{
	for (unsigned i = 0; i < nr_devices; i++)
		if (devices[i]->vendor == vendor &&
		    devices[i]->device == device && n-- == 0)
			return devices[i];
	return NULL;
}

struct pci_dev *pci_find_class(uint16_t class_sub, unsigned n)
{
	for (unsigned i = 0; i < nr_devices; i++)
		if (devices[i]->class >> 8 == class_sub && n-- == 0)
			return devices[i];
	return NULL;
}

unsigned pci_device_count(void)
{
	return nr_devices;
}

void *pci_bar_map(struct pci_dev *d, unsigned n)
{
	struct pci_bar *b;

	if (n >= PCI_NR_BARS)
		return NULL;
	b = &d->bar[n];
	if (!b->size || b->io || !b->base)
		return NULL;
	if (!b->virt)
		b->virt = ioremap(b->base, b->size);
	return b->virt;
}

void pci_enable_master(struct pci_dev *d)
{
	uint16_t cmd = pci_config_read16(d, PCI_COMMAND);

	pci_config_write16(d, PCI_COMMAND,
			   cmd | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
}

/* Entry `entry` of the MSI-X table, mapped; NULL without one. */
static volatile uint32_t *msix_entry(struct pci_dev *d, unsigned entry,
				     unsigned *cap)
{
	uint32_t table;
	uint8_t *base;

	*cap = pci_cap_find(d->config, PCI_CAP_ID_MSIX, 0);
	if (!*cap ||
	    entry > (pci_config_read16(d, *cap + MSIX_CONTROL) & 0x7ffu))
		return NULL;
	table = pci_cfg32(d->config, *cap + MSIX_TABLE);
	base = pci_bar_map(d, table & 7);
	if (!base)
		return NULL;
	return (volatile uint32_t *)(base + (table & ~7u) +
				     entry * MSIX_ENTRY_SIZE);
}

int pci_msix_route(struct pci_dev *d, unsigned entry, uint8_t vector,
		   uint32_t apic_id)
{
	unsigned cap;
	volatile uint32_t *e = msix_entry(d, entry, &cap);
	uint16_t ctrl;

	if (!e)
		return cap ? -EINVAL : -ENODEV;
	ctrl = pci_config_read16(d, cap + MSIX_CONTROL);
	/* Enabled with every vector masked while the entry is written. */
	pci_config_write16(d, cap + MSIX_CONTROL,
			   ctrl | MSIX_CTRL_ENABLE | MSIX_CTRL_MASKALL);
	e[0] = MSI_ADDRESS_BASE | (apic_id & 0xff) << 12;
	e[1] = 0;
	e[2] = vector;		/* fixed delivery, edge */
	e[3] = 0;		/* unmasked */
	pci_config_write16(d, PCI_COMMAND,
			   pci_config_read16(d, PCI_COMMAND) |
				   PCI_COMMAND_INTX_DISABLE);
	pci_config_write16(d, cap + MSIX_CONTROL,
			   (ctrl | MSIX_CTRL_ENABLE) & ~MSIX_CTRL_MASKALL);
	return 0;
}

int pci_msix_mask(struct pci_dev *d, unsigned entry, bool masked)
{
	unsigned cap;
	volatile uint32_t *e = msix_entry(d, entry, &cap);

	if (!e)
		return cap ? -EINVAL : -ENODEV;
	e[3] = masked;
	(void)e[3];	/* the write has reached the device */
	return 0;
}
