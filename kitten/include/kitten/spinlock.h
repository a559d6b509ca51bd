/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Spinlocks: ticket locks, taken with interrupts disabled on the local
 * CPU. Kitten's locking is deliberately simple: a lock is held for a
 * short, bounded time and never across a sleep, so disabling interrupts
 * while holding one rules out self-deadlock with an interrupt handler and
 * makes preemption at interrupt return always safe.
 *
 * With CONFIG_DEBUG_LOCKS each lock has a rank; a CPU may only take locks
 * in increasing rank order, and taking a lock it already holds panics.
 * That catches the lock-order inversions that deadlock only on a bad day.
 */
#ifndef KITTEN_SPINLOCK_H
#define KITTEN_SPINLOCK_H

#include <arch/irqflags.h>
#include <kitten/config.h>
#include <kitten/types.h>

struct spinlock {
	volatile uint16_t next;		/* ticket handed to the next taker */
	volatile uint16_t owner;	/* ticket now allowed in */
#ifdef CONFIG_DEBUG_LOCKS
	const char *name;
	uint16_t rank;
	int16_t holder;			/* CPU id, or -1 */
#endif
};

/*
 * Ranks: a CPU holding a lock of rank r may only take ranks above r.
 * Outer locks (held while others are taken) rank low; leaf locks, which
 * take nothing else, rank high so they can be taken under anything.
 */
enum lock_rank {
	LOCK_RANK_FAMILY = 5,		/* task links; wakes waiters */
	LOCK_RANK_PROCESSES = 6,	/* the process table; takes threads locks */
	LOCK_RANK_WAITQUEUE = 10,	/* then wakes tasks: takes run queues */
	LOCK_RANK_THREADS = 12,		/* a process's threads; kicks them */
	LOCK_RANK_FUTEX = 15,		/* a futex bucket; wakes tasks too */
	LOCK_RANK_PTIMERS = 20,		/* signalling timers; arm kernel timers */
	LOCK_RANK_VMM = 16,		/* Palacios's lock levels: 16 + level; they
					 * kick vCPU threads and arm timers */
	LOCK_RANK_SCHED = 24,		/* a run queue; arms its slice timer */
	LOCK_RANK_TIMER = 30,
	LOCK_RANK_PGTABLE = 35,		/* kernel page tables; allocate pages */
	LOCK_RANK_RAMFS = 36,		/* the file tree; allocates, frees heap */
	LOCK_RANK_PMEM = 38,		/* job extents; frees pages and heap */
	LOCK_RANK_HEAP = 40,		/* the heap; allocates pages */
	LOCK_RANK_MM = 45,		/* the physical page allocator */
	LOCK_RANK_LEAF = 60,		/* device registers, tables */
	LOCK_RANK_CONSOLE = 70,		/* printk may be called under anything */
};

#ifdef CONFIG_DEBUG_LOCKS
#define SPINLOCK_INIT(n, r) { .name = (n), .rank = (r), .holder = -1 }
#else
#define SPINLOCK_INIT(n, r) { 0 }
#endif

void spin_lock_init(struct spinlock *lock, const char *name, unsigned rank);
/* Take the lock with interrupts off; returns the flags to restore. */
unsigned long spin_lock_irqsave(struct spinlock *lock);
void spin_unlock_irqrestore(struct spinlock *lock, unsigned long flags);
bool spin_is_locked(const struct spinlock *lock);

#endif
