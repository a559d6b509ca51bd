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
	long sys_##name(uint64_t r0, uint64_t r1, uint64_t r2, uint64_t r3, \
			uint64_t r4, uint64_t r5);
#include <kitten/syscall_list.h>
#undef SYSCALL

/*
 * SYSCALL_DEFINEn(name, type0, arg0, ..., typen-1, argn-1) { body }
 * defines sys_name, the table's entry, which takes the six argument
 * registers and hands the first n, cast to their types, to the body.
 * So a handler names only the arguments it has, with their real types,
 * as Linux's do. Kernel code does not call sys_* entries: it calls the
 * kernel functions they are built on.
 */
#define SC_DECL0() void
#define SC_DECL1(t0, a0) t0 a0
#define SC_DECL2(t0, a0, t1, a1) t0 a0, t1 a1
#define SC_DECL3(t0, a0, t1, a1, t2, a2) t0 a0, t1 a1, t2 a2
#define SC_DECL4(t0, a0, t1, a1, t2, a2, t3, a3) t0 a0, t1 a1, t2 a2, t3 a3
#define SC_DECL5(t0, a0, t1, a1, t2, a2, t3, a3, t4, a4)                \
	t0 a0, t1 a1, t2 a2, t3 a3, t4 a4
#define SC_DECL6(t0, a0, t1, a1, t2, a2, t3, a3, t4, a4, t5, a5)        \
	t0 a0, t1 a1, t2 a2, t3 a3, t4 a4, t5 a5
#define SC_CAST0()
#define SC_CAST1(t0, a0) (t0)r0
#define SC_CAST2(t0, a0, t1, a1) (t0)r0, (t1)r1
#define SC_CAST3(t0, a0, t1, a1, t2, a2) (t0)r0, (t1)r1, (t2)r2
#define SC_CAST4(t0, a0, t1, a1, t2, a2, t3, a3)                        \
	(t0)r0, (t1)r1, (t2)r2, (t3)r3
#define SC_CAST5(t0, a0, t1, a1, t2, a2, t3, a3, t4, a4)                \
	(t0)r0, (t1)r1, (t2)r2, (t3)r3, (t4)r4
#define SC_CAST6(t0, a0, t1, a1, t2, a2, t3, a3, t4, a4, t5, a5)        \
	(t0)r0, (t1)r1, (t2)r2, (t3)r3, (t4)r4, (t5)r5

#define SYSCALL_DEFINEx(n, name, ...)                                      \
	static long do_sys_##name(SC_DECL##n(__VA_ARGS__));                \
	long sys_##name(uint64_t r0, uint64_t r1, uint64_t r2, uint64_t r3, \
			uint64_t r4, uint64_t r5)                           \
	{                                                                   \
		(void)r0, (void)r1, (void)r2, (void)r3, (void)r4, (void)r5; \
		return do_sys_##name(SC_CAST##n(__VA_ARGS__));              \
	}                                                                   \
	static long do_sys_##name(SC_DECL##n(__VA_ARGS__))
#define SYSCALL_DEFINE0(name) SYSCALL_DEFINEx(0, name)
#define SYSCALL_DEFINE1(name, ...) SYSCALL_DEFINEx(1, name, __VA_ARGS__)
#define SYSCALL_DEFINE2(name, ...) SYSCALL_DEFINEx(2, name, __VA_ARGS__)
#define SYSCALL_DEFINE3(name, ...) SYSCALL_DEFINEx(3, name, __VA_ARGS__)
#define SYSCALL_DEFINE4(name, ...) SYSCALL_DEFINEx(4, name, __VA_ARGS__)
#define SYSCALL_DEFINE5(name, ...) SYSCALL_DEFINEx(5, name, __VA_ARGS__)
#define SYSCALL_DEFINE6(name, ...) SYSCALL_DEFINEx(6, name, __VA_ARGS__)

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
