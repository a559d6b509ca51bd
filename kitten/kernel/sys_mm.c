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
#include <kitten/string.h>
#include <kitten/syscall.h>
#include <kitten/task.h>

long sys_brk(uint64_t addr, uint64_t a1, uint64_t a2, uint64_t a3,
	     uint64_t a4, uint64_t a5)
{
	struct aspace *as = task_current()->aspace;
	vaddr_t old;

	(void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	mutex_lock(&as->lock);
	old = as->brk;
	if (addr >= as->brk_start && addr <= as->mmap_low) {
		/* Memory handed out again must read as zeros, as fresh pages do. */
		if (addr > old)
			memset((void *)old, 0, addr - old);
		as->brk = addr;
	}
	addr = as->brk;
	mutex_unlock(&as->lock);
	return addr;	/* failure is the old break, as on Linux */
}

/*
 * Permissions belong to regions that the init task laid out, so a
 * program's mprotect() is accepted for mapped memory and changes nothing
 * (glibc uses it only to make RELRO data read-only).
 */
long sys_mprotect(uint64_t addr, uint64_t len, uint64_t prot, uint64_t a3,
		  uint64_t a4, uint64_t a5)
{
	struct aspace *as = task_current()->aspace;

	(void)prot, (void)a3, (void)a4, (void)a5;
	if (addr & (PAGE_SIZE - 1))
		return -EINVAL;
	if (!len)
		return 0;
	return aspace_range_ok(as, addr, len, 0) ? 0 : -ENOMEM;
}

#define PROT_NONE	0
#define MAP_SHARED	0x01
#define MAP_PRIVATE	0x02
#define MAP_FIXED	0x10
#define MAP_ANONYMOUS	0x20
#define MADV_DONTNEED	4

long sys_mmap(uint64_t addr, uint64_t len, uint64_t prot, uint64_t flags,
	      uint64_t fd, uint64_t off)
{
	struct aspace *as = task_current()->aspace;
	long ret;

	(void)prot, (void)addr;
	if (!len || off & (PAGE_SIZE - 1) || !(flags & (MAP_SHARED | MAP_PRIVATE)))
		return -EINVAL;
	if (flags & MAP_FIXED)
		return -ENOMEM;	/* the layout belongs to the init task */
	len = ALIGN_UP(len, PAGE_SIZE);
	mutex_lock(&as->lock);
	ret = mmap_alloc(as, len);
	mutex_unlock(&as->lock);
	if (ret < 0)
		return ret;
	/* In the caller's own, already mapped memory: plain stores do. */
	memset((void *)ret, 0, len);
	if (!(flags & MAP_ANONYMOUS)) {
		long n = file_read_at(fd, (void *)ret, len, off);

		if (n < 0) {
			mutex_lock(&as->lock);
			mmap_free(as, ret, len);
			mutex_unlock(&as->lock);
			return n;
		}
	}
	return ret;
}

long sys_munmap(uint64_t addr, uint64_t len, uint64_t a2, uint64_t a3,
		uint64_t a4, uint64_t a5)
{
	struct aspace *as = task_current()->aspace;
	int err;

	(void)a2, (void)a3, (void)a4, (void)a5;
	if (!len || addr & (PAGE_SIZE - 1))
		return -EINVAL;
	mutex_lock(&as->lock);
	err = mmap_free(as, addr, ALIGN_UP(len, PAGE_SIZE));
	mutex_unlock(&as->lock);
	return err;
}

/* MADV_DONTNEED means "zero when next read": do it now. Others are hints. */
long sys_madvise(uint64_t addr, uint64_t len, uint64_t advice, uint64_t a3,
		 uint64_t a4, uint64_t a5)
{
	struct aspace *as = task_current()->aspace;

	(void)a3, (void)a4, (void)a5;
	if (addr & (PAGE_SIZE - 1))
		return -EINVAL;
	if (!aspace_range_ok(as, addr, len, 0))
		return -ENOMEM;
	if (advice == MADV_DONTNEED) {
		if (!aspace_range_ok(as, addr, len, ASPACE_W))
			return -EINVAL;
		memset((void *)addr, 0, len);
	}
	return 0;
}

#define MREMAP_MAYMOVE	1

/*
 * Resize an mmap() block: shrink in place, or grow by moving to a new
 * block (the heap is laid out already; nothing can grow in place).
 */
long sys_mremap(uint64_t old, uint64_t old_len, uint64_t new_len,
		uint64_t flags, uint64_t a4, uint64_t a5)
{
	struct aspace *as = task_current()->aspace;
	long ret;

	(void)a4, (void)a5;
	if (old & (PAGE_SIZE - 1) || !new_len || flags & ~(uint64_t)MREMAP_MAYMOVE)
		return -EINVAL;
	old_len = ALIGN_UP(old_len, PAGE_SIZE);
	new_len = ALIGN_UP(new_len, PAGE_SIZE);
	mutex_lock(&as->lock);
	if (!mmap_owned(as, old, old_len)) {
		ret = -EFAULT;
	} else if (new_len <= old_len) {
		mmap_free(as, old + new_len, old_len - new_len);
		ret = old;
	} else if (!(flags & MREMAP_MAYMOVE)) {
		ret = -ENOMEM;
	} else {
		ret = mmap_alloc(as, new_len);
		if (ret >= 0) {
			memcpy((void *)ret, (const void *)old, old_len);
			memset((char *)ret + old_len, 0, new_len - old_len);
			mmap_free(as, old, old_len);
		}
	}
	mutex_unlock(&as->lock);
	return ret;
}
