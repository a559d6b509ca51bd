// SPDX-License-Identifier: GPL-2.0
/*
 * The MC146818 and CMOS RAM through ports 0x70/0x71 and the fixture's
 * clock: the date in BCD and binary, 12- and 24-hour form, setting the
 * clock, the update-in-progress window, status C and IRQ 8, the memory
 * fields firmware reads, plain NVRAM, and garbage.
 */
#include "support.h"
#include "v3_fixture.h"

#include <palacios/devices_legacy.h>

#define T0 5000000000ull	/* the clock when the VM is created */
#define NS 1000000000ull

static bool line8;
static unsigned raises;

static void rec_set_line(struct v3_vm *vm, unsigned irq, bool level, void *priv)
{
	(void)vm, (void)priv;
	if (irq != 8)
		return;
	raises += level && !line8;
	line8 = level;
}

static const struct v3_irq_router_ops rec_ops = { rec_set_line };

static void *rtc;

static struct v3_vm *rtc_vm(void)
{
	struct v3_vm *vm = fx_vm_create(1);

	fx_now = T0;
	line8 = false;
	raises = 0;
	rtc = fx_device(vm, &v3_dev_rtc);
	assert_int_equal(v3_register_irq_router(vm, &rec_ops, NULL), 0);
	return vm;
}

static uint8_t cmos(struct v3_vm *vm, uint8_t i)
{
	fx_outb(vm, 0x70, i);
	return fx_inb(vm, 0x71);
}

static void set_cmos(struct v3_vm *vm, uint8_t i, uint8_t v)
{
	fx_outb(vm, 0x70, i);
	fx_outb(vm, 0x71, v);
}

/* sec min hour wday mday month year century */
static void expect_time(struct v3_vm *vm, const uint8_t want[8])
{
	static const uint8_t regs[8] = { 0, 2, 4, 6, 7, 8, 9, 0x32 };

	for (unsigned i = 0; i < 8; i++)
		assert_int_equal(cmos(vm, regs[i]), want[i]);
}

static void test_date_formats(void **state)
{
	struct v3_vm *vm = rtc_vm();

	(void)state;
	expect_time(vm, (const uint8_t[]){ 0, 0, 0, 5, 1, 1, 0x26, 0x20 });
	assert_int_equal(cmos(vm, 0x0a), 0x26);
	assert_int_equal(cmos(vm, 0x0b), 0x02);
	assert_int_equal(cmos(vm, 0x0d), 0x80);
	/* 2026-01-02 13:45:30 */
	fx_now = T0 + 135930 * NS + NS / 2;
	expect_time(vm,
		    (const uint8_t[]){ 0x30, 0x45, 0x13, 6, 2, 1, 0x26, 0x20 });
	set_cmos(vm, 0x0b, 0x06);			/* binary */
	expect_time(vm, (const uint8_t[]){ 30, 45, 13, 6, 2, 1, 26, 20 });
	set_cmos(vm, 0x0b, 0x04);			/* binary, 12-hour */
	assert_int_equal(cmos(vm, 0x04), 0x81);
	set_cmos(vm, 0x0b, 0x00);			/* BCD, 12-hour */
	assert_int_equal(cmos(vm, 0x04), 0x81);
	fx_now = T0 + 2 * 86400 * NS;			/* midnight: 12 AM */
	assert_int_equal(cmos(vm, 0x04), 0x12);
	fx_now = T0 + 2 * 86400 * NS + 12 * 3600 * NS;	/* noon: 12 PM */
	assert_int_equal(cmos(vm, 0x04), 0x92);
	set_cmos(vm, 0x0b, 0x02);
	/* a leap day's last second */
	fx_now = T0 + 68255999 * NS;
	expect_time(vm,
		    (const uint8_t[]){ 0x59, 0x59, 0x23, 3, 0x29, 2, 0x28, 0x20 });
	fx_now += NS;
	expect_time(vm, (const uint8_t[]){ 0, 0, 0, 4, 1, 3, 0x28, 0x20 });
	fx_vm_free(vm);
}

static void test_set_clock(void **state)
{
	static const uint8_t when[8] = {
		0x56, 0x34, 0x12, 7, 0x15, 6, 0x30, 0x20,
	};
	struct v3_vm *vm = rtc_vm();

	(void)state;
	set_cmos(vm, 0x0b, 0x12);			/* UIE */
	set_cmos(vm, 0x0b, 0x82);			/* SET clears UIE */
	assert_int_equal(cmos(vm, 0x0b), 0x82);
	set_cmos(vm, 0x00, 0x56);
	set_cmos(vm, 0x02, 0x34);
	set_cmos(vm, 0x04, 0x12);
	set_cmos(vm, 0x07, 0x15);
	set_cmos(vm, 0x08, 0x06);
	set_cmos(vm, 0x09, 0x30);
	fx_now += 10 * NS;				/* held while SET */
	assert_int_equal(cmos(vm, 0x00), 0x56);
	/* no update in progress */
	assert_int_equal(cmos(vm, 0x0a) & 0x80, 0);
	set_cmos(vm, 0x0b, 0x02);
	expect_time(vm, when);				/* weekday derived */
	fx_now += 4 * NS;
	assert_int_equal(cmos(vm, 0x00), 0x00);
	assert_int_equal(cmos(vm, 0x02), 0x35);

	/* One field of a running clock; the second's phase is kept. */
	fx_now += NS / 2;
	set_cmos(vm, 0x02, 0x59);
	fx_now += NS / 2;
	assert_int_equal(cmos(vm, 0x00), 0x01);
	assert_int_equal(cmos(vm, 0x02), 0x59);

	/* 12-hour form written while SET: 1 PM. */
	set_cmos(vm, 0x0b, 0x80);
	set_cmos(vm, 0x04, 0x81);
	set_cmos(vm, 0x0b, 0x00);
	assert_int_equal(cmos(vm, 0x04), 0x81);
	set_cmos(vm, 0x0b, 0x02);
	assert_int_equal(cmos(vm, 0x04), 0x13);

	/* Nonsense is clamped, never trusted as an index. */
	set_cmos(vm, 0x0b, 0x86);
	set_cmos(vm, 0x08, 0xff);
	set_cmos(vm, 0x07, 0x00);
	set_cmos(vm, 0x32, 0x00);
	set_cmos(vm, 0x0b, 0x06);
	assert_int_equal(cmos(vm, 0x08), 12);
	assert_int_equal(cmos(vm, 0x07), 1);
	assert_int_equal(cmos(vm, 0x32), 19);
	fx_vm_free(vm);
}

static void test_update_in_progress(void **state)
{
	struct v3_vm *vm = rtc_vm();

	(void)state;
	fx_now = T0 + NS / 2;
	assert_int_equal(cmos(vm, 0x0a), 0x26);
	fx_now = T0 + NS - 244001;
	assert_int_equal(cmos(vm, 0x0a), 0x26);
	fx_now = T0 + NS - 244000;
	assert_int_equal(cmos(vm, 0x0a), 0xa6);
	/* still the old second */
	assert_int_equal(cmos(vm, 0x00), 0x00);
	fx_now = T0 + NS - 1;
	assert_int_equal(cmos(vm, 0x0a), 0xa6);
	fx_now = T0 + NS;
	assert_int_equal(cmos(vm, 0x0a), 0x26);
	assert_int_equal(cmos(vm, 0x00), 0x01);
	set_cmos(vm, 0x0a, 0xaf);			/* UIP is read-only */
	fx_now = T0 + NS + NS / 2;
	assert_int_equal(cmos(vm, 0x0a), 0x2f);
	fx_vm_free(vm);
}

static void test_status_c(void **state)
{
	struct v3_vm *vm = rtc_vm();

	(void)state;
	assert_int_equal(cmos(vm, 0x0c), 0x00);
	/* past a 1024 Hz tick */
	fx_now = T0 + 1000000;
	assert_int_equal(cmos(vm, 0x0c), 0x40);		/* PF, no IRQF */
	/* cleared by the read */
	assert_int_equal(cmos(vm, 0x0c), 0x00);
	fx_now = T0 + NS + 500;
	assert_int_equal(cmos(vm, 0x0c), 0x50);		/* PF and UF */
	set_cmos(vm, 0x0a, 0x20);			/* no periodic rate */
	fx_now = T0 + 3 * NS;
	assert_int_equal(cmos(vm, 0x0c), 0x10);
	set_cmos(vm, 0x0c, 0xff);			/* read-only */
	set_cmos(vm, 0x0d, 0x00);
	assert_int_equal(cmos(vm, 0x0c), 0x00);
	assert_int_equal(cmos(vm, 0x0d), 0x80);
	assert_int_equal(fx_run_timers(vm, 0), V3_NO_DEADLINE);
	assert_int_equal(raises, 0);
	fx_vm_free(vm);
}

static void test_interrupts(void **state)
{
	struct v3_vm *vm = rtc_vm();
	uint64_t d;

	(void)state;
	/* Periodic at 1024 Hz: every 32 ticks of the 32768 Hz divider. */
	set_cmos(vm, 0x0b, 0x42);
	d = fx_run_timers(vm, 0);
	assert_int_equal(d, T0 + 976563);
	fx_now = d - 1;
	fx_run_timers(vm, 0);
	assert_false(line8);
	fx_now = d;
	/* until C is read */
	assert_int_equal(fx_run_timers(vm, 0), V3_NO_DEADLINE);
	assert_true(line8);
	fx_now += 5000000;
	assert_int_equal(cmos(vm, 0x0c), 0xc0);
	assert_false(line8);
	d = fx_run_timers(vm, 0);
	assert_true(d > fx_now && d <= fx_now + 976563);
	set_cmos(vm, 0x0b, 0x02);
	assert_int_equal(fx_run_timers(vm, 0), V3_NO_DEADLINE);

	/* Update-ended: once a second. */
	cmos(vm, 0x0c);
	set_cmos(vm, 0x0b, 0x12);
	d = fx_run_timers(vm, 0);
	assert_int_equal(d, T0 + NS);
	fx_now = d;
	fx_run_timers(vm, 0);
	assert_true(line8);
	assert_int_equal(cmos(vm, 0x0c) & 0x90, 0x90);
	assert_int_equal(fx_run_timers(vm, 0), T0 + 2 * NS);

	/* Alarm at 00:00:03, every other field "don't care". */
	set_cmos(vm, 0x0b, 0x22);
	set_cmos(vm, 0x01, 0x03);
	set_cmos(vm, 0x03, 0xc0);
	set_cmos(vm, 0x05, 0xff);
	fx_now = T0 + 2 * NS;
	fx_run_timers(vm, 0);
	assert_false(line8);
	fx_now = T0 + 3 * NS;
	fx_run_timers(vm, 0);
	assert_true(line8);
	assert_int_equal(cmos(vm, 0x0c) & 0xa0, 0xa0);
	fx_now = T0 + 4 * NS;
	fx_run_timers(vm, 0);
	assert_false(line8);
	/* Enabling an interrupt whose flag is already up raises IRQ 8. */
	set_cmos(vm, 0x0b, 0x02);
	fx_now = T0 + 5 * NS;
	fx_run_timers(vm, 0);
	assert_false(line8);
	set_cmos(vm, 0x0b, 0x12);
	assert_true(line8);
	fx_vm_free(vm);
}

static void test_memory_fields(void **state)
{
	struct v3_vm *vm = rtc_vm();
	unsigned sum = 0;

	(void)state;
	assert_int_equal(cmos(vm, 0x15) | cmos(vm, 0x16) << 8, 640);
	assert_int_equal(cmos(vm, 0x17) | cmos(vm, 0x18) << 8, 15 * 1024);
	assert_int_equal(cmos(vm, 0x30) | cmos(vm, 0x31) << 8, 15 * 1024);
	assert_int_equal(cmos(vm, 0x34) | cmos(vm, 0x35) << 8, 0);
	assert_int_equal(cmos(vm, 0x14), 0x02);

	v3_rtc_set_memory(rtc, 6ull << 30);
	assert_int_equal(cmos(vm, 0x17) | cmos(vm, 0x18) << 8, 0xffff);
	assert_int_equal(cmos(vm, 0x30) | cmos(vm, 0x31) << 8, 0xffff);
	assert_int_equal(cmos(vm, 0x34) | cmos(vm, 0x35) << 8,
			 ((3ull << 30) - (16 << 20)) >> 16);
	assert_int_equal(cmos(vm, 0x5b), 0x00);		/* 3 GiB above 4 GiB */
	assert_int_equal(cmos(vm, 0x5c), 0xc0);
	assert_int_equal(cmos(vm, 0x5d), 0x00);
	for (unsigned i = 0x10; i <= 0x2d; i++)
		sum += cmos(vm, i);
	assert_int_equal(cmos(vm, 0x2e) << 8 | cmos(vm, 0x2f), sum);

	v3_rtc_set_memory(rtc, 128ull << 20);
	assert_int_equal(cmos(vm, 0x34) | cmos(vm, 0x35) << 8,
			 (112 << 20) >> 16);
	assert_int_equal(cmos(vm, 0x5c), 0x00);
	fx_vm_free(vm);
}

static void test_nvram_and_reports(void **state)
{
	struct v3_vm *vm = rtc_vm();

	(void)state;
	for (unsigned i = 0x40; i < 0x80; i++)
		set_cmos(vm, i | 0x80, i ^ 0x5a);	/* bit 7: NMI mask */
	for (unsigned i = 0x40; i < 0x80; i++)
		assert_int_equal(cmos(vm, i), i ^ 0x5a);
	fx_outb(vm, 0x70, 0x8f);
	assert_int_equal(fx_inb(vm, 0x70), 0x0f);
	/* index and data at once */
	fx_out(vm, 0x70, 0x4142, 2);
	assert_int_equal(cmos(vm, 0x42), 0x41);

	log_reset();
	set_cmos(vm, 0x0b, 0x03);
	assert_true(log_contains("DSE"));
	set_cmos(vm, 0x0a, 0x76);
	assert_true(log_contains("divider"));
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
	struct v3_vm *vm = rtc_vm();
	uint32_t seed = 146818;

	(void)state;
	for (unsigned i = 0; i < 50000; i++) {
		uint32_t r = prng_next(&seed);
		uint16_t port = 0x70 + (r & 1);
		unsigned size = 1u << (r >> 8 & 1 ? (r >> 9) % 3 : 0);

		switch (r >> 12 & 3) {
		case 0:
			fx_out(vm, port, prng_next(&seed), size);
			break;
		case 1:
			fx_in(vm, port, size);
			break;
		case 2:
			set_cmos(vm, prng_next(&seed) % 16, prng_next(&seed));
			break;
		case 3:
			fx_now += prng_next(&seed) %
				  (r >> 20 & 1 ? 100000 : 3 * NS);
			fx_run_timers(vm, 0);
			break;
		}
	}
	fx_vm_free(vm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_date_formats),
		cmocka_unit_test(test_set_clock),
		cmocka_unit_test(test_update_in_progress),
		cmocka_unit_test(test_status_c),
		cmocka_unit_test(test_interrupts),
		cmocka_unit_test(test_memory_fields),
		cmocka_unit_test(test_nvram_and_reports),
		cmocka_unit_test(test_garbage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
