/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The process table: every address space, so that one process can find
 * another by pid, process group or session (kill, setpgid, getsid). A
 * process is an address space with tasks in it; its pid is the id of its
 * first task (aspace->leader_id). An address space enters the table when
 * it is created and leaves it just before it is freed, so one found under
 * the table's lock stays valid until the lock is dropped.
 */
#ifndef KITTEN_PROC_H
#define KITTEN_PROC_H

#include <kitten/types.h>

struct aspace;

void proc_table_add(struct aspace *as);
/* Called last as an address space is freed, after its memory. */
void proc_table_del(struct aspace *as);

/*
 * Call fn(as, arg) for every live process (tasks in it), under the
 * table's lock: fn may take as->threads_lock and kick tasks, but must not
 * sleep. Stops at the first non-zero return of fn and returns it.
 */
int proc_for_each(int (*fn)(struct aspace *as, void *arg), void *arg);

/*
 * The end of job (see aspace->job_id): kill what is left of it and wait
 * until all of it is gone, its memory freed. The init task reads the
 * free memory after a job, so nothing of the job may outlive this.
 */
void proc_end_job(unsigned job);

/* The live process pid, referenced (aspace_put it); NULL if none. */
struct aspace *proc_get(unsigned pid);

/* A process's group and session: its own pid unless it moved. */
unsigned proc_pgid(const struct aspace *as);
unsigned proc_sid(const struct aspace *as);

#endif
