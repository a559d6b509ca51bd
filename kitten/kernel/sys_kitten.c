// SPDX-License-Identifier: GPL-2.0
/*
 * Kitten's own system calls: physical memory, address spaces and tasks,
 * for the init task to lay out jobs with (the paper's user-level memory
 * management). Each call checks its arguments, copies in, calls the
 * subsystem, copies out. Only the init task (owner KITTEN_INIT_OWNER)
 * may allocate memory, create address spaces and map memory into other
 * address spaces; a job can query and look itself up.
 */
#define pr_fmt(fmt) "kitten: " fmt

#include <arch/layout.h>
#include <arch/percpu.h>
#include <kitten/aspace.h>
#include <kitten/cred.h>
#include <kitten/errno.h>
#include <kitten/file.h>
#include <kitten/string.h>
#include <kitten/mmap.h>
#include <kitten/kitten_abi.h>
#include <kitten/pmem.h>
#include <kitten/proc.h>
#include <kitten/spinlock.h>
#include <kitten/syscall.h>
#include <kitten/task.h>

#define MAX_ASPACES 1024

static struct aspace *aspaces[MAX_ASPACES];
static struct spinlock aspaces_lock = SPINLOCK_INIT("aspaces", LOCK_RANK_LEAF);

static struct task *self(void)
{
	return task_current();
}

static bool privileged(void)
{
	return self()->aspace && self()->aspace->owner == KITTEN_INIT_OWNER;
}

static unsigned owner(void)
{
	return self()->aspace ? self()->aspace->owner : 0;
}

/* The address space with this id, with a reference; NULL if none. */
static struct aspace *aspace_by_id(uint64_t id)
{
	struct aspace *as = NULL;
	unsigned long flags;

	if (id == KITTEN_ASPACE_SELF) {
		as = self()->aspace;
		if (as)
			aspace_get(as);
		return as;
	}
	if (id >= MAX_ASPACES)
		return NULL;
	flags = spin_lock_irqsave(&aspaces_lock);
	as = aspaces[id];
	if (as)
		aspace_get(as);
	spin_unlock_irqrestore(&aspaces_lock, flags);
	return as;
}

/*
 * The address space a call names, referenced: only the init task may
 * name another than its own.
 */
static int target_aspace(uint64_t id, struct aspace **as)
{
	if (id != KITTEN_ASPACE_SELF && !privileged())
		return -EPERM;
	*as = aspace_by_id(id);
	return *as ? 0 : -ENOENT;
}

SYSCALL_DEFINE1(kitten_pmem_query, uint64_t, info_ptr)
{
	struct pmem_info info;

	pmem_query(owner(), &info);
	return copy_to_user(info_ptr, &info, sizeof(info));
}

SYSCALL_DEFINE3(kitten_pmem_alloc, uint64_t, size, uint64_t, align,
		uint64_t, pa_ptr)
{
	paddr_t pa;
	int err;

	if (!privileged())
		return -EPERM;
	if (!size || size & (PAGE_SIZE - 1) || !align || align & (align - 1) ||
	    align < PAGE_SIZE)
		return -EINVAL;
	err = pmem_alloc(owner(), size, align, &pa);
	if (err)
		return err;
	/*
	 * Memory goes to user space clean: it may have been an earlier job's,
	 * and the loader maps parts (the stack) it does not write whole.
	 */
	memset(__va(pa), 0, size);
	err = copy_to_user(pa_ptr, &pa, sizeof(pa));
	if (err)
		pmem_free(owner(), pa);
	return err;
}

/*
 * Only the init task gives memory back: a forked or exec'd process owns
 * its extents too, but they are mapped in its page tables until it ends,
 * when the kernel frees them; freed earlier they would be handed to the
 * next caller while it still runs from them.
 */
SYSCALL_DEFINE1(kitten_pmem_free, uint64_t, pa)
{
	if (!privileged())
		return -EPERM;
	return pmem_free(owner(), pa);
}

/* Take table slot id out of use; its address space ends with its last user. */
static long destroy_slot(uint64_t id)
{
	struct aspace *as = NULL;
	unsigned long flags;

	if (!privileged())
		return -EPERM;
	if (id == KITTEN_ASPACE_SELF || id >= MAX_ASPACES)
		return -EINVAL;
	flags = spin_lock_irqsave(&aspaces_lock);
	as = aspaces[id];
	aspaces[id] = NULL;
	spin_unlock_irqrestore(&aspaces_lock, flags);
	if (!as)
		return -ENOENT;
	aspace_put(as);		/* tasks still running in it keep it alive */
	return 0;
}

SYSCALL_DEFINE1(kitten_aspace_create, uint64_t, id_ptr)
{
	struct aspace *as;
	unsigned long flags;
	uint32_t id;
	int err;

	if (!privileged())
		return -EPERM;
	err = aspace_create(0, &as);
	if (err)
		return err;
	as->owner = as->id;	/* a job is the owner of its own memory */
	/*
	 * The id the native API names it by is a free slot of the table,
	 * used again after aspace_destroy: address spaces themselves are
	 * numbered for good (every fork makes one), which would run out.
	 */
	flags = spin_lock_irqsave(&aspaces_lock);
	for (id = KITTEN_ASPACE_SELF + 1; id < MAX_ASPACES && aspaces[id]; id++)
		;
	if (id < MAX_ASPACES)
		aspaces[id] = as;
	spin_unlock_irqrestore(&aspaces_lock, flags);
	if (id == MAX_ASPACES) {
		aspace_put(as);
		return -ENOSPC;
	}
	err = copy_to_user(id_ptr, &id, sizeof(id));
	if (err)
		destroy_slot(id);
	return err;
}

SYSCALL_DEFINE1(kitten_aspace_destroy, uint64_t, id)
{
	return destroy_slot(id);
}

SYSCALL_DEFINE5(kitten_aspace_add_region, uint64_t, id, uint64_t, start,
		uint64_t, size, uint64_t, perms, uint64_t, name_ptr)
{
	struct aspace *as;
	char name[16] = "";
	int err;

	if (name_ptr && strncpy_from_user(name, name_ptr, sizeof(name)) < 0)
		return -EFAULT;
	err = target_aspace(id, &as);
	if (err)
		return err;
	err = aspace_add_region(as, start, size, perms, name);
	aspace_put(as);
	return err;
}

SYSCALL_DEFINE4(kitten_aspace_map_pmem, uint64_t, id, uint64_t, va,
		uint64_t, pa, uint64_t, size)
{
	struct aspace *as;
	int err;

	if (!pmem_owns(owner(), pa, size))
		return -EPERM;	/* only memory you were given */
	err = target_aspace(id, &as);
	if (err)
		return err;
	err = aspace_map_pmem(as, va, pa, size);
	aspace_put(as);
	return err;
}

SYSCALL_DEFINE3(kitten_aspace_unmap, uint64_t, id, uint64_t, va, uint64_t, size)
{
	struct aspace *as;
	int err;

	err = target_aspace(id, &as);
	if (err)
		return err;
	err = aspace_unmap(as, va, size);
	aspace_put(as);
	return err;
}

SYSCALL_DEFINE4(kitten_aspace_protect, uint64_t, id, uint64_t, va,
		uint64_t, size, uint64_t, perms)
{
	struct aspace *as;
	int err;

	err = target_aspace(id, &as);
	if (err)
		return err;
	err = aspace_protect(as, va, size, perms);
	aspace_put(as);
	return err;
}

SYSCALL_DEFINE3(kitten_aspace_query, uint64_t, id, uint64_t, va,
		uint64_t, map_ptr)
{
	struct kitten_mapping m;
	struct aspace *as;
	int err;

	err = target_aspace(id, &as);
	if (err)
		return err;
	err = aspace_virt_to_phys(as, va, &m.phys, &m.page_size);
	aspace_put(as);
	return err ? err : copy_to_user(map_ptr, &m, sizeof(m));
}

/* Where brk() may move in that address space: memory already mapped. */
SYSCALL_DEFINE3(kitten_aspace_set_brk, uint64_t, id, uint64_t, start,
		uint64_t, limit)
{
	struct aspace *as;
	int err;

	err = target_aspace(id, &as);
	if (err)
		return err;
	if (start > limit ||
	    (limit > start && !aspace_range_ok(as, start, limit - start, ASPACE_W))) {
		err = -EINVAL;
	} else {
		mutex_lock(&as->lock);
		as->brk_start = as->brk = start;
		as->brk_limit = as->mmap_low = limit;
		mmap_release_all(as);
		mutex_unlock(&as->lock);
	}
	aspace_put(as);
	return err;
}

/*
 * The CPUs new threads of that address space are spread over. The init
 * task gives a job its set; the job may only narrow it (to at least one
 * online CPU), as its threads and vCPUs must stay on the CPUs it was
 * given. 0 is "no set" (all online CPUs): only the init task gives that.
 */
SYSCALL_DEFINE2(kitten_aspace_set_cpus, uint64_t, id, uint64_t, mask)
{
	uint64_t online = 0, allowed;
	struct aspace *as;
	int err;

	err = target_aspace(id, &as);
	if (err)
		return err;
	for (unsigned i = 0; i < nr_cpus_online && i < 64; i++)
		online |= 1ULL << i;
	allowed = as->cpu_mask ? as->cpu_mask : online;
	if (!privileged() && (!(mask & online) || mask & ~allowed))
		err = -EPERM;
	else
		as->cpu_mask = mask;
	aspace_put(as);
	return err;
}

/*
 * The credentials the job in that address space runs with. Only the init
 * task may set them, and only while it runs as uid 0: anyone else could
 * make themselves root (docs/native-api.md, "Credentials").
 */
SYSCALL_DEFINE2(kitten_aspace_set_cred, uint64_t, id, uint64_t, cred_ptr)
{
	struct kitten_cred kc;
	struct aspace *as;
	unsigned long flags;
	struct cred c;
	int err;

	if (!privileged() ||
	    !cred_check(KITTEN_CAP_SETUID, "setting a job's credentials"))
		return -EPERM;
	if (copy_from_user(&kc, cred_ptr, sizeof(kc)))
		return -EFAULT;
	if (kc.caps & ~KITTEN_CAP_ALL || kc.uid == CRED_ID_UNCHANGED ||
	    kc.gid == CRED_ID_UNCHANGED)
		return -EINVAL;
	err = target_aspace(id, &as);
	if (err)
		return err;
	cred_init(&c, kc.uid, kc.gid, kc.caps);
	flags = spin_lock_irqsave(&as->threads_lock);
	as->cred = c;
	spin_unlock_irqrestore(&as->threads_lock, flags);
	aspace_put(as);
	return 0;
}

SYSCALL_DEFINE3(kitten_smartmap_attach, uint64_t, id, uint64_t, rank,
		uint64_t, target_id)
{
	struct aspace *as, *target;
	int err = -ENOENT;

	if (!privileged())
		return -EPERM;
	as = aspace_by_id(id);
	target = aspace_by_id(target_id);
	if (as && target)
		err = aspace_smartmap_attach(as, rank, target);
	if (as)
		aspace_put(as);
	if (target)
		aspace_put(target);
	return err;
}

SYSCALL_DEFINE1(kitten_task_create, uint64_t, spec_ptr)
{
	struct kitten_task_spec spec;
	struct fdtable *files;
	struct aspace *as;
	struct task *t = NULL;

	if (!privileged())
		return -EPERM;
	if (copy_from_user(&spec, spec_ptr, sizeof(spec)))
		return -EFAULT;
	spec.name[sizeof(spec.name) - 1] = '\0';
	spec.exe[sizeof(spec.exe) - 1] = '\0';
	if (spec.entry >= USER_TOP || spec.stack >= USER_TOP)
		return -EINVAL;
	as = aspace_by_id(spec.aspace);
	if (!as)
		return -ENOENT;
	if (spec.exe[0])
		strlcpy(as->exe, spec.exe, sizeof(as->exe));
	files = fdtable_create(false);	/* a job's output is the user's */
	if (files)
		t = task_create_user(spec.name, as, spec.cpu, spec.entry,
				     spec.stack, spec.arg0, spec.arg1, files);
	if (t && !as->job_id)
		as->job_id = t->id;	/* a job starts: see proc_end_job */
	aspace_put(as);
	if (!files)
		return -ENOMEM;
	fdtable_put(files);
	return t ? (long)t->id : -EINVAL;
}

/*
 * Wait for a task kitten_task_create started. When it began a job, the
 * job ends with it: what it left running is killed, and the call returns
 * once all of it is gone, so the caller may reuse the job's memory.
 */
SYSCALL_DEFINE2(kitten_task_wait, uint64_t, id, uint64_t, status_ptr)
{
	struct child_match m = { .id = id };
	struct child_exit c;
	int ret;

	if (id > UINT32_MAX)
		return -ECHILD;
	ret = task_wait_child(&m, &c, false, false);
	if (ret <= 0)
		return ret;
	proc_end_job(c.id);
	if (status_ptr && copy_to_user(status_ptr, &c.status, sizeof(c.status)))
		return -EFAULT;
	return ret;
}
