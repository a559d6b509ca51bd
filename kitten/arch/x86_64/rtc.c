// SPDX-License-Identifier: GPL-2.0
/*
 * The CMOS real-time clock (MC146818 and its descendants), the only wall
 * clock a PC has without a network. Kitten reads it once at boot and
 * from then on counts from the TSC (time.c): CLOCK_REALTIME is the boot
 * reading plus time_ns(), so reading the wall clock costs what reading
 * the monotonic clock costs, in the kernel and in the vDSO.
 *
 * A read must not straddle the chip's once-a-second update, during which
 * the registers are inconsistent: wait for "update in progress" to be
 * clear, read every register, and read again until two reads agree.
 * Status register B says whether the values are BCD or binary and whether
 * hours run 0-23 or 1-12 with a PM bit. The century register (0x32) is
 * the ACPI FADT's default and QEMU's; where it reads 0 or garbage, the
 * two-digit year is taken as 20YY.
 */
#include <arch/rtc.h>
#include <arch/x86.h>
#include <kitten/errno.h>

#define CMOS_INDEX	0x70
#define CMOS_DATA	0x71
#define CMOS_NMI_OFF	0x80	/* keep NMIs masked while we index */

#define RTC_SEC		0x00
#define RTC_MIN		0x02
#define RTC_HOUR	0x04
#define RTC_MDAY	0x07
#define RTC_MON		0x08
#define RTC_YEAR	0x09
#define RTC_STATUS_A	0x0a
#define RTC_STATUS_B	0x0b
#define RTC_CENTURY	0x32
#define RTC_A_UIP	0x80	/* update in progress */
#define RTC_PM		0x80	/* in the hour register, 12-hour mode */

static unsigned from_bcd(uint8_t v)
{
	return (v >> 4) * 10 + (v & 0x0f);
}

static bool bcd_ok(uint8_t v)
{
	return (v & 0x0f) < 10 && (v >> 4) < 10;
}

int rtc_decode(const struct rtc_regs *r, struct rtc_time *out)
{
	bool binary = r->status_b & RTC_B_BINARY;
	uint8_t hour = r->hour & ~RTC_PM;
	uint8_t v[6] = { r->sec, r->min, hour, r->mday, r->mon, r->year };
	unsigned n[6], century = 20;

	for (int i = 0; i < 6; i++) {
		if (!binary && !bcd_ok(v[i]))
			return -EINVAL;
		n[i] = binary ? v[i] : from_bcd(v[i]);
	}
	if (r->century && (binary || bcd_ok(r->century))) {
		unsigned c = binary ? r->century : from_bcd(r->century);

		if (c >= 19 && c <= 99)
			century = c;
	}
	if (!(r->status_b & RTC_B_24H)) {	/* 12 AM is 0h, 12 PM is 12h */
		if (n[2] < 1 || n[2] > 12)
			return -EINVAL;
		n[2] = n[2] % 12 + (r->hour & RTC_PM ? 12 : 0);
	}
	if (n[0] > 59 || n[1] > 59 || n[2] > 23 || n[3] < 1 || n[3] > 31 ||
	    n[4] < 1 || n[4] > 12 || n[5] > 99)
		return -EINVAL;
	*out = (struct rtc_time){ century * 100 + n[5], n[4], n[3], n[2],
				  n[1], n[0] };
	return 0;
}

/* Days from 1970-01-01 to year-mon-mday (proleptic Gregorian), by the
 * shifted-year method: March is month 0, so leap days end each year. */
int64_t rtc_to_epoch(const struct rtc_time *t)
{
	int64_t y = (int64_t)t->year - (t->mon <= 2);
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t mp = (t->mon + 9) % 12;
	int64_t doy = (153 * mp + 2) / 5 + t->mday - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	int64_t days = era * 146097 + doe - 719468;

	return days * 86400 + t->hour * 3600 + t->min * 60 + t->sec;
}

#ifndef __KITTEN_HOST_TEST
static uint8_t cmos_read(uint8_t reg)
{
	outb(CMOS_INDEX, CMOS_NMI_OFF | reg);
	return inb(CMOS_DATA);
}

static void read_regs(struct rtc_regs *r)
{
	r->sec = cmos_read(RTC_SEC);
	r->min = cmos_read(RTC_MIN);
	r->hour = cmos_read(RTC_HOUR);
	r->mday = cmos_read(RTC_MDAY);
	r->mon = cmos_read(RTC_MON);
	r->year = cmos_read(RTC_YEAR);
	r->century = cmos_read(RTC_CENTURY);
	r->status_b = cmos_read(RTC_STATUS_B);
}

/* An update takes under 2 ms and comes once a second: a few thousand
 * port reads (about a microsecond each) cover it many times over. */
#define UIP_SPINS	100000
#define READ_TRIES	10

int rtc_read(struct rtc_time *out)
{
	struct rtc_regs a, b;

	for (int tries = 0; tries < READ_TRIES; tries++) {
		int spins = 0;

		while (cmos_read(RTC_STATUS_A) & RTC_A_UIP)
			if (++spins > UIP_SPINS)
				return -ETIMEDOUT;
		read_regs(&a);
		while (cmos_read(RTC_STATUS_A) & RTC_A_UIP)
			if (++spins > UIP_SPINS)
				return -ETIMEDOUT;
		read_regs(&b);
		if (a.sec == b.sec && a.min == b.min && a.hour == b.hour &&
		    a.mday == b.mday && a.mon == b.mon && a.year == b.year &&
		    a.century == b.century)
			return rtc_decode(&b, out);
	}
	return -EIO;
}
#endif
