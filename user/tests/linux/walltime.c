// SPDX-License-Identifier: GPL-2.0
/*
 * The wall clock: prints today's date as date(1) would (the system test
 * compares it with the host's), then checks that every way of reading
 * the wall clock agrees (time, gettimeofday, clock_gettime through the
 * vDSO and through the system call), that the monotonic clock is not the
 * wall clock, and that clock_settime needs the privilege: as root it
 * moves the clock (and the vDSO's clock with it) and back, as uid 1000
 * it is refused with EPERM. Argument "user": expect the refusal.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static int failures;

static void check(int ok, const char *what)
{
	if (!ok) {
		printf("walltime: FAIL %s (errno %d)\n", what, errno);
		failures++;
	}
}

static long long sys_realtime(void)
{
	struct timespec ts;

	syscall(SYS_clock_gettime, CLOCK_REALTIME, &ts);
	return ts.tv_sec;
}

int main(int argc, char **argv)
{
	int as_user = argc > 1 && !strcmp(argv[1], "user");
	struct timespec ts, mono, res;
	struct timeval tv;
	char date[64];
	time_t now = time(NULL);
	long long before, after;

	strftime(date, sizeof(date), "%Y-%m-%d", gmtime(&now));
	printf("walltime: date %s\n", date);

	before = sys_realtime();
	clock_gettime(CLOCK_REALTIME, &ts);	/* the vDSO */
	gettimeofday(&tv, NULL);
	now = time(NULL);
	after = sys_realtime();
	check(ts.tv_sec >= before && ts.tv_sec <= after, "vDSO clock_gettime between system calls");
	check(tv.tv_sec >= before && tv.tv_sec <= after, "gettimeofday between system calls");
	check(now >= before && now <= after, "time between system calls");
	clock_gettime(CLOCK_MONOTONIC, &mono);
	check(ts.tv_sec - mono.tv_sec > 365L * 86400, "the wall clock is not the time since boot");
	check(clock_getres(CLOCK_REALTIME, &res) == 0 && res.tv_sec == 0 &&
	      res.tv_nsec > 0, "clock_getres");

	ts.tv_sec += 86400 * 400;	/* a year and more ahead */
	if (as_user) {
		check(clock_settime(CLOCK_REALTIME, &ts) == -1 && errno == EPERM,
		      "clock_settime refused to a user");
		check(settimeofday(&tv, NULL) == -1 && errno == EPERM,
		      "settimeofday refused to a user");
	} else {
		struct timespec moved;
		int ok = clock_settime(CLOCK_REALTIME, &ts) == 0;

		check(ok, "clock_settime as root");
		clock_gettime(CLOCK_REALTIME, &moved);	/* the vDSO follows */
		check(moved.tv_sec >= ts.tv_sec && moved.tv_sec - ts.tv_sec < 5,
		      "the vDSO reads the new time");
		check(time(NULL) >= ts.tv_sec, "time() reads the new time");
		moved.tv_sec -= 86400 * 400;
		check(clock_settime(CLOCK_REALTIME, &moved) == 0, "clock set back");
	}
	check(clock_settime(CLOCK_MONOTONIC, &ts) == -1 && errno == EINVAL,
	      "the monotonic clock cannot be set");
	printf("walltime: %s, %d wrong\n", as_user ? "user" : "root", failures);
	return failures != 0;
}
