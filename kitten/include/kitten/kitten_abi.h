/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The structures Kitten's own system calls exchange with user space.
 * Shared by the kernel and user/lib; see docs/native-api.md.
 */
#ifndef KITTEN_ABI_H
#define KITTEN_ABI_H

#include <stdint.h>

#define KITTEN_ASPACE_SELF	0	/* the calling task's address space */

#define KITTEN_PERM_R	1
#define KITTEN_PERM_W	2
#define KITTEN_PERM_X	4

struct kitten_pmem_info {
	uint64_t total, free, largest_free, owned;
};

struct kitten_mapping {
	uint64_t phys;
	uint64_t page_size;
};

/* A new task gets its own files: standard streams on the user console. */
struct kitten_task_spec {
	uint32_t aspace;	/* id from kitten_aspace_create */
	uint32_t cpu;
	uint64_t entry;
	uint64_t stack;
	uint64_t arg0, arg1;	/* in rdi, rsi */
	char name[16];
	char exe[128];		/* the program's path: /proc/self/exe */
};

#endif
