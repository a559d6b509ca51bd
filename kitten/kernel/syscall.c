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
#include <kitten/aspace.h>
#include <kitten/errno.h>
#include <kitten/printk.h>
#include <kitten/sched.h>
#include <kitten/string.h>
#include <kitten/syscall.h>
#include <kitten/task.h>

#define NR_SYSCALLS (SYS_KITTEN_BASE + NR_KITTEN_SYSCALLS)

#define SYSCALL(nr, name) [nr] = sys_##name,
static const syscall_fn table[NR_SYSCALLS] = {
#include <kitten/syscall_list.h>
};
#undef SYSCALL

static uint64_t reported[NR_SYSCALLS / 64 + 1];

static long not_implemented(uint64_t nr)
{
	if (nr < NR_SYSCALLS) {
		uint64_t bit = 1ULL << (nr % 64);

		if (__atomic_fetch_or(&reported[nr / 64], bit, __ATOMIC_RELAXED) & bit)
			return -ENOSYS;
	}
	pr_warn("task %s: system call %lu (%s) not implemented (-ENOSYS)\n",
		task_current()->name, nr,
		nr < NR_LINUX_SYSCALLS && linux_syscall_names[nr] ?
			linux_syscall_names[nr] : "unknown");
	return -ENOSYS;
}

void syscall_dispatch(struct trap_frame *f)
{
	uint64_t nr = f->rax;

	if (nr < NR_SYSCALLS && table[nr])
		f->rax = table[nr](f->rdi, f->rsi, f->rdx, f->r10, f->r8, f->r9);
	else
		f->rax = not_implemented(nr);
	sched_preempt_check();
	task_return_to_user(f);
}

/* usercopy.S: a copy that returns -EFAULT where it faults. */
int usercopy(void *dst, const void *src, size_t len);

static struct aspace *current_aspace(void)
{
	return task_current()->aspace;
}

int copy_from_user(void *dst, uint64_t user_src, size_t len)
{
	struct aspace *as = current_aspace();

	if (!as || !aspace_range_ok(as, user_src, len, ASPACE_R))
		return -EFAULT;
	return usercopy(dst, (const void *)user_src, len);
}

int copy_to_user(uint64_t user_dst, const void *src, size_t len)
{
	struct aspace *as = current_aspace();

	if (!as || !aspace_range_ok(as, user_dst, len, ASPACE_W))
		return -EFAULT;
	return usercopy((void *)user_dst, src, len);
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
