// SPDX-License-Identifier: GPL-2.0
/*
 * The small Linux system calls a C library makes at start-up: thread
 * bookkeeping it registers with the kernel, system identity, random
 * bytes, CPU time and the machine's totals (sysinfo).
 */
#include <arch/time.h>
#include <arch/x86.h>
#include <kitten/errno.h>
#include <kitten/kernel.h>
#include <kitten/mm.h>
#include <kitten/proc.h>
#include <kitten/random.h>
#include <kitten/string.h>
#include <kitten/syscall.h>
#include <kitten/task.h>

#define GRND_NONBLOCK	1
#define GRND_RANDOM	2
#define GRND_INSECURE	4
#define GRND_MAX	((1ULL << 25) - 1)
#define GRND_CHUNK	256

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
 * Random bytes (random.c: RDRAND where the CPU has it). Never blocks:
 * the source needs no entropy pool to fill. At most 32 MiB - 1 per
 * call, as Linux; a fault part way returns what was copied.
 */
SYSCALL_DEFINE3(getrandom, uint64_t, buf, uint64_t, len, uint64_t, flags)
{
	uint8_t chunk[GRND_CHUNK];
	uint64_t done = 0;

	if (flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE) ||
	    (flags & GRND_RANDOM && flags & GRND_INSECURE))
		return -EINVAL;
	if (len > GRND_MAX)
		len = GRND_MAX;
	while (done < len) {
		uint64_t n = MIN(len - done, sizeof(chunk));

		random_fill(chunk, n);
		if (copy_to_user(buf + done, chunk, n))
			return done ? (long)done : -EFAULT;
		done += n;
	}
	return done;
}

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

static int count_process(struct aspace *as, void *arg)
{
	(void)as;
	(*(unsigned *)arg)++;
	return 0;
}

SYSCALL_DEFINE1(sysinfo, uint64_t, buf)
{
	unsigned procs = 0;
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
		.mem_unit = 1,
	};

	proc_for_each(count_process, &procs);
	info.procs = procs;

	return copy_to_user(buf, &info, sizeof(info));
}
