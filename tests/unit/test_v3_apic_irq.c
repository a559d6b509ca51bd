// SPDX-License-Identifier: GPL-2.0
/*
 * Interrupts end to end: a device's line -> the I/O APIC -> the APIC bus
 * -> a vCPU's local APIC -> the vector the vCPU takes -> its EOI -> the
 * I/O APIC's remote IRR, for edge and level lines, with masking, logical
 * destinations and a guest writing garbage into both devices.
 */
#include "support.h"
#include "v3_fixture.h"

#include <palacios/devices_apic.h>

enum { TPR = 0x80, EOI = 0xb0, LDR = 0xd0, SVR = 0xf0, ISR = 0x100,
       TMR = 0x180, LVT_TIMER = 0x320 };

#define MASKED		(1u << 16)
#define LEVEL		(1u << 15)
#define REMOTE_IRR	(1u << 14)
#define LOGICAL		(1u << 11)
#define LOWEST		(1u << 8)

static void lapic_wr(struct v3_vm *vm, unsigned cpu, unsigned reg, uint32_t val)
{
	const struct v3_mem_region *r = v3_mem_find(&vm->mem, V3_LAPIC_BASE);

	r->ops->write(vm->vcpus[cpu], V3_LAPIC_BASE + reg, &val, 4, r->priv);
}

static uint32_t lapic_rd(struct v3_vm *vm, unsigned cpu, unsigned reg)
{
	const struct v3_mem_region *r = v3_mem_find(&vm->mem, V3_LAPIC_BASE);
	uint32_t val = 0;

	r->ops->read(vm->vcpus[cpu], V3_LAPIC_BASE + reg, &val, 4, r->priv);
	return val;
}

static void rte_wr(struct v3_vm *vm, unsigned pin, uint32_t lo, uint8_t dest)
{
	fx_mmio_write(vm, V3_IOAPIC_BASE, 0x11 + 2 * pin, 4);
	fx_mmio_write(vm, V3_IOAPIC_BASE + 0x10, (uint32_t)dest << 24, 4);
	fx_mmio_write(vm, V3_IOAPIC_BASE, 0x10 + 2 * pin, 4);
	fx_mmio_write(vm, V3_IOAPIC_BASE + 0x10, lo, 4);
}

static uint32_t rte_lo(struct v3_vm *vm, unsigned pin)
{
	fx_mmio_write(vm, V3_IOAPIC_BASE, 0x10 + 2 * pin, 4);
	return fx_mmio_read(vm, V3_IOAPIC_BASE + 0x10, 4);
}

/* The PC: local APICs first (their source comes first), then the I/O APIC. */
static struct v3_vm *pc(unsigned n)
{
	struct v3_vm *vm = fx_vm_create(n);

	fx_now = 0;
	fx_device(vm, &v3_dev_lapic);
	fx_device(vm, &v3_dev_ioapic);
	for (unsigned i = 0; i < n; i++)
		lapic_wr(vm, i, SVR, 0x1ff);
	return vm;
}

static void nothing_pending(struct v3_vm *vm, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		assert_int_equal(fx_pending_vector(vm, i), -1);
}

static void test_edge_end_to_end(void **state)
{
	struct v3_vm *vm = pc(2);

	(void)state;
	rte_wr(vm, 1, 0x31, 1);
	v3_irq_pulse(vm, 1);
	assert_int_equal(fx_pending_vector(vm, 0), -1);
	assert_int_equal(fx_take_vector(vm, 1), 0x31);
	assert_int_equal(lapic_rd(vm, 1, TMR + 0x10), 0);
	assert_int_equal(lapic_rd(vm, 1, ISR + 0x10), 1u << (0x31 - 32));
	lapic_wr(vm, 1, EOI, 0);
	assert_int_equal(lapic_rd(vm, 1, ISR + 0x10), 0);
	nothing_pending(vm, 2);

	/* Two edges before the vCPU looks: one IRR bit, one interrupt. */
	v3_irq_pulse(vm, 1);
	v3_irq_pulse(vm, 1);
	assert_int_equal(fx_take_vector(vm, 1), 0x31);
	nothing_pending(vm, 2);
	fx_vm_free(vm);
}

static void test_level_end_to_end(void **state)
{
	struct v3_vm *vm = pc(2);

	(void)state;
	rte_wr(vm, 11, LEVEL | 0x4b, 0);
	v3_irq_set_line(vm, 11, true);
	assert_true(lapic_rd(vm, 0, TMR + 0x20) & (1u << 11));
	assert_int_equal(fx_take_vector(vm, 0), 0x4b);
	assert_true(rte_lo(vm, 11) & REMOTE_IRR);
	nothing_pending(vm, 2);

	/* EOI with the line still high: delivered again. */
	lapic_wr(vm, 0, EOI, 0);
	assert_true(rte_lo(vm, 11) & REMOTE_IRR);
	assert_int_equal(fx_take_vector(vm, 0), 0x4b);

	/* The device drops its line; the handler's EOI ends it. */
	v3_irq_set_line(vm, 11, false);
	lapic_wr(vm, 0, EOI, 0);
	assert_int_equal(rte_lo(vm, 11) & REMOTE_IRR, 0);
	nothing_pending(vm, 2);

	/* An edge interrupt's EOI leaves a level one in service alone. */
	rte_wr(vm, 3, 0x60, 0);
	v3_irq_set_line(vm, 11, true);
	assert_int_equal(fx_take_vector(vm, 0), 0x4b);
	v3_irq_pulse(vm, 3);
	assert_int_equal(fx_take_vector(vm, 0), 0x60);
	lapic_wr(vm, 0, EOI, 0);
	assert_true(rte_lo(vm, 11) & REMOTE_IRR);
	nothing_pending(vm, 2);
	v3_irq_set_line(vm, 11, false);
	lapic_wr(vm, 0, EOI, 0);
	assert_int_equal(rte_lo(vm, 11) & REMOTE_IRR, 0);
	nothing_pending(vm, 2);
	fx_vm_free(vm);
}

static void test_masking(void **state)
{
	struct v3_vm *vm = pc(2);

	(void)state;
	/* Masked at the I/O APIC: nothing until unmasked (level). */
	rte_wr(vm, 9, MASKED | LEVEL | 0x59, 1);
	v3_irq_set_line(vm, 9, true);
	nothing_pending(vm, 2);
	rte_wr(vm, 9, LEVEL | 0x59, 1);
	assert_int_equal(fx_pending_vector(vm, 1), 0x59);

	/* Masked by the TPR: accepted (remote IRR set) but held. */
	lapic_wr(vm, 1, TPR, 0x60);
	assert_int_equal(fx_pending_vector(vm, 1), -1);
	assert_true(rte_lo(vm, 9) & REMOTE_IRR);
	lapic_wr(vm, 1, TPR, 0);
	assert_int_equal(fx_take_vector(vm, 1), 0x59);
	v3_irq_set_line(vm, 9, false);
	lapic_wr(vm, 1, EOI, 0);
	assert_int_equal(rte_lo(vm, 9) & REMOTE_IRR, 0);

	/* A software-disabled APIC refuses it: sent once re-enabled and the
	 * entry rewritten. */
	lapic_wr(vm, 1, SVR, 0xff);
	v3_irq_set_line(vm, 9, true);
	assert_int_equal(rte_lo(vm, 9) & REMOTE_IRR, 0);
	lapic_wr(vm, 1, SVR, 0x1ff);
	rte_wr(vm, 9, LEVEL | 0x59, 1);
	assert_int_equal(fx_take_vector(vm, 1), 0x59);
	fx_vm_free(vm);
}

static void test_logical_lowest(void **state)
{
	struct v3_vm *vm = pc(4);

	(void)state;
	for (unsigned i = 0; i < 4; i++)
		lapic_wr(vm, i, LDR, 1u << (24 + i));
	rte_wr(vm, 12, LOGICAL | LOWEST | LEVEL | 0x7c, 0x0c);
	v3_irq_set_line(vm, 12, true);
	assert_int_equal(fx_take_vector(vm, 2), 0x7c);
	nothing_pending(vm, 4);
	v3_irq_set_line(vm, 12, false);
	lapic_wr(vm, 2, EOI, 0);
	assert_int_equal(rte_lo(vm, 12) & REMOTE_IRR, 0);

	/* Fixed to a logical set: every member. */
	rte_wr(vm, 13, LOGICAL | 0x7d, 0x0b);
	v3_irq_pulse(vm, 13);
	assert_int_equal(fx_take_vector(vm, 0), 0x7d);
	assert_int_equal(fx_take_vector(vm, 1), 0x7d);
	assert_int_equal(fx_take_vector(vm, 3), 0x7d);
	nothing_pending(vm, 4);
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
	struct v3_vm *vm = pc(3);

	(void)state;
	rng_state = 0xfeedfacecafebeefull;
	for (unsigned n = 0; n < 60000; n++) {
		unsigned op = rng() % 10, cpu = rng() % 3;
		uint32_t val = rng();

		if (op < 3) {
			rte_wr(vm, rng() % 24, val, rng());
		} else if (op == 3) {
			uint64_t gpa = V3_IOAPIC_BASE + (rng() % 2) * 0x10;

			fx_mmio_write(vm, gpa, val, 4);
		} else if (op == 4) {
			lapic_wr(vm, cpu, (rng() % 0x40) * 0x10, val);
		} else if (op == 5) {
			lapic_rd(vm, cpu, (rng() % 0x40) * 0x10);
		} else if (op == 6) {
			v3_irq_set_line(vm, rng() % 24, val & 1);
		} else if (op == 7) {
			lapic_wr(vm, cpu, EOI, 0);
		} else if (op == 8) {
			fx_now += rng() % 3000;
			fx_run_timers(vm, cpu);
		} else {
			fx_take_vector(vm, cpu);
		}
	}
	/* Still a working PC once the guest quiets it: an interrupt gets
	 * through. */
	for (unsigned pin = 0; pin < 24; pin++) {
		rte_wr(vm, pin, MASKED, 0);
		v3_irq_set_line(vm, pin, false);
	}
	for (unsigned i = 0; i < 3; i++) {
		lapic_wr(vm, i, SVR, 0x1ff);
		lapic_wr(vm, i, TPR, 0);
		lapic_wr(vm, i, LVT_TIMER, MASKED);
		for (unsigned k = 0; k < 256; k++)
			lapic_wr(vm, i, EOI, 0);
		for (unsigned k = 0; k < 256 && fx_take_vector(vm, i) >= 0; k++)
			lapic_wr(vm, i, EOI, 0);
	}
	nothing_pending(vm, 3);
	rte_wr(vm, 1, 0xf1, 2);
	v3_irq_pulse(vm, 1);
	assert_int_equal(fx_take_vector(vm, 2), 0xf1);
	assert_string_equal(fx_stop_reason(vm), "");
	fx_vm_free(vm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_edge_end_to_end),
		cmocka_unit_test(test_level_end_to_end),
		cmocka_unit_test(test_masking),
		cmocka_unit_test(test_logical_lowest),
		cmocka_unit_test(test_garbage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
