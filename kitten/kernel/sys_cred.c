// SPDX-License-Identifier: GPL-2.0
/*
 * The credential system calls of the Linux ABI (getuid ... setgroups,
 * setfsuid) and kitten_aspace_set_cred, by which the init task gives a
 * job its uid, gid and capabilities before the job starts. Each call
 * copies the process's credentials under its threads_lock, applies the
 * rule from cred.c to the copy and stores it back, so threads calling at
 * once each see a whole before and leave a whole after.
 *
 * A refused privileged operation returns -EPERM and is logged once per
 * process and capability, so a program probing for root does not flood
 * the console and a program that fails for lack of a cap= line says why.
 */
#define pr_fmt(fmt) "cred: " fmt

#include <kitten/aspace.h>
#include <kitten/cred.h>
#include <kitten/errno.h>
#include <kitten/printk.h>
#include <kitten/syscall.h>
#include <kitten/task.h>

static struct aspace *self(void)
{
	return task_current()->aspace;
}

void cred_get(struct aspace *as, struct cred *out)
{
	unsigned long flags = spin_lock_irqsave(&as->threads_lock);

	*out = as->cred;
	spin_unlock_irqrestore(&as->threads_lock, flags);
}

bool cred_check(uint64_t cap, const char *what)
{
	struct aspace *as = self();
	struct cred c;
	unsigned long flags;
	bool first;

	if (!as)
		return true;	/* a kernel thread */
	cred_get(as, &c);
	if (cred_capable(&c, cap))
		return true;
	flags = spin_lock_irqsave(&as->threads_lock);
	first = !(as->cred.refused & cap);
	as->cred.refused |= cap;
	spin_unlock_irqrestore(&as->threads_lock, flags);
	if (first)
		pr_warn("process %u (%s), uid %u: %s needs uid 0 or cap=%s: "
			"refused (EPERM)\n",
			as->leader_id, task_current()->name, c.euid, what,
			cred_cap_name(cap));
	return false;
}

/*
 * Apply a uid or gid change: call runs a cred.c rule on `new`, a copy of
 * the process's credentials, which replaces them if the rule allows.
 */
#define CHANGE(cap, what, call)                                          \
	({                                                               \
		struct aspace *as = self();                              \
		unsigned long flags = spin_lock_irqsave(&as->threads_lock); \
		struct cred *c = &as->cred, new = *c;                    \
		long err = (call);                                       \
		if (!err)                                                \
			*c = new;                                        \
		spin_unlock_irqrestore(&as->threads_lock, flags);        \
		if (err == -EPERM)                                       \
			cred_check(cap, what);                           \
		err;                                                     \
	})

#define UID(x) ((uint32_t)(x))

SYSCALL_DEFINE0(getuid)
{
	return READ_ONCE(self()->cred.uid);
}

SYSCALL_DEFINE0(geteuid)
{
	return READ_ONCE(self()->cred.euid);
}

SYSCALL_DEFINE0(getgid)
{
	return READ_ONCE(self()->cred.gid);
}

SYSCALL_DEFINE0(getegid)
{
	return READ_ONCE(self()->cred.egid);
}

/* Three ids to three user words (getresuid, getresgid). */
static long put_three(uint64_t p0, uint64_t p1, uint64_t p2, uint32_t v0,
		      uint32_t v1, uint32_t v2)
{
	if (copy_to_user(p0, &v0, 4) || copy_to_user(p1, &v1, 4) ||
	    copy_to_user(p2, &v2, 4))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE3(getresuid, uint64_t, r, uint64_t, e, uint64_t, s)
{
	struct cred c;

	cred_get(self(), &c);
	return put_three(r, e, s, c.uid, c.euid, c.suid);
}

SYSCALL_DEFINE3(getresgid, uint64_t, r, uint64_t, e, uint64_t, s)
{
	struct cred c;

	cred_get(self(), &c);
	return put_three(r, e, s, c.gid, c.egid, c.sgid);
}

SYSCALL_DEFINE1(setuid, uint64_t, uid)
{
	return CHANGE(KITTEN_CAP_SETUID, "setuid", cred_setuid(&new, UID(uid)));
}

SYSCALL_DEFINE2(setreuid, uint64_t, ruid, uint64_t, euid)
{
	return CHANGE(KITTEN_CAP_SETUID, "setreuid",
		      cred_setreuid(&new, UID(ruid), UID(euid)));
}

SYSCALL_DEFINE3(setresuid, uint64_t, ruid, uint64_t, euid, uint64_t, suid)
{
	return CHANGE(KITTEN_CAP_SETUID, "setresuid",
		      cred_setresuid(&new, UID(ruid), UID(euid), UID(suid)));
}

/* setfsuid/setfsgid never fail: they return the old id either way. */
static long set_fs_id(bool gid, uint32_t id)
{
	struct aspace *as = self();
	unsigned long flags = spin_lock_irqsave(&as->threads_lock);
	uint32_t old = gid ? cred_setfsgid(&as->cred, id) :
			     cred_setfsuid(&as->cred, id);

	spin_unlock_irqrestore(&as->threads_lock, flags);
	return old;
}

SYSCALL_DEFINE1(setfsuid, uint64_t, fsuid)
{
	return set_fs_id(false, UID(fsuid));
}

SYSCALL_DEFINE1(setfsgid, uint64_t, fsgid)
{
	return set_fs_id(true, UID(fsgid));
}

SYSCALL_DEFINE1(setgid, uint64_t, gid)
{
	return CHANGE(KITTEN_CAP_SETGID, "setgid", cred_setgid(&new, UID(gid)));
}

SYSCALL_DEFINE2(setregid, uint64_t, rgid, uint64_t, egid)
{
	return CHANGE(KITTEN_CAP_SETGID, "setregid",
		      cred_setregid(&new, UID(rgid), UID(egid)));
}

SYSCALL_DEFINE3(setresgid, uint64_t, rgid, uint64_t, egid, uint64_t, sgid)
{
	return CHANGE(KITTEN_CAP_SETGID, "setresgid",
		      cred_setresgid(&new, UID(rgid), UID(egid), UID(sgid)));
}

SYSCALL_DEFINE2(getgroups, uint64_t, size, uint64_t, list)
{
	struct cred c;

	if ((int)size < 0)
		return -EINVAL;
	cred_get(self(), &c);
	if (!size)
		return c.ngroups;
	if (size < c.ngroups)
		return -EINVAL;
	if (copy_to_user(list, c.groups, c.ngroups * sizeof(c.groups[0])))
		return -EFAULT;
	return c.ngroups;
}

SYSCALL_DEFINE2(setgroups, uint64_t, size, uint64_t, list)
{
	uint32_t groups[CRED_NGROUPS_MAX];

	if (size > CRED_NGROUPS_MAX)
		return -EINVAL;
	if (size && copy_from_user(groups, list, size * sizeof(groups[0])))
		return -EFAULT;
	return CHANGE(KITTEN_CAP_SETGID, "setgroups",
		      cred_setgroups(&new, size, groups));
}
