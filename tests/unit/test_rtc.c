// SPDX-License-Identifier: GPL-2.0
/*
 * The CMOS clock's decoding (kitten/arch/x86_64/rtc.c): BCD and binary
 * registers, 12- and 24-hour modes, the century register, and calendar
 * times to seconds since 1970, checked against the C library's timegm().
 */
#define _GNU_SOURCE
#include "support.h"

#include <time.h>
#include <arch/rtc.h>
#include <kitten/errno.h>

static int64_t libc_epoch(int y, int mon, int d, int h, int m, int s)
{
	struct tm tm = { .tm_year = y - 1900, .tm_mon = mon - 1, .tm_mday = d,
			 .tm_hour = h, .tm_min = m, .tm_sec = s };

	return timegm(&tm);
}

static void bcd_24h(void **state)
{
	struct rtc_regs r = { 0x59, 0x34, 0x23, 0x31, 0x12, 0x26, 0x20,
			      RTC_B_24H };
	struct rtc_time t;

	(void)state;
	assert_int_equal(rtc_decode(&r, &t), 0);
	assert_int_equal(t.year, 2026);
	assert_int_equal(t.mon, 12);
	assert_int_equal(t.mday, 31);
	assert_int_equal(t.hour, 23);
	assert_int_equal(t.min, 34);
	assert_int_equal(t.sec, 59);
}

static void binary_12h(void **state)
{
	struct rtc_regs r = { 5, 6, 0x80 | 12, 1, 2, 99, 19, RTC_B_BINARY };
	struct rtc_time t;

	(void)state;
	assert_int_equal(rtc_decode(&r, &t), 0);	/* 12 PM: noon */
	assert_int_equal(t.year, 1999);
	assert_int_equal(t.hour, 12);
	r.hour = 12;					/* 12 AM: midnight */
	assert_int_equal(rtc_decode(&r, &t), 0);
	assert_int_equal(t.hour, 0);
	r.hour = 0x80 | 1;				/* 1 PM */
	assert_int_equal(rtc_decode(&r, &t), 0);
	assert_int_equal(t.hour, 13);
	r.hour = 0x12 | 0x80;				/* BCD 12 PM */
	r.status_b = 0;
	r.sec = 0x05, r.min = 0x06, r.mday = 0x01, r.mon = 0x02, r.year = 0x99;
	r.century = 0x19;
	assert_int_equal(rtc_decode(&r, &t), 0);
	assert_int_equal(t.hour, 12);
	assert_int_equal(t.year, 1999);
}

static void no_century_register(void **state)
{
	struct rtc_regs r = { 0, 0, 0, 1, 1, 0x24, 0, RTC_B_24H };
	struct rtc_time t;

	(void)state;
	assert_int_equal(rtc_decode(&r, &t), 0);
	assert_int_equal(t.year, 2024);		/* 20YY */
	r.century = 0xff;			/* garbage: not BCD */
	assert_int_equal(rtc_decode(&r, &t), 0);
	assert_int_equal(t.year, 2024);
}

static void bad_registers(void **state)
{
	struct rtc_regs r = { 0x5a, 0, 0, 1, 1, 0x24, 0x20, RTC_B_24H };
	struct rtc_time t;

	(void)state;
	assert_int_equal(rtc_decode(&r, &t), -EINVAL);	/* not BCD */
	r.sec = 0x60;
	assert_int_equal(rtc_decode(&r, &t), -EINVAL);	/* 60 seconds */
	r.sec = 0, r.mon = 0x13;
	assert_int_equal(rtc_decode(&r, &t), -EINVAL);
	r.mon = 1, r.mday = 0;
	assert_int_equal(rtc_decode(&r, &t), -EINVAL);
	r.mday = 1, r.hour = 0x24;
	assert_int_equal(rtc_decode(&r, &t), -EINVAL);
	r.hour = 0, r.status_b = 0;			/* 12-hour: 0 is no hour */
	assert_int_equal(rtc_decode(&r, &t), -EINVAL);
}

static void epoch_seconds(void **state)
{
	static const int cases[][6] = {
		{ 1970, 1, 1, 0, 0, 0 },	{ 1999, 12, 31, 23, 59, 59 },
		{ 2000, 2, 29, 12, 0, 0 },	{ 2000, 3, 1, 0, 0, 0 },
		{ 2024, 2, 29, 6, 30, 15 },	{ 2026, 12, 7, 12, 34, 56 },
		{ 2038, 1, 19, 3, 14, 8 },	{ 2100, 3, 1, 0, 0, 0 },
		{ 2099, 12, 31, 23, 59, 59 },	{ 1980, 6, 15, 8, 0, 1 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const int *c = cases[i];
		struct rtc_time t = { c[0], c[1], c[2], c[3], c[4], c[5] };

		assert_int_equal(rtc_to_epoch(&t),
				 libc_epoch(c[0], c[1], c[2], c[3], c[4], c[5]));
	}
}

/* Every day from 1970 to 2199 at noon: consecutive days, 86400 apart. */
static void every_day(void **state)
{
	int64_t prev = -1;
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	(void)state;
	for (unsigned y = 1970; y < 2200; y++)
		for (unsigned m = 1; m <= 12; m++) {
			bool leap = (y % 4 == 0 && y % 100) || y % 400 == 0;
			unsigned n = mdays[m - 1] + (m == 2 && leap);

			for (unsigned d = 1; d <= n; d++) {
				struct rtc_time t = { y, m, d, 12, 0, 0 };
				int64_t s = rtc_to_epoch(&t);

				if (prev >= 0)
					assert_int_equal(s - prev, 86400);
				prev = s;
			}
		}
	assert_int_equal(prev, libc_epoch(2199, 12, 31, 12, 0, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bcd_24h),
		cmocka_unit_test(binary_12h),
		cmocka_unit_test(no_century_register),
		cmocka_unit_test(bad_registers),
		cmocka_unit_test(epoch_seconds),
		cmocka_unit_test(every_day),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
