/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fast user-space mutexes: a task sleeps on a 32-bit word of its address
 * space until another task wakes that word. What NPTL's mutexes, condition
 * variables, barriers and pthread_join are made of.
 */
#ifndef KITTEN_FUTEX_H
#define KITTEN_FUTEX_H

#include <kitten/types.h>

struct aspace;

void futex_init(void);

/*
 * Sleep while *uaddr == val, until woken (0), the absolute deadline on
 * the monotonic clock passes (-ETIMEDOUT; 0 means none), the value
 * differs (-EAGAIN) or the task must exit (-EINTR).
 */
int futex_wait(struct aspace *as, uint64_t uaddr, uint32_t val,
	       uint64_t deadline_ns, uint32_t bitset);
/* Wake up to n sleepers on uaddr whose bitset matches; returns how many. */
int futex_wake(struct aspace *as, uint64_t uaddr, int n, uint32_t bitset);

#endif
