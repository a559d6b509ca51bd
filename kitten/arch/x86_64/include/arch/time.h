/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Time. The TSC is the clock: calibrated once against the PIT, then read
 * without any interrupt. Nothing in the kernel ticks periodically.
 */
#ifndef ARCH_TIME_H
#define ARCH_TIME_H

#include <kitten/types.h>

#define NSEC_PER_SEC	1000000000UL
#define NSEC_PER_MSEC	1000000UL
#define NSEC_PER_USEC	1000UL

/* Measure the TSC frequency; called once on the boot CPU. */
void time_init(void);

/* Nanoseconds since time_init(), monotonic, the same on every CPU. */
uint64_t time_ns(void);

/* The wall clock (CLOCK_REALTIME): nanoseconds since 1970 UTC, from the
 * CMOS clock at boot on, at time_ns()'s rate. */
int64_t time_realtime_ns(void);
/* Set the wall clock to ns now (clock_settime); the vDSO follows. */
void time_set_realtime(int64_t ns);
/* Read the CMOS clock into the wall clock (time_init does, at boot). */
void time_init_realtime(void);

/* TSC ticks per second. */
uint64_t tsc_hz(void);

/* The clock's parameters, for the vDSO to read it as time_ns() does. */
struct vdso_time;
void time_vdso_fill(struct vdso_time *t);

/* Spin for ns nanoseconds (for hardware delays, not for waiting on work). */
void udelay_ns(uint64_t ns);

#endif
