// SPDX-License-Identifier: GPL-2.0
/*
 * process_vm_readv and process_vm_writev: copy between the caller's
 * memory and another process's, named by pid and a list of ranges each
 * (MPI implementations move messages between ranks this way, as do
 * debuggers and profilers).
 *
 * The target is found in the process table and held (aspace_get); the
 * caller must be allowed to, by Linux's ptrace rule: its real uid is
 * each of the target's uids and its real gid each of its gids, or it is
 * root or has cap=sys_ptrace. The data moves through a kernel buffer a
 * page at a time: the target's side under its address-space lock (so
 * its pages cannot be unmapped meanwhile), through the direct map, with
 * its page-table rights checked (a read-only page is not written); the
 * caller's side with the ordinary user copies, no lock held. As on Linux
 * the result is the bytes moved, which stops short at the first range
 * the target cannot supply; -EFAULT only when nothing moved.
 */
#include <kitten/aspace.h>
#include <kitten/cred.h>
#include <kitten/errno.h>
#include <kitten/kernel.h>
#include <kitten/kmem.h>
#include <kitten/mm.h>
#include <kitten/proc.h>
#include <kitten/string.h>
#include <kitten/syscall.h>
#include <kitten/task.h>

#define IOV_MAX		1024

struct iovec_k {
	uint64_t base, len;
};


static bool may_access(struct aspace *target)
{
	struct cred me, it;

	cred_get(task_current()->aspace, &me);
	cred_get(target, &it);
	if (me.uid == it.uid && me.uid == it.euid && me.uid == it.suid &&
	    me.gid == it.gid && me.gid == it.egid && me.gid == it.sgid)
		return true;
	return cred_check(KITTEN_CAP_SYS_PTRACE, "process_vm_readv/writev on another user's process");
}

/* Copy len bytes (within one page of the target) between buf and the
 * target at va; false if the target may not be read (written) there. */
static bool target_copy(struct aspace *as, uint64_t va, void *buf, size_t len,
			bool write)
{
	paddr_t pa;
	bool ok;

	mutex_lock(&as->lock);
	ok = aspace_range_ok(as, va, len, write ? ASPACE_W : ASPACE_R) &&
	     aspace_virt_to_phys(as, va, &pa, NULL) == 0;
	if (ok && write)
		memcpy(__va(pa), buf, len);
	else if (ok)
		memcpy(buf, __va(pa), len);
	mutex_unlock(&as->lock);
	return ok;
}

static long read_iov(uint64_t ptr, uint64_t n, struct iovec_k **out)
{
	struct iovec_k *v;

	*out = NULL;
	if (n > IOV_MAX)
		return -EINVAL;
	if (!n)
		return 0;
	v = kmem_alloc(n * sizeof(*v));
	if (!v)
		return -ENOMEM;
	if (copy_from_user(v, ptr, n * sizeof(*v))) {
		kmem_free(v);
		return -EFAULT;
	}
	*out = v;
	return 0;
}

/* Move bytes between the caller's ranges and the target's, in order. */
static long transfer(struct aspace *as, struct iovec_k *local, uint64_t nl,
		     struct iovec_k *remote, uint64_t nr, bool write, char *buf)
{
	uint64_t li = 0, ri = 0, loff = 0, roff = 0;
	long done = 0;

	while (li < nl && ri < nr) {
		uint64_t lva = local[li].base + loff, rva = remote[ri].base + roff;
		uint64_t n = MIN(local[li].len - loff, remote[ri].len - roff);

		n = MIN(n, PAGE_SIZE - (rva & (PAGE_SIZE - 1)));
		if (n) {
			if (write && copy_from_user(buf, lva, n))
				return done ? done : -EFAULT;
			if (!target_copy(as, rva, buf, n, write))
				return done ? done : -EFAULT;
			if (!write && copy_to_user(lva, buf, n))
				return done ? done : -EFAULT;
			done += n;
			loff += n;
			roff += n;
		}
		if (loff == local[li].len)
			li++, loff = 0;
		if (roff == remote[ri].len)
			ri++, roff = 0;
	}
	return done;
}

static long process_vm(uint64_t pid, uint64_t lvec, uint64_t liovcnt,
		       uint64_t rvec, uint64_t riovcnt, uint64_t flags,
		       bool write)
{
	struct iovec_k *local = NULL, *remote = NULL;
	struct aspace *as = NULL;
	char *buf = NULL;
	long ret;

	if (flags)
		return -EINVAL;
	ret = read_iov(lvec, liovcnt, &local);
	if (!ret)
		ret = read_iov(rvec, riovcnt, &remote);
	if (!ret && (int)pid > 0)
		as = proc_get(pid);
	if (!ret && !as)
		ret = -ESRCH;
	if (!ret && !may_access(as))
		ret = -EPERM;
	if (!ret && !(buf = kmem_alloc(PAGE_SIZE)))
		ret = -ENOMEM;
	if (!ret)
		ret = transfer(as, local, liovcnt, remote, riovcnt, write, buf);
	if (as)
		aspace_put(as);
	kmem_free(buf);
	kmem_free(local);
	kmem_free(remote);
	return ret;
}

SYSCALL_DEFINE6(process_vm_readv, uint64_t, pid, uint64_t, lvec,
		uint64_t, liovcnt, uint64_t, rvec, uint64_t, riovcnt,
		uint64_t, flags)
{
	return process_vm(pid, lvec, liovcnt, rvec, riovcnt, flags, false);
}

SYSCALL_DEFINE6(process_vm_writev, uint64_t, pid, uint64_t, lvec,
		uint64_t, liovcnt, uint64_t, rvec, uint64_t, riovcnt,
		uint64_t, flags)
{
	return process_vm(pid, lvec, liovcnt, rvec, riovcnt, flags, true);
}
