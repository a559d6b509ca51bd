// SPDX-License-Identifier: GPL-2.0
/*
 * The text of /proc's per-process files, from a snapshot of the process
 * (struct procfs_process) that procfs.c takes under the process's locks.
 * Pure: no kernel state, so the host unit tests check the formats that
 * ps, top, Python and the C libraries parse. The layouts are Linux 6.1's,
 * with zeros where Kitten keeps no such count (page faults, start time).
 */
#include <kitten/errno.h>
#include <kitten/kernel.h>
#include <kitten/procfs.h>
#include <kitten/string.h>

/* snprintf that appends at *len and never runs past cap. */
#define APPEND(out, cap, len, ...)                                            \
	do {                                                                  \
		if (len < cap)                                                \
			len += snprintf(out + len, cap - len, __VA_ARGS__);   \
		if (len > cap)                                                \
			len = cap;                                            \
	} while (0)

size_t procfs_cpulist(uint64_t mask, char *out, size_t cap)
{
	size_t len = 0;
	bool first = true;

	if (cap)
		out[0] = '\0';
	for (unsigned cpu = 0; cpu < 64; cpu++) {
		unsigned last = cpu;

		if (!(mask & (1ULL << cpu)))
			continue;
		while (last + 1 < 64 && (mask & (1ULL << (last + 1))))
			last++;
		if (last == cpu)
			APPEND(out, cap, len, "%s%u", first ? "" : ",", cpu);
		else
			APPEND(out, cap, len, "%s%u-%u", first ? "" : ",", cpu, last);
		first = false;
		cpu = last;
	}
	return len;
}

static const char *state_name(char state)
{
	switch (state) {
	case 'R':
		return "R (running)";
	case 'S':
		return "S (sleeping)";
	default:
		return "Z (zombie)";
	}
}

size_t procfs_status_text(const struct procfs_process *p, char *out, size_t cap)
{
	size_t len = 0;

	APPEND(out, cap, len,
	       "Name:\t%s\nUmask:\t0022\nState:\t%s\nTgid:\t%u\nNgid:\t0\n"
	       "Pid:\t%u\nPPid:\t%u\nTracerPid:\t0\n"
	       "Uid:\t%u\t%u\t%u\t%u\nGid:\t%u\t%u\t%u\t%u\n"
	       "FDSize:\t%u\nGroups:\t",
	       p->name, state_name(p->state), p->pid, p->pid, p->ppid,
	       p->uid[0], p->uid[1], p->uid[2], p->uid[3], p->gid[0],
	       p->gid[1], p->gid[2], p->gid[3], p->fd_size);
	for (unsigned i = 0; i < p->ngroups; i++)
		APPEND(out, cap, len, "%u ", p->groups[i]);
	APPEND(out, cap, len,
	       "\nNSpid:\t%u\nNSpgid:\t%u\nNSsid:\t%u\n"
	       "VmPeak:\t%8lu kB\nVmSize:\t%8lu kB\nVmLck:\t%8lu kB\n"
	       "VmHWM:\t%8lu kB\nVmRSS:\t%8lu kB\nVmData:\t%8lu kB\n"
	       "VmStk:\t%8lu kB\nThreads:\t%u\n"
	       "SigPnd:\t%016lx\nShdPnd:\t0000000000000000\nSigBlk:\t%016lx\n"
	       "Cpus_allowed:\t%lx\nCpus_allowed_list:\t",
	       p->pid, p->pgid, p->sid, p->vm_size >> 10, p->vm_size >> 10,
	       p->vm_rss >> 10,	/* nothing is ever paged out: all locked */
	       p->vm_rss >> 10, p->vm_rss >> 10, p->vm_data >> 10,
	       p->vm_stack >> 10, p->threads, p->sig_pending, p->sig_blocked,
	       p->cpus);
	if (len < cap)
		len += procfs_cpulist(p->cpus, out + len, cap - len);
	APPEND(out, cap, len,
	       "\nMems_allowed:\t1\nMems_allowed_list:\t0\n"
	       "voluntary_ctxt_switches:\t0\nnonvoluntary_ctxt_switches:\t0\n");
	return len;
}

/* The 52 fields of /proc/<pid>/stat (proc(5)), in order. */
size_t procfs_stat_text(const struct procfs_process *p, char *out, size_t cap)
{
	size_t len = 0;

	APPEND(out, cap, len,
	       "%u (%s) %c %u %u %u 0 -1 4194560 0 0 0 0 %lu 0 0 0 20 0 %u 0 0 "
	       "%lu %lu 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 %u 0 0 "
	       "0 0 0 0 0 %lu 0 0 0 0 0\n",
	       p->pid, p->name, p->state, p->ppid, p->pgid, p->sid,
	       p->utime_ticks, p->threads, p->vm_size, p->vm_rss >> 12, p->cpu,
	       p->brk_start);
	return len;
}

unsigned procfs_pid_of(const char *path, const char **rest)
{
	const char *p = path + 6;
	uint64_t pid = 0;

	if (strncmp(path, "/proc/", 6) || *p < '1' || *p > '9')
		return 0;
	while (*p >= '0' && *p <= '9') {
		pid = pid * 10 + (*p++ - '0');
		if (pid > 0xffffffffULL)
			return 0;
	}
	if (*p && *p != '/')
		return 0;
	*rest = p;
	return pid;
}

int procfs_rewrite_self(char *path, size_t size, unsigned pid, bool bare)
{
	char num[12];
	size_t len = strlen(path), nlen;

	if (strncmp(path, "/proc/self", 10) || (path[10] && path[10] != '/') ||
	    (!path[10] && !bare))
		return 0;
	nlen = snprintf(num, sizeof(num), "%u", pid);
	if (len - 4 + nlen + 1 > size)
		return -ENAMETOOLONG;
	memmove(path + 6 + nlen, path + 10, len - 10 + 1);
	memcpy(path + 6, num, nlen);
	return 1;
}
