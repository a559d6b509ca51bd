/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Build-time kernel configuration: every tunable limit in one place.
 * Values that a user may want to change per boot are kernel arguments
 * instead (see docs/kernel-arguments.md); these are the defaults and
 * the hard limits.
 */
#ifndef KITTEN_CONFIG_H
#define KITTEN_CONFIG_H

/*
 * Most CPUs the kernel will bring up; per-CPU arrays are this long. 255
 * is what xAPIC mode addresses (8-bit IDs, 255 the broadcast); CPU sets
 * user space sees (affinity, a job's CPUs) are 64-bit masks, so a user
 * thread can be placed on CPUs 0-63 only (docs/scheduling-and-time.md).
 */
#define CONFIG_NR_CPUS		255

/* I/O port of the 16550 UART used as the console (COM1). */
#define CONFIG_SERIAL_PORT	0x3f8
#define CONFIG_SERIAL_BAUD	115200

/* Default console log level (KERN_INFO); loglevel= overrides it. */
#define CONFIG_LOGLEVEL		6

/* Size of each kernel stack, boot stack included. */
#define CONFIG_KSTACK_SIZE	(16 * 1024)

/* Largest buddy block: 2^CONFIG_BUDDY_MAX_ORDER pages (order 18 = 1 GiB). */
#define CONFIG_BUDDY_MAX_ORDER	18

/* Bytes kept for the kernel command line. */
#define CONFIG_CMDLINE_MAX	1024

/* I/O port of QEMU's isa-debug-exit device; tests end QEMU through it. */
#define CONFIG_DEBUG_EXIT_PORT	0xf4

/* Check spinlock ordering and recursion (costs a few instructions a lock). */
#define CONFIG_DEBUG_LOCKS	1

/* Round-robin time slice when several tasks share a CPU. */
#define CONFIG_TIME_SLICE_MS	10

#endif
