/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Ending the machine's run. Under QEMU with -device isa-debug-exit the
 * kernel can end QEMU with a status, which is how whole-system tests
 * report; on real hardware the write goes nowhere and the CPU halts.
 */
#ifndef KITTEN_MACHINE_H
#define KITTEN_MACHINE_H

#include <kitten/compiler.h>

/* Status codes; QEMU exits with 2 * status + 1. */
#define MACHINE_EXIT_SUCCESS	0
#define MACHINE_EXIT_FAILURE	1
#define MACHINE_EXIT_PANIC	2

__noreturn void machine_exit(unsigned status);
__noreturn void machine_halt(void);

#endif
