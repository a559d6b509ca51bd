// SPDX-License-Identifier: GPL-2.0
/*
 * The PC's two cascaded Intel 8259A interrupt controllers: the master at
 * ports 0x20-0x21 takes IRQ 0-7, the slave at 0xA0-0xA1 takes IRQ 8-15
 * and its INT output drives the master's IR2. The PIIX edge/level
 * control registers (ELCR) at 0x4D0-0x4D1 choose level sensing per line.
 *
 * Modelled from the datasheet: the ICW1-ICW4 initialization sequence
 * (base vector, cascade, auto-EOI, special fully nested mode, LTIM), the
 * mask register (OCW1), non-specific, specific and rotating EOIs and
 * set-priority (OCW2), reading IRR or ISR, poll and special mask mode
 * (OCW3). Priorities rotate with the "lowest priority" level; a request
 * wins when no in-service level of equal or higher priority blocks it.
 *
 * Edge inputs latch a rising edge in IRR until the INTA cycle takes it,
 * because devices here pulse their line (high then low at once) rather
 * than hold it until acknowledged as the datasheet asks. Level inputs
 * make IRR follow the line. The master's IR2 follows the slave's INT
 * output, recomputed from the slave's registers whenever it is looked
 * at, so a slave request is never lost between the two chips.
 *
 * The pair is the router of IRQ lines 0-15 and an interrupt source of
 * vCPU 0: pending() is the vector an INTA cycle would read, ack() is
 * that cycle, and vCPU 0 is kicked whenever the master's output rises,
 * since lines are driven from any thread.
 *
 * Omitted: the spurious IRQ 7/15 of a request that vanishes before the
 * acknowledge (the vector already chosen is delivered and no ISR bit is
 * set); MCS-80/85 mode (call addresses instead of vectors: reported,
 * 8086 vectors used); buffered mode, which has no meaning in a VM; a
 * cascade other than the PC's (slave on IR2: other ICW3 values are
 * reported and ignored).
 */
#include <palacios/devices_legacy.h>
#include <palacios/vmm.h>

#define PIC_MASTER_PORT	0x20
#define PIC_SLAVE_PORT	0xa0
#define PIC_ELCR_PORT	0x4d0
#define PIC_CASCADE_IR	2

/* The ELCR bits of IRQ 0, 1, 2, 8 and 13 are reserved: always edge. */
static const uint8_t pic_elcr_writable[2] = { 0xf8, 0xde };

enum pic_report {
	PIC_REP_NO_ICW4,
	PIC_REP_MCS80,
	PIC_REP_ICW3,
	PIC_REP_IRQ2,
	PIC_REP_BAD_OCW3,
};

struct pic_chip {
	uint8_t irr, isr, imr;
	uint8_t lines;		/* input levels as last driven */
	uint8_t elcr;
	uint8_t base;		/* ICW2: vector of IR0 */
	uint8_t lowest;		/* the level with the lowest priority */
	uint8_t init_step;	/* the ICW expected next (2-4), 0 when ready */
	bool want_icw4, single, ltim;
	bool auto_eoi, rotate_aeoi, sfnm;
	bool read_isr, poll, special_mask;
};

struct pic {
	struct v3_vm *vm;
	void *lock;
	struct pic_chip chip[2];	/* master, slave */
	bool output;			/* the master's INT as last computed */
	uint32_t reported;
};

static void pic_report(struct pic *p, enum pic_report what, const char *msg)
{
	if (p->reported & (1u << what))
		return;
	p->reported |= 1u << what;
	VM_INFO(p->vm, "8259 PIC: %s", msg);
}

static uint8_t pic_level_mask(const struct pic_chip *c)
{
	return c->ltim ? 0xff : c->elcr;
}

static bool pic_cascaded(const struct pic *p)
{
	return !p->chip[0].single;
}

/*
 * The request in req that the chip would signal now: the first in
 * priority order, unless an in-service level of equal or higher priority
 * blocks it. Special mask mode lets masked in-service levels not block;
 * special fully nested mode lets the cascade input interrupt itself.
 */
static int pic_best(const struct pic_chip *c, uint8_t req, bool nest_cascade)
{
	for (unsigned n = 0; n < 8; n++) {
		unsigned irq = (c->lowest + 1 + n) & 7;
		uint8_t bit = 1u << irq;
		bool in_service = (c->isr & bit) &&
				  !(c->special_mask && (c->imr & bit));

		if ((req & bit) &&
		    (!in_service || (nest_cascade && irq == PIC_CASCADE_IR)))
			return irq;
		if (in_service)
			return -1;
	}
	return -1;
}

static int pic_chip_pending(const struct pic *p, unsigned n);

/* IRR as the chip sees it: the master's IR2 is the slave's INT output. */
static uint8_t pic_irr(const struct pic *p, unsigned n)
{
	uint8_t irr = p->chip[n].irr, bit = 1u << PIC_CASCADE_IR;

	if (n != 0 || !pic_cascaded(p))
		return irr;
	return (irr & ~bit) | (pic_chip_pending(p, 1) >= 0 ? bit : 0);
}

static int pic_chip_pending(const struct pic *p, unsigned n)
{
	const struct pic_chip *c = &p->chip[n];

	return pic_best(c, pic_irr(p, n) & ~c->imr,
			n == 0 && c->sfnm && pic_cascaded(p));
}

/* One chip's part of the INTA cycle for level irq. */
static void pic_chip_ack(struct pic_chip *c, unsigned irq)
{
	uint8_t bit = 1u << irq;

	if (!(pic_level_mask(c) & bit))
		c->irr &= ~bit;
	if (!c->auto_eoi)
		c->isr |= bit;
	else if (c->rotate_aeoi)
		c->lowest = irq;
}

/* The vector the pair would give an INTA cycle now, or -1. */
static int pic_vector(const struct pic *p)
{
	int m = pic_chip_pending(p, 0), s;

	if (m < 0)
		return -1;
	if (m != PIC_CASCADE_IR || !pic_cascaded(p))
		return p->chip[0].base + m;
	s = pic_chip_pending(p, 1);	/* >= 0: IR2 is the slave's output */
	return s < 0 ? -1 : p->chip[1].base + s;
}

/* The INTA cycle: each chip involved moves its request to service. */
static void pic_inta(struct pic *p)
{
	int m = pic_chip_pending(p, 0), s;

	if (m < 0)
		return;
	pic_chip_ack(&p->chip[0], m);
	if (m != PIC_CASCADE_IR || !pic_cascaded(p))
		return;
	s = pic_chip_pending(p, 1);
	if (s >= 0)
		pic_chip_ack(&p->chip[1], s);
}

/* Recompute the master's output; true when it just went high. */
static bool pic_update(struct pic *p)
{
	bool was = p->output;

	p->output = pic_chip_pending(p, 0) >= 0;
	return p->output && !was;
}

static void pic_done(struct pic *p, unsigned long flags)
{
	bool rose = pic_update(p);

	v3_host->unlock(p->lock, flags);
	if (rose)
		v3_intr_kick(p->vm->vcpus[0]);
}

static int pic_highest_isr(const struct pic_chip *c)
{
	for (unsigned n = 0; n < 8; n++) {
		unsigned irq = (c->lowest + 1 + n) & 7;

		if ((c->isr & (1u << irq)) &&
		    !(c->special_mask && (c->imr & (1u << irq))))
			return irq;
	}
	return -1;
}

/* OCW2: the R, SL and EOI bits select the command, L2-L0 a level. */
static void pic_ocw2(struct pic_chip *c, uint8_t val)
{
	unsigned level = val & 7;
	int irq;

	switch (val >> 5) {
	case 0:			/* clear rotate in auto-EOI mode */
	case 4:			/* set it */
		c->rotate_aeoi = val & 0x80;
		break;
	case 1:			/* non-specific EOI */
	case 5:			/* ... and rotate */
		irq = pic_highest_isr(c);
		if (irq < 0)
			break;
		c->isr &= ~(1u << irq);
		if (val & 0x80)
			c->lowest = irq;
		break;
	case 3:			/* specific EOI */
	case 7:			/* ... and rotate */
		c->isr &= ~(1u << level);
		if (val & 0x80)
			c->lowest = level;
		break;
	case 6:			/* set priority */
		c->lowest = level;
		break;
	case 2:			/* no operation */
		break;
	}
}

static void pic_icw1(struct pic *p, struct pic_chip *c, uint8_t val)
{
	c->ltim = val & 0x08;
	c->single = val & 0x02;
	c->want_icw4 = val & 0x01;
	if (!c->want_icw4)
		pic_report(p, PIC_REP_NO_ICW4,
			   "no ICW4 (MCS-80/85 mode) unsupported: 8086 vectors");
	/* The datasheet's reset: the edge sense too, so a high edge line
	 * must fall and rise again before it requests. */
	c->irr = c->lines & pic_level_mask(c);
	c->isr = c->imr = 0;
	c->lowest = 7;
	c->auto_eoi = c->rotate_aeoi = c->sfnm = false;
	c->read_isr = c->poll = c->special_mask = false;
	c->init_step = 2;
}

static void pic_write(struct pic *p, unsigned n, bool a0, uint8_t val)
{
	struct pic_chip *c = &p->chip[n];

	if (!a0) {
		if (val & 0x10) {
			pic_icw1(p, c, val);
		} else if (val & 0x08) {	/* OCW3 */
			if (val & 0x80)
				pic_report(p, PIC_REP_BAD_OCW3,
					   "OCW3 with reserved bit 7 set");
			if (val & 0x40)
				c->special_mask = val & 0x20;
			if (val & 0x04)
				c->poll = true;
			if (val & 0x02)
				c->read_isr = val & 0x01;
		} else {
			pic_ocw2(c, val);
		}
		return;
	}
	switch (c->init_step) {
	case 2:
		c->base = val & 0xf8;
		c->init_step = !c->single ? 3 : c->want_icw4 ? 4 : 0;
		break;
	case 3:
		if (val != (n == 0 ? 1u << PIC_CASCADE_IR : PIC_CASCADE_IR))
			pic_report(p, PIC_REP_ICW3,
				   "ICW3 other than the PC's cascade ignored");
		c->init_step = c->want_icw4 ? 4 : 0;
		break;
	case 4:
		if (!(val & 0x01))
			pic_report(p, PIC_REP_MCS80,
				   "MCS-80/85 mode unsupported: 8086 vectors");
		c->auto_eoi = val & 0x02;
		c->sfnm = val & 0x10;
		c->init_step = 0;
		break;
	default:
		c->imr = val;	/* OCW1 */
		break;
	}
}

/* A read of the command port: poll, or IRR or ISR as OCW3 chose. */
static uint8_t pic_read_cmd(struct pic *p, unsigned n)
{
	struct pic_chip *c = &p->chip[n];
	int irq;

	if (!c->poll)
		return c->read_isr ? c->isr : pic_irr(p, n);
	/* The poll read is this chip's INTA: in a cascade the guest polls
	 * the master, sees IR2, then polls the slave. */
	c->poll = false;
	irq = pic_chip_pending(p, n);
	if (irq < 0)
		return 0;
	pic_chip_ack(c, irq);
	return 0x80 | irq;
}

static void pic_elcr_write(struct pic_chip *c, unsigned n, uint8_t val)
{
	uint8_t level;

	c->elcr = val & pic_elcr_writable[n];
	level = pic_level_mask(c);
	c->irr = (c->irr & ~level) | (c->lines & level);
}

static uint8_t pic_port_read(struct pic *p, uint16_t port)
{
	switch (port) {
	case PIC_MASTER_PORT:
	case PIC_SLAVE_PORT:
		return pic_read_cmd(p, port == PIC_SLAVE_PORT);
	case PIC_MASTER_PORT + 1:
	case PIC_SLAVE_PORT + 1:
		return p->chip[port == PIC_SLAVE_PORT + 1].imr;
	case PIC_ELCR_PORT:
	case PIC_ELCR_PORT + 1:
		return p->chip[port & 1].elcr;
	}
	return 0xff;	/* the bytes of a wide access past our ports */
}

static void pic_port_write(struct pic *p, uint16_t port, uint8_t val)
{
	switch (port) {
	case PIC_MASTER_PORT:
	case PIC_MASTER_PORT + 1:
		pic_write(p, 0, port & 1, val);
		break;
	case PIC_SLAVE_PORT:
	case PIC_SLAVE_PORT + 1:
		pic_write(p, 1, port & 1, val);
		break;
	case PIC_ELCR_PORT:
	case PIC_ELCR_PORT + 1:
		pic_elcr_write(&p->chip[port & 1], port & 1, val);
		break;
	}
}

/* Wide accesses reach consecutive ports, as the ISA bus splits them. */
static int pic_io_in(struct v3_vcpu *v, uint16_t port, void *data,
		     unsigned size, void *priv)
{
	struct pic *p = priv;
	unsigned long flags = v3_host->lock(p->lock);

	(void)v;
	for (unsigned i = 0; i < size; i++)
		((uint8_t *)data)[i] = pic_port_read(p, port + i);
	pic_done(p, flags);
	return 0;
}

static int pic_io_out(struct v3_vcpu *v, uint16_t port, const void *data,
		      unsigned size, void *priv)
{
	struct pic *p = priv;
	unsigned long flags = v3_host->lock(p->lock);

	(void)v;
	for (unsigned i = 0; i < size; i++)
		pic_port_write(p, port + i, ((const uint8_t *)data)[i]);
	pic_done(p, flags);
	return 0;
}

static void pic_set_line(struct v3_vm *vm, unsigned irq, bool level, void *priv)
{
	struct pic *p = priv;
	struct pic_chip *c;
	unsigned long flags;
	uint8_t bit;

	(void)vm;
	if (irq >= 16)
		return;		/* an IOAPIC-only line */
	c = &p->chip[irq >> 3];
	bit = 1u << (irq & 7);
	flags = v3_host->lock(p->lock);
	if (irq == PIC_CASCADE_IR && pic_cascaded(p)) {
		pic_report(p, PIC_REP_IRQ2,
			   "IRQ 2 is the cascade input: ignored");
	} else if (level) {
		if (!(c->lines & bit) || (pic_level_mask(c) & bit))
			c->irr |= bit;
		c->lines |= bit;
	} else {
		c->lines &= ~bit;
		if (pic_level_mask(c) & bit)
			c->irr &= ~bit;
	}
	pic_done(p, flags);
}

static int pic_src_pending(struct v3_vcpu *v, void *priv)
{
	struct pic *p = priv;
	unsigned long flags = v3_host->lock(p->lock);
	int vec = pic_vector(p);

	(void)v;
	v3_host->unlock(p->lock, flags);
	return vec;
}

static void pic_src_ack(struct v3_vcpu *v, uint8_t vector, void *priv)
{
	struct pic *p = priv;
	unsigned long flags = v3_host->lock(p->lock);

	(void)v, (void)vector;
	pic_inta(p);
	pic_done(p, flags);
}

static const struct v3_irq_router_ops pic_router_ops = { pic_set_line };
static const struct v3_intr_source_ops pic_source_ops = {
	pic_src_pending, pic_src_ack,
};

static void pic_free(void *priv)
{
	struct pic *p = priv;

	v3_host->lock_free(p->lock);
	v3_free(p);
}

static int pic_create(struct v3_vm *vm, void **priv)
{
	struct pic *p;
	int ret;

	if (!vm->nr_vcpus)
		return -V3_EINVAL;
	p = v3_zalloc(sizeof(*p));
	if (!p)
		return -V3_ENOMEM;
	p->lock = v3_host->lock_create("pic", V3_LOCK_ROUTER);
	if (!p->lock) {
		v3_free(p);
		return -V3_ENOMEM;
	}
	p->vm = vm;
	/* Masked until the guest initializes it: no firmware did. */
	for (unsigned n = 0; n < 2; n++) {
		p->chip[n].imr = 0xff;
		p->chip[n].lowest = 7;
	}
	p->chip[0].base = 0x08;
	p->chip[1].base = 0x70;
	ret = v3_hook_io(vm, PIC_MASTER_PORT, PIC_MASTER_PORT + 1, pic_io_in,
			 pic_io_out, p);
	if (!ret)
		ret = v3_hook_io(vm, PIC_SLAVE_PORT, PIC_SLAVE_PORT + 1,
				 pic_io_in, pic_io_out, p);
	if (!ret)
		ret = v3_hook_io(vm, PIC_ELCR_PORT, PIC_ELCR_PORT + 1,
				 pic_io_in, pic_io_out, p);
	if (!ret)
		ret = v3_register_irq_router(vm, &pic_router_ops, p);
	if (!ret)
		ret = v3_register_intr_source(vm->vcpus[0], &pic_source_ops, p);
	if (ret) {
		pic_free(p);
		return ret;
	}
	*priv = p;
	return 0;
}

const struct v3_device_type v3_dev_pic = {
	.name = "pic",
	.create = pic_create,
	.free = pic_free,
};
