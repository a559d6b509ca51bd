/* SPDX-License-Identifier: GPL-2.0 */
/*
 * System calls. Linux's x86_64 numbers (so unmodified Linux binaries
 * work) and Kitten's own calls for memory and task management, numbered
 * from SYS_KITTEN_BASE up, out of Linux's way. Both come from one list,
 * kitten/syscall_list.h, which generates the numbers, the prototypes and
 * the dispatch table. A call without an implementation returns -ENOSYS
 * and is logged once, by name.
 */
#ifndef KITTEN_SYSCALL_H
#define KITTEN_SYSCALL_H

#include <arch/layout.h>
#include <kitten/types.h>

#define SYS_KITTEN_BASE	1000
#define NR_LINUX_SYSCALLS 450
#define NR_KITTEN_SYSCALLS 32

/* Linux's names by number (generated from the ABI headers at build). */
extern const char *const linux_syscall_names[NR_LINUX_SYSCALLS];

typedef long (*syscall_fn)(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t,
			   uint64_t);

#define SYSCALL(nr, name) SYS_##name = (nr),
enum syscall_number {
#include <kitten/syscall_list.h>
};
#undef SYSCALL

#define SYSCALL(nr, name)                                                  \
	long sys_##name(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, \
			uint64_t a4, uint64_t a5);
#include <kitten/syscall_list.h>
#undef SYSCALL

/*
 * Whether a user-supplied value may go into a register that holds a user
 * address across the return to user mode (FS_BASE, the RIP that IRETQ
 * returns to): canonical and in the lower half. On hardware anything else
 * raises #GP in kernel mode, which would be a panic.
 */
static inline bool is_user_address(uint64_t addr)
{
	return addr < USER_TOP;
}

/*
 * Linux's access_ok(): [addr, addr + len) lies in the user half. Calls
 * that hand a buffer to a driver check it first, so a kernel address is
 * -EFAULT even where the driver would not touch it.
 */
static inline bool user_range_ok(uint64_t addr, uint64_t len)
{
	return len <= USER_TOP && addr <= USER_TOP - len;
}

/* Copy between the kernel and the current task's memory: 0 or -EFAULT. */
int copy_from_user(void *dst, uint64_t user_src, size_t len);
int copy_to_user(uint64_t user_dst, const void *src, size_t len);
/* Copy a NUL-terminated string of at most max bytes (NUL included). */
long strncpy_from_user(char *dst, uint64_t user_src, size_t max);

#endif
