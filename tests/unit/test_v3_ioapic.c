// SPDX-License-Identifier: GPL-2.0
/*
 * The I/O APIC through the fixture, with a recording APIC bus in place of
 * the local APICs: registers, the messages edge and level entries send,
 * remote IRR and EOI, masking, and a guest writing garbage.
 */
#include "support.h"
#include "v3_fixture.h"

#include <palacios/devices_apic.h>

#define MASKED		(1u << 16)
#define LEVEL		(1u << 15)
#define REMOTE_IRR	(1u << 14)
#define PENDING		(1u << 12)
#define LOGICAL		(1u << 11)

/* The bus: what was sent, and what deliver() answers. */
static struct v3_apic_msg sent[64];
static unsigned nr_sent;
static int bus_answer;

static int record_msg(struct v3_vm *vm, const struct v3_apic_msg *m, void *priv)
{
	(void)vm, (void)priv;
	sent[nr_sent++ % 64] = *m;
	return bus_answer;
}

static const struct v3_apic_bus_ops recorder = { .deliver = record_msg };

static struct v3_vm *vm_with_ioapic(void)
{
	struct v3_vm *vm = fx_vm_create(1);

	nr_sent = 0;
	bus_answer = 0;
	assert_int_equal(v3_register_apic_bus(vm, &recorder, NULL), 0);
	fx_device(vm, &v3_dev_ioapic);
	return vm;
}

static uint32_t reg_rd(struct v3_vm *vm, uint8_t idx)
{
	fx_mmio_write(vm, V3_IOAPIC_BASE, idx, 4);
	return fx_mmio_read(vm, V3_IOAPIC_BASE + 0x10, 4);
}

static void reg_wr(struct v3_vm *vm, uint8_t idx, uint32_t val)
{
	fx_mmio_write(vm, V3_IOAPIC_BASE, idx, 4);
	fx_mmio_write(vm, V3_IOAPIC_BASE + 0x10, val, 4);
}

static void rte_wr(struct v3_vm *vm, unsigned pin, uint32_t lo, uint8_t dest)
{
	reg_wr(vm, 0x11 + 2 * pin, (uint32_t)dest << 24);
	reg_wr(vm, 0x10 + 2 * pin, lo);
}

static uint32_t rte_lo(struct v3_vm *vm, unsigned pin)
{
	return reg_rd(vm, 0x10 + 2 * pin);
}

static void test_registers(void **state)
{
	struct v3_vm *vm = vm_with_ioapic();

	(void)state;
	assert_int_equal(reg_rd(vm, 0), 1 << 24);	/* after vCPU 0's id */
	assert_int_equal(reg_rd(vm, 1), 0x00170011);
	reg_wr(vm, 0, 0xffffffff);
	assert_int_equal(reg_rd(vm, 0), 0x0f000000);
	assert_int_equal(reg_rd(vm, 2), 0x0f000000);	/* arbitration id */
	reg_wr(vm, 1, 0);				/* read-only */
	assert_int_equal(reg_rd(vm, 1), 0x00170011);
	for (unsigned pin = 0; pin < 24; pin++) {
		assert_int_equal(rte_lo(vm, pin), MASKED);
		assert_int_equal(reg_rd(vm, 0x11 + 2 * pin), 0);
	}
	/* Writable bits only; remote IRR and delivery status are not. */
	reg_wr(vm, 0x10 + 2 * 23, 0xffffffff);
	assert_int_equal(rte_lo(vm, 23), 0x1afff);
	reg_wr(vm, 0x11 + 2 * 23, 0xffffffff);
	assert_int_equal(reg_rd(vm, 0x11 + 2 * 23), 0xff000000);
	assert_int_equal(reg_rd(vm, 0x40), 0);		/* past entry 23 */
	assert_int_equal(reg_rd(vm, 0x03), 0);
	assert_true(log_contains("index 0x"));

	/* IOREGSEL keeps 8 bits; bytes outside the two registers are ones. */
	fx_mmio_write(vm, V3_IOAPIC_BASE, 0x1201, 4);
	assert_int_equal(fx_mmio_read(vm, V3_IOAPIC_BASE, 4), 0x01);
	assert_int_equal(fx_mmio_read(vm, V3_IOAPIC_BASE + 0x12, 1), 0x17);
	assert_int_equal(fx_mmio_read(vm, V3_IOAPIC_BASE + 0x20, 4),
			 0xffffffff);
	assert_int_equal(fx_mmio_read(vm, V3_IOAPIC_BASE + 0x10, 8),
			 0xffffffff00170011ull);
	fx_mmio_write(vm, V3_IOAPIC_BASE, 0, 1);
	fx_mmio_write(vm, V3_IOAPIC_BASE + 0x10, 0, 2);	/* partial: ignored */
	assert_int_equal(fx_mmio_read(vm, V3_IOAPIC_BASE + 0x10, 4),
			 0x0f000000);
	assert_int_equal(nr_sent, 0);
	fx_vm_free(vm);
}

static void test_edge(void **state)
{
	struct v3_vm *vm = vm_with_ioapic();

	(void)state;
	rte_wr(vm, 4, 0x34, 1);
	v3_irq_pulse(vm, 4);
	assert_int_equal(nr_sent, 1);
	assert_int_equal(sent[0].dest, 1);
	assert_int_equal(sent[0].vector, 0x34);
	assert_int_equal(sent[0].delivery, V3_APIC_FIXED);
	assert_false(sent[0].logical);
	assert_false(sent[0].broadcast);
	assert_false(sent[0].level_trigger);
	assert_int_equal(sent[0].source_vcpu, -1);
	assert_int_equal(sent[0].shorthand, 0);

	/* Only rising edges count. */
	v3_irq_set_line(vm, 4, true);
	v3_irq_set_line(vm, 4, true);
	assert_int_equal(nr_sent, 2);
	v3_irq_set_line(vm, 4, false);
	v3_irq_set_line(vm, 4, true);
	assert_int_equal(nr_sent, 3);
	v3_irq_set_line(vm, 4, false);
	assert_int_equal(rte_lo(vm, 4) & REMOTE_IRR, 0);

	/* Masked: the edge is lost, and unmasking does not bring it back. */
	rte_wr(vm, 4, MASKED | 0x34, 1);
	v3_irq_pulse(vm, 4);
	v3_irq_set_line(vm, 4, true);
	rte_wr(vm, 4, 0x34, 1);
	assert_int_equal(nr_sent, 3);

	/* Lowest priority, logical, broadcast, no route for line 24. */
	rte_wr(vm, 5, LOGICAL | 0x100 | 0x35, 0x0c);
	v3_irq_pulse(vm, 5);
	assert_int_equal(sent[3].delivery, V3_APIC_LOWEST);
	assert_true(sent[3].logical);
	assert_int_equal(sent[3].dest, 0x0c);
	rte_wr(vm, 6, 0x36, 0xff);
	v3_irq_pulse(vm, 6);
	assert_true(sent[4].broadcast);
	v3_irq_pulse(vm, 24);
	assert_int_equal(nr_sent, 5);
	fx_vm_free(vm);
}

static void test_level(void **state)
{
	struct v3_vm *vm = vm_with_ioapic();

	(void)state;
	rte_wr(vm, 10, LEVEL | 0x5a, 2);
	v3_irq_set_line(vm, 10, true);
	assert_int_equal(nr_sent, 1);
	assert_true(sent[0].level_trigger);
	assert_int_equal(rte_lo(vm, 10), LEVEL | REMOTE_IRR | 0x5a);
	v3_irq_set_line(vm, 10, true);		/* in service: not again */
	assert_int_equal(nr_sent, 1);
	v3_apic_eoi_broadcast(vm, 0x5b);	/* another vector */
	assert_int_equal(nr_sent, 1);
	assert_true(rte_lo(vm, 10) & REMOTE_IRR);

	/* EOI while still asserted: sent again. */
	v3_apic_eoi_broadcast(vm, 0x5a);
	assert_int_equal(nr_sent, 2);
	assert_true(rte_lo(vm, 10) & REMOTE_IRR);

	/* Deasserted, the EOI only clears remote IRR. */
	v3_irq_set_line(vm, 10, false);
	v3_apic_eoi_broadcast(vm, 0x5a);
	assert_int_equal(nr_sent, 2);
	assert_int_equal(rte_lo(vm, 10) & REMOTE_IRR, 0);

	/* Masked while asserted: held until unmasked. */
	rte_wr(vm, 10, MASKED | LEVEL | 0x5a, 2);
	v3_irq_set_line(vm, 10, true);
	assert_int_equal(nr_sent, 2);
	rte_wr(vm, 10, LEVEL | 0x5a, 2);
	assert_int_equal(nr_sent, 3);

	/* Switching to edge clears a stuck remote IRR (the old EOI trick),
	 * and back to level sends again while the line is high. */
	rte_wr(vm, 10, MASKED | 0x5a, 2);
	assert_int_equal(rte_lo(vm, 10) & REMOTE_IRR, 0);
	rte_wr(vm, 10, LEVEL | 0x5a, 2);
	assert_int_equal(nr_sent, 4);
	assert_true(rte_lo(vm, 10) & REMOTE_IRR);
	fx_vm_free(vm);
}

static void test_level_not_accepted(void **state)
{
	struct v3_vm *vm = vm_with_ioapic();

	(void)state;
	bus_answer = -V3_ENOENT;
	rte_wr(vm, 3, LEVEL | 0x33, 0);
	v3_irq_set_line(vm, 3, true);
	assert_int_equal(nr_sent, 1);
	assert_int_equal(rte_lo(vm, 3), LEVEL | PENDING | 0x33);
	bus_answer = 0;
	rte_wr(vm, 3, LEVEL | 0x33, 1);		/* pointed elsewhere */
	assert_int_equal(nr_sent, 2);
	assert_int_equal(rte_lo(vm, 3), LEVEL | REMOTE_IRR | 0x33);

	/* Dropping the line withdraws a pending request. */
	bus_answer = -V3_ENOENT;
	v3_apic_eoi_broadcast(vm, 0x33);
	assert_true(rte_lo(vm, 3) & PENDING);
	v3_irq_set_line(vm, 3, false);
	assert_int_equal(rte_lo(vm, 3), LEVEL | 0x33);
	fx_vm_free(vm);
}

static void test_delivery_modes(void **state)
{
	struct v3_vm *vm = vm_with_ioapic();

	(void)state;
	rte_wr(vm, 7, LEVEL | 0x300 | 0x37, 0);	/* reserved mode 011 */
	rte_wr(vm, 8, LEVEL | 0x600 | 0x38, 0);	/* reserved mode 110 */
	v3_irq_pulse(vm, 7);
	v3_irq_pulse(vm, 8);
	assert_int_equal(nr_sent, 0);
	assert_true(log_contains("reserved delivery mode"));

	/* NMI, INIT and ExtINT are edge whatever the trigger bit says. */
	rte_wr(vm, 9, LEVEL | 0x400, 0);
	v3_irq_set_line(vm, 9, true);
	v3_irq_set_line(vm, 9, true);
	assert_int_equal(nr_sent, 1);
	assert_int_equal(sent[0].delivery, V3_APIC_NMI);
	assert_false(sent[0].level_trigger);
	assert_int_equal(rte_lo(vm, 9) & REMOTE_IRR, 0);
	/* ISA IRQ 0 (the PIT) is on input 0; on input 2 when a BIOS made
	 * the firmware tables, as on a PC. */
	rte_wr(vm, 0, 0x700, 0);
	v3_irq_pulse(vm, 0);
	assert_int_equal(sent[1].delivery, V3_APIC_EXTINT);
	rte_wr(vm, 0, MASKED, 0);
	rte_wr(vm, 2, 0x700, 0);
	vm->irq0_on_pin2 = true;
	v3_irq_pulse(vm, 0);
	assert_int_equal(nr_sent, 3);
	v3_irq_pulse(vm, 2);			/* the cascade line: no input */
	assert_int_equal(nr_sent, 3);
	fx_vm_free(vm);
}

static uint64_t rng_state;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static void test_garbage(void **state)
{
	struct v3_vm *vm = vm_with_ioapic();
	static const unsigned sizes[] = { 1, 2, 4, 8 };

	(void)state;
	rng_state = 0x0123456789abcdefull;
	for (unsigned n = 0; n < 50000; n++) {
		unsigned op = rng() % 8, len = sizes[rng() % 4];
		uint64_t val = rng(), gpa = V3_IOAPIC_BASE;

		bus_answer = rng() % 3 ? 0 : -V3_ENOENT;
		if (op < 3) {
			reg_wr(vm, rng() % 0x48, val);
		} else if (op == 3) {
			unsigned off = rng() % (4096 - 8);

			if (rng() % 2)
				fx_mmio_write(vm, gpa + off, val, len);
			else
				fx_mmio_read(vm, gpa + off, len);
		} else if (op == 4) {
			reg_rd(vm, rng() % 256);
		} else if (op == 5) {
			v3_irq_set_line(vm, rng() % 26, val & 1);
		} else if (op == 6) {
			v3_apic_eoi_broadcast(vm, val);
		} else {
			gpa += (rng() % 2) * 0x10;
			fx_mmio_write(vm, gpa, val, len);
		}
	}
	assert_int_equal(reg_rd(vm, 1), 0x00170011);
	assert_string_equal(fx_stop_reason(vm), "");
	fx_vm_free(vm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_registers),
		cmocka_unit_test(test_edge),
		cmocka_unit_test(test_level),
		cmocka_unit_test(test_level_not_accepted),
		cmocka_unit_test(test_delivery_modes),
		cmocka_unit_test(test_garbage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
