/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Linux's clocks as the system calls name them (sys_time.c), for the
 * calls that take a clock: clock_*, timer_create, clock_nanosleep.
 */
#ifndef KITTEN_CLOCK_H
#define KITTEN_CLOCK_H

#include <kitten/types.h>

#define CLOCK_REALTIME			0
#define CLOCK_MONOTONIC			1
#define CLOCK_PROCESS_CPUTIME_ID	2
#define CLOCK_THREAD_CPUTIME_ID		3
#define CLOCK_MONOTONIC_RAW		4
#define CLOCK_REALTIME_COARSE		5
#define CLOCK_MONOTONIC_COARSE		6
#define CLOCK_BOOTTIME			7

#define TIMER_ABSTIME			1

/* The time on clock, in nanoseconds; -EINVAL for a clock Kitten lacks. */
int clock_read_ns(int clock, int64_t *ns);
/* A struct timespec in user memory as nanoseconds (-EFAULT, -EINVAL for
 * a negative or denormal one; huge ones are capped), and back. */
long timespec_from_user(uint64_t ptr, int64_t *ns);
long timespec_to_user(uint64_t ptr, int64_t ns);
/* Sleep until time_ns() reaches deadline: 0, or -EINTR when a signal
 * the caller does not block (or its process's end) comes first. */
int sleep_until_ns(uint64_t deadline);

#endif
