// SPDX-License-Identifier: GPL-2.0
/*
 * The small Linux system calls a C library makes at start-up: thread
 * bookkeeping it registers with the kernel, resource limits, system
 * identity and random bytes.
 */
#include <arch/time.h>
#include <arch/x86.h>
#include <kitten/errno.h>
#include <kitten/kernel.h>
#include <kitten/mm.h>
#include <kitten/string.h>
#include <kitten/syscall.h>
#include <kitten/task.h>

#define RLIMIT_STACK	3
#define RLIM_INFINITY	(~0ULL)
#define GRND_MAX	256

SYSCALL_DEFINE1(set_tid_address, uint64_t, tidptr)
{
	task_current()->clear_child_tid = tidptr;
	return task_current()->id;
}

SYSCALL_DEFINE2(set_robust_list, uint64_t, head, uint64_t, len)
{
	if (len != 24)		/* sizeof(struct robust_list_head) */
		return -EINVAL;
	task_current()->robust_list = head;
	return 0;
}

SYSCALL_DEFINE4(prlimit64, uint64_t, pid, uint64_t, resource,
		uint64_t, new_limit, uint64_t, old_limit)
{
	/* The stack is what the init task gave: report it, change nothing. */
	uint64_t lim[2] = { RLIM_INFINITY, RLIM_INFINITY }, want[2];

	if (pid && pid != task_current()->id)
		return -ESRCH;
	if (resource == RLIMIT_STACK)
		lim[0] = 2ULL << 20;
	/* As Linux: a new limit is read before it is refused. */
	if (new_limit && copy_from_user(want, new_limit, sizeof(want)))
		return -EFAULT;
	if (new_limit)
		return -EPERM;
	return old_limit ? copy_to_user(old_limit, lim, sizeof(lim)) : 0;
}

struct utsname {
	char sysname[65], nodename[65], release[65], version[65], machine[65],
		domainname[65];
};

SYSCALL_DEFINE1(uname, uint64_t, buf)
{
	struct utsname u;

	memset(&u, 0, sizeof(u));
	strlcpy(u.sysname, "Linux", sizeof(u.sysname));	/* the ABI we offer */
	strlcpy(u.nodename, "kitten", sizeof(u.nodename));
	strlcpy(u.release, "6.1.0-kitten-" KITTEN_VERSION, sizeof(u.release));
	strlcpy(u.version, "#1 Kitten lightweight kernel", sizeof(u.version));
	strlcpy(u.machine, "x86_64", sizeof(u.machine));
	strlcpy(u.domainname, "(none)", sizeof(u.domainname));
	return copy_to_user(buf, &u, sizeof(u));
}

/*
 * Random bytes from a xorshift generator seeded with the TSC. Good for
 * hash seeds and stack canaries in test jobs; not for cryptography.
 */
SYSCALL_DEFINE3(getrandom, uint64_t, buf, uint64_t, len, uint64_t, flags)
{
	static uint64_t state;
	uint8_t bytes[GRND_MAX];

	(void)flags;
	if (len > GRND_MAX)
		len = GRND_MAX;		/* short reads are allowed */
	if (!state)
		state = rdtsc() | 1;
	for (size_t i = 0; i < len; i++) {
		state ^= state << 13;
		state ^= state >> 7;
		state ^= state << 17;
		bytes[i] = state >> 32;
	}
	return copy_to_user(buf, bytes, len) ? -EFAULT : (long)len;
}

/* CPU time of the calling task, in clock ticks of 100 Hz. */
SYSCALL_DEFINE1(times, uint64_t, buf)
{
	struct task *t = task_current();
	uint64_t ticks = (t->runtime_ns + time_ns() - t->last_switch_ns) /
			 (NSEC_PER_SEC / 100);
	int64_t tms[4] = { (int64_t)ticks, 0, 0, 0 };

	if (buf && copy_to_user(buf, tms, sizeof(tms)))
		return -EFAULT;
	return time_ns() / (NSEC_PER_SEC / 100);
}

SYSCALL_DEFINE2(getrusage, uint64_t, who, uint64_t, buf)
{
	struct task *t = task_current();
	uint64_t ns = t->runtime_ns + time_ns() - t->last_switch_ns;
	int64_t ru[18] = { 0 };	/* struct rusage: 2 timevals, 14 longs */

	if ((int64_t)who < -1 || who > 1)
		return -EINVAL;
	ru[0] = ns / NSEC_PER_SEC;		/* ru_utime */
	ru[1] = (ns % NSEC_PER_SEC) / 1000;
	return copy_to_user(buf, ru, sizeof(ru));
}

SYSCALL_DEFINE1(sysinfo, uint64_t, buf)
{
	struct {
		int64_t uptime;
		uint64_t loads[3], totalram, freeram, sharedram, bufferram;
		uint64_t totalswap, freeswap;
		uint16_t procs, pad;
		uint32_t pad2;
		uint64_t totalhigh, freehigh;
		uint32_t mem_unit;
		char reserved[4];
	} info = {
		.uptime = time_ns() / NSEC_PER_SEC,
		.totalram = mm_managed_bytes(),
		.freeram = mm_free_bytes(),
		.procs = 1,
		.mem_unit = 1,
	};

	return copy_to_user(buf, &info, sizeof(info));
}
