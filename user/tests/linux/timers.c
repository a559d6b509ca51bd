// SPDX-License-Identifier: GPL-2.0
/*
 * Timers that signal, and sleeps that signals interrupt. Every check is
 * on counts and order, never on how long something took:
 *   - setitimer(ITIMER_REAL) with an interval fires SIGALRM again and
 *     again, each one ending a long nanosleep with EINTR; after the
 *     program stops it at the 10th, no further one comes;
 *   - alarm() returns what was left of the previous alarm;
 *   - a POSIX timer (timer_create, SIGEV_SIGNAL, a real-time signal)
 *     fires 5 times with si_code SI_TIMER, its id and its sigev_value;
 *   - overruns: with its signal blocked, a 1 ms timer keeps expiring;
 *     once unblocked, one signal arrives whose si_overrun equals
 *     timer_getoverrun() and lies between 1 and the expirations that the
 *     elapsed monotonic time allows;
 *   - SIGEV_THREAD_ID sends to the thread named, not another;
 *   - clock_nanosleep: relative, interrupted, gives EINTR and a remaining
 *     time below the request; TIMER_ABSTIME on both clocks wakes at or
 *     after the time asked;
 *   - timer_gettime, timer_delete, and errors for bad ids and clocks;
 *   - SIGEV_NONE: no signal, timer_gettime within the current period.
 * Prints one line per group and "timers: N checks, 0 wrong".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static int checks, failures;

static void check(int ok, const char *what)
{
	checks++;
	if (!ok) {
		printf("timers: FAIL %s (errno %d)\n", what, errno);
		failures++;
	}
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

static void interval_timer(void)
{
	struct itimerval it = { { 0, 2000 }, { 0, 2000 } }, off = { 0 }, cur;
	struct timespec long_sleep = { 100, 0 };
	int interrupted = 0;

	signal(SIGALRM, on_alarm);
	check(setitimer(ITIMER_REAL, &it, NULL) == 0, "setitimer");
	while (alarms < 10) {
		int r = nanosleep(&long_sleep, NULL);

		interrupted += r == -1 && errno == EINTR;
	}
	check(setitimer(ITIMER_REAL, &off, &cur) == 0, "setitimer off");
	check(cur.it_interval.tv_usec == 2000, "the old interval comes back");
	check(getitimer(ITIMER_REAL, &cur) == 0 && !cur.it_value.tv_sec &&
	      !cur.it_value.tv_usec, "getitimer: stopped");
	check(interrupted >= 1 && interrupted <= 10, "SIGALRM ends nanosleep with EINTR");
	{
		int seen = alarms;
		struct timespec short_sleep = { 0, 20000000 };

		check(nanosleep(&short_sleep, NULL) == 0, "an uninterrupted sleep returns 0");
		check(alarms == seen, "no SIGALRM after the timer stopped");
	}
	check(alarm(100) == 0, "alarm: none before");
	check(alarm(0) == 100, "alarm: 100 s left of the previous one");
	printf("timers: setitimer fired %d times, then stopped\n", (int)alarms);
}

static volatile sig_atomic_t rt_count, rt_bad, rt_overrun, rt_timerid;

static void on_rt(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	rt_count++;
	if (sig != SIGRTMIN || si->si_code != SI_TIMER || si->si_value.sival_int != 4242)
		rt_bad++;
	rt_overrun = si->si_overrun;
	rt_timerid = si->si_timerid;
}

static void posix_timer(void)
{
	struct sigaction sa = { .sa_sigaction = on_rt, .sa_flags = SA_SIGINFO };
	struct sigevent ev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGRTMIN,
			       .sigev_value.sival_int = 4242 };
	struct itimerspec its = { { 0, 1000000 }, { 0, 1000000 } }, cur;
	struct timespec sleep = { 100, 0 };
	timer_t t;
	sigset_t set;
	uint64_t start, elapsed;
	int before;

	sigaction(SIGRTMIN, &sa, NULL);
	check(timer_create(CLOCK_MONOTONIC, &ev, &t) == 0, "timer_create");
	check(timer_settime(t, 0, &its, NULL) == 0, "timer_settime");
	while (rt_count < 5)
		nanosleep(&sleep, NULL);
	its.it_value.tv_nsec = 0;	/* disarm */
	check(timer_settime(t, 0, &its, NULL) == 0, "timer disarmed");
	check(rt_bad == 0, "si_code SI_TIMER, the signal and sigev_value");
	check(timer_gettime(t, &cur) == 0 && !cur.it_value.tv_sec &&
	      !cur.it_value.tv_nsec, "timer_gettime: disarmed");
	printf("timers: POSIX timer fired %d times with its value\n", (int)rt_count);

	/* Overruns: block, let it expire, unblock. */
	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN);
	sigprocmask(SIG_BLOCK, &set, NULL);
	before = rt_count;
	its.it_value.tv_nsec = 1000000;
	start = mono_ns();
	check(timer_settime(t, 0, &its, NULL) == 0, "timer re-armed");
	while (mono_ns() - start < 30000000)	/* 30 intervals of clock time */
		;
	its.it_value.tv_nsec = 0;
	timer_settime(t, 0, &its, NULL);
	elapsed = mono_ns() - start;
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	check(rt_count == before + 1, "one signal for all the blocked expirations");
	check(rt_overrun >= 1 && (uint64_t)rt_overrun + 1 <= elapsed / 1000000 + 1,
	      "si_overrun between 1 and what the time allows");
	check(timer_getoverrun(t) == rt_overrun, "timer_getoverrun agrees with si_overrun");
	printf("timers: blocked for %d expirations: 1 signal, si_overrun = timer_getoverrun\n",
	       (int)rt_overrun + 1);

	its.it_value.tv_sec = 100, its.it_value.tv_nsec = 0;
	timer_settime(t, 0, &its, NULL);
	check(timer_gettime(t, &cur) == 0 && cur.it_value.tv_sec <= 100 &&
	      (cur.it_value.tv_sec || cur.it_value.tv_nsec) &&
	      cur.it_interval.tv_nsec == 1000000, "timer_gettime: armed");
	check(timer_delete(t) == 0, "timer_delete");
	check(syscall(SYS_timer_delete, t) == -1 && errno == EINVAL, "a deleted id is gone");
	check(syscall(SYS_timer_create, CLOCK_THREAD_CPUTIME_ID, NULL, &t) == -1 &&
	      errno == EINVAL, "a CPU-time clock is refused");

	/* SIGEV_NONE: no signal, but timer_gettime follows the periods. */
	ev.sigev_notify = SIGEV_NONE;
	check(timer_create(CLOCK_MONOTONIC, &ev, &t) == 0, "timer_create SIGEV_NONE");
	its.it_interval.tv_sec = 0, its.it_interval.tv_nsec = 1000000;
	its.it_value.tv_sec = 0, its.it_value.tv_nsec = 1000000;
	before = rt_count;
	timer_settime(t, 0, &its, NULL);
	start = mono_ns();
	while (mono_ns() - start < 5000000)	/* past a few periods */
		;
	check(timer_gettime(t, &cur) == 0 && cur.it_value.tv_sec == 0 &&
	      cur.it_value.tv_nsec > 0 && cur.it_value.tv_nsec <= 1000000,
	      "SIGEV_NONE: within its current period");
	check(rt_count == before, "SIGEV_NONE sends nothing");
	timer_delete(t);
}

static volatile pid_t target_tid, got_tid;
static volatile sig_atomic_t target_done;

static void on_thread_signal(int sig)
{
	(void)sig;
	got_tid = gettid();
}

static void *target(void *arg)
{
	struct timespec sleep = { 100, 0 };

	(void)arg;
	target_tid = gettid();
	while (!got_tid)
		nanosleep(&sleep, NULL);
	target_done = 1;
	return NULL;
}

static void thread_id_timer(void)
{
	struct sigevent ev = { .sigev_notify = SIGEV_THREAD_ID,
			       .sigev_signo = SIGUSR1 };
	struct itimerspec its = { { 0, 0 }, { 0, 1000000 } };
	pthread_t th;
	timer_t t;

	signal(SIGUSR1, on_thread_signal);
	pthread_create(&th, NULL, target, NULL);
	while (!target_tid)
		sched_yield();
	ev._sigev_un._tid = target_tid;
	check(timer_create(CLOCK_MONOTONIC, &ev, &t) == 0, "timer_create SIGEV_THREAD_ID");
	check(timer_settime(t, 0, &its, NULL) == 0, "its timer_settime");
	pthread_join(th, NULL);
	check(got_tid == target_tid && got_tid != gettid(), "the named thread took it");
	timer_delete(t);
	ev._sigev_un._tid = 999999;
	check(timer_create(CLOCK_MONOTONIC, &ev, &t) == -1 && errno == EINVAL,
	      "SIGEV_THREAD_ID of another process's thread is refused");
	printf("timers: SIGEV_THREAD_ID went to thread %d\n", (int)got_tid);
}

static void sleeps(void)
{
	struct itimerval once = { { 0, 0 }, { 0, 5000 } };
	struct timespec req = { 10, 0 }, rem = { 0, 0 }, now, at;
	int r;

	alarms = 0;
	setitimer(ITIMER_REAL, &once, NULL);
	r = clock_nanosleep(CLOCK_MONOTONIC, 0, &req, &rem);
	check(r == EINTR && alarms == 1, "clock_nanosleep interrupted: EINTR");
	check(rem.tv_sec < 10 && (rem.tv_sec || rem.tv_nsec), "the remaining time is left");
	for (int clock = CLOCK_REALTIME; clock <= CLOCK_MONOTONIC; clock++) {
		clock_gettime(clock, &at);
		at.tv_nsec += 20000000;
		if (at.tv_nsec >= 1000000000)
			at.tv_sec++, at.tv_nsec -= 1000000000;
		check(clock_nanosleep(clock, TIMER_ABSTIME, &at, NULL) == 0,
		      "clock_nanosleep TIMER_ABSTIME");
		clock_gettime(clock, &now);
		check(now.tv_sec > at.tv_sec ||
		      (now.tv_sec == at.tv_sec && now.tv_nsec >= at.tv_nsec),
		      "woken at or after the time asked");
	}
	check(clock_getres(CLOCK_MONOTONIC, &now) == 0 && now.tv_nsec > 0,
	      "clock_getres");
	printf("timers: clock_nanosleep relative (EINTR, time left) and absolute\n");
}

int main(void)
{
	interval_timer();
	posix_timer();
	thread_id_timer();
	sleeps();
	printf("timers: %d checks, %d wrong\n", checks, failures);
	return failures != 0;
}
