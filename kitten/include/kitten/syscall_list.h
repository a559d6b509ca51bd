/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every system call, as SYSCALL(number, name); see syscall.h. Linux
 * numbers first, in order, then Kitten's own from SYS_KITTEN_BASE.
 * No include guard: this file is expanded several times.
 */
SYSCALL(0, read)
SYSCALL(1, write)
SYSCALL(2, open)
SYSCALL(3, close)
SYSCALL(5, fstat)
SYSCALL(8, lseek)
SYSCALL(39, getpid)
SYSCALL(60, exit)
SYSCALL(158, arch_prctl)
SYSCALL(186, gettid)
SYSCALL(228, clock_gettime)
SYSCALL(231, exit_group)

SYSCALL(1000, kitten_pmem_query)
SYSCALL(1001, kitten_pmem_alloc)
SYSCALL(1002, kitten_pmem_free)
SYSCALL(1003, kitten_aspace_create)
SYSCALL(1004, kitten_aspace_destroy)
SYSCALL(1005, kitten_aspace_add_region)
SYSCALL(1006, kitten_aspace_map_pmem)
SYSCALL(1007, kitten_aspace_unmap)
SYSCALL(1008, kitten_aspace_query)
SYSCALL(1009, kitten_task_create)
SYSCALL(1010, kitten_task_wait)
SYSCALL(1011, kitten_smartmap_attach)
