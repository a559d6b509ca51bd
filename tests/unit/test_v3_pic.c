// SPDX-License-Identifier: GPL-2.0
/*
 * The 8259A pair through its ports and IRQ lines: initialization,
 * masking, priority and cascading, the EOI forms, level and edge inputs,
 * auto-EOI, poll, special mask mode, and garbage.
 */
#include "support.h"
#include "v3_fixture.h"

#include <palacios/devices_legacy.h>

/* The guest's usual setup: vectors 0x20 and 0x28, cascade on IR2. */
static struct v3_vm *pic_vm(uint8_t master_icw4, uint8_t slave_icw4)
{
	struct v3_vm *vm = fx_vm_create(1);

	fx_device(vm, &v3_dev_pic);
	fx_outb(vm, 0x20, 0x11);
	fx_outb(vm, 0x21, 0x20);
	fx_outb(vm, 0x21, 0x04);
	fx_outb(vm, 0x21, master_icw4);
	fx_outb(vm, 0xa0, 0x11);
	fx_outb(vm, 0xa1, 0x28);
	fx_outb(vm, 0xa1, 0x02);
	fx_outb(vm, 0xa1, slave_icw4);
	fx_outb(vm, 0x21, 0x00);
	fx_outb(vm, 0xa1, 0x00);
	return vm;
}

static void eoi(struct v3_vm *vm, unsigned irq)
{
	if (irq >= 8) {
		fx_outb(vm, 0xa0, 0x60 | (irq & 7));	/* specific EOI */
		irq = 2;
	}
	fx_outb(vm, 0x20, 0x60 | irq);
}

static void test_starts_masked(void **state)
{
	struct v3_vm *vm = fx_vm_create(1);

	(void)state;
	fx_device(vm, &v3_dev_pic);
	assert_int_equal(fx_inb(vm, 0x21), 0xff);
	assert_int_equal(fx_inb(vm, 0xa1), 0xff);
	v3_irq_pulse(vm, 0);
	assert_int_equal(fx_pending_vector(vm, 0), -1);
	fx_vm_free(vm);
}

static void test_init_and_vectors(void **state)
{
	struct v3_vm *vm = pic_vm(0x01, 0x01);

	(void)state;
	/* ICW1 cleared IMR, OCW1 set it */
	assert_int_equal(fx_inb(vm, 0x21), 0x00);
	assert_int_equal(fx_pending_vector(vm, 0), -1);
	v3_irq_pulse(vm, 0);
	assert_int_equal(fx_take_vector(vm, 0), 0x20);
	v3_irq_pulse(vm, 9);
	/* IRQ 0 in service blocks */
	assert_int_equal(fx_pending_vector(vm, 0), -1);
	eoi(vm, 0);
	assert_int_equal(fx_take_vector(vm, 0), 0x29);
	fx_outb(vm, 0x20, 0x0b);			/* read ISR */
	fx_outb(vm, 0xa0, 0x0b);
	assert_int_equal(fx_inb(vm, 0x20), 0x04);
	assert_int_equal(fx_inb(vm, 0xa0), 0x02);
	eoi(vm, 9);
	assert_int_equal(fx_inb(vm, 0x20), 0x00);
	assert_int_equal(fx_inb(vm, 0xa0), 0x00);
	assert_int_equal(fx_pending_vector(vm, 0), -1);

	/* Reinitialize with other bases; ICW1 clears what was requested. */
	v3_irq_pulse(vm, 5);
	fx_outb(vm, 0x20, 0x11);
	fx_outb(vm, 0x21, 0x80);
	fx_outb(vm, 0x21, 0x04);
	fx_outb(vm, 0x21, 0x01);
	assert_int_equal(fx_pending_vector(vm, 0), -1);
	v3_irq_pulse(vm, 5);
	assert_int_equal(fx_take_vector(vm, 0), 0x85);
	fx_vm_free(vm);
}

static void test_masking(void **state)
{
	struct v3_vm *vm = pic_vm(0x01, 0x01);

	(void)state;
	fx_outb(vm, 0x21, 0x08);
	fx_outb(vm, 0xa1, 0x10);
	assert_int_equal(fx_inb(vm, 0x21), 0x08);
	assert_int_equal(fx_inb(vm, 0xa1), 0x10);
	v3_irq_pulse(vm, 3);
	v3_irq_pulse(vm, 12);
	assert_int_equal(fx_pending_vector(vm, 0), -1);
	fx_outb(vm, 0x20, 0x0a);			/* read IRR: latched */
	assert_int_equal(fx_inb(vm, 0x20), 0x08);
	fx_outb(vm, 0xa1, 0x00);
	/* the slave's INT on IR2 */
	assert_int_equal(fx_inb(vm, 0x20), 0x0c);
	assert_int_equal(fx_take_vector(vm, 0), 0x2c);
	eoi(vm, 12);
	/* Masking the cascade input masks the whole slave. */
	fx_outb(vm, 0x21, 0x0c);
	v3_irq_pulse(vm, 8);
	assert_int_equal(fx_pending_vector(vm, 0), -1);
	fx_outb(vm, 0x21, 0x00);
	/* IR2 ranks above IR3 */
	assert_int_equal(fx_take_vector(vm, 0), 0x28);
	eoi(vm, 8);
	assert_int_equal(fx_take_vector(vm, 0), 0x23);
	fx_vm_free(vm);
}

static void test_priority_and_cascade(void **state)
{
	struct v3_vm *vm = pic_vm(0x01, 0x01);

	(void)state;
	/* Slave lines rank where IR2 does: between IRQ 1 and IRQ 3. */
	v3_irq_pulse(vm, 3);
	v3_irq_pulse(vm, 10);
	assert_int_equal(fx_take_vector(vm, 0), 0x2a);
	assert_int_equal(fx_pending_vector(vm, 0), -1);	/* IRQ 3 blocked */
	v3_irq_pulse(vm, 1);
	assert_int_equal(fx_take_vector(vm, 0), 0x21);	/* nests above */
	v3_irq_pulse(vm, 9);
	assert_int_equal(fx_pending_vector(vm, 0), -1);	/* IR2 in service */
	eoi(vm, 1);
	assert_int_equal(fx_pending_vector(vm, 0), -1);
	eoi(vm, 10);
	assert_int_equal(fx_take_vector(vm, 0), 0x29);
	eoi(vm, 9);
	assert_int_equal(fx_take_vector(vm, 0), 0x23);
	eoi(vm, 3);
	assert_int_equal(fx_pending_vector(vm, 0), -1);
	fx_vm_free(vm);
}

static void test_special_fully_nested(void **state)
{
	struct v3_vm *vm = pic_vm(0x11, 0x01);	/* SFNM on the master */

	(void)state;
	v3_irq_pulse(vm, 12);
	assert_int_equal(fx_take_vector(vm, 0), 0x2c);
	v3_irq_pulse(vm, 9);
	/* a higher slave line */
	assert_int_equal(fx_take_vector(vm, 0), 0x29);
	v3_irq_pulse(vm, 13);
	assert_int_equal(fx_pending_vector(vm, 0), -1);	/* a lower one waits */
	fx_vm_free(vm);
}

static void test_eoi_forms(void **state)
{
	struct v3_vm *vm = pic_vm(0x01, 0x01);

	(void)state;
	v3_irq_pulse(vm, 4);
	assert_int_equal(fx_take_vector(vm, 0), 0x24);
	v3_irq_pulse(vm, 1);
	assert_int_equal(fx_take_vector(vm, 0), 0x21);
	fx_outb(vm, 0x20, 0x0b);
	assert_int_equal(fx_inb(vm, 0x20), 0x12);
	/* non-specific: the highest */
	fx_outb(vm, 0x20, 0x20);
	assert_int_equal(fx_inb(vm, 0x20), 0x10);
	fx_outb(vm, 0x20, 0x40);			/* no operation */
	assert_int_equal(fx_inb(vm, 0x20), 0x10);
	fx_outb(vm, 0x20, 0x64);			/* specific EOI 4 */
	assert_int_equal(fx_inb(vm, 0x20), 0x00);

	/* Rotate on non-specific EOI: the level served becomes lowest. */
	v3_irq_pulse(vm, 0);
	assert_int_equal(fx_take_vector(vm, 0), 0x20);
	fx_outb(vm, 0x20, 0xa0);
	v3_irq_pulse(vm, 0);
	v3_irq_pulse(vm, 1);
	assert_int_equal(fx_take_vector(vm, 0), 0x21);
	/* rotate on specific EOI 1 */
	fx_outb(vm, 0x20, 0xe1);
	assert_int_equal(fx_take_vector(vm, 0), 0x20);
	fx_outb(vm, 0x20, 0x20);
	/* Set priority: IRQ 5 lowest, so 6 ranks first. */
	fx_outb(vm, 0x20, 0xc5);
	v3_irq_pulse(vm, 5);
	v3_irq_pulse(vm, 6);
	assert_int_equal(fx_take_vector(vm, 0), 0x26);
	fx_outb(vm, 0x20, 0x20);
	assert_int_equal(fx_take_vector(vm, 0), 0x25);
	fx_outb(vm, 0x20, 0x20);
	fx_vm_free(vm);
}

static void test_level_and_edge(void **state)
{
	struct v3_vm *vm = pic_vm(0x01, 0x01);

	(void)state;
	fx_outb(vm, 0x4d0, 0xff);
	fx_outb(vm, 0x4d1, 0xff);
	/* IRQ 0-2 always edge */
	assert_int_equal(fx_inb(vm, 0x4d0), 0xf8);
	assert_int_equal(fx_inb(vm, 0x4d1), 0xde);	/* IRQ 8 and 13 too */
	fx_outb(vm, 0x4d0, 0x00);
	fx_outb(vm, 0x4d1, 0x04);			/* IRQ 10 level */

	/* A level line requests for as long as it is high. */
	v3_irq_set_line(vm, 10, true);
	assert_int_equal(fx_take_vector(vm, 0), 0x2a);
	eoi(vm, 10);
	assert_int_equal(fx_take_vector(vm, 0), 0x2a);
	v3_irq_set_line(vm, 10, false);
	eoi(vm, 10);
	assert_int_equal(fx_pending_vector(vm, 0), -1);
	/* Dropped before the acknowledge: gone (no spurious IRQ 15). */
	v3_irq_set_line(vm, 10, true);
	assert_int_equal(fx_pending_vector(vm, 0), 0x2a);
	v3_irq_set_line(vm, 10, false);
	assert_int_equal(fx_pending_vector(vm, 0), -1);

	/* An edge line held high requests once. */
	v3_irq_set_line(vm, 3, true);
	assert_int_equal(fx_take_vector(vm, 0), 0x23);
	eoi(vm, 3);
	assert_int_equal(fx_pending_vector(vm, 0), -1);
	v3_irq_set_line(vm, 3, false);
	v3_irq_set_line(vm, 3, true);
	assert_int_equal(fx_take_vector(vm, 0), 0x23);
	eoi(vm, 3);
	v3_irq_set_line(vm, 3, false);

	/* LTIM in ICW1 makes every line of that chip level-sensitive. */
	fx_outb(vm, 0x20, 0x19);
	fx_outb(vm, 0x21, 0x20);
	fx_outb(vm, 0x21, 0x04);
	fx_outb(vm, 0x21, 0x01);
	v3_irq_set_line(vm, 4, true);
	assert_int_equal(fx_take_vector(vm, 0), 0x24);
	eoi(vm, 4);
	assert_int_equal(fx_pending_vector(vm, 0), 0x24);
	v3_irq_set_line(vm, 4, false);
	assert_int_equal(fx_pending_vector(vm, 0), -1);
	fx_vm_free(vm);
}

static void test_auto_eoi(void **state)
{
	struct v3_vm *vm = pic_vm(0x03, 0x03);

	(void)state;
	v3_irq_pulse(vm, 1);
	assert_int_equal(fx_take_vector(vm, 0), 0x21);
	fx_outb(vm, 0x20, 0x0b);
	assert_int_equal(fx_inb(vm, 0x20), 0x00);	/* never in service */
	v3_irq_pulse(vm, 7);
	assert_int_equal(fx_take_vector(vm, 0), 0x27);
	v3_irq_pulse(vm, 11);
	assert_int_equal(fx_take_vector(vm, 0), 0x2b);
	assert_int_equal(fx_inb(vm, 0x20), 0x00);
	/* Rotate in auto-EOI mode: the level served drops to lowest. */
	fx_outb(vm, 0x20, 0x80);
	v3_irq_pulse(vm, 3);
	assert_int_equal(fx_take_vector(vm, 0), 0x23);
	v3_irq_pulse(vm, 3);
	v3_irq_pulse(vm, 5);
	assert_int_equal(fx_take_vector(vm, 0), 0x25);
	assert_int_equal(fx_take_vector(vm, 0), 0x23);
	fx_vm_free(vm);
}

static void test_poll(void **state)
{
	struct v3_vm *vm = pic_vm(0x01, 0x01);

	(void)state;
	fx_outb(vm, 0x20, 0x0c);
	assert_int_equal(fx_inb(vm, 0x20), 0x00);	/* nothing requested */
	v3_irq_pulse(vm, 6);
	fx_outb(vm, 0x20, 0x0c);
	assert_int_equal(fx_inb(vm, 0x20), 0x86);
	assert_int_equal(fx_pending_vector(vm, 0), -1);	/* taken by the poll */
	fx_outb(vm, 0x20, 0x0b);
	assert_int_equal(fx_inb(vm, 0x20), 0x40);
	fx_outb(vm, 0x20, 0x20);
	/* A slave line: the master's poll shows IR2, the slave's the line. */
	v3_irq_pulse(vm, 14);
	fx_outb(vm, 0x20, 0x0c);
	assert_int_equal(fx_inb(vm, 0x20), 0x82);
	fx_outb(vm, 0xa0, 0x0c);
	assert_int_equal(fx_inb(vm, 0xa0), 0x86);
	eoi(vm, 14);
	/* The poll is one read; the next shows IRR or ISR again. */
	assert_int_equal(fx_inb(vm, 0x20), 0x00);
	fx_vm_free(vm);
}

static void test_special_mask(void **state)
{
	struct v3_vm *vm = pic_vm(0x01, 0x01);

	(void)state;
	v3_irq_pulse(vm, 1);
	assert_int_equal(fx_take_vector(vm, 0), 0x21);
	v3_irq_pulse(vm, 5);
	assert_int_equal(fx_pending_vector(vm, 0), -1);
	/* mask the level in service */
	fx_outb(vm, 0x21, 0x02);
	/* set special mask mode */
	fx_outb(vm, 0x20, 0x68);
	assert_int_equal(fx_take_vector(vm, 0), 0x25);
	/* clears 5, not masked 1 */
	fx_outb(vm, 0x20, 0x20);
	fx_outb(vm, 0x20, 0x0b);
	assert_int_equal(fx_inb(vm, 0x20), 0x02);
	/* reset special mask mode */
	fx_outb(vm, 0x20, 0x48);
	fx_outb(vm, 0x21, 0x00);
	v3_irq_pulse(vm, 5);
	assert_int_equal(fx_pending_vector(vm, 0), -1);
	fx_outb(vm, 0x20, 0x61);
	assert_int_equal(fx_take_vector(vm, 0), 0x25);
	fx_vm_free(vm);
}

static void test_odd_lines_and_modes(void **state)
{
	struct v3_vm *vm = pic_vm(0x01, 0x01);

	(void)state;
	log_reset();
	v3_irq_pulse(vm, 2);
	assert_int_equal(fx_pending_vector(vm, 0), -1);
	assert_true(log_contains("cascade"));
	/* an IOAPIC-only line */
	v3_irq_pulse(vm, 20);
	assert_int_equal(fx_pending_vector(vm, 0), -1);
	/* Without ICW4 (MCS-80/85): reported; 8086 vectors all the same. */
	fx_outb(vm, 0x20, 0x10);
	fx_outb(vm, 0x21, 0x40);
	fx_outb(vm, 0x21, 0x04);
	fx_outb(vm, 0x21, 0x00);			/* OCW1 now, not ICW4 */
	assert_true(log_contains("MCS-80"));
	v3_irq_pulse(vm, 3);
	assert_int_equal(fx_take_vector(vm, 0), 0x43);
	/* A wide access reaches both ports of the chip. */
	fx_out(vm, 0xa0, 0xff0b, 2);
	assert_int_equal(fx_inb(vm, 0xa1), 0xff);
	assert_int_equal(fx_in(vm, 0x4d0, 2), 0x0000);
	fx_vm_free(vm);
}

static uint32_t prng_next(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static void test_garbage(void **state)
{
	static const uint16_t ports[] = {
		0x20, 0x21, 0xa0, 0xa1, 0x4d0, 0x4d1,
	};
	struct v3_vm *vm = pic_vm(0x01, 0x01);
	uint32_t seed = 0x8259a;

	(void)state;
	for (unsigned i = 0; i < 20000; i++) {
		uint32_t r = prng_next(&seed);
		uint16_t port = ports[r % 6];
		unsigned size = 1u << (r >> 8 & 1 ? (r >> 9) % 3 : 0);
		int vec;

		switch (r >> 12 & 3) {
		case 0:
			fx_out(vm, port, prng_next(&seed), size);
			break;
		case 1:
			fx_in(vm, port, size);
			break;
		case 2:
			v3_irq_set_line(vm, prng_next(&seed) % 32, r >> 20 & 1);
			break;
		case 3:
			vec = fx_take_vector(vm, 0);
			assert_true(vec >= -1 && vec < 256);
			break;
		}
	}
	fx_vm_free(vm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_starts_masked),
		cmocka_unit_test(test_init_and_vectors),
		cmocka_unit_test(test_masking),
		cmocka_unit_test(test_priority_and_cascade),
		cmocka_unit_test(test_special_fully_nested),
		cmocka_unit_test(test_eoi_forms),
		cmocka_unit_test(test_level_and_edge),
		cmocka_unit_test(test_auto_eoi),
		cmocka_unit_test(test_poll),
		cmocka_unit_test(test_special_mask),
		cmocka_unit_test(test_odd_lines_and_modes),
		cmocka_unit_test(test_garbage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
