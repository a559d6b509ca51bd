/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Starting the first user program, the init task, from the initramfs.
 * Everything after it, including loading jobs, is the init task's work.
 */
#ifndef KITTEN_LOADER_H
#define KITTEN_LOADER_H

#include <kitten/types.h>

struct task;

/* Unpack the boot module (if any) into the in-memory file system. */
void initramfs_load(void);

/*
 * Load the static ELF program at path into a new address space, in
 * physically contiguous memory mapped with the largest pages possible,
 * and start it on CPU 0 with argv = { path, args... }. NULL on failure
 * (reported).
 */
struct task *init_task_start(const char *path, const char *args);

#endif
