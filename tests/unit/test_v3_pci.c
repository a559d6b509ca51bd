// SPDX-License-Identifier: GPL-2.0
/*
 * The PCI bus: configuration mechanism #1 in every width, the host
 * bridge, a device's header, BAR sizing and moving (the device is reached
 * at the new address and not the old), INTx routing and sharing, the
 * device-specific register hook, unplugging, and garbage.
 */
#include "support.h"
#include "v3_fixture.h"

#include <palacios/devices_pci.h>
#include <palacios/pci.h>
#include <stdlib.h>
#include <string.h>

struct fake {
	uint32_t last_off, last_len, last_val;
	int bar;
	uint32_t reg40;
	uint32_t last_mask;
};

struct lines {
	bool level[V3_IRQ_LINES];
	unsigned changes;
};

static void set_line(struct v3_vm *vm, unsigned irq, bool level, void *priv)
{
	struct lines *l = priv;

	(void)vm;
	l->level[irq] = level;
	l->changes++;
}

static const struct v3_irq_router_ops router = { set_line };

static int bar_read(struct fake *f, int bar, uint32_t off, void *data,
		    unsigned len)
{
	uint64_t val = 0xa0 + bar * 0x10 + off;

	f->bar = bar;
	f->last_off = off;
	f->last_len = len;
	memcpy(data, &val, len);
	return 0;
}

static int bar0_read(struct v3_vcpu *v, uint32_t off, void *data, unsigned len,
		     void *priv)
{
	(void)v;
	return bar_read(priv, 0, off, data, len);
}

static int bar1_read(struct v3_vcpu *v, uint32_t off, void *data, unsigned len,
		     void *priv)
{
	(void)v;
	return bar_read(priv, 1, off, data, len);
}

static int bar_write(struct v3_vcpu *v, uint32_t off, const void *data,
		     unsigned len, void *priv)
{
	struct fake *f = priv;

	(void)v;
	f->last_off = off;
	f->last_len = len;
	f->last_val = 0;
	memcpy(&f->last_val, data, len < 4 ? len : 4);
	return 0;
}

static uint32_t cfg40_read(unsigned reg, void *priv)
{
	struct fake *f = priv;

	return reg == 0x40 ? f->reg40 : 0;
}

static void cfg40_write(unsigned reg, uint32_t val, uint32_t mask, void *priv)
{
	struct fake *f = priv;

	f->last_mask = mask;
	if (reg == 0x40)
		f->reg40 = (f->reg40 & ~mask) | (val & mask);
}

static struct v3_pci_dev_desc fake_desc(struct fake *f, uint8_t pin)
{
	return (struct v3_pci_dev_desc){
		.name = "fake",
		.vendor = 0x1234, .device = 0x5678,
		.subsys_vendor = 0xabcd, .subsys_id = 0xef01,
		.class_code = 0x020000, .revision = 3, .int_pin = pin,
		.bars = {
			{ V3_PCI_BAR_IO, 32, bar0_read, bar_write },
			{ V3_PCI_BAR_MEM32, 8192, bar1_read, bar_write },
		},
		.cfg_read = cfg40_read, .cfg_write = cfg40_write,
		.priv = f,
	};
}

static uint32_t cfg_addr(unsigned slot, unsigned reg)
{
	return 0x80000000u | slot << 11 | (reg & 0xfc);
}

static uint32_t cfg_rd(struct v3_vm *vm, unsigned slot, unsigned reg,
		       unsigned size)
{
	fx_out(vm, 0xcf8, cfg_addr(slot, reg), 4);
	return fx_in(vm, 0xcfc + (reg & 3), size);
}

static void cfg_wr(struct v3_vm *vm, unsigned slot, unsigned reg, uint32_t val,
		   unsigned size)
{
	fx_out(vm, 0xcf8, cfg_addr(slot, reg), 4);
	fx_out(vm, 0xcfc + (reg & 3), val, size);
}

static void test_config_cycles(void **state)
{
	struct v3_vm *vm = fx_vm_create(1);

	(void)state;
	fx_device(vm, &v3_dev_pci);
	/* Linux's check for mechanism #1: the address register reads back. */
	fx_out(vm, 0xcf8, 0x80000000, 4);
	assert_int_equal(fx_in(vm, 0xcf8, 4), 0x80000000);
	fx_out(vm, 0xcf8, 0xffffffff, 4);
	assert_int_equal(fx_in(vm, 0xcf8, 4), 0x80fffffc);

	/* The host bridge, in every width and offset. */
	assert_int_equal(cfg_rd(vm, 0, 0, 4), 0x12378086);
	assert_int_equal(cfg_rd(vm, 0, 0, 2), 0x8086);
	assert_int_equal(cfg_rd(vm, 0, 2, 2), 0x1237);
	assert_int_equal(cfg_rd(vm, 0, 1, 1), 0x80);
	assert_int_equal(cfg_rd(vm, 0, 3, 1), 0x12);
	assert_int_equal(cfg_rd(vm, 0, 8, 4), 0x06000002);
	assert_int_equal(cfg_rd(vm, 0, 0xb, 1), 0x06);
	assert_int_equal(cfg_rd(vm, 0, 0xe, 1), 0);	/* header type 0 */
	assert_int_equal(cfg_rd(vm, 0, 0x10, 4), 0);
	assert_int_equal(cfg_rd(vm, 0, 0x3d, 1), 0);
	/* An access running past the data port's dword reads ones there. */
	fx_out(vm, 0xcf8, cfg_addr(0, 0), 4);
	assert_int_equal(fx_in(vm, 0xcfe, 4), 0xffff1237);

	/* Nobody answers: empty slots, other buses and functions, disabled. */
	assert_int_equal(cfg_rd(vm, 5, 0, 4), 0xffffffff);
	fx_out(vm, 0xcf8, 0x80010000, 4);
	assert_int_equal(fx_in(vm, 0xcfc, 4), 0xffffffff);
	fx_out(vm, 0xcf8, 0x80000100, 4);
	assert_int_equal(fx_in(vm, 0xcfc, 2), 0xffff);
	fx_out(vm, 0xcf8, 0x00000000, 4);
	assert_int_equal(fx_in(vm, 0xcfc, 4), 0xffffffff);
	fx_out(vm, 0xcfc, 0x12345678, 4);
	assert_int_equal(cfg_rd(vm, 0, 0, 4), 0x12378086);

	/* Read-only registers ignore writes; the command register takes some. */
	cfg_wr(vm, 0, 0, 0xffffffff, 4);
	assert_int_equal(cfg_rd(vm, 0, 0, 4), 0x12378086);
	cfg_wr(vm, 0, 4, 0xffff, 2);
	assert_int_equal(cfg_rd(vm, 0, 4, 4), 0x0547);
	cfg_wr(vm, 0, 5, 0, 1);
	assert_int_equal(cfg_rd(vm, 0, 4, 2), 0x0047);

	/* Byte accesses to the address register are not configuration. */
	log_reset();
	fx_outb(vm, 0xcfb, 1);
	assert_true(log_contains("not a configuration address"));
	assert_int_equal(fx_inb(vm, 0xcf9), 0xff);
	fx_vm_free(vm);
}

static void test_device_header_and_bars(void **state)
{
	struct v3_vm *vm = fx_vm_create(1);
	struct fake f = { 0 };
	struct v3_pci_dev_desc desc = fake_desc(&f, 1);
	struct v3_pci_dev *d;

	(void)state;
	fx_device(vm, &v3_dev_pci);
	d = v3_pci_register(vm, &desc);
	assert_non_null(d);
	assert_int_equal(cfg_rd(vm, 1, 0, 4), 0x56781234);
	assert_int_equal(cfg_rd(vm, 1, 8, 4), 0x02000003);
	assert_int_equal(cfg_rd(vm, 1, 0x2c, 4), 0xef01abcd);
	/* The VMM placed the BARs and enabled decoding, as a BIOS would. */
	assert_int_equal(cfg_rd(vm, 1, 0x10, 4), 0xc001);
	assert_int_equal(cfg_rd(vm, 1, 0x14, 4), 0xe0000000);
	assert_int_equal(cfg_rd(vm, 1, 0x18, 4), 0);
	assert_int_equal(cfg_rd(vm, 1, 4, 2), 0x3);
	assert_int_equal(cfg_rd(vm, 1, 0x3c, 2), 0x010a);	/* INTA, IRQ 10 */

	assert_int_equal(fx_in(vm, 0xc004, 2), 0xa4);
	assert_int_equal(f.last_off, 4);
	assert_int_equal(f.last_len, 2);
	fx_out(vm, 0xc01c, 0xdeadbeef, 4);
	assert_int_equal(f.last_off, 0x1c);
	assert_int_equal(f.last_val, 0xdeadbeef);
	assert_int_equal(fx_mmio_read(vm, 0xe0001000, 8), 0xa0 + 0x10 + 0x1000);
	assert_int_equal(f.bar, 1);
	fx_mmio_write(vm, 0xe0001ffc, 0x55, 4);
	assert_int_equal(f.last_off, 0x1ffc);

	/* A second device gets the next slot and the next aligned addresses. */
	struct fake g = { 0 };
	struct v3_pci_dev_desc desc2 = fake_desc(&g, 2);
	struct v3_pci_dev *d2 = v3_pci_register(vm, &desc2);

	assert_non_null(d2);
	assert_int_equal(cfg_rd(vm, 2, 0x10, 4), 0xc021);
	assert_int_equal(cfg_rd(vm, 2, 0x14, 4), 0xe0002000);
	assert_int_equal(cfg_rd(vm, 2, 0x3c, 2), 0x0209);	/* INTB, IRQ 9 */
	v3_pci_unregister(d2);
	/* Unplugged: the slot is empty and its BARs are gone. */
	assert_int_equal(cfg_rd(vm, 2, 0, 4), 0xffffffff);
	assert_null(v3_find_io_hook(&vm->hooks, 0xc020));
	assert_null(v3_mem_find(&vm->mem, 0xe0002000));
	v3_pci_unregister(d);
	fx_vm_free(vm);
}

static void test_bar_sizing_and_moving(void **state)
{
	struct v3_vm *vm = fx_vm_create(1);
	struct fake f = { 0 };
	struct v3_pci_dev_desc desc = fake_desc(&f, 1);
	struct v3_pci_dev *d;

	(void)state;
	fx_device(vm, &v3_dev_pci);
	d = v3_pci_register(vm, &desc);
	/* Linux's sizing: decoding off, all ones, read the mask, restore. */
	cfg_wr(vm, 1, 4, 0, 2);
	assert_null(v3_find_io_hook(&vm->hooks, 0xc000));
	assert_null(v3_mem_find(&vm->mem, 0xe0000000));
	for (unsigned bar = 0; bar < 6; bar++)
		cfg_wr(vm, 1, 0x10 + 4 * bar, 0xffffffff, 4);
	assert_int_equal(cfg_rd(vm, 1, 0x10, 4), 0xffffffe1);	/* all 32 bits, as SeaBIOS sizes them */
	assert_int_equal(cfg_rd(vm, 1, 0x14, 4), 0xffffe000);
	assert_int_equal(cfg_rd(vm, 1, 0x18, 4), 0);
	assert_int_equal(cfg_rd(vm, 1, 0x24, 4), 0);
	cfg_wr(vm, 1, 0x30, 0xfffff800, 4);	/* no expansion ROM */
	assert_int_equal(cfg_rd(vm, 1, 0x30, 4), 0);

	/* Move both, then enable: reached at the new place, not the old. */
	cfg_wr(vm, 1, 0x10, 0xd040, 4);
	cfg_wr(vm, 1, 0x14, 0xe0100000, 4);
	assert_null(v3_find_io_hook(&vm->hooks, 0xd040));
	cfg_wr(vm, 1, 4, 0x3, 2);
	assert_int_equal(fx_inb(vm, 0xd041), 0xa1);
	assert_null(v3_find_io_hook(&vm->hooks, 0xc000));
	assert_int_equal(fx_mmio_read(vm, 0xe0100010, 4), 0xb0 + 0x10);
	assert_null(v3_mem_find(&vm->mem, 0xe0000000));
	/* A move while decoding, with a byte write into the address. */
	cfg_wr(vm, 1, 0x11, 0xd1, 1);
	assert_int_equal(cfg_rd(vm, 1, 0x10, 4), 0xd141);
	assert_null(v3_find_io_hook(&vm->hooks, 0xd040));
	assert_int_equal(fx_inb(vm, 0xd142), 0xa2);
	/* I/O off leaves memory on. */
	cfg_wr(vm, 1, 4, 0x2, 2);
	assert_null(v3_find_io_hook(&vm->hooks, 0xd140));
	assert_non_null(v3_mem_find(&vm->mem, 0xe0100000));

	/* Over RAM or another device's ports: reported, not decoded. */
	log_reset();
	cfg_wr(vm, 1, 0x14, 0x00100000, 4);
	assert_true(log_contains("not decoded"));
	assert_null(v3_mem_find(&vm->mem, 0xe0100000));
	assert_null(v3_mem_find(&vm->mem, 0x00100000)->ops);
	cfg_wr(vm, 1, 0x10, 0xcf0, 4);	/* 0xce0-0xcff: over the bus's ports */
	cfg_wr(vm, 1, 4, 0x3, 2);
	assert_int_equal(cfg_rd(vm, 1, 0x10, 4), 0xce1);
	assert_null(v3_find_io_hook(&vm->hooks, 0xce0));
	assert_int_equal(cfg_rd(vm, 0, 0, 4), 0x12378086);
	/* Moved back to free space, it works again. */
	cfg_wr(vm, 1, 0x10, 0x1000, 4);
	cfg_wr(vm, 1, 0x14, 0xf0000000, 4);
	assert_int_equal(fx_inb(vm, 0x1003), 0xa3);
	assert_int_equal(fx_mmio_read(vm, 0xf0000004, 1), 0xb4);
	v3_pci_unregister(d);
	fx_vm_free(vm);
}

static void test_intx_routing(void **state)
{
	struct v3_vm *vm = fx_vm_create(1);
	struct lines l = { 0 };
	struct fake f[4] = { 0 };
	struct v3_pci_dev *d[4];
	struct v3_pci_dev_desc desc;

	(void)state;
	assert_int_equal(v3_register_irq_router(vm, &router, &l), 0);
	fx_device(vm, &v3_dev_pci);
	/* Slots 1-4 with pin A: lines 10, 11, 9, 10 (9 + (slot + pin - 1) % 3). */
	for (unsigned i = 0; i < 4; i++) {
		desc = fake_desc(&f[i], 1);
		desc.bars[0].type = desc.bars[1].type = V3_PCI_BAR_NONE;
		d[i] = v3_pci_register(vm, &desc);
		assert_non_null(d[i]);
	}
	assert_int_equal(cfg_rd(vm, 1, 0x3c, 1), 10);
	assert_int_equal(cfg_rd(vm, 2, 0x3c, 1), 11);
	assert_int_equal(cfg_rd(vm, 3, 0x3c, 1), 9);
	assert_int_equal(cfg_rd(vm, 4, 0x3c, 1), 10);

	v3_pci_set_irq(d[1], true);
	assert_true(l.level[11]);
	assert_int_equal(cfg_rd(vm, 2, 6, 2) & 0x8, 0x8);
	assert_int_equal(cfg_rd(vm, 1, 6, 2) & 0x8, 0);
	v3_pci_set_irq(d[1], false);
	assert_false(l.level[11]);
	assert_int_equal(cfg_rd(vm, 2, 4, 4) & 0x80000, 0);

	/* Slots 1 and 4 share line 10: it is the OR of their pins. */
	v3_pci_set_irq(d[0], true);
	v3_pci_set_irq(d[3], true);
	assert_true(l.level[10]);
	v3_pci_set_irq(d[0], false);
	assert_true(l.level[10]);
	v3_pci_set_irq(d[3], false);
	assert_false(l.level[10]);

	/* Interrupt disable masks the pin but not the status bit. */
	v3_pci_set_irq(d[2], true);
	assert_true(l.level[9]);
	cfg_wr(vm, 3, 4, 0x400, 2);
	assert_false(l.level[9]);
	assert_int_equal(cfg_rd(vm, 3, 6, 1) & 0x8, 0x8);
	cfg_wr(vm, 3, 5, 0, 1);
	assert_true(l.level[9]);
	/* Asserting twice is one assertion; unplugging drops it. */
	v3_pci_set_irq(d[2], true);
	v3_pci_unregister(d[2]);
	assert_false(l.level[9]);
	/* The guest may rewrite the line register; routing stays put. */
	cfg_wr(vm, 1, 0x3c, 5, 1);
	assert_int_equal(cfg_rd(vm, 1, 0x3c, 2), 0x0105);
	v3_pci_set_irq(d[0], true);
	assert_true(l.level[10]);
	assert_false(l.level[5]);
	v3_pci_unregister(d[0]);
	v3_pci_unregister(d[1]);
	v3_pci_unregister(d[3]);
	fx_vm_free(vm);
}

static void test_device_registers_and_refusals(void **state)
{
	struct v3_vm *vm = fx_vm_create(1);
	struct fake f = { .reg40 = 0x11223344 };
	struct v3_pci_dev_desc desc = fake_desc(&f, 1);
	struct v3_pci_dev *d;

	(void)state;
	/* No bus yet. */
	assert_null(v3_pci_register(vm, &desc));
	fx_device(vm, &v3_dev_pci);
	d = v3_pci_register(vm, &desc);
	assert_int_equal(cfg_rd(vm, 1, 0x40, 4), 0x11223344);
	assert_int_equal(cfg_rd(vm, 1, 0x42, 2), 0x1122);
	assert_int_equal(cfg_rd(vm, 1, 0x43, 1), 0x11);
	assert_int_equal(cfg_rd(vm, 1, 0x44, 4), 0);
	cfg_wr(vm, 1, 0x41, 0xaa, 1);
	assert_int_equal(f.last_mask, 0xff00);
	assert_int_equal(f.reg40, 0x1122aa44);
	cfg_wr(vm, 1, 0x42, 0xbbcc, 2);
	assert_int_equal(f.last_mask, 0xffff0000);
	assert_int_equal(cfg_rd(vm, 1, 0x40, 4), 0xbbccaa44);
	/* The bridge has none: zeros, and a write is reported. */
	assert_int_equal(cfg_rd(vm, 0, 0x50, 4), 0);
	log_reset();
	cfg_wr(vm, 0, 0x50, 1, 4);
	assert_true(log_contains("has no register 0x50"));

	/* Invalid descriptions. */
	desc.bars[0].size = 48;
	assert_null(v3_pci_register(vm, &desc));
	desc = fake_desc(&f, 5);
	assert_null(v3_pci_register(vm, &desc));
	desc = fake_desc(&f, 1);
	desc.bars[1].size = 2048;
	assert_null(v3_pci_register(vm, &desc));
	desc = fake_desc(&f, 1);
	desc.bars[2].type = V3_PCI_BAR_IO;
	desc.bars[2].size = 16;
	assert_null(v3_pci_register(vm, &desc));	/* no callbacks */

	/* The bus holds 31 devices; the 32nd is refused. */
	struct v3_pci_dev *many[31];

	desc = fake_desc(&f, 1);
	desc.bars[0].type = desc.bars[1].type = V3_PCI_BAR_NONE;
	many[0] = d;
	for (unsigned i = 1; i < 31; i++)
		assert_non_null(many[i] = v3_pci_register(vm, &desc));
	assert_null(v3_pci_register(vm, &desc));
	for (unsigned i = 0; i < 31; i++)
		v3_pci_unregister(many[i]);
	fx_vm_free(vm);
}

/* Random writes to the configuration ports and the BARs, reads between. */
static void test_garbage(void **state)
{
	struct v3_vm *vm = fx_vm_create(1);
	struct lines l = { 0 };
	struct fake f = { 0 };
	struct v3_pci_dev_desc desc = fake_desc(&f, 1);
	struct v3_pci_dev *d;
	static const unsigned sizes[] = { 1, 2, 4 };

	(void)state;
	v3_register_irq_router(vm, &router, &l);
	fx_device(vm, &v3_dev_pci);
	d = v3_pci_register(vm, &desc);
	srand(1234);
	for (unsigned i = 0; i < 20000; i++) {
		unsigned size = sizes[rand() % 3];
		uint32_t val = (uint32_t)rand() << 16 ^ (uint32_t)rand();

		switch (rand() % 5) {
		case 0:	/* mostly bus 0, slots 0-2 */
			fx_out(vm, 0xcf8, rand() % 4 ? 0x80000000 | (val & 0x17fc) : val,
			       rand() % 8 ? 4 : size);
			break;
		case 1:
			fx_out(vm, 0xcfc + rand() % 4, val, size);
			break;
		case 2:
			fx_in(vm, 0xcf8 + rand() % 8, size);
			break;
		case 3:
			v3_pci_set_irq(d, rand() & 1);
			break;
		case 4: {	/* the BARs wherever they are now */
			uint32_t io = cfg_rd(vm, 1, 0x10, 4) & 0xfffc;
			uint32_t mem = cfg_rd(vm, 1, 0x14, 4) & ~0xfu;
			const struct v3_io_hook *h;
			const struct v3_mem_region *r;

			h = v3_find_io_hook(&vm->hooks, io + rand() % 40);
			if (h)
				h->in(vm->vcpus[0], io + rand() % 40, &val, size, h->priv);
			r = v3_mem_find(&vm->mem, mem + rand() % 8192);
			if (r && r->ops)
				r->ops->read(vm->vcpus[0], r->start + rand() % 4096,
					     &val, size, r->priv);
			break;
		}
		}
	}
	/* The bridge still answers and the pin still drives a line. */
	assert_int_equal(cfg_rd(vm, 0, 0, 4), 0x12378086);
	v3_pci_set_irq(d, false);
	cfg_wr(vm, 1, 4, 0, 2);
	assert_false(l.level[10]);
	v3_pci_set_irq(d, true);
	assert_true(l.level[10]);
	v3_pci_unregister(d);
	assert_false(l.level[10]);
	fx_vm_free(vm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_cycles),
		cmocka_unit_test(test_device_header_and_bars),
		cmocka_unit_test(test_bar_sizing_and_moving),
		cmocka_unit_test(test_intx_routing),
		cmocka_unit_test(test_device_registers_and_refusals),
		cmocka_unit_test(test_garbage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
