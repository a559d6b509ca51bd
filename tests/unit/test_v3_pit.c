// SPDX-License-Identifier: GPL-2.0
/*
 * The 8254 through its ports, the fixture's clock and a recording IRQ
 * router: periodic IRQ 0 timing without drift or floods, one-shot modes,
 * latches and read-back, byte access modes, BCD, channel 2's gate and
 * output through port 0x61 as Linux and Kitten use them, and garbage.
 */
#include "support.h"
#include "v3_fixture.h"

#include <palacios/devices_legacy.h>

#define T0 1000000000ull	/* the clock when a test starts */

static unsigned pulses;
static uint64_t last_pulse;

static void rec_set_line(struct v3_vm *vm, unsigned irq, bool level, void *priv)
{
	(void)vm, (void)priv;
	if (irq == 0 && level) {
		pulses++;
		last_pulse = fx_now;
	}
}

static const struct v3_irq_router_ops rec_ops = { rec_set_line };

static struct v3_vm *pit_vm(void)
{
	struct v3_vm *vm = fx_vm_create(1);

	fx_now = T0;
	pulses = 0;
	fx_device(vm, &v3_dev_pit);
	assert_int_equal(v3_register_irq_router(vm, &rec_ops, NULL), 0);
	return vm;
}

/* The first time at which t ticks have passed since `from`. */
static uint64_t at_ticks(uint64_t from, uint64_t t)
{
	unsigned __int128 ns = (unsigned __int128)t * 1000000000 + 1193181;

	return from + (uint64_t)(ns / 1193182);
}

static void program(struct v3_vm *vm, unsigned ch, uint8_t ctrl, uint16_t count)
{
	fx_outb(vm, 0x43, ch << 6 | ctrl);
	fx_outb(vm, 0x40 + ch, count & 0xff);
	fx_outb(vm, 0x40 + ch, count >> 8);
}

static uint16_t read16(struct v3_vm *vm, unsigned ch)
{
	uint16_t lo = fx_inb(vm, 0x40 + ch);

	return lo | fx_inb(vm, 0x40 + ch) << 8;
}

static uint16_t latch16(struct v3_vm *vm, unsigned ch)
{
	fx_outb(vm, 0x43, ch << 6);
	return read16(vm, ch);
}

static void test_mode2_periodic_no_drift(void **state)
{
	struct v3_vm *vm = pit_vm();

	(void)state;
	assert_int_equal(fx_run_timers(vm, 0), V3_NO_DEADLINE);
	/* Linux's HZ=1000 tick */
	program(vm, 0, 0x34, 1193);
	for (uint64_t k = 1; k <= 5000; k++) {
		uint64_t d = fx_run_timers(vm, 0);

		assert_int_equal(d, at_ticks(T0, k * 1193));
		fx_now = d - 1;
		fx_run_timers(vm, 0);
		/* not a nanosecond early */
		assert_int_equal(pulses, k - 1);
		fx_now = d;
		fx_run_timers(vm, 0);
		assert_int_equal(pulses, k);
	}
	fx_vm_free(vm);
}

static void test_missed_ticks_collapse(void **state)
{
	struct v3_vm *vm = pit_vm();
	uint64_t d;

	(void)state;
	program(vm, 0, 0x34, 11932);			/* 100 Hz */
	fx_now = T0 + 3 * 1000000000ull + 12345;	/* descheduled 3 s */
	d = fx_run_timers(vm, 0);
	assert_int_equal(pulses, 1);
	/* The next edge is still on the grid of the load time: 3 s is
	 * 299.997 periods of 11932 ticks. */
	assert_int_equal(d, at_ticks(T0, 300 * 11932ull));
	fx_now = d;
	fx_run_timers(vm, 0);
	assert_int_equal(pulses, 2);
	fx_vm_free(vm);
}

static void test_mode3_square_wave(void **state)
{
	struct v3_vm *vm = pit_vm();

	(void)state;
	program(vm, 0, 0x36, 1000);
	assert_int_equal(fx_run_timers(vm, 0), at_ticks(T0, 1000));
	fx_now = at_ticks(T0, 10);
	assert_int_equal(latch16(vm, 0), 1000 - 20);	/* counts by two */
	fx_now = at_ticks(T0, 600);
	assert_int_equal(latch16(vm, 0), 1000 - 200);	/* second half */
	/* status of channel 0 */
	fx_outb(vm, 0x43, 0xe2);
	assert_int_equal(fx_inb(vm, 0x40), 0x36);	/* OUT low */
	fx_now = at_ticks(T0, 1000);
	fx_outb(vm, 0x43, 0xe2);
	assert_int_equal(fx_inb(vm, 0x40), 0xb6);
	fx_run_timers(vm, 0);
	assert_int_equal(pulses, 1);
	fx_vm_free(vm);
}

static void test_mode0_and_mode4_one_shot(void **state)
{
	struct v3_vm *vm = pit_vm();

	(void)state;
	program(vm, 0, 0x30, 500);
	assert_int_equal(fx_run_timers(vm, 0), at_ticks(T0, 500));
	fx_now = at_ticks(T0, 500);
	assert_int_equal(fx_run_timers(vm, 0), V3_NO_DEADLINE);
	assert_int_equal(pulses, 1);
	fx_now = at_ticks(T0, 600);
	/* wraps */
	assert_int_equal(latch16(vm, 0), (uint16_t)(500 - 600));
	fx_now += 10000000;
	fx_run_timers(vm, 0);
	assert_int_equal(pulses, 1);

	/* Mode 4: OUT strobes low at zero; the edge follows a tick later. */
	program(vm, 0, 0x38, 100);
	assert_int_equal(fx_run_timers(vm, 0), at_ticks(fx_now, 101));
	fx_now = at_ticks(fx_now, 101);
	assert_int_equal(fx_run_timers(vm, 0), V3_NO_DEADLINE);
	assert_int_equal(pulses, 2);
	fx_vm_free(vm);
}

static void test_latch_and_readback(void **state)
{
	struct v3_vm *vm = pit_vm();

	(void)state;
	program(vm, 0, 0x34, 10000);
	fx_now = at_ticks(T0, 1234);
	fx_outb(vm, 0x43, 0x00);			/* latch channel 0 */
	fx_now = at_ticks(T0, 5000);
	/* ignored: still latched */
	fx_outb(vm, 0x43, 0x00);
	assert_int_equal(read16(vm, 0), 10000 - 1234);
	assert_int_equal(read16(vm, 0), 10000 - 5000);	/* live again */

	/* Read-back: count and status of channels 0 and 2; status first. */
	fx_outb(vm, 0x61, 0x01);			/* channel 2's gate */
	program(vm, 2, 0xb0, 300);
	fx_now = at_ticks(fx_now, 7);
	fx_outb(vm, 0x43, 0xca);
	fx_now = at_ticks(fx_now, 100);
	assert_int_equal(fx_inb(vm, 0x40), 0x34 | 0x80);
	assert_int_equal(read16(vm, 0), 10000 - 5007);
	assert_int_equal(fx_inb(vm, 0x42), 0x30 | 0x00);	/* OUT low */
	assert_int_equal(read16(vm, 2), 300 - 7);

	/* Null count: set by the control word until a count is loaded. */
	fx_outb(vm, 0x43, 0x74);			/* channel 1, mode 2 */
	fx_outb(vm, 0x43, 0xe4);
	assert_int_equal(fx_inb(vm, 0x41), 0x40 | 0x80 | 0x34);
	fx_outb(vm, 0x41, 0x10);
	fx_outb(vm, 0x41, 0x00);
	fx_outb(vm, 0x43, 0xe4);
	assert_int_equal(fx_inb(vm, 0x41), 0x80 | 0x34);
	fx_vm_free(vm);
}

static void test_byte_modes_and_bcd(void **state)
{
	struct v3_vm *vm = pit_vm();

	(void)state;
	/* channel 1, LSB only */
	fx_outb(vm, 0x43, 0x54);
	fx_outb(vm, 0x41, 0x80);
	fx_now = at_ticks(T0, 0x10);
	assert_int_equal(fx_inb(vm, 0x41), 0x70);
	assert_int_equal(fx_inb(vm, 0x41), 0x70);
	fx_outb(vm, 0x43, 0x64);			/* MSB only */
	fx_outb(vm, 0x41, 0x02);			/* count 0x200 */
	fx_now = at_ticks(fx_now, 0x101);
	assert_int_equal(fx_inb(vm, 0x41), 0x00);	/* 0xff */

	/* BCD: 1000 decimal counts down in decimal digits. */
	fx_outb(vm, 0x43, 0x75);
	fx_outb(vm, 0x41, 0x00);
	fx_outb(vm, 0x41, 0x10);
	fx_now = at_ticks(fx_now, 1);
	assert_int_equal(latch16(vm, 1), 0x0999);
	fx_now = at_ticks(fx_now, 998);
	assert_int_equal(latch16(vm, 1), 0x0001);
	fx_now = at_ticks(fx_now, 1);
	assert_int_equal(latch16(vm, 1), 0x1000);	/* reloaded */
	/* A zero count is the largest: 65536, or 10000 in BCD. */
	program(vm, 1, 0x34, 0);
	fx_now = at_ticks(fx_now, 1);
	assert_int_equal(latch16(vm, 1), 0xffff);
	fx_vm_free(vm);
}

/* Linux's TSC calibration: gate high, mode 0 on channel 2, poll bit 5. */
static void test_channel2_linux_calibration(void **state)
{
	struct v3_vm *vm = pit_vm();
	uint64_t start;

	(void)state;
	fx_outb(vm, 0x61, (fx_inb(vm, 0x61) & ~0x02) | 0x01);
	program(vm, 2, 0xb0, 0xffff);
	start = fx_now;
	assert_int_equal(fx_inb(vm, 0x61) & 0x21, 0x01);
	fx_now = at_ticks(start, 0x100);
	assert_int_equal(fx_inb(vm, 0x42), 0xff);	/* LSB, then MSB */
	assert_int_equal(fx_inb(vm, 0x42), 0xfe);
	fx_now = at_ticks(start, 0xffff) - 1;
	assert_int_equal(fx_inb(vm, 0x61) & 0x20, 0);
	fx_now = at_ticks(start, 0xffff);
	assert_int_equal(fx_inb(vm, 0x61) & 0x20, 0x20);
	/* channel 2 has no IRQ */
	assert_int_equal(pulses, 0);
	fx_vm_free(vm);
}

/* Kitten's: load the count with the gate low, then raise the gate. */
static void test_channel2_gate(void **state)
{
	struct v3_vm *vm = pit_vm();
	uint64_t start;

	(void)state;
	fx_outb(vm, 0x61, 0x00);
	program(vm, 2, 0xb0, 1000);
	fx_now += 50000000;
	assert_int_equal(latch16(vm, 2), 1000);		/* held by the gate */
	fx_outb(vm, 0x61, 0x01);
	start = fx_now;
	fx_now = at_ticks(start, 400);
	fx_outb(vm, 0x61, 0x00);			/* pause */
	fx_now += 50000000;
	assert_int_equal(latch16(vm, 2), 600);
	fx_outb(vm, 0x61, 0x01);
	start = fx_now;
	fx_now = at_ticks(start, 599);
	assert_int_equal(fx_inb(vm, 0x61) & 0x20, 0);
	fx_now = at_ticks(start, 600);
	assert_int_equal(fx_inb(vm, 0x61) & 0x20, 0x20);

	/* Mode 2: gate low forces OUT high; raising it restarts the count. */
	program(vm, 2, 0xb4, 100);
	fx_now = at_ticks(fx_now, 99);
	assert_int_equal(fx_inb(vm, 0x61) & 0x20, 0);
	fx_outb(vm, 0x61, 0x00);
	assert_int_equal(fx_inb(vm, 0x61) & 0x20, 0x20);
	fx_outb(vm, 0x61, 0x01);
	fx_now = at_ticks(fx_now, 30);
	assert_int_equal(latch16(vm, 2), 70);

	/* Mode 1: a rising gate triggers; OUT is low until the count ends. */
	program(vm, 2, 0xb2, 50);
	assert_int_equal(fx_inb(vm, 0x61) & 0x20, 0x20);
	fx_outb(vm, 0x61, 0x00);
	fx_outb(vm, 0x61, 0x01);
	start = fx_now;
	assert_int_equal(fx_inb(vm, 0x61) & 0x20, 0);
	fx_now = at_ticks(start, 50);
	assert_int_equal(fx_inb(vm, 0x61) & 0x20, 0x20);

	/* Mode 5: the strobe comes a count after the trigger. */
	program(vm, 2, 0xba, 20);
	fx_outb(vm, 0x61, 0x00);
	fx_outb(vm, 0x61, 0x03);			/* speaker bit too */
	start = fx_now;
	fx_now = at_ticks(start, 20);
	assert_int_equal(fx_inb(vm, 0x61) & 0x23, 0x03);
	fx_now = at_ticks(start, 21);
	assert_int_equal(fx_inb(vm, 0x61) & 0x23, 0x23);
	fx_vm_free(vm);
}

static void test_port_b_refresh_toggles(void **state)
{
	struct v3_vm *vm = pit_vm();
	uint8_t a, b;

	(void)state;
	fx_now = 15085 * 1000;
	a = fx_inb(vm, 0x61) & 0x10;
	fx_now += 15085;
	b = fx_inb(vm, 0x61) & 0x10;
	assert_int_not_equal(a, b);
	/* read-only bits stay */
	fx_outb(vm, 0x61, 0xfc);
	assert_int_equal(fx_inb(vm, 0x61) & 0xcf, 0x0c);
	fx_vm_free(vm);
}

static void test_new_count_at_period_end(void **state)
{
	struct v3_vm *vm = pit_vm();
	uint64_t boundary;

	(void)state;
	program(vm, 0, 0x34, 1000);
	fx_now = at_ticks(T0, 400);
	/* 500, no control word */
	fx_outb(vm, 0x40, 0xf4);
	fx_outb(vm, 0x40, 0x01);
	/* the old period goes on */
	assert_int_equal(latch16(vm, 0), 600);
	boundary = at_ticks(T0, 1000);
	assert_int_equal(fx_run_timers(vm, 0), boundary);
	fx_now = boundary;
	assert_int_equal(fx_run_timers(vm, 0), at_ticks(boundary, 500));
	assert_int_equal(pulses, 1);
	fx_now = at_ticks(boundary, 100);
	assert_int_equal(latch16(vm, 0), 400);

	/* A new count the timer has not seen yet, long after its boundary. */
	fx_outb(vm, 0x40, 0xc8);			/* 200 */
	fx_outb(vm, 0x40, 0x00);
	fx_now = at_ticks(boundary, 500 + 50) + 100;
	assert_int_equal(latch16(vm, 0), 150);
	fx_run_timers(vm, 0);
	/* the boundary's edge */
	assert_int_equal(pulses, 2);
	assert_int_equal(fx_run_timers(vm, 0),
			 at_ticks(at_ticks(boundary, 500), 200));

	log_reset();
	program(vm, 0, 0x34, 1);
	assert_true(log_contains("count 1"));
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
	static const uint16_t ports[] = { 0x40, 0x41, 0x42, 0x43, 0x61 };
	struct v3_vm *vm = pit_vm();
	uint32_t seed = 0x8254;

	(void)state;
	for (unsigned i = 0; i < 50000; i++) {
		uint32_t r = prng_next(&seed);
		uint16_t port = ports[r % 5];
		unsigned size = 1u << (r >> 8 & 1 ? (r >> 9) % 3 : 0);

		switch (r >> 12 & 3) {
		case 0:
		case 1:
			fx_out(vm, port, prng_next(&seed), size);
			break;
		case 2:
			fx_in(vm, port, size);
			break;
		case 3:
			fx_now += prng_next(&seed) %
				  (r >> 20 & 1 ? 1000 : 100000000);
			fx_run_timers(vm, 0);
			break;
		}
	}
	fx_vm_free(vm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mode2_periodic_no_drift),
		cmocka_unit_test(test_missed_ticks_collapse),
		cmocka_unit_test(test_mode3_square_wave),
		cmocka_unit_test(test_mode0_and_mode4_one_shot),
		cmocka_unit_test(test_latch_and_readback),
		cmocka_unit_test(test_byte_modes_and_bcd),
		cmocka_unit_test(test_channel2_linux_calibration),
		cmocka_unit_test(test_channel2_gate),
		cmocka_unit_test(test_port_b_refresh_toggles),
		cmocka_unit_test(test_new_count_at_period_end),
		cmocka_unit_test(test_garbage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
