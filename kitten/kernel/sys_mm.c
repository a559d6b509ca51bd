// SPDX-License-Identifier: GPL-2.0
/*
 * Memory system calls of the Linux ABI, the LWK way: brk() moves within
 * the heap the init task mapped before the job started (no page is
 * mapped on demand), so a program's heap is contiguous, large-page memory.
 */
#include <arch/layout.h>
#include <kitten/aspace.h>
#include <kitten/errno.h>
#include <kitten/file.h>
#include <kitten/mmap.h>
#include <kitten/shm.h>
#include <kitten/string.h>
#include <kitten/syscall.h>
#include <kitten/task.h>

#define PROT_READ	1
#define PROT_WRITE	2
#define PROT_EXEC	4
#define PROT_SEM	8	/* x86 has nothing to do for it */
#define MAP_SHARED	0x01
#define MAP_PRIVATE	0x02
#define MAP_FIXED	0x10
#define MAP_ANONYMOUS	0x20
#define MAP_FIXED_NOREPLACE 0x100000
#define MAP_TYPE	0x0f
#define MAP_SHARED_VALIDATE 0x03
#define MS_ASYNC	1
#define MS_INVALIDATE	2
#define MS_SYNC		4
#define MADV_DONTNEED	4

/* What memory not handed out (above the break, free mmap blocks) has. */
#define HEAP_PERMS	(ASPACE_R | ASPACE_W)

/*
 * Memory not handed out has the heap's rights unless the job took them
 * away with its native calls (kitten_aspace_unmap or _protect on
 * itself). The kernel writes heap memory with plain stores, so it checks
 * first, under as->lock, which those calls take too: a write there
 * would be a kernel page fault.
 */
static bool heap_writable(struct aspace *as, vaddr_t va, uint64_t len)
{
	return aspace_range_ok(as, va, len, ASPACE_W);
}

SYSCALL_DEFINE1(brk, uint64_t, addr)
{
	struct aspace *as = task_current()->aspace;
	vaddr_t old, keep;

	mutex_lock(&as->lock);
	old = as->brk;
	keep = ALIGN_UP(old, PAGE_SIZE);
	if (addr >= as->brk_start && addr <= as->mmap_low) {
		/*
		 * Pages given back lose what mprotect() gave them, as
		 * unmapped pages would. Memory handed out again must read
		 * as zeros, as fresh pages do; a protected page the break
		 * stays inside keeps its contents, as on Linux.
		 */
		if (ALIGN_UP(addr, PAGE_SIZE) < keep &&
		    aspace_protect_locked(as, ALIGN_UP(addr, PAGE_SIZE),
					  keep - ALIGN_UP(addr, PAGE_SIZE),
					  HEAP_PERMS))
			goto out;
		if (addr > old && !aspace_range_ok(as, old, 1, ASPACE_W))
			old = MIN(keep, addr);
		if (addr > old && !heap_writable(as, old, addr - old))
			goto out;
		if (addr > old)
			memset((void *)old, 0, addr - old);
		as->brk = addr;
	}
out:
	addr = as->brk;
	mutex_unlock(&as->lock);
	return addr;	/* failure is the old break, as on Linux */
}

/*
 * Change the rights of pages the program has: its image, stack, the heap
 * below the break and mmap() blocks; other memory is not its to change
 * (ENOMEM, as for unmapped memory on Linux). The rights of a region are
 * the most a page in it can get (EACCES): the vDSO stays read-only.
 */
SYSCALL_DEFINE3(mprotect, uint64_t, addr, uint64_t, len, uint64_t, prot)
{
	struct aspace *as = task_current()->aspace;
	int err;

	if (addr & (PAGE_SIZE - 1) ||
	    prot & ~(uint64_t)(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_SEM))
		return -EINVAL;
	if (!len)
		return 0;
	len = ALIGN_UP(len, PAGE_SIZE);
	if (!len || addr + len <= addr || addr + len > USER_SLOT_SIZE)
		return -ENOMEM;
	mutex_lock(&as->lock);
	if (!mmap_handed_out(as, addr, len))
		err = -ENOMEM;
	else
		err = aspace_protect_locked(as, addr, len, prot & 7);
	mutex_unlock(&as->lock);
	return err == -ENOENT ? -ENOMEM : err;
}

/* The block for mmap(): anywhere, or exactly at addr (MAP_FIXED*). */
static long place(struct aspace *as, uint64_t addr, uint64_t len,
		  uint64_t flags)
{
	int err;

	if (!(flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)))
		return mmap_alloc(as, len);
	if (flags & MAP_FIXED_NOREPLACE && !mmap_range_free(as, addr, len))
		return -EEXIST;
	err = mmap_claim(as, addr, len);
	if (err)
		return err;
	/* What was there goes, rights included: refill it as new memory. */
	err = aspace_protect_locked(as, addr, len, HEAP_PERMS);
	if (err) {	/* pages the job unmapped itself: not heap any more */
		mmap_free(as, addr, len);
		return err == -ENOENT ? -ENOMEM : err;
	}
	return addr;
}

/*
 * MAP_SHARED: the same physical pages in every process that maps the
 * object (shm.h), in the shared window rather than the heap. A file's
 * pages are written back at msync() and munmap(); a file opened
 * read-only cannot be mapped writable, now or by a later mprotect().
 */
static long mmap_shared(struct aspace *as, uint64_t len, uint64_t prot,
			uint64_t flags, uint64_t fd, uint64_t off)
{
	unsigned perms = prot & 7, maxperms = ASPACE_R | ASPACE_W | ASPACE_X;
	struct shm_obj *o;
	struct file *f;
	long ret;

	if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE))
		return -EINVAL;	/* the window's layout is the kernel's */
	if (flags & MAP_ANONYMOUS) {
		ret = shm_create(len, &o);
	} else {
		f = fd_get(fd);
		if (!f)
			return -EBADF;
		if ((f->flags & O_ACCMODE) == O_RDONLY)
			maxperms &= ~ASPACE_W;
		ret = (f->flags & O_ACCMODE) == O_WRONLY ? -EACCES :
		      perms & ~(maxperms | ASPACE_R) ? -EACCES :
		      off + len < off ? -EOVERFLOW : shm_of_file(f, off + len, &o);
		file_put(f);
	}
	if (ret)
		return ret;
	ret = shm_map(as, o, off, len, perms, maxperms);
	shm_put(o);		/* the mapping holds its own */
	return ret;
}

/*
 * The block is zeroed (or filled from the file) while it still has the
 * heap's rights and as->lock keeps other threads from changing them;
 * only then does it get the rights asked for. A file's bytes are read
 * now, into the job's own contiguous memory: there is no demand paging.
 */
SYSCALL_DEFINE6(mmap, uint64_t, addr, uint64_t, len, uint64_t, prot,
		uint64_t, flags, uint64_t, fd, uint64_t, off)
{
	struct aspace *as = task_current()->aspace;
	long ret, n = 0;
	int err;

	if (!len || off & (PAGE_SIZE - 1) || !(flags & (MAP_SHARED | MAP_PRIVATE)))
		return -EINVAL;
	if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE) && addr & (PAGE_SIZE - 1))
		return -EINVAL;
	len = ALIGN_UP(len, PAGE_SIZE);
	if (!len)
		return -ENOMEM;
	if ((flags & MAP_TYPE) == MAP_SHARED ||
	    (flags & MAP_TYPE) == MAP_SHARED_VALIDATE)
		return mmap_shared(as, len, prot, flags, fd, off);
	mutex_lock(&as->lock);
	ret = place(as, addr, len, flags);
	if (ret < 0)
		goto out;
	if (!heap_writable(as, ret, len)) {
		/* Given back with the heap's rights where it has pages at all. */
		mmap_free(as, ret, len);
		ret = -ENOMEM;
		goto out;
	}
	memset((void *)ret, 0, len);
	if (!(flags & MAP_ANONYMOUS))
		n = file_read_at(fd, (void *)ret, len, off);
	err = n < 0 ? (int)n : 0;
	if (!err && (prot & 7) != HEAP_PERMS)
		err = aspace_protect_locked(as, ret, len, prot & 7);
	if (err) {
		mmap_free(as, ret, len);
		ret = err == -ENOENT ? -ENOMEM : err;
	}
out:
	mutex_unlock(&as->lock);
	return ret;
}

SYSCALL_DEFINE2(munmap, uint64_t, addr, uint64_t, len)
{
	struct aspace *as = task_current()->aspace;
	int err;

	if (!len || addr & (PAGE_SIZE - 1))
		return -EINVAL;
	/* Refused as on Linux, not cut short: it would free all above addr. */
	len = ALIGN_UP(len, PAGE_SIZE);
	if (!len || addr + len < addr || addr + len > USER_TOP)
		return -EINVAL;
	mutex_lock(&as->lock);
	err = mmap_free(as, addr, len);
	mutex_unlock(&as->lock);
	return err ? err : shm_unmap(as, addr, len);
}

/*
 * Private mappings are the process's own memory: nothing to do. Shared
 * mappings of files are written back (MS_ASYNC too: there is no
 * write-back thread to leave it to).
 */
SYSCALL_DEFINE3(msync, uint64_t, addr, uint64_t, len, uint64_t, flags)
{
	struct aspace *as = task_current()->aspace;
	bool mapped;

	if (addr & (PAGE_SIZE - 1) ||
	    flags & ~(uint64_t)(MS_ASYNC | MS_INVALIDATE | MS_SYNC) ||
	    (flags & MS_ASYNC && flags & MS_SYNC))
		return -EINVAL;
	len = ALIGN_UP(len, PAGE_SIZE);
	if (addr + len < addr)
		return -ENOMEM;
	if (!len)
		return 0;
	mutex_lock(&as->lock);
	mapped = aspace_range_ok(as, addr, len, 0);
	mutex_unlock(&as->lock);
	return mapped ? shm_sync(as, addr, len) : -ENOMEM;
}

/*
 * MADV_DONTNEED means "zero when next read": done now, as there is no
 * demand paging, but only for pages written since they were last zeroed
 * (aspace_zero_locked), so glibc's MADV_DONTNEED of each exiting
 * thread's 8 MiB stack costs what the thread used. Other advice is a
 * hint.
 */
SYSCALL_DEFINE3(madvise, uint64_t, addr, uint64_t, len, uint64_t, advice)
{
	struct aspace *as = task_current()->aspace;
	long ret = 0;

	if (addr & (PAGE_SIZE - 1) || addr + len < addr)
		return -EINVAL;
	len = ALIGN_UP(len, PAGE_SIZE);
	if (!len)
		return 0;
	/* Every page must be mapped; the zeroing checks that first. */
	mutex_lock(&as->lock);
	if (advice == MADV_DONTNEED)
		ret = aspace_zero_locked(as, addr, len);
	else if (!aspace_range_ok(as, addr, len, 0))
		ret = -ENOMEM;
	mutex_unlock(&as->lock);
	return ret == -ENOENT ? -ENOMEM : ret;
}

#define MREMAP_MAYMOVE	1

/*
 * Resize an mmap() block: shrink in place, or grow by moving to a new
 * block (the heap is laid out already; nothing can grow in place).
 */
SYSCALL_DEFINE4(mremap, uint64_t, old, uint64_t, old_len, uint64_t, new_len,
		uint64_t, flags)
{
	struct aspace *as = task_current()->aspace;
	long ret;
	int err;

	if (old & (PAGE_SIZE - 1) || flags & ~(uint64_t)MREMAP_MAYMOVE)
		return -EINVAL;
	old_len = ALIGN_UP(old_len, PAGE_SIZE);
	new_len = ALIGN_UP(new_len, PAGE_SIZE);
	if (!new_len)	/* 0, or rounded past 2^64: not "shrink to nothing" */
		return -EINVAL;
	mutex_lock(&as->lock);
	if (!mmap_owned(as, old, old_len)) {
		ret = -EFAULT;
	} else if (new_len <= old_len) {
		mmap_free(as, old + new_len, old_len - new_len);
		ret = old;
	} else if (!(flags & MREMAP_MAYMOVE)) {
		ret = -ENOMEM;
	} else {
		/* The rights move with the contents; the new tail is RW. */
		ret = mmap_alloc(as, new_len);
		/* Protected pages are still there; unmapped ones are not. */
		if (ret >= 0 && (!heap_writable(as, ret, new_len) ||
				 !aspace_range_ok(as, old, old_len, 0))) {
			mmap_free(as, ret, new_len);
			ret = -ENOMEM;
		}
		if (ret >= 0) {
			memcpy((void *)ret, (const void *)old, old_len);
			memset((char *)ret + old_len, 0, new_len - old_len);
			err = aspace_copy_protection(as, ret, as, old, old_len);
			if (err) {
				mmap_free(as, ret, new_len);
				ret = err;
			} else {
				mmap_free(as, old, old_len);
			}
		}
	}
	mutex_unlock(&as->lock);
	return ret;
}
