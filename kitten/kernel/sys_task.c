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
SYSCALL_DEFINE0(getpid)
{
	struct task *t = task_current();

	return t->aspace ? t->aspace->leader_id : t->id;
}

SYSCALL_DEFINE0(gettid)
{
	return task_current()->id;
}

SYSCALL_DEFINE1(exit, uint64_t, status)
{
	task_exit(status & 0xff);
}

SYSCALL_DEFINE1(exit_group, uint64_t, status)
{
	task_exit_group(status & 0xff);
}

SYSCALL_DEFINE2(arch_prctl, uint64_t, code, uint64_t, addr)
{
	struct task *t = task_current();

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

SYSCALL_DEFINE1(umask, uint64_t, mask)
{
	(void)mask;
	return 022;	/* modes are kept as given: the old mask, always */
}
