// SPDX-License-Identifier: GPL-2.0
/*
 * Resource limits: getrlimit, setrlimit, prlimit64.
 *
 * What a limit says is what Kitten actually allows, not Linux's usual
 * defaults: an LWK process has no demand paging, so its address space,
 * data and stack are what the loader mapped and cannot grow; it has
 * FD_MAX descriptors; core dumps, message queues and real-time
 * priorities do not exist (0). What Kitten does not limit is
 * RLIM_INFINITY. A limit nobody set is computed when asked, so it
 * follows the process (its stack region, its regions' total).
 *
 * Setting follows Linux: soft above hard is -EINVAL, raising a hard
 * limit needs uid 0, and lowering is always allowed and kept (fork and
 * execve pass it on: rlimit_inherit). The descriptor limit is enforced
 * (fd_install); the others cannot grow anyway, and a lowered one is
 * reported but not enforced on memory already mapped. A hard limit
 * above what Kitten can give is refused with -EPERM for the memory ones.
 */
#include <kitten/aspace.h>
#include <kitten/cred.h>
#include <kitten/errno.h>
#include <kitten/file.h>
#include <kitten/proc.h>
#include <kitten/rlimit.h>
#include <kitten/spinlock.h>
#include <kitten/string.h>
#include <kitten/syscall.h>
#include <kitten/task.h>

#define RLIMIT_CPU	0
#define RLIMIT_FSIZE	1
#define RLIMIT_DATA	2
#define RLIMIT_STACK	3
#define RLIMIT_CORE	4
#define RLIMIT_RSS	5
#define RLIMIT_NPROC	6
#define RLIMIT_NOFILE	7
#define RLIMIT_MEMLOCK	8
#define RLIMIT_AS	9
#define RLIMIT_LOCKS	10
#define RLIMIT_SIGPENDING 11
#define RLIMIT_MSGQUEUE	12
#define RLIMIT_NICE	13
#define RLIMIT_RTPRIO	14
#define RLIMIT_RTTIME	15
#define RLIM_INFINITY	(~0ULL)

_Static_assert(RLIMIT_NLIMITS == 16, "struct aspace holds 16 limits");

/* The size of the stack the loader mapped (exec.c, the init task). */
static uint64_t stack_size(struct aspace *as)
{
	struct region *r;

	list_for_each_entry(r, &as->regions, node)
		if (!strcmp(r->name, "stack"))
			return r->end - r->start;
	return 0;
}

/* Every region of the process's own memory: what it can ever address. */
static uint64_t address_space_size(struct aspace *as)
{
	struct region *r;
	uint64_t total = 0;

	list_for_each_entry(r, &as->regions, node)
		total += r->end - r->start;
	return total;
}

/* What Kitten gives resource r of process as (when nobody lowered it). */
static uint64_t natural_limit(struct aspace *as, int r)
{
	switch (r) {
	case RLIMIT_NOFILE:
		return FD_MAX;
	case RLIMIT_STACK:
		return stack_size(as);
	case RLIMIT_AS:
		return address_space_size(as);
	case RLIMIT_DATA:
		return as->brk_limit - as->brk_start;
	case RLIMIT_CORE:
	case RLIMIT_MSGQUEUE:
	case RLIMIT_NICE:
	case RLIMIT_RTPRIO:
		return 0;
	case RLIMIT_SIGPENDING:
		return NSIG;	/* one of each signal can be pending */
	default:
		return RLIM_INFINITY;
	}
}

/* The {soft, hard} pair of r; as->lock held (the regions). */
static void get_limit(struct aspace *as, int r, uint64_t lim[2])
{
	unsigned long flags = spin_lock_irqsave(&as->threads_lock);

	if (as->rlim_set & (1u << r)) {
		lim[0] = as->rlim[r][0];
		lim[1] = as->rlim[r][1];
		spin_unlock_irqrestore(&as->threads_lock, flags);
		return;
	}
	spin_unlock_irqrestore(&as->threads_lock, flags);
	lim[0] = lim[1] = natural_limit(as, r);
}

void rlimit_inherit(struct aspace *as)
{
	struct aspace *from = task_current() ? task_current()->aspace : NULL;
	unsigned long flags;

	if (!from)
		return;
	flags = spin_lock_irqsave(&from->threads_lock);
	as->rlim_set = from->rlim_set;
	memcpy(as->rlim, from->rlim, sizeof(as->rlim));
	spin_unlock_irqrestore(&from->threads_lock, flags);
}

unsigned rlimit_nofile(void)
{
	struct aspace *as = task_current()->aspace;
	uint64_t soft;

	if (!as || !(READ_ONCE(as->rlim_set) & (1u << RLIMIT_NOFILE)))
		return FD_MAX;
	soft = READ_ONCE(as->rlim[RLIMIT_NOFILE][0]);
	return soft < FD_MAX ? soft : FD_MAX;
}

static bool is_root(struct aspace *as)
{
	struct cred c;

	cred_get(as, &c);
	return c.euid == 0;
}

/* Set r of as to want; the caller may change as (itself, or allowed). */
static long set_limit(struct aspace *as, int r,
		      const uint64_t want[2])
{
	uint64_t old[2], natural;
	unsigned long flags;

	if (want[0] > want[1])
		return -EINVAL;
	mutex_lock(&as->lock);
	get_limit(as, r, old);
	natural = natural_limit(as, r);
	mutex_unlock(&as->lock);
	if (want[1] > old[1] && !is_root(task_current()->aspace))
		return -EPERM;
	/* Memory cannot grow past what was mapped, nor descriptors past
	 * the table: a hard limit above that would promise what is not. */
	if (natural != RLIM_INFINITY && want[1] > natural &&
	    (r == RLIMIT_NOFILE || r == RLIMIT_STACK || r == RLIMIT_AS ||
	     r == RLIMIT_DATA))
		return -EPERM;
	flags = spin_lock_irqsave(&as->threads_lock);
	as->rlim[r][0] = want[0];
	as->rlim[r][1] = want[1];
	as->rlim_set |= 1u << r;
	spin_unlock_irqrestore(&as->threads_lock, flags);
	return 0;
}

/* Linux's rule: the caller's real uid is each of the target's uids (and
 * the same for gids), or it is root. */
static bool may_touch(struct aspace *target)
{
	struct cred me, it;

	cred_get(task_current()->aspace, &me);
	cred_get(target, &it);
	if (me.euid == 0)
		return true;
	return me.uid == it.uid && me.uid == it.euid && me.uid == it.suid &&
	       me.gid == it.gid && me.gid == it.egid && me.gid == it.sgid;
}

static long do_prlimit(unsigned pid, unsigned r, uint64_t new_ptr,
		       uint64_t old_ptr)
{
	struct aspace *as = task_current()->aspace;
	uint64_t want[2], old[2];
	long err = 0;

	if (r >= RLIMIT_NLIMITS)
		return -EINVAL;
	/* As Linux: a new limit is read before anything is checked. */
	if (new_ptr && copy_from_user(want, new_ptr, sizeof(want)))
		return -EFAULT;
	if (pid && pid != as->leader_id) {
		as = proc_get(pid);
		if (!as)
			return -ESRCH;
		if (!may_touch(as))
			err = -EPERM;
	} else {
		aspace_get(as);
	}
	if (!err) {
		mutex_lock(&as->lock);
		get_limit(as, r, old);
		mutex_unlock(&as->lock);
		if (new_ptr)
			err = set_limit(as, r, want);
	}
	aspace_put(as);
	if (!err && old_ptr && copy_to_user(old_ptr, old, sizeof(old)))
		err = -EFAULT;
	return err;
}

SYSCALL_DEFINE4(prlimit64, uint64_t, pid, uint64_t, resource,
		uint64_t, new_limit, uint64_t, old_limit)
{
	return do_prlimit(pid, resource, new_limit, old_limit);
}

SYSCALL_DEFINE2(getrlimit, uint64_t, resource, uint64_t, rlim)
{
	return do_prlimit(0, resource, 0, rlim);
}

SYSCALL_DEFINE2(setrlimit, uint64_t, resource, uint64_t, rlim)
{
	return do_prlimit(0, resource, rlim, 0);
}
