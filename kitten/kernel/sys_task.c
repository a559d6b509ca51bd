// SPDX-License-Identifier: GPL-2.0
/* Process and thread system calls of the Linux ABI. */
#include <arch/time.h>
#include <arch/user.h>
#include <kitten/aspace.h>
#include <kitten/errno.h>
#include <kitten/syscall.h>
#include <kitten/task.h>

#define ARCH_SET_FS	0x1002
#define ARCH_GET_FS	0x1003

/* A process is known by the id of its first task, like Linux's tgid. */
long sys_getpid(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
		uint64_t a4, uint64_t a5)
{
	struct task *t = task_current();

	(void)a0, (void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	return t->aspace ? t->aspace->leader_id : t->id;
}

long sys_gettid(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
		uint64_t a4, uint64_t a5)
{
	(void)a0, (void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	return task_current()->id;
}

long sys_exit(uint64_t status, uint64_t a1, uint64_t a2, uint64_t a3,
	      uint64_t a4, uint64_t a5)
{
	(void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	task_exit(status & 0xff);
}

long sys_exit_group(uint64_t status, uint64_t a1, uint64_t a2, uint64_t a3,
		    uint64_t a4, uint64_t a5)
{
	(void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	task_exit_group(status & 0xff);
}

long sys_arch_prctl(uint64_t code, uint64_t addr, uint64_t a2, uint64_t a3,
		    uint64_t a4, uint64_t a5)
{
	struct task *t = task_current();

	(void)a2, (void)a3, (void)a4, (void)a5;
	switch (code) {
	case ARCH_SET_FS:
		if (!is_user_address(addr))
			return -EPERM;
		t->fs_base = addr;
		user_set_tls(addr);
		return 0;
	case ARCH_GET_FS:
		return copy_to_user(addr, &t->fs_base, sizeof(t->fs_base));
	default:
		return -EINVAL;
	}
}

#define CLOCK_REALTIME	0
#define CLOCK_MONOTONIC	1

/*
 * Clocks. Both count from boot for now: there is no wall-clock source
 * yet, and what HPC codes time with is the monotonic clock anyway.
 */
long sys_clock_gettime(uint64_t clock, uint64_t ts_ptr, uint64_t a2,
		       uint64_t a3, uint64_t a4, uint64_t a5)
{
	uint64_t now = time_ns();
	struct { int64_t sec, nsec; } ts = { now / NSEC_PER_SEC, now % NSEC_PER_SEC };

	(void)a2, (void)a3, (void)a4, (void)a5;
	if (clock != CLOCK_REALTIME && clock != CLOCK_MONOTONIC)
		return -EINVAL;
	return copy_to_user(ts_ptr, &ts, sizeof(ts));
}

long sys_umask(uint64_t mask, uint64_t a1, uint64_t a2, uint64_t a3,
	       uint64_t a4, uint64_t a5)
{
	(void)mask, (void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	return 022;	/* modes are kept as given: the old mask, always */
}
