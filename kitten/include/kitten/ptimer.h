/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Timers that signal a process (posix_timers.c): POSIX timers
 * (timer_create), the real-time interval timer (setitimer, alarm). Each
 * is a kernel timer (timer.h) that, when it expires, sends its signal to
 * the process or to one of its threads, and re-arms itself if periodic.
 */
#ifndef KITTEN_PTIMER_H
#define KITTEN_PTIMER_H

#include <kitten/types.h>

struct aspace;

/* The signal of POSIX timer id of process as is being taken by a
 * handler: its overrun count (expirations while it was pending), which
 * timer_getoverrun then reports. 0 for a timer that no longer exists. */
int ptimer_signal_taken(struct aspace *as, int id);

/* Process as is going away: delete its timers. */
void ptimer_process_exit(struct aspace *as);

#endif
