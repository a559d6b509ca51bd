/* SPDX-License-Identifier: GPL-2.0 */
/*
 * /proc (fs/procfs.c): a directory per process, /proc/self, and the
 * machine's files. The text of each file is made by pure functions
 * (fs/procfs_text.c) from a snapshot the kernel takes, so the host unit
 * tests check the formats.
 */
#ifndef KITTEN_PROCFS_H
#define KITTEN_PROCFS_H

#include <kitten/types.h>

/* --- the kernel side (procfs.c) ------------------------------------- */

void procfs_init(void);
/* Process pid has ended (proc_table_del): remove its directory, if any. */
void procfs_process_exit(unsigned pid);
/*
 * A path a process gave, before it is looked up (sys_fs.c): rewrite
 * "/proc/self/..." to "/proc/<pid>/..." in place (path has size bytes),
 * and make sure the directories of the processes it names exist (all of
 * them for "/proc" itself). Returns 0 or -ENAMETOOLONG.
 */
int procfs_resolve(char *path, size_t size);
/*
 * readlink() of a link whose target depends on the reader or on a
 * process's state: /proc/self, /proc/<pid>/{exe,cwd}, /proc/<pid>/fd/<n>.
 * The target into buf (size bytes, no NUL): its length, -ENOENT, or 1
 * past... PROCFS_NOT_MINE if path is no such link.
 */
#define PROCFS_NOT_MINE	(-1000)
long procfs_readlink(const char *path, char *buf, size_t size);
/* What lookups of path should find instead of the link at path (a
 * process's program for /proc/<pid>/exe), copied into buf; or NULL. */
const char *procfs_follow(const char *path, char *buf, size_t size);

/* --- the text (procfs_text.c) --------------------------------------- */

/* A process as /proc/<pid>/status and stat describe it. */
struct procfs_process {
	const char *name;		/* its command (at most 15 characters) */
	char state;			/* R running, S sleeping, Z exited */
	unsigned pid, ppid, pgid, sid, threads;
	uint32_t uid[4], gid[4];	/* real, effective, saved, file system */
	unsigned ngroups;
	const uint32_t *groups;
	unsigned fd_size;		/* descriptors it may have */
	uint64_t vm_size, vm_rss;	/* bytes: regions, and mapped in them */
	uint64_t vm_stack, vm_data;	/* bytes: the stack, the heap */
	uint64_t sig_pending, sig_blocked;	/* of its first thread */
	uint64_t cpus;			/* CPUs it may run on */
	uint64_t utime_ticks;		/* CPU time, 100 Hz */
	unsigned cpu;			/* where its first thread is */
	uint64_t brk_start;
};

/* "0-2,5": the CPUs of mask as Linux lists them; its length. */
size_t procfs_cpulist(uint64_t mask, char *out, size_t cap);
size_t procfs_status_text(const struct procfs_process *p, char *out, size_t cap);
size_t procfs_stat_text(const struct procfs_process *p, char *out, size_t cap);
/* "/proc/123" or "/proc/123/..." with a decimal pid and no leading zero:
 * the pid, and where the rest begins in *rest; 0 if it is no such path. */
unsigned procfs_pid_of(const char *path, const char **rest);
/*
 * Rewrite "/proc/self" followed by "/" or the end (only with a "/" when
 * bare is false) as "/proc/<pid>" in place; -ENAMETOOLONG if the result
 * does not fit size bytes, 1 if rewritten, 0 if not such a path.
 */
int procfs_rewrite_self(char *path, size_t size, unsigned pid, bool bare);

#endif
