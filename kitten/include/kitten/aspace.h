/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Address spaces, the Kitten way: user space decides the layout. An
 * address space is a set of regions (virtual ranges with permissions)
 * into which physical memory is mapped explicitly, with the largest pages
 * the alignment allows. There is no demand paging: an access outside
 * mapped memory is a fault that ends the task.
 *
 * A process's own memory lives in the first 512 GiB (PML4 slot 0). The
 * other slots of the user half are SMARTMAP windows: slot r+1 shows rank
 * r's slot 0, so processes of one job can address each other's memory
 * directly (aspace_smartmap_attach).
 */
#ifndef KITTEN_ASPACE_H
#define KITTEN_ASPACE_H

#include <arch/layout.h>
#include <arch/pgtable.h>
#include <kitten/cred.h>
#include <kitten/list.h>
#include <kitten/mutex.h>
#include <kitten/signal.h>
#include <kitten/types.h>
#include <kitten/waitqueue.h>

#define ASPACE_R	1
#define ASPACE_W	2
#define ASPACE_X	4

#define USER_SLOT_SIZE	(1ULL << 39)		/* one PML4 slot: 512 GiB */
#define SMARTMAP_MAX_RANKS 255

/* The init task's memory owner id: the one privileged owner. */
#define KITTEN_INIT_OWNER 1

struct region {
	vaddr_t start, end;
	unsigned perms;
	/* A shared object's pages (shm.h), from shm_off on; NULL: its own. */
	struct shm_obj *shm;
	uint64_t shm_off;
	char name[16];
	struct list_head node;
};

struct aspace {
	unsigned id;
	unsigned refs;			/* tasks using it, and handles held */
	struct pgtable pt;
	struct mutex lock;
	struct list_head regions;	/* sorted by start */
	unsigned owner;			/* pmem owner id of the job */
	bool owns_memory;		/* its extents are freed with it */
	/*
	 * The heap: memory the init task mapped and set aside. brk() grows
	 * up from brk_start; mmap() hands out blocks from brk_limit down
	 * (to mmap_low), tracked in mmaps.
	 */
	vaddr_t brk_start, brk, brk_limit;
	vaddr_t mmap_low;
	struct list_head mmaps;

	/* The tasks (threads) running in it, and where new ones go. */
	struct spinlock threads_lock;
	unsigned nr_threads;
	struct list_head threads;
	struct waitqueue threads_wq;	/* a thread left */
	uint64_t cpu_mask;		/* CPUs the job may use; 0: creator's */
	unsigned leader_id;		/* its first task: the process id */
	unsigned next_cpu;
	int group_exit;			/* -1, or the status exit_group gave */
	struct sigaction_k sigactions[NSIG];	/* the process's handlers */
	char exe[128];			/* its program's path (/proc/self/exe) */
	struct cred cred;		/* its credentials, under threads_lock */
	unsigned pgid, sid;		/* process group, session; 0: leader_id */
	unsigned parent_pid;		/* the process that forked it, or 0 */
	struct list_head proc_node;	/* in the process table (proc.h) */
	/*
	 * The job it belongs to: the pid of the process the init task
	 * started (kitten_task_create), inherited by fork and kept by exec;
	 * 0 outside jobs. What is left of a job when that process ends
	 * ends with it (proc_end_job).
	 */
	unsigned job_id;
	uint64_t exited_runtime_ns;	/* CPU time of its threads that left */
	uint64_t children_runtime_ns;	/* of its children reaped (RUSAGE_CHILDREN) */
	/* Resource limits a process set (rlimit.c), under threads_lock:
	 * bit r of rlim_set says rlim[r] holds {soft, hard}. */
	uint32_t rlim_set;
	uint64_t rlim[16][2];
	bool membarrier_private;	/* registered for PRIVATE_EXPEDITED */
};

int aspace_create(unsigned owner, struct aspace **out);
void aspace_get(struct aspace *as);
/*
 * A reference unless the last one is gone. For lookups in tables that an
 * address space leaves only at the end of aspace_put (the process table):
 * one found there may already be on its way out.
 */
bool aspace_tryget(struct aspace *as);
/* Drop a reference; the last one frees the page tables (not the memory). */
void aspace_put(struct aspace *as);

int aspace_add_region(struct aspace *as, vaddr_t start, uint64_t size,
		      unsigned perms, const char *name);
int aspace_del_region(struct aspace *as, vaddr_t start, uint64_t size);
/* Map [pa, pa+size) at va, inside one region, with that region's rights. */
int aspace_map_pmem(struct aspace *as, vaddr_t va, paddr_t pa, uint64_t size);
int aspace_unmap(struct aspace *as, vaddr_t va, uint64_t size);
/* Translate; page_size may be NULL. 0 or -ENOENT. */
int aspace_virt_to_phys(struct aspace *as, vaddr_t va, paddr_t *pa,
			uint64_t *page_size);

/* Let as see rank's memory through SMARTMAP slot rank + 1. */
int aspace_smartmap_attach(struct aspace *as, unsigned rank,
			   struct aspace *target);

/*
 * Check that [va, va+len) is mapped and the user may access it with
 * perms (ASPACE_R: read, ASPACE_W: write, ASPACE_X: execute); perms 0
 * asks only whether it is mapped, inaccessible pages included.
 */
bool aspace_range_ok(struct aspace *as, vaddr_t va, uint64_t len,
		     unsigned perms);

/*
 * Give the pages of [va, va+len) the rights perms (0: no access at all),
 * as mprotect() does: no more than their regions allow (-EACCES), all of
 * it mapped (-ENOENT), page aligned (-EINVAL). A large page the range
 * covers in part is split, the memory staying where it is; large pages
 * come back when the rights are uniform again. Every CPU's TLB is
 * flushed before it returns. The _locked form is for holders of as->lock.
 */
int aspace_protect(struct aspace *as, vaddr_t va, uint64_t len,
		   unsigned perms);
int aspace_protect_locked(struct aspace *as, vaddr_t va, uint64_t len,
			  unsigned perms);
/*
 * Give [va, va+len) of as the page rights [from_va, ...) has in from
 * (fork, mremap). The caller holds as->lock, and from's lock if another.
 */
int aspace_copy_protection(struct aspace *as, vaddr_t va, struct aspace *from,
			   vaddr_t from_va, uint64_t len);

/*
 * MADV_DONTNEED: make the process's own pages in [va, va+len) read as
 * zeros, zeroing only pages written since they were last zeroed (dirty
 * bits of 4 KiB pages, arch/pgtable.h pgtable_zero); a shared object's
 * pages keep their contents, as a shared mapping's do on Linux. The
 * caller holds as->lock. A kernel that writes a process's pages other
 * than through its page tables must make them known dirty again (map
 * them anew): the dirty bits would not show that write.
 */
int aspace_zero_locked(struct aspace *as, vaddr_t va, uint64_t len);

/*
 * A region for the shared object o at va (in the shm window), mapped
 * from pa with rights perms (at most maxperms later); it holds a
 * reference on o from now on. aspace_unmap_shared removes the shared
 * pages in [va, va+len), splitting regions (and large pages) it covers
 * in part, and drops the references of regions it removes whole.
 */
struct shm_obj;
int aspace_map_shared(struct aspace *as, vaddr_t va, uint64_t len,
		      paddr_t pa, unsigned perms, unsigned maxperms,
		      struct shm_obj *o, uint64_t off);
int aspace_unmap_shared(struct aspace *as, vaddr_t va, uint64_t len);

/* Load as's page tables on this CPU (NULL: the kernel's own). */
void aspace_activate(struct aspace *as);

#endif
