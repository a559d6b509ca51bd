// SPDX-License-Identifier: GPL-2.0
/*
 * Threads for NPTL (glibc) and musl: clone() with CLONE_VM, futex(),
 * and the scheduling and sleeping calls thread libraries use. New
 * threads are placed round robin over the process's CPUs and never move
 * unless sched_setaffinity() asks (the paper: no automatic migration).
 */
#include <arch/layout.h>
#include <arch/time.h>
#include <kitten/aspace.h>
#include <kitten/errno.h>
#include <kitten/futex.h>
#include <kitten/sched.h>
#include <kitten/string.h>
#include <kitten/syscall.h>
#include <kitten/task.h>

#define CLONE_VM		0x00000100
#define CLONE_FS		0x00000200
#define CLONE_FILES		0x00000400
#define CLONE_SIGHAND		0x00000800
#define CLONE_VFORK		0x00004000
#define CLONE_THREAD		0x00010000
#define CLONE_SETTLS		0x00080000
#define CLONE_PARENT_SETTID	0x00100000
#define CLONE_CHILD_CLEARTID	0x00200000
#define CLONE_CHILD_SETTID	0x01000000

#define FUTEX_WAIT		0
#define FUTEX_WAKE		1
#define FUTEX_WAIT_BITSET	9
#define FUTEX_WAKE_BITSET	10
#define FUTEX_PRIVATE_FLAG	128
#define FUTEX_CLOCK_REALTIME	256

#define NEEDED_FOR_THREADS (CLONE_VM | CLONE_THREAD | CLONE_SIGHAND)

/*
 * Write tid at user address ctid of another address space, where its
 * user may write: through the physical page, so the rights must be
 * checked here (a read-only page such as the vDSO's code is shared by
 * every process).
 */
static void put_tid_in(struct aspace *as, uint64_t ctid, uint32_t tid)
{
	paddr_t pa;

	if (aspace_range_ok(as, ctid, sizeof(tid), ASPACE_W) &&
	    aspace_virt_to_phys(as, ctid, &pa, NULL) == 0 &&
	    (ctid & 0xfff) <= 0x1000 - sizeof(tid))
		memcpy(__va(pa), &tid, sizeof(tid));
}

static long clone_process(uint64_t flags, uint64_t parent_tid,
			  uint64_t child_tid)
{
	struct task *child = process_fork();
	uint32_t tid;

	if (IS_ERR_TASK(child))
		return PTR_ERR_TASK(child);
	tid = child->id;
	if (flags & CLONE_CHILD_SETTID)
		put_tid_in(child->aspace, child_tid, tid);
	if (flags & CLONE_CHILD_CLEARTID)
		child->clear_child_tid = child_tid;
	if (flags & CLONE_PARENT_SETTID)
		copy_to_user(parent_tid, &tid, sizeof(tid));
	sched_enqueue_new(child);
	return tid;
}

SYSCALL_DEFINE5(clone, uint64_t, flags, uint64_t, stack, uint64_t, parent_tid,
		uint64_t, child_tid, uint64_t, tls)
{
	struct task *t;
	uint32_t tid;

	/* A new process: fork (vfork too, as a copy is all a child needs). */
	if (!(flags & CLONE_VM) || (flags & CLONE_VFORK)) {
		if (flags & (CLONE_THREAD | CLONE_SETTLS))
			return -EINVAL;
		return clone_process(flags, parent_tid, child_tid);
	}
	if ((flags & NEEDED_FOR_THREADS) != NEEDED_FOR_THREADS ||
	    !(flags & CLONE_FILES))
		return -EINVAL;
	/* FS_BASE takes only canonical addresses: as arch_prctl(ARCH_SET_FS). */
	if ((flags & CLONE_SETTLS) && !is_user_address(tls))
		return -EPERM;
	t = task_clone_thread(stack, flags & CLONE_SETTLS ? tls : 0);
	if (!t)
		return -ENOMEM;
	tid = t->id;
	if (flags & CLONE_CHILD_CLEARTID)
		t->clear_child_tid = child_tid;
	/*
	 * One address space: parent and child see the same words. They are
	 * written before the thread can run: pthread_join() waits for the
	 * child's exit to clear the very word CLONE_PARENT_SETTID sets.
	 */
	if (flags & CLONE_PARENT_SETTID)
		copy_to_user(parent_tid, &tid, sizeof(tid));
	if (flags & CLONE_CHILD_SETTID)
		copy_to_user(child_tid, &tid, sizeof(tid));
	sched_enqueue_new(t);
	return tid;
}

/* A timespec in user memory, as nanoseconds; -EFAULT or -EINVAL. */
static long read_timespec(uint64_t ptr, uint64_t *ns)
{
	int64_t ts[2];

	if (copy_from_user(ts, ptr, sizeof(ts)))
		return -EFAULT;
	if (ts[0] < 0 || ts[1] < 0 || ts[1] >= (int64_t)NSEC_PER_SEC)
		return -EINVAL;
	*ns = ts[0] * NSEC_PER_SEC + ts[1];
	return 0;
}

/* An absolute wall-clock time as time_ns() will read it then (0 if past). */
static uint64_t wall_to_monotonic(uint64_t wall)
{
	int64_t offset = time_realtime_ns() - (int64_t)time_ns();

	return (int64_t)wall > offset ? wall - offset : 1;
}

SYSCALL_DEFINE6(futex, uint64_t, uaddr, uint64_t, op, uint64_t, val,
		uint64_t, timeout, uint64_t, uaddr2, uint64_t, val3)
{
	struct aspace *as = task_current()->aspace;
	unsigned cmd = op & ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
	uint64_t deadline = 0, ns;
	long err;

	(void)uaddr2;
	switch (cmd) {
	case FUTEX_WAIT:
	case FUTEX_WAIT_BITSET:
		if (timeout) {
			err = read_timespec(timeout, &ns);
			if (err)
				return err;
			/* WAIT takes a relative time, WAIT_BITSET an absolute
			 * one on the monotonic clock, or on the wall clock with
			 * FUTEX_CLOCK_REALTIME: made monotonic here. */
			if (cmd == FUTEX_WAIT)
				deadline = time_ns() + ns;
			else if (op & FUTEX_CLOCK_REALTIME)
				deadline = wall_to_monotonic(ns);
			else
				deadline = ns;
			if (!deadline)
				deadline = 1;
		}
		return futex_wait(as, uaddr, val, deadline,
				  cmd == FUTEX_WAIT ? ~0U : val3);
	case FUTEX_WAKE:
	case FUTEX_WAKE_BITSET:
		return futex_wake(as, uaddr, val, cmd == FUTEX_WAKE ? ~0U : val3);
	default:
		return -ENOSYS;
	}
}

SYSCALL_DEFINE0(sched_yield)
{
	sched_yield();
	return 0;
}

SYSCALL_DEFINE0(getppid)
{
	struct task *p = task_current()->parent;

	return p ? p->id : 0;
}
