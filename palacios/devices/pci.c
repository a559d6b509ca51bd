// SPDX-License-Identifier: GPL-2.0
/*
 * The PCI host bridge and bus 0 (pci.h has the contract for devices).
 *
 * Configuration mechanism #1 (PCI Local Bus Specification 3.0, 3.2.2.3.2):
 * a dword write to 0xCF8 selects enable, bus, device, function and
 * dword register; 0xCFC-0xCFF then read or write that dword's bytes, in
 * any width. Only bus 0, function 0 exists; other targets read all ones
 * (no device answers the cycle). The host bridge at 00:00.0 says it is
 * an Intel 82441FX (8086:1237, class 0x060000): guests know it, it needs
 * no driver, and Linux's check for a working mechanism #1 looks for a
 * host bridge or an Intel device on bus 0.
 *
 * Each device's standard header is bytes with a write mask, so BAR
 * sizing falls out of the mask: writing all ones leaves the address bits
 * the size allows, which is the size mask the guest reads back. After a
 * write to the command register or a BAR the bus re-hooks the BAR's
 * ports or memory at its address when decoding is enabled and unhooks it
 * when not. A BAR over RAM or over another hook is left undecoded and
 * reported (the nested page tables already map RAM).
 *
 * Omitted: other buses and bridges, multi-function devices, expansion
 * ROMs, capabilities (no MSI), 64-bit and prefetchable BARs, and the
 * status register's error bits (no device here signals errors, so they
 * stay zero and need no write-one-to-clear). Byte accesses to 0xCF8-0xCFB
 * (the 82441FX's mechanism select) are reported once and ignored.
 */
#include <palacios/device.h>
#include <palacios/devices_pci.h>
#include <palacios/pci.h>
#include <palacios/vmm.h>

#define PCI_ADDR_PORT	0xcf8
#define PCI_DATA_PORT	0xcfc
#define PCI_ADDR_ENABLE	0x80000000u
#define PCI_ADDR_BITS	0x80fffffcu	/* reserved bits read as zero */
#define PCI_SLOTS	32

#define PCI_VENDOR	0x00
#define PCI_DEVICE	0x02
#define PCI_COMMAND	0x04
#define PCI_STATUS	0x06
#define PCI_REVISION	0x08
#define PCI_CLASS	0x09	/* prog-if, sub-class, base class */
#define PCI_CACHE_LINE	0x0c
#define PCI_LATENCY	0x0d
#define PCI_BAR0	0x10
#define PCI_SUBSYS	0x2c
#define PCI_INT_LINE	0x3c
#define PCI_INT_PIN	0x3d
#define PCI_HDR_SIZE	0x40

#define CMD_IO		0x0001
#define CMD_MEM		0x0002
/* Writable: I/O, memory, bus master, parity, SERR#, interrupt disable. */
#define CMD_WRITABLE	0x0547
#define CMD_INTX_OFF	0x0400
#define STATUS_INTX	0x0008

#define PCI_FIRST_IRQ	9
#define PCI_NR_IRQS	3

struct pci_bus;

struct pci_bar {
	struct v3_pci_dev *dev;
	unsigned index;
	bool mapped;
	uint32_t base;		/* where it is hooked, while mapped */
};

struct v3_pci_dev {
	struct pci_bus *bus;
	unsigned slot;
	struct v3_pci_dev_desc desc;
	uint8_t cfg[PCI_HDR_SIZE];
	uint8_t wmask[PCI_HDR_SIZE];
	struct pci_bar bars[V3_PCI_MAX_BARS];
	uint8_t reported_bars;	/* BARs whose placement failed, logged */
	bool reported_cfg;	/* a write to 0x40-0xFF without a hook */
	bool irq_level;		/* the pin; under irq_lock */
	bool irq_on;		/* counted on its line; under irq_lock */
	bool intx_off;		/* the command bit; under irq_lock */
};

struct pci_bus {
	struct v3_vm *vm;
	void *lock;		/* config address, headers, BAR hooks */
	void *irq_lock;		/* pins and lines; taken under device locks */
	uint32_t addr;
	struct v3_pci_dev *slots[PCI_SLOTS];
	uint32_t next_io;
	uint64_t next_mem;
	unsigned line_users[PCI_NR_IRQS];
	bool reported_port;
};

static uint32_t cfg_get(const struct v3_pci_dev *d, unsigned reg, unsigned len)
{
	uint32_t val = 0;

	for (unsigned i = 0; i < len; i++)
		val |= (uint32_t)d->cfg[reg + i] << (8 * i);
	return val;
}

static void cfg_put(uint8_t *bytes, unsigned reg, uint32_t val, unsigned len)
{
	for (unsigned i = 0; i < len; i++)
		bytes[reg + i] = val >> (8 * i);
}

static uint32_t len_mask(unsigned len)
{
	return len >= 4 ? ~0u : (1u << (8 * len)) - 1;
}

/*
 * The offset of an access into a BAR, or false when it falls outside:
 * the bus may be moving the BAR on another vCPU, so its hook can be
 * reached with an address outside the BAR as it is now. Such accesses
 * go nowhere, as on a bus.
 */
static bool bar_offset(const struct pci_bar *b, uint64_t addr, unsigned len,
		       uint32_t *off)
{
	uint64_t base = __atomic_load_n(&b->base, __ATOMIC_ACQUIRE);

	*off = addr - base;
	return addr >= base &&
	       addr - base + len <= b->dev->desc.bars[b->index].size;
}

static int bar_read(struct v3_vcpu *v, struct pci_bar *b, uint64_t addr,
		    void *data, unsigned len)
{
	uint32_t off;

	if (!bar_offset(b, addr, len, &off)) {
		v3_memset(data, 0xff, len);
		return 0;
	}
	return b->dev->desc.bars[b->index].read(v, off, data, len,
						b->dev->desc.priv);
}

static int bar_write(struct v3_vcpu *v, struct pci_bar *b, uint64_t addr,
		     const void *data, unsigned len)
{
	uint32_t off;

	if (!bar_offset(b, addr, len, &off))
		return 0;
	return b->dev->desc.bars[b->index].write(v, off, data, len,
						 b->dev->desc.priv);
}

static int bar_io_in(struct v3_vcpu *v, uint16_t port, void *data,
		     unsigned size, void *priv)
{
	return bar_read(v, priv, port, data, size);
}

static int bar_io_out(struct v3_vcpu *v, uint16_t port, const void *data,
		      unsigned size, void *priv)
{
	return bar_write(v, priv, port, data, size);
}

static int bar_mmio_read(struct v3_vcpu *v, uint64_t gpa, void *buf,
			 unsigned len, void *priv)
{
	return bar_read(v, priv, gpa, buf, len);
}

static int bar_mmio_write(struct v3_vcpu *v, uint64_t gpa, const void *buf,
			  unsigned len, void *priv)
{
	return bar_write(v, priv, gpa, buf, len);
}

static const struct v3_mmio_ops bar_mmio_ops = {
	bar_mmio_read, bar_mmio_write
};

static bool over_ram(const struct v3_vm *vm, uint64_t start, uint64_t end)
{
	for (unsigned i = 0; i < vm->mem.nr_ram; i++)
		if (start < vm->mem.ram[i].end && vm->mem.ram[i].start < end)
			return true;
	return false;
}

static void bar_map(struct pci_bar *b, uint32_t base)
{
	struct v3_pci_dev *d = b->dev;
	const struct v3_pci_bar_desc *bd = &d->desc.bars[b->index];
	struct v3_vm *vm = d->bus->vm;
	int ret;

	/* The base first: the hook may be called as soon as it exists. */
	__atomic_store_n(&b->base, base, __ATOMIC_RELEASE);
	if (bd->type == V3_PCI_BAR_IO)
		ret = v3_hook_io(vm, base, base + bd->size - 1, bar_io_in,
				 bar_io_out, b);
	else if (over_ram(vm, base, (uint64_t)base + bd->size))
		ret = -V3_EEXIST;
	else
		ret = v3_mem_hook(&vm->mem, base, bd->size, &bar_mmio_ops, b);
	b->mapped = !ret;
	if (ret && !(d->reported_bars & (1u << b->index))) {
		d->reported_bars |= 1u << b->index;
		VM_INFO(vm, "pci: %s BAR%u at 0x%x overlaps RAM or a device (%d): not decoded",
			d->desc.name, b->index, base, ret);
	}
}

static void bar_unmap(struct pci_bar *b)
{
	const struct v3_pci_bar_desc *bd = &b->dev->desc.bars[b->index];
	struct v3_vm *vm = b->dev->bus->vm;

	if (bd->type == V3_PCI_BAR_IO)
		v3_unhook_io(vm, b->base, b->base + bd->size - 1);
	else
		v3_mem_unhook(&vm->mem, b->base, bd->size);
	b->mapped = false;
}

/* Hook BAR i where its register says, if the command register decodes it. */
static void bar_update(struct v3_pci_dev *d, unsigned i)
{
	const struct v3_pci_bar_desc *bd = &d->desc.bars[i];
	struct pci_bar *b = &d->bars[i];
	bool io = bd->type == V3_PCI_BAR_IO;
	uint32_t base = cfg_get(d, PCI_BAR0 + 4 * i, 4) & (io ? ~3u : ~0xfu);
	bool decode = cfg_get(d, PCI_COMMAND, 2) & (io ? CMD_IO : CMD_MEM);
	bool want = bd->type != V3_PCI_BAR_NONE && decode && base &&
		    (!io || base + bd->size <= 0x10000);	/* ports are 16 bits */

	if (b->mapped && (!want || b->base != base))
		bar_unmap(b);
	if (want && !b->mapped)
		bar_map(b, base);
}

/* Lines are wired-OR: count the pins asserted on each. Under irq_lock. */
static void intx_update(struct v3_pci_dev *d)
{
	struct pci_bus *bus = d->bus;
	bool on = d->irq_level && !d->intx_off && d->desc.int_pin;
	unsigned line = v3_pci_intx_line(d->slot, d->desc.int_pin) - PCI_FIRST_IRQ;

	if (on == d->irq_on)
		return;
	d->irq_on = on;
	if (on ? bus->line_users[line]++ == 0 : --bus->line_users[line] == 0)
		v3_irq_set_line(bus->vm, PCI_FIRST_IRQ + line, on);
}

void v3_pci_set_irq(struct v3_pci_dev *d, bool level)
{
	unsigned long flags = v3_host->lock(d->bus->irq_lock);

	__atomic_store_n(&d->irq_level, level, __ATOMIC_RELAXED);
	intx_update(d);
	v3_host->unlock(d->bus->irq_lock, flags);
}

static uint32_t cfg_read(struct v3_pci_dev *d, unsigned reg, unsigned len)
{
	uint32_t val;

	if (reg >= PCI_HDR_SIZE) {
		val = d->desc.cfg_read ?
		      d->desc.cfg_read(reg & ~3u, d->desc.priv) : 0;
		return (val >> (8 * (reg & 3))) & len_mask(len);
	}
	val = cfg_get(d, reg, len);
	/* The interrupt status bit follows the pin (not under our lock). */
	if (reg <= PCI_STATUS && reg + len > PCI_STATUS &&
	    __atomic_load_n(&d->irq_level, __ATOMIC_RELAXED))
		val |= STATUS_INTX << (8 * (PCI_STATUS - reg));
	return val;
}

static void cfg_write(struct v3_pci_dev *d, unsigned reg, uint32_t val,
		      unsigned len)
{
	if (reg >= PCI_HDR_SIZE) {
		unsigned shift = 8 * (reg & 3);

		if (d->desc.cfg_write) {
			d->desc.cfg_write(reg & ~3u, val << shift,
					  len_mask(len) << shift, d->desc.priv);
		} else if (!d->reported_cfg) {
			d->reported_cfg = true;
			VM_INFO(d->bus->vm, "pci: %s has no register 0x%x: write dropped",
				d->desc.name, reg);
		}
		return;
	}
	for (unsigned i = 0; i < len; i++) {
		uint8_t *c = &d->cfg[reg + i], m = d->wmask[reg + i];

		*c = (*c & ~m) | ((val >> (8 * i)) & m);
	}
	if (reg < PCI_COMMAND + 2 && reg + len > PCI_COMMAND) {
		unsigned long flags = v3_host->lock(d->bus->irq_lock);

		d->intx_off = cfg_get(d, PCI_COMMAND, 2) & CMD_INTX_OFF;
		intx_update(d);
		v3_host->unlock(d->bus->irq_lock, flags);
		for (unsigned i = 0; i < V3_PCI_MAX_BARS; i++)
			bar_update(d, i);
	} else if (reg >= PCI_BAR0 && reg < PCI_BAR0 + 4 * V3_PCI_MAX_BARS) {
		bar_update(d, (reg - PCI_BAR0) / 4);
	}
}

/* The device a configuration cycle at the current address reaches. */
static struct v3_pci_dev *cfg_target(struct pci_bus *bus)
{
	uint32_t a = bus->addr;

	if (!(a & PCI_ADDR_ENABLE) || (a >> 16 & 0xff) || (a >> 8 & 7))
		return NULL;
	return bus->slots[a >> 11 & 0x1f];
}

static int data_in(struct v3_vcpu *v, uint16_t port, void *data, unsigned size,
		   void *priv)
{
	struct pci_bus *bus = priv;
	unsigned off = port - PCI_DATA_PORT;
	unsigned n = size < 4 - off ? size : 4 - off;
	uint32_t val = ~0u;
	unsigned long flags = v3_host->lock(bus->lock);
	struct v3_pci_dev *d = cfg_target(bus);

	(void)v;
	if (d)
		val = (val & ~len_mask(n)) |
		      cfg_read(d, (bus->addr & 0xfc) + off, n);
	v3_host->unlock(bus->lock, flags);
	v3_memcpy(data, &val, size);
	return 0;
}

static int data_out(struct v3_vcpu *v, uint16_t port, const void *data,
		    unsigned size, void *priv)
{
	struct pci_bus *bus = priv;
	unsigned off = port - PCI_DATA_PORT;
	unsigned n = size < 4 - off ? size : 4 - off;
	uint32_t val = 0;
	unsigned long flags;
	struct v3_pci_dev *d;

	(void)v;
	v3_memcpy(&val, data, n);
	flags = v3_host->lock(bus->lock);
	d = cfg_target(bus);
	if (d)
		cfg_write(d, (bus->addr & 0xfc) + off, val, n);
	v3_host->unlock(bus->lock, flags);
	return 0;
}

static bool addr_access(struct pci_bus *bus, uint16_t port, unsigned size)
{
	if (port == PCI_ADDR_PORT && size == 4)
		return true;
	if (!bus->reported_port) {
		bus->reported_port = true;
		VM_INFO(bus->vm, "pci: %u-byte access to port 0x%x is not a configuration address: ignored",
			size, port);
	}
	return false;
}

static int addr_in(struct v3_vcpu *v, uint16_t port, void *data, unsigned size,
		   void *priv)
{
	struct pci_bus *bus = priv;
	uint32_t val = ~0u;

	(void)v;
	if (addr_access(bus, port, size))
		val = __atomic_load_n(&bus->addr, __ATOMIC_RELAXED);
	v3_memcpy(data, &val, size);
	return 0;
}

static int addr_out(struct v3_vcpu *v, uint16_t port, const void *data,
		    unsigned size, void *priv)
{
	struct pci_bus *bus = priv;
	uint32_t val;

	(void)v;
	if (!addr_access(bus, port, size))
		return 0;
	v3_memcpy(&val, data, 4);
	__atomic_store_n(&bus->addr, val & PCI_ADDR_BITS, __ATOMIC_RELAXED);
	return 0;
}

static bool valid_desc(const struct v3_pci_dev_desc *desc)
{
	if (!desc->name || desc->int_pin > 4)
		return false;
	for (unsigned i = 0; i < V3_PCI_MAX_BARS; i++) {
		const struct v3_pci_bar_desc *bd = &desc->bars[i];
		uint32_t s = bd->size;
		bool ok;

		if (bd->type == V3_PCI_BAR_NONE)
			continue;
		if (bd->type == V3_PCI_BAR_IO)
			ok = s >= 4 && s <= 256;
		else
			ok = bd->type == V3_PCI_BAR_MEM32 && s >= 4096 &&
			     s <= 1u << 30;
		if (!ok || (s & (s - 1)) || !bd->read || !bd->write)
			return false;
	}
	return true;
}

/* The header as at reset, and which of its bits the guest may write. */
static void dev_init(struct v3_pci_dev *d, struct pci_bus *bus, unsigned slot,
		     const struct v3_pci_dev_desc *desc)
{
	d->bus = bus;
	d->slot = slot;
	d->desc = *desc;
	cfg_put(d->cfg, PCI_VENDOR, desc->vendor, 2);
	cfg_put(d->cfg, PCI_DEVICE, desc->device, 2);
	d->cfg[PCI_REVISION] = desc->revision;
	cfg_put(d->cfg, PCI_CLASS, desc->class_code, 3);
	cfg_put(d->cfg, PCI_SUBSYS, desc->subsys_vendor, 2);
	cfg_put(d->cfg, PCI_SUBSYS + 2, desc->subsys_id, 2);
	d->cfg[PCI_INT_PIN] = desc->int_pin;
	if (desc->int_pin)
		d->cfg[PCI_INT_LINE] = v3_pci_intx_line(slot, desc->int_pin);
	cfg_put(d->wmask, PCI_COMMAND, CMD_WRITABLE, 2);
	d->wmask[PCI_CACHE_LINE] = d->wmask[PCI_LATENCY] = 0xff;
	d->wmask[PCI_INT_LINE] = 0xff;
	for (unsigned i = 0; i < V3_PCI_MAX_BARS; i++) {
		const struct v3_pci_bar_desc *bd = &desc->bars[i];
		unsigned reg = PCI_BAR0 + 4 * i;

		d->bars[i] = (struct pci_bar){ .dev = d, .index = i };
		if (bd->type == V3_PCI_BAR_IO) {
			/* All 32 bits, as QEMU's: a BIOS sizes the BAR from
			 * the whole register (SeaBIOS takes zero upper bits
			 * for a 64 KiB-sized BAR). */
			d->cfg[reg] = 1;	/* I/O space indicator */
			cfg_put(d->wmask, reg, ~(bd->size - 1) & ~3u, 4);
		} else if (bd->type == V3_PCI_BAR_MEM32) {
			cfg_put(d->wmask, reg, ~(bd->size - 1) & ~0xfu, 4);
		}
	}
}

/* The next aligned free address for a BAR, as a BIOS would choose. */
static bool bar_place(struct pci_bus *bus, const struct v3_pci_bar_desc *bd,
		      uint64_t *base)
{
	uint64_t size = bd->size;

	if (bd->type == V3_PCI_BAR_IO) {
		*base = (bus->next_io + size - 1) & ~(size - 1);
		if (*base + size > 0x10000)
			return false;
		bus->next_io = *base + size;
	} else {
		*base = (bus->next_mem + size - 1) & ~(size - 1);
		if (*base + size > V3_PCI_MEM_LIMIT ||
		    over_ram(bus->vm, *base, *base + size))
			return false;
		bus->next_mem = *base + size;
	}
	return true;
}

static void assign_bars(struct v3_pci_dev *d)
{
	uint16_t cmd = 0;
	uint64_t base;

	for (unsigned i = 0; i < V3_PCI_MAX_BARS; i++) {
		const struct v3_pci_bar_desc *bd = &d->desc.bars[i];
		unsigned reg = PCI_BAR0 + 4 * i;

		if (bd->type == V3_PCI_BAR_NONE)
			continue;
		if (!bar_place(d->bus, bd, &base)) {
			VM_INFO(d->bus->vm, "pci: no room for %s BAR%u (%u bytes): left unassigned",
				d->desc.name, i, bd->size);
			continue;
		}
		cfg_put(d->cfg, reg, base | d->cfg[reg], 4);
		cmd |= bd->type == V3_PCI_BAR_IO ? CMD_IO : CMD_MEM;
	}
	cfg_put(d->cfg, PCI_COMMAND, cmd, 2);
	for (unsigned i = 0; i < V3_PCI_MAX_BARS; i++)
		bar_update(d, i);
}

static struct pci_bus *find_bus(struct v3_vm *vm)
{
	for (struct v3_device *dev = vm->devices; dev; dev = dev->next)
		if (dev->type == &v3_dev_pci)
			return dev->priv;
	return NULL;
}

struct v3_pci_dev *v3_pci_register(struct v3_vm *vm,
				   const struct v3_pci_dev_desc *desc)
{
	struct pci_bus *bus = find_bus(vm);
	struct v3_pci_dev *d;
	unsigned long flags;
	unsigned slot;

	if (!bus || !valid_desc(desc)) {
		VM_INFO(vm, "pci: cannot add a device: %s",
			bus ? "invalid description" : "no PCI bus");
		return NULL;
	}
	d = v3_zalloc(sizeof(*d));
	if (!d)
		return NULL;
	flags = v3_host->lock(bus->lock);
	for (slot = 1; slot < PCI_SLOTS && bus->slots[slot]; slot++)
		;
	if (slot < PCI_SLOTS) {
		dev_init(d, bus, slot, desc);
		assign_bars(d);
		bus->slots[slot] = d;
	}
	v3_host->unlock(bus->lock, flags);
	if (slot == PCI_SLOTS) {
		VM_INFO(vm, "pci: cannot add %s: bus full", desc->name);
		v3_free(d);
		return NULL;
	}
	return d;
}

void v3_pci_unregister(struct v3_pci_dev *d)
{
	struct pci_bus *bus = d->bus;
	unsigned long flags = v3_host->lock(bus->lock);

	for (unsigned i = 0; i < V3_PCI_MAX_BARS; i++)
		if (d->bars[i].mapped)
			bar_unmap(&d->bars[i]);
	bus->slots[d->slot] = NULL;
	v3_host->unlock(bus->lock, flags);
	v3_pci_set_irq(d, false);
	v3_free(d);
}

static const struct v3_pci_dev_desc bridge_desc = {
	.name = "host bridge",
	.vendor = 0x8086,
	.device = 0x1237,
	.revision = 0x02,
	.class_code = 0x060000,
};

static void pci_free(void *priv)
{
	struct pci_bus *bus = priv;

	/* Devices unplug in their own free(); the bridge is ours. */
	v3_free(bus->slots[0]);
	if (bus->irq_lock)
		v3_host->lock_free(bus->irq_lock);
	if (bus->lock)
		v3_host->lock_free(bus->lock);
	v3_free(bus);
}

static int pci_create(struct v3_vm *vm, void **priv)
{
	struct pci_bus *bus = v3_zalloc(sizeof(*bus));
	int ret = -V3_ENOMEM;

	if (!bus)
		return -V3_ENOMEM;
	bus->vm = vm;
	bus->next_io = V3_PCI_IO_BASE;
	bus->next_mem = V3_PCI_MEM_BASE;
	bus->lock = v3_host->lock_create("pci", V3_LOCK_BUS);
	bus->irq_lock = v3_host->lock_create("pci-irq", V3_LOCK_IRQ_SHARE);
	bus->slots[0] = v3_zalloc(sizeof(*bus->slots[0]));
	if (!bus->lock || !bus->irq_lock || !bus->slots[0])
		goto free_bus;
	dev_init(bus->slots[0], bus, 0, &bridge_desc);
	ret = v3_hook_io(vm, PCI_ADDR_PORT, PCI_ADDR_PORT + 3, addr_in,
			 addr_out, bus);
	if (ret)
		goto free_bus;
	ret = v3_hook_io(vm, PCI_DATA_PORT, PCI_DATA_PORT + 3, data_in,
			 data_out, bus);
	if (ret)
		goto unhook_addr;
	*priv = bus;
	return 0;
unhook_addr:
	v3_unhook_io(vm, PCI_ADDR_PORT, PCI_ADDR_PORT + 3);
free_bus:
	pci_free(bus);
	return ret;
}

const struct v3_device_type v3_dev_pci = {
	.name = "pci",
	.create = pci_create,
	.free = pci_free,
};
