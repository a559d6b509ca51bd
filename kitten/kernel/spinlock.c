// SPDX-License-Identifier: GPL-2.0
/* Ticket spinlocks, with optional lock-order checking (see spinlock.h). */
#include <arch/percpu.h>
#include <arch/x86.h>
#include <kitten/panic.h>
#include <kitten/spinlock.h>

void spin_lock_init(struct spinlock *lock, const char *name, unsigned rank)
{
	*lock = (struct spinlock)SPINLOCK_INIT(name, rank);
	(void)name;
	(void)rank;
}

#ifdef CONFIG_DEBUG_LOCKS
/* Ranks held by this CPU form a stack; only the top matters for order. */
static void check_order(struct spinlock *lock)
{
	struct cpu *cpu = this_cpu();

	if (lock->holder == (int16_t)cpu->id)
		panic("spinlock %s: taken twice by CPU %u", lock->name, cpu->id);
	if (cpu->nr_locks &&
	    lock->rank <= cpu->lock_ranks[cpu->nr_locks - 1])
		panic("spinlock %s (rank %u) taken while holding rank %u",
		      lock->name, lock->rank,
		      cpu->lock_ranks[cpu->nr_locks - 1]);
}

static void note_acquired(struct spinlock *lock)
{
	struct cpu *cpu = this_cpu();

	lock->holder = cpu->id;
	if (cpu->nr_locks < CPU_MAX_HELD_LOCKS)
		cpu->lock_ranks[cpu->nr_locks++] = lock->rank;
}

static void note_released(struct spinlock *lock)
{
	struct cpu *cpu = this_cpu();

	lock->holder = -1;
	if (cpu->nr_locks)
		cpu->nr_locks--;
}
#else
static void check_order(struct spinlock *lock) { (void)lock; }
static void note_acquired(struct spinlock *lock) { (void)lock; }
static void note_released(struct spinlock *lock) { (void)lock; }
#endif

unsigned long spin_lock_irqsave(struct spinlock *lock)
{
	unsigned long flags = irq_save();
	uint16_t ticket;

	if (percpu_ready())
		check_order(lock);
	ticket = __atomic_fetch_add(&lock->next, 1, __ATOMIC_RELAXED);
	while (__atomic_load_n(&lock->owner, __ATOMIC_ACQUIRE) != ticket)
		cpu_relax();
	if (percpu_ready())
		note_acquired(lock);
	return flags;
}

void spin_unlock_irqrestore(struct spinlock *lock, unsigned long flags)
{
	if (percpu_ready())
		note_released(lock);
	__atomic_store_n(&lock->owner, lock->owner + 1, __ATOMIC_RELEASE);
	irq_restore(flags);
}

bool spin_is_locked(const struct spinlock *lock)
{
	return __atomic_load_n(&lock->next, __ATOMIC_RELAXED) !=
	       __atomic_load_n(&lock->owner, __ATOMIC_RELAXED);
}
