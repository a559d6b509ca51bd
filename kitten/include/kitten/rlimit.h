/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Resource limits (rlimit.c): getrlimit, setrlimit, prlimit64. A
 * process's limits live in its address space; a new one (fork, execve,
 * a job) starts with its creator's.
 */
#ifndef KITTEN_RLIMIT_H
#define KITTEN_RLIMIT_H

#include <kitten/types.h>

#define RLIMIT_NLIMITS	16

struct aspace;

/* as was just created by the current task: give it the creator's limits. */
void rlimit_inherit(struct aspace *as);
/* The current process's soft limit on descriptors: at most FD_MAX. */
unsigned rlimit_nofile(void);

#endif
