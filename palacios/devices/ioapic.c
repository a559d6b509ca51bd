// SPDX-License-Identifier: GPL-2.0
/*
 * An Intel 82093AA I/O APIC (datasheet 290566) at 0xFEC00000: the
 * IOREGSEL index at offset 0x00 and the IOWIN data window at 0x10 reach
 * the ID, version (0x170011: 24 redirection entries), arbitration ID and
 * the 24 64-bit redirection entries. It is an IRQ router for lines 0-23,
 * and GSI n is ISA IRQ n: there are no interrupt source overrides.
 *
 * An edge entry sends its message (v3_apic_send) on a rising edge of an
 * unmasked line; edges on a masked line are lost, as on the chip. A level
 * entry sends while its line is asserted, the entry unmasked and remote
 * IRR clear, and sets remote IRR; the local APIC's EOI of that vector
 * (an EOI listener) clears remote IRR and sends again if the line is
 * still asserted. If no local APIC accepts a level interrupt, the entry
 * shows delivery status "send pending" and the interrupt is sent again
 * when the line is raised, the entry rewritten or its vector EOIed.
 * Remote IRR is cleared whenever an entry becomes edge-triggered, which
 * is how guests unstick it on I/O APICs without an EOI register.
 *
 * Lines carry "asserted", not a voltage (intr.h): the polarity bit is
 * kept for the guest to read but not applied, since ISA and PCI devices
 * alike just assert their line. Only fixed and lowest-priority entries
 * are level-triggered; the others are always edge, as the datasheet
 * requires. Reserved delivery modes (011, 110) are reported and not sent.
 *
 * Lock order: this device's lock, then a local APIC's (it is held while
 * sending); the local APICs never call back with their lock held.
 */
#include <palacios/devices_apic.h>
#include <palacios/vmm.h>

#define IOAPIC_VERSION	0x00170011u	/* last entry 23, version 0x11 */

#define IOREGSEL	0x00
#define IOWIN		0x10

enum {
	IDX_ID = 0x00, IDX_VERSION = 0x01, IDX_ARB = 0x02,
	IDX_RTE = 0x10, IDX_RTE_LAST = 0x10 + 2 * V3_IOAPIC_PINS - 1,
};

#define RTE_MODE(e)	((unsigned)((e) >> 8) & 7)
#define RTE_LOGICAL	(1ull << 11)
#define RTE_PENDING	(1ull << 12)	/* delivery status */
#define RTE_REMOTE_IRR	(1ull << 14)
#define RTE_LEVEL	(1ull << 15)
#define RTE_MASKED	(1ull << 16)
/* Vector, mode, destination mode, polarity, trigger, mask, destination. */
#define RTE_WRITABLE	0xff0000000001afffull

enum ioapic_report {
	REP_INDEX, REP_READ_ONLY, REP_ACCESS, REP_OFFSET, REP_MODE
};

struct ioapic {
	struct v3_vm *vm;
	void *lock;
	uint32_t regsel;
	uint32_t id;		/* 4 bits */
	uint64_t rte[V3_IOAPIC_PINS];
	bool line[V3_IOAPIC_PINS];	/* asserted */
	uint32_t reported;	/* 1 << enum ioapic_report, atomically */
};

static bool first_time(uint32_t *reported, unsigned kind)
{
	uint32_t bit = 1u << kind;

	return !(__atomic_fetch_or(reported, bit, __ATOMIC_RELAXED) & bit);
}

#define ioapic_report(io, kind, fmt, ...)				\
	do {								\
		if (first_time(&(io)->reported, kind))			\
			VM_INFO((io)->vm, "ioapic: " fmt, ##__VA_ARGS__); \
	} while (0)

static bool rte_level(uint64_t e)
{
	return (e & RTE_LEVEL) && RTE_MODE(e) <= V3_APIC_LOWEST;
}

static int ioapic_send(struct ioapic *io, unsigned pin)
{
	uint64_t e = io->rte[pin];
	struct v3_apic_msg m = {
		.dest = e >> 56,
		.logical = e & RTE_LOGICAL,
		.vector = e & 0xff,
		.delivery = RTE_MODE(e),
		.level_trigger = rte_level(e),
		.source_vcpu = -1,
	};

	if (m.delivery == 3 || m.delivery == 6) {	/* reserved here */
		ioapic_report(io, REP_MODE,
			      "pin %u: reserved delivery mode %u: not sent",
			      pin, m.delivery);
		return -V3_EINVAL;
	}
	m.broadcast = !m.logical && m.dest == 0xff;
	return v3_apic_send(io->vm, &m);
}

/* Send a level interrupt if it is asserted, unmasked and not in service. */
static void ioapic_service_level(struct ioapic *io, unsigned pin)
{
	uint64_t *e = &io->rte[pin];

	if (!rte_level(*e) || !io->line[pin] ||
	    (*e & (RTE_MASKED | RTE_REMOTE_IRR)))
		return;
	if (ioapic_send(io, pin) == 0)
		*e = (*e | RTE_REMOTE_IRR) & ~RTE_PENDING;
	else
		*e |= RTE_PENDING;
}

/* A device's line moved: edge entries fire on the rise, level ones
 * whenever they may. */
/* Input `pin` went to `level`. */
static void ioapic_input(struct ioapic *io, unsigned pin, bool level)
{
	unsigned long flags = v3_host->lock(io->lock);
	bool rising = level && !io->line[pin];

	io->line[pin] = level;
	if (!level)
		io->rte[pin] &= ~RTE_PENDING;
	else if (rte_level(io->rte[pin]))
		ioapic_service_level(io, pin);
	else if (rising && !(io->rte[pin] & RTE_MASKED))
		ioapic_send(io, pin);
	v3_host->unlock(io->lock, flags);
}

static void ioapic_set_line(struct v3_vm *vm, unsigned irq, bool level,
			    void *priv)
{
	struct ioapic *io = priv;

	/*
	 * ISA IRQ 0 (the PIT) is on input 0 as the VMM's own firmware tables
	 * describe it (ISA IRQs on the inputs of the same number), or on
	 * input 2 when a BIOS made the tables: SeaBIOS's MP table says so,
	 * as on a PC. Line 2 is the PIC cascade, which no device drives.
	 */
	if (irq == 2 || irq >= V3_IOAPIC_PINS)
		return;
	if (irq == 0 && vm->irq0_on_pin2)
		irq = 2;
	ioapic_input(io, irq, level);
}

static const struct v3_irq_router_ops ioapic_router_ops = {
	.set_line = ioapic_set_line,
};

/* A local APIC retired a level vector: the entries that sent it may send
 * again (several pins can share a vector). */
static void ioapic_eoi(struct v3_vm *vm, uint8_t vector, void *priv)
{
	struct ioapic *io = priv;
	unsigned long flags = v3_host->lock(io->lock);

	(void)vm;
	for (unsigned pin = 0; pin < V3_IOAPIC_PINS; pin++) {
		uint64_t e = io->rte[pin];

		if (!(e & RTE_REMOTE_IRR) || (e & 0xff) != vector)
			continue;
		io->rte[pin] &= ~RTE_REMOTE_IRR;
		ioapic_service_level(io, pin);
	}
	v3_host->unlock(io->lock, flags);
}

static const struct v3_eoi_listener_ops ioapic_eoi_ops = { .eoi = ioapic_eoi };

static uint32_t ioapic_read_reg(struct ioapic *io)
{
	unsigned idx = io->regsel;
	uint64_t e;

	switch (idx) {
	case IDX_ID:
	case IDX_ARB:		/* loaded from the ID */
		return io->id << 24;
	case IDX_VERSION:
		return IOAPIC_VERSION;
	case IDX_RTE ... IDX_RTE_LAST:
		e = io->rte[(idx - IDX_RTE) / 2];
		return idx & 1 ? e >> 32 : (uint32_t)e;
	}
	ioapic_report(io, REP_INDEX, "read of register index 0x%x (none): 0",
		      idx);
	return 0;
}

static void ioapic_write_rte(struct ioapic *io, unsigned pin, bool high,
			     uint32_t val)
{
	unsigned shift = high ? 32 : 0;
	uint64_t part = (0xffffffffull << shift) & RTE_WRITABLE;
	uint64_t e = (io->rte[pin] & ~part) | (((uint64_t)val << shift) & part);

	if (!rte_level(e))
		e &= ~RTE_REMOTE_IRR;
	io->rte[pin] = e;
	ioapic_service_level(io, pin);	/* unmasked while asserted */
}

static void ioapic_write_reg(struct ioapic *io, uint32_t val)
{
	unsigned idx = io->regsel;

	switch (idx) {
	case IDX_ID:
		io->id = (val >> 24) & 0xf;
		return;
	case IDX_VERSION:
	case IDX_ARB:
		ioapic_report(io, REP_READ_ONLY,
			      "write of read-only register index 0x%x ignored",
			      idx);
		return;
	case IDX_RTE ... IDX_RTE_LAST:
		ioapic_write_rte(io, (idx - IDX_RTE) / 2, idx & 1, val);
		return;
	}
	ioapic_report(io, REP_INDEX,
		      "write of register index 0x%x (none) ignored", idx);
}

/* Only IOREGSEL and IOWIN decode; other bytes of the page read all ones. */
static int ioapic_mmio_read(struct v3_vcpu *v, uint64_t gpa, void *buf,
			    unsigned len, void *priv)
{
	struct ioapic *io = priv;
	unsigned off = gpa - V3_IOAPIC_BASE;
	unsigned long flags = v3_host->lock(io->lock);
	uint32_t win = 0;
	bool have_win = false;
	uint8_t *out = buf;

	(void)v;
	for (unsigned i = 0; i < len; i++) {
		unsigned o = off + i;

		if (o < IOREGSEL + 4) {
			out[i] = io->regsel >> 8 * (o - IOREGSEL);
		} else if (o >= IOWIN && o < IOWIN + 4) {
			if (!have_win)
				win = ioapic_read_reg(io);
			have_win = true;
			out[i] = win >> 8 * (o - IOWIN);
		} else {
			out[i] = 0xff;
			ioapic_report(io, REP_OFFSET,
				      "read at offset 0x%x (none): all ones", o);
		}
	}
	v3_host->unlock(io->lock, flags);
	return 0;
}

static int ioapic_mmio_write(struct v3_vcpu *v, uint64_t gpa, const void *buf,
			     unsigned len, void *priv)
{
	struct ioapic *io = priv;
	unsigned off = gpa - V3_IOAPIC_BASE;
	unsigned long flags;
	uint32_t val = 0;

	(void)v;
	if (off != IOREGSEL && off != IOWIN) {
		ioapic_report(io, REP_OFFSET,
			      "write at offset 0x%x (none) ignored", off);
		return 0;
	}
	if (off == IOWIN && len < 4) {
		ioapic_report(io, REP_ACCESS,
			      "%u-byte write of IOWIN ignored: it takes 32 bits",
			      len);
		return 0;
	}
	v3_memcpy(&val, buf, len < 4 ? len : 4);
	flags = v3_host->lock(io->lock);
	if (off == IOREGSEL)
		io->regsel = val & 0xff;
	else
		ioapic_write_reg(io, val);
	v3_host->unlock(io->lock, flags);
	return 0;
}

static const struct v3_mmio_ops ioapic_mmio_ops = {
	.read = ioapic_mmio_read,
	.write = ioapic_mmio_write,
};

static void ioapic_free(void *priv)
{
	struct ioapic *io = priv;

	if (io->lock)
		v3_host->lock_free(io->lock);
	v3_free(io);
}

static int ioapic_create(struct v3_vm *vm, void **priv)
{
	struct ioapic *io = v3_zalloc(sizeof(*io));
	int ret;

	if (!io)
		return -V3_ENOMEM;
	io->vm = vm;
	io->id = vm->nr_vcpus & 0xf;	/* as the MADT says, up to 15 vCPUs */
	for (unsigned pin = 0; pin < V3_IOAPIC_PINS; pin++)
		io->rte[pin] = RTE_MASKED;
	io->lock = v3_host->lock_create("ioapic", V3_LOCK_ROUTER);
	ret = io->lock ? 0 : -V3_ENOMEM;
	if (!ret)
		ret = v3_mem_hook(&vm->mem, V3_IOAPIC_BASE, V3_PAGE_SIZE,
				  &ioapic_mmio_ops, io);
	if (!ret)
		ret = v3_register_irq_router(vm, &ioapic_router_ops, io);
	if (!ret)
		ret = v3_register_eoi_listener(vm, &ioapic_eoi_ops, io);
	if (ret) {
		ioapic_free(io);
		return ret;
	}
	*priv = io;
	return 0;
}

const struct v3_device_type v3_dev_ioapic = {
	.name = "ioapic",
	.create = ioapic_create,
	.free = ioapic_free,
};
