/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fatal kernel errors. panic() prints the message, the registers (when a
 * trap frame is known) and a symbolized backtrace, then does what the
 * panic= argument asks: halt (the default, for a person to read the
 * console) or exit (end QEMU with a failure status, for tests).
 */
#ifndef KITTEN_PANIC_H
#define KITTEN_PANIC_H

#include <kitten/compiler.h>
#include <kitten/types.h>

struct trap_frame;

__noreturn __printf(1, 2) void panic(const char *fmt, ...);
__noreturn __printf(2, 3) void panic_trap(struct trap_frame *frame,
					  const char *fmt, ...);

/* panic=exit: end QEMU instead of halting. */
void panic_set_exit(bool exit);

/*
 * Print the call chain: rip (if not 0), the return address on top of the
 * stack at rsp when rip's function has no frame yet (if rsp is not 0),
 * then the frame-pointer chain from rbp.
 */
void backtrace_print(uint64_t rip, uint64_t rsp, uint64_t rbp);

#define BUG_ON(cond)                                                     \
	do {                                                             \
		if (unlikely(cond))                                      \
			panic("BUG at %s:%d: %s", __FILE__, __LINE__, #cond); \
	} while (0)

#endif
