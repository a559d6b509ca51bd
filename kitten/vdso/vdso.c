// SPDX-License-Identifier: GPL-2.0
/*
 * The vDSO: clock reads in user space. glibc and musl, static binaries
 * included, find these functions through the auxiliary vector's
 * AT_SYSINFO_EHDR and call them instead of the system calls, as on
 * Linux. They read the TSC and scale it the way the kernel's time_ns()
 * does, with the parameters the kernel left at VDSO_DATA_VA, so a value
 * read here and one from the system call come from the same clock.
 *
 * The monotonic clocks count from boot; the wall clock (CLOCK_REALTIME)
 * adds the offset the kernel keeps in the same page (set from the CMOS
 * clock at boot, changed by clock_settime). Any other clock, and a time
 * zone, go to the system call, which gives the same answer it gives
 * without a vDSO.
 */
#include <kitten/vdso.h>

#define NSEC_PER_SEC	1000000000ull
#define CLOCK_REALTIME	0
#define CLOCK_MONOTONIC	1
#define CLOCK_MONOTONIC_RAW	4
#define CLOCK_REALTIME_COARSE	5
#define CLOCK_MONOTONIC_COARSE	6
#define CLOCK_BOOTTIME	7
#define SYS_gettimeofday 96
#define SYS_clock_gettime 228

struct timespec_abi { long tv_sec, tv_nsec; };
struct timeval_abi { long tv_sec, tv_usec; };

static long syscall2(long nr, long a0, long a1)
{
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a0), "S"(a1)
			 : "rcx", "r11", "memory");
	return ret;
}

static unsigned long long now_ns(void)
{
	const volatile struct vdso_time *t = (const void *)VDSO_DATA_VA;
	unsigned int lo, hi;
	unsigned long long ticks;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	ticks = (((unsigned long long)hi << 32) | lo) - t->tsc_base;
	return (unsigned long long)(((unsigned __int128)ticks * t->ns_per_tick_32) >> 32);
}

/* The wall clock: since 1970, in nanoseconds (clock_settime refuses
 * times before it). */
static unsigned long long real_ns(void)
{
	const volatile struct vdso_time *t = (const void *)VDSO_DATA_VA;

	return now_ns() + t->realtime_offset_ns;
}

int __vdso_clock_gettime(int clock, struct timespec_abi *ts)
{
	unsigned long long ns;

	switch (clock) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
		ns = real_ns();
		break;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
		ns = now_ns();
		break;
	default:
		return syscall2(SYS_clock_gettime, clock, (long)ts);
	}
	ts->tv_sec = ns / NSEC_PER_SEC;
	ts->tv_nsec = ns % NSEC_PER_SEC;
	return 0;
}

int __vdso_gettimeofday(struct timeval_abi *tv, void *tz)
{
	unsigned long long ns;

	if (tz)
		return syscall2(SYS_gettimeofday, (long)tv, (long)tz);
	if (tv) {
		ns = real_ns();
		tv->tv_sec = ns / NSEC_PER_SEC;
		tv->tv_usec = ns % NSEC_PER_SEC / 1000;
	}
	return 0;
}

long __vdso_time(long *t)
{
	long sec = real_ns() / NSEC_PER_SEC;

	if (t)
		*t = sec;
	return sec;
}
