// SPDX-License-Identifier: GPL-2.0
/*
 * Memory system calls of the Linux ABI, the LWK way: brk() moves within
 * the heap the init task mapped before the job started (no page is
 * mapped on demand), so a program's heap is contiguous, large-page memory.
 */
#include <arch/layout.h>
#include <kitten/aspace.h>
#include <kitten/errno.h>
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
	if (addr >= as->brk_start && addr <= as->brk_limit) {
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
