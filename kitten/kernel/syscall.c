// SPDX-License-Identifier: GPL-2.0
/*
 * System call dispatch and user-memory access. The table is generated
 * from kitten/syscall_list.h; empty slots answer -ENOSYS, and the first
 * call of each missing number is logged so a program's needs show up in
 * the kernel log without flooding it.
 */
#define pr_fmt(fmt) "syscall: " fmt

#include <arch/percpu.h>
#include <arch/trap.h>
#include <arch/usercopy.h>
#include <kitten/aspace.h>
#include <kitten/errno.h>
#include <kitten/printk.h>
#include <kitten/sched.h>
#include <kitten/signal.h>
#include <kitten/stats.h>
#include <kitten/string.h>
#include <kitten/syscall.h>
#include <kitten/task.h>

#define NR_SYSCALLS (SYS_KITTEN_BASE + NR_KITTEN_SYSCALLS)

#define SYSCALL(nr, name) [nr] = sys_##name,
static const syscall_fn table[NR_SYSCALLS] = {
#include <kitten/syscall_list.h>
};
#undef SYSCALL

/* One bit per number, and bit NR_SYSCALLS for every number past the table. */
static uint64_t reported[NR_SYSCALLS / 64 + 1];

static long not_implemented(uint64_t nr)
{
	uint64_t slot = MIN(nr, (uint64_t)NR_SYSCALLS);
	uint64_t bit = 1ULL << (slot % 64);

	/* A program issuing random numbers must not flood the log. */
	if (__atomic_fetch_or(&reported[slot / 64], bit, __ATOMIC_RELAXED) & bit)
		return -ENOSYS;
	pr_warn("task %s: system call %lu (%s) not implemented (-ENOSYS)\n",
		task_current()->name, nr,
		nr < NR_LINUX_SYSCALLS && linux_syscall_names[nr] ?
			linux_syscall_names[nr] : "unknown");
	return -ENOSYS;
}

static inline void dispatch(struct trap_frame *f)
{
	uint64_t nr = f->rax;

	if (nr < NR_SYSCALLS && table[nr])
		f->rax = table[nr](f->rdi, f->rsi, f->rdx, f->r10, f->r8, f->r9);
	else
		f->rax = not_implemented(nr);
	if (f->rax == (uint64_t)-ERESTARTSYS) {
		/* Back to the syscall instruction, with the handler's frame
		 * saved on the way: sigreturn resumes at the call again. */
		if (signal_restart_syscall()) {
			f->rax = nr;
			f->rip -= 2;
		} else {
			f->rax = -EINTR;
		}
	}
	sched_preempt_check();
	task_return_to_user(f);
}

/* The same, counted for the job's statistics (kitten/stats.h). */
static __attribute__((noinline)) void dispatch_counted(struct trap_frame *f)
{
	unsigned nr = MIN(f->rax, (uint64_t)NR_SYSCALLS);
	uint64_t mark = stats_enter(STATS_SYSCALL, nr);

	dispatch(f);
	stats_exit(STATS_SYSCALL, nr, mark);
}

void syscall_dispatch(struct trap_frame *f)
{
	if (unlikely(READ_ONCE(stats_on)))
		dispatch_counted(f);
	else
		dispatch(f);
}

static struct aspace *current_aspace(void)
{
	return task_current()->aspace;
}

int copy_from_user(void *dst, uint64_t user_src, size_t len)
{
	struct aspace *as = current_aspace();

	if (!as || !aspace_range_ok(as, user_src, len, ASPACE_R))
		return -EFAULT;
	/* Another thread may mprotect() it meanwhile: a fault is -EFAULT. */
	return user_copy(dst, (const void *)user_src, len) ? -EFAULT : 0;
}

int copy_to_user(uint64_t user_dst, const void *src, size_t len)
{
	struct aspace *as = current_aspace();

	if (!as || !aspace_range_ok(as, user_dst, len, ASPACE_W))
		return -EFAULT;
	return user_copy((void *)user_dst, src, len) ? -EFAULT : 0;
}

long strncpy_from_user(char *dst, uint64_t user_src, size_t max)
{
	for (size_t i = 0; i < max; i++) {
		if (copy_from_user(&dst[i], user_src + i, 1))
			return -EFAULT;
		if (!dst[i])
			return i;
	}
	return -ENAMETOOLONG;
}
