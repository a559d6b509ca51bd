// SPDX-License-Identifier: GPL-2.0
/*
 * The 8042 keyboard controller through ports 0x60/0x64 and a recording
 * IRQ router: Linux's probe sequence (self test, command byte, the aux
 * port found empty, the keyboard's identify and reset), IRQ 1 and 12,
 * the reset through the controller, and garbage.
 */
#include "support.h"
#include "v3_fixture.h"

#include <palacios/devices_legacy.h>

#define STS_OBF		0x01
#define STS_AUX		0x20
#define STS_TIMEOUT	0x40

static bool line[16];
static unsigned rises[16];

static void rec_set_line(struct v3_vm *vm, unsigned irq, bool level, void *priv)
{
	(void)vm, (void)priv;
	if (irq >= 16)
		return;
	rises[irq] += level && !line[irq];
	line[irq] = level;
}

static const struct v3_irq_router_ops rec_ops = { rec_set_line };

static struct v3_vm *kbc_vm(void)
{
	struct v3_vm *vm = fx_vm_create(1);

	for (unsigned i = 0; i < 16; i++)
		line[i] = false, rises[i] = 0;
	fx_device(vm, &v3_dev_i8042);
	assert_int_equal(v3_register_irq_router(vm, &rec_ops, NULL), 0);
	return vm;
}

/* A controller command, with its data byte if data >= 0. */
static void command(struct v3_vm *vm, uint8_t cmd, int data)
{
	fx_outb(vm, 0x64, cmd);
	if (data >= 0)
		fx_outb(vm, 0x60, data);
}

/* The next output byte, checking the status bits that go with it. */
static uint8_t read_byte(struct v3_vm *vm, uint8_t status)
{
	assert_int_equal(fx_inb(vm, 0x64) & (STS_OBF | STS_AUX | STS_TIMEOUT),
			 STS_OBF | status);
	return fx_inb(vm, 0x60);
}

static void expect_empty(struct v3_vm *vm)
{
	assert_int_equal(fx_inb(vm, 0x64) & STS_OBF, 0);
}

static void test_linux_probe(void **state)
{
	struct v3_vm *vm = kbc_vm();
	uint8_t ctr;

	(void)state;
	/* i8042_flush: nothing waiting; the lock switch reads open. */
	assert_int_equal(fx_inb(vm, 0x64), 0x14);
	command(vm, 0x20, -1);
	ctr = read_byte(vm, 0);
	assert_int_equal(ctr, 0x45);
	/* last write: command */
	assert_int_equal(fx_inb(vm, 0x64) & 0x08, 0x08);
	command(vm, 0xaa, -1);
	assert_int_equal(read_byte(vm, 0), 0x55);
	/* Interrupts off while probing, as Linux does. */
	command(vm, 0x60, ctr & ~0x03);
	assert_int_equal(fx_inb(vm, 0x64) & 0x08, 0);
	command(vm, 0x20, -1);
	assert_int_equal(read_byte(vm, 0), 0x44);

	/* i8042_check_aux: the loop answers from the aux side... */
	command(vm, 0xd3, 0x5a);
	assert_int_equal(read_byte(vm, STS_AUX), 0x5a);
	/* ... and the aux-disable bit follows 0xA7/0xA8. */
	command(vm, 0xa7, -1);
	command(vm, 0x20, -1);
	assert_int_equal(read_byte(vm, 0) & 0x20, 0x20);
	command(vm, 0xa8, -1);
	command(vm, 0x20, -1);
	assert_int_equal(read_byte(vm, 0) & 0x20, 0x00);
	/* The aux IRQ test: loop a byte with the aux interrupt enabled. */
	command(vm, 0x60, 0x46);
	command(vm, 0xd3, 0xa5);
	assert_true(line[12]);
	assert_false(line[1]);
	assert_int_equal(read_byte(vm, STS_AUX), 0xa5);
	assert_false(line[12]);
	/* No mouse: what goes to the aux device times out. */
	command(vm, 0xd4, 0xff);
	assert_int_equal(read_byte(vm, STS_AUX | STS_TIMEOUT), 0xfe);
	command(vm, 0xa9, -1);
	assert_int_equal(read_byte(vm, 0), 0x00);

	/* atkbd: identify, then reset; IRQ 1 rises for every byte. */
	command(vm, 0x60, 0x47);
	command(vm, 0xab, -1);
	assert_int_equal(read_byte(vm, 0), 0x00);
	rises[1] = 0;
	fx_outb(vm, 0x60, 0xf2);
	assert_true(line[1]);
	assert_int_equal(read_byte(vm, 0), 0xfa);
	assert_int_equal(read_byte(vm, 0), 0xab);
	assert_int_equal(read_byte(vm, 0), 0x83);
	assert_false(line[1]);
	assert_int_equal(rises[1], 3);
	fx_outb(vm, 0x60, 0xff);
	assert_int_equal(read_byte(vm, 0), 0xfa);
	assert_int_equal(read_byte(vm, 0), 0xaa);
	expect_empty(vm);
	assert_string_equal(fx_stop_reason(vm), "");
	fx_vm_free(vm);
}

static void test_keyboard_commands(void **state)
{
	struct v3_vm *vm = kbc_vm();

	(void)state;
	/* LEDs, then their bits */
	fx_outb(vm, 0x60, 0xed);
	fx_outb(vm, 0x60, 0x07);
	assert_int_equal(read_byte(vm, 0), 0xfa);
	assert_int_equal(read_byte(vm, 0), 0xfa);
	fx_outb(vm, 0x60, 0xf0);			/* query the scan set */
	fx_outb(vm, 0x60, 0x00);
	assert_int_equal(read_byte(vm, 0), 0xfa);
	assert_int_equal(read_byte(vm, 0), 0xfa);
	assert_int_equal(read_byte(vm, 0), 0x02);
	fx_outb(vm, 0x60, 0xf0);			/* select set 3 */
	fx_outb(vm, 0x60, 0x03);
	fx_outb(vm, 0x60, 0xf0);
	fx_outb(vm, 0x60, 0x00);
	for (unsigned i = 0; i < 4; i++)
		assert_int_equal(read_byte(vm, 0), 0xfa);
	assert_int_equal(read_byte(vm, 0), 0x03);
	fx_outb(vm, 0x60, 0xf0);			/* no set 9 */
	fx_outb(vm, 0x60, 0x09);
	assert_int_equal(read_byte(vm, 0), 0xfa);
	assert_int_equal(read_byte(vm, 0), 0xfe);
	/* typematic, then a command */
	fx_outb(vm, 0x60, 0xf3);
	fx_outb(vm, 0x60, 0xee);
	assert_int_equal(read_byte(vm, 0), 0xfa);
	assert_int_equal(read_byte(vm, 0), 0xee);	/* echo */
	fx_outb(vm, 0x60, 0xfe);			/* resend */
	assert_int_equal(read_byte(vm, 0), 0xee);
	for (uint8_t c = 0xf4; c <= 0xf6; c++) {
		fx_outb(vm, 0x60, c);
		assert_int_equal(read_byte(vm, 0), 0xfa);
	}
	log_reset();
	fx_outb(vm, 0x60, 0x12);
	assert_int_equal(read_byte(vm, 0), 0xfe);
	assert_true(log_contains("unknown keyboard command"));
	/* An empty buffer reads its last byte again. */
	expect_empty(vm);
	assert_int_equal(fx_inb(vm, 0x60), 0xfe);
	fx_vm_free(vm);
}

static void test_controller_commands(void **state)
{
	struct v3_vm *vm = kbc_vm();

	(void)state;
	command(vm, 0x7f, 0x99);			/* controller RAM */
	command(vm, 0x3f, -1);
	assert_int_equal(read_byte(vm, 0), 0x99);
	command(vm, 0xa4, -1);
	assert_int_equal(read_byte(vm, 0), 0xf1);	/* no password */
	command(vm, 0xc0, -1);
	assert_int_equal(read_byte(vm, 0), 0xa0);
	command(vm, 0xd2, 0x1c);			/* as if typed */
	assert_int_equal(read_byte(vm, 0), 0x1c);
	command(vm, 0xad, -1);
	command(vm, 0x20, -1);
	assert_int_equal(read_byte(vm, 0) & 0x10, 0x10);
	command(vm, 0xae, -1);
	command(vm, 0x20, -1);
	assert_int_equal(read_byte(vm, 0) & 0x10, 0x00);

	/* Output port: A20 masking is reported; OBF bits are live. */
	log_reset();
	command(vm, 0xd1, 0xdd);
	assert_true(log_contains("A20"));
	command(vm, 0xd0, -1);
	/* buffer was empty */
	assert_int_equal(read_byte(vm, 0), 0xdd & ~0x30);
	command(vm, 0xd1, 0xdf);

	/* A command not known: reported once, no answer. */
	log_reset();
	command(vm, 0xa1, -1);
	expect_empty(vm);
	assert_true(log_contains("0xa1"));
	/* A new command drops the data byte the last one waited for. */
	command(vm, 0x60, -1);
	command(vm, 0x20, -1);
	assert_int_equal(read_byte(vm, 0), 0x45);
	fx_outb(vm, 0x60, 0x00);			/* to the keyboard */
	assert_int_equal(read_byte(vm, 0), 0xfe);

	/* Interrupts follow the command byte's enables. */
	command(vm, 0x60, 0x44);
	command(vm, 0xd2, 0x01);
	assert_false(line[1]);
	command(vm, 0x60, 0x45);
	assert_true(line[1]);
	fx_inb(vm, 0x60);
	assert_false(line[1]);

	/* Bytes beyond the queue are dropped, with a report. */
	log_reset();
	for (unsigned i = 0; i < 20; i++)
		command(vm, 0xd2, i);
	assert_true(log_contains("full"));
	for (unsigned i = 0; i < 16; i++)
		assert_int_equal(read_byte(vm, 0), i);
	expect_empty(vm);
	fx_vm_free(vm);
}

static void test_reset(void **state)
{
	struct v3_vm *vm = kbc_vm();

	(void)state;
	command(vm, 0xff, -1);				/* pulses nothing */
	command(vm, 0xfd, -1);				/* pulses A20 only */
	assert_string_equal(fx_stop_reason(vm), "");
	command(vm, 0xfe, -1);
	assert_string_equal(fx_stop_reason(vm),
			    "guest reset through the keyboard controller");
	fx_vm_free(vm);

	vm = kbc_vm();
	command(vm, 0xd1, 0xde);			/* the reset line low */
	assert_string_equal(fx_stop_reason(vm),
			    "guest reset through the keyboard controller");
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
	struct v3_vm *vm = kbc_vm();
	uint32_t seed = 8042;

	(void)state;
	for (unsigned i = 0; i < 50000; i++) {
		uint32_t r = prng_next(&seed);
		uint16_t port = r & 1 ? 0x64 : 0x60;
		unsigned size = 1u << (r >> 8 & 1 ? (r >> 9) % 3 : 0);

		if (r >> 12 & 1)
			fx_out(vm, port, prng_next(&seed), size);
		else
			fx_in(vm, port, size);
	}
	fx_vm_free(vm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_linux_probe),
		cmocka_unit_test(test_keyboard_commands),
		cmocka_unit_test(test_controller_commands),
		cmocka_unit_test(test_reset),
		cmocka_unit_test(test_garbage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
