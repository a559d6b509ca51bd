/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The PC's CMOS real-time clock, read once at boot to start the wall
 * clock (CLOCK_REALTIME). The decoding is pure (rtc_decode, rtc_to_epoch)
 * so the host unit tests check it without the hardware.
 */
#ifndef ARCH_RTC_H
#define ARCH_RTC_H

#include <kitten/types.h>

/* The time-of-day registers as read: seconds, minutes, hours, day of the
 * month, month, year (two digits) and century (0: none), and status
 * register B, which says how they are coded. */
struct rtc_regs {
	uint8_t sec, min, hour, mday, mon, year, century;
	uint8_t status_b;
};

/* A calendar time in UTC. */
struct rtc_time {
	unsigned year, mon, mday, hour, min, sec;	/* mon: 1-12 */
};

#define RTC_B_24H	0x02	/* hours 0-23, else 1-12 with 0x80 for PM */
#define RTC_B_BINARY	0x04	/* binary, else BCD */

/* Registers to a calendar time; -EINVAL if a field is out of range. */
int rtc_decode(const struct rtc_regs *r, struct rtc_time *out);
/* Seconds since 1970-01-01 00:00:00 UTC. */
int64_t rtc_to_epoch(const struct rtc_time *t);
/* Read the clock (waiting out an update in progress): 0 or -errno. */
int rtc_read(struct rtc_time *out);

#endif
