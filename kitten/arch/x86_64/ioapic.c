// SPDX-License-Identifier: GPL-2.0
/*
 * IOAPIC redirection. Each IOAPIC owns a range of global system
 * interrupts (GSIs) starting at its base; its registers are reached
 * through an index/data window. All entries start masked.
 */
#define pr_fmt(fmt) "ioapic: " fmt

#include <arch/ioapic.h>
#include <arch/ioremap.h>
#include <arch/layout.h>
#include <arch/x86.h>
#include <kitten/errno.h>
#include <kitten/printk.h>
#include <kitten/spinlock.h>

#define MAX_IOAPICS	8
#define IOREGSEL	0x00
#define IOWIN		0x10
#define REG_ID		0x00
#define REG_VERSION	0x01
#define REG_REDIR(n)	(0x10 + 2 * (n))

#define REDIR_MASKED	(1U << 16)
#define REDIR_LEVEL	(1U << 15)
#define REDIR_LOW	(1U << 13)

struct ioapic {
	volatile uint32_t *regs;
	uint32_t id, gsi_base, nr_pins;
};

static struct ioapic ioapics[MAX_IOAPICS];
static unsigned nr_ioapics;
static struct spinlock ioapic_lock = SPINLOCK_INIT("ioapic", LOCK_RANK_LEAF);

static uint32_t reg_read(struct ioapic *io, uint8_t reg)
{
	io->regs[IOREGSEL / 4] = reg;
	return io->regs[IOWIN / 4];
}

static void reg_write(struct ioapic *io, uint8_t reg, uint32_t v)
{
	io->regs[IOREGSEL / 4] = reg;
	io->regs[IOWIN / 4] = v;
}

int ioapic_add(uint32_t id, paddr_t address, uint32_t gsi_base)
{
	struct ioapic *io;

	if (nr_ioapics == MAX_IOAPICS) {
		pr_warn("more than %d IOAPICs; ignoring id %u\n", MAX_IOAPICS, id);
		return -ENOSPC;
	}
	io = &ioapics[nr_ioapics];
	io->regs = ioremap(address, PAGE_SIZE);
	if (!io->regs)
		return -ENOMEM;
	io->id = id;
	io->gsi_base = gsi_base;
	io->nr_pins = ((reg_read(io, REG_VERSION) >> 16) & 0xff) + 1;
	for (uint32_t pin = 0; pin < io->nr_pins; pin++) {
		reg_write(io, REG_REDIR(pin) + 1, 0);
		reg_write(io, REG_REDIR(pin), REDIR_MASKED);
	}
	nr_ioapics++;
	pr_info("IOAPIC %u at %#lx: GSIs %u-%u\n", id, address, gsi_base,
		gsi_base + io->nr_pins - 1);
	return 0;
}

static struct ioapic *find(uint32_t gsi, uint32_t *pin)
{
	for (unsigned i = 0; i < nr_ioapics; i++) {
		struct ioapic *io = &ioapics[i];

		if (gsi >= io->gsi_base && gsi < io->gsi_base + io->nr_pins) {
			*pin = gsi - io->gsi_base;
			return io;
		}
	}
	return NULL;
}

int ioapic_route(uint32_t gsi, uint8_t vector, uint32_t apic_id,
		 unsigned flags)
{
	uint32_t pin, low = vector;
	struct ioapic *io = find(gsi, &pin);
	unsigned long irqf;

	if (!io)
		return -ENODEV;
	if (flags & IOAPIC_LEVEL)
		low |= REDIR_LEVEL;
	if (flags & IOAPIC_ACTIVE_LOW)
		low |= REDIR_LOW;
	irqf = spin_lock_irqsave(&ioapic_lock);
	reg_write(io, REG_REDIR(pin) + 1, apic_id << 24);
	reg_write(io, REG_REDIR(pin), low);
	spin_unlock_irqrestore(&ioapic_lock, irqf);
	return 0;
}

int ioapic_mask(uint32_t gsi)
{
	uint32_t pin;
	struct ioapic *io = find(gsi, &pin);
	unsigned long irqf;

	if (!io)
		return -ENODEV;
	irqf = spin_lock_irqsave(&ioapic_lock);
	reg_write(io, REG_REDIR(pin), REDIR_MASKED);
	spin_unlock_irqrestore(&ioapic_lock, irqf);
	return 0;
}

bool ioapic_masked(uint32_t gsi)
{
	uint32_t pin;
	struct ioapic *io = find(gsi, &pin);
	unsigned long irqf;
	uint32_t low;

	if (!io)
		return true;	/* no IOAPIC has it: nothing can deliver it */
	irqf = spin_lock_irqsave(&ioapic_lock);
	low = reg_read(io, REG_REDIR(pin));
	spin_unlock_irqrestore(&ioapic_lock, irqf);
	return low & REDIR_MASKED;
}

void pic_disable(void)
{
	/* Remap to vectors 0x20-0x2f first so a stray IRQ is not an exception. */
	outb(0x20, 0x11);
	outb(0xa0, 0x11);
	outb(0x21, 0x20);
	outb(0xa1, 0x28);
	outb(0x21, 0x04);
	outb(0xa1, 0x02);
	outb(0x21, 0x01);
	outb(0xa1, 0x01);
	outb(0x21, 0xff);
	outb(0xa1, 0xff);
}
