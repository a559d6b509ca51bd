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

/*
 * Capabilities a job description may grant (cap=NAME) to a job that does
 * not run as uid 0; uid 0 has them all (docs/native-api.md):
 *   setuid          any uid in the set*uid calls
 *   setgid          any gid in the set*gid calls, and setgroups
 *   kill            signal other users' processes (other jobs')
 *   vm_passthrough  VMs with host I/O ports, IRQs or device memory
 *   raw_io          iopl/ioperm (reserved: not implemented yet)
 *   sys_time        set the wall clock (clock_settime, settimeofday)
 *   sys_ptrace      read and write other users' processes' memory
 *                   (process_vm_readv/writev)
 */
#define KITTEN_CAP_SETUID		(1ULL << 0)
#define KITTEN_CAP_SETGID		(1ULL << 1)
#define KITTEN_CAP_KILL			(1ULL << 2)
#define KITTEN_CAP_VM_PASSTHROUGH	(1ULL << 3)
#define KITTEN_CAP_RAW_IO		(1ULL << 4)
#define KITTEN_CAP_SYS_TIME		(1ULL << 5)
#define KITTEN_CAP_SYS_PTRACE		(1ULL << 6)
#define KITTEN_CAP_ALL			((1ULL << 7) - 1)

/* A job's credentials, set by the init task before the job starts. */
struct kitten_cred {
	uint32_t uid, gid;
	uint64_t caps;		/* KITTEN_CAP_* bits */
};

/* Virtual machines (docs/native-api.md, "Virtual machines"). */
enum kitten_vm_state {
	KITTEN_VM_CREATED,
	KITTEN_VM_RUNNING,
	KITTEN_VM_PAUSED,
	KITTEN_VM_STOPPED,
};

#define KITTEN_VM_MAX_EXIT_KINDS	16

struct kitten_vm_status {
	uint32_t state;			/* enum kitten_vm_state */
	int32_t exit_status;		/* the guest's debug-exit value, or -1 */
	char stop_reason[128];
	uint32_t vcpus;
	uint32_t nr_exit_kinds;
	uint64_t guest_mem_bytes;
	struct {
		char name[16];
		uint64_t count;
	} exits[KITTEN_VM_MAX_EXIT_KINDS];
};

#endif
