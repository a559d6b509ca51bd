// SPDX-License-Identifier: GPL-2.0
/*
 * Address spaces (the model is in aspace.h). Each has its own PML4 whose
 * upper half repeats the kernel's entries, so the kernel is mapped in
 * every address space and a system call needs no CR3 switch.
 */
#define pr_fmt(fmt) "aspace: " fmt

#include <arch/layout.h>
#include <arch/paging.h>
#include <arch/smp.h>
#include <arch/x86.h>
#include <kitten/aspace.h>
#include <kitten/errno.h>
#include <kitten/exec.h>
#include <kitten/kmem.h>
#include <kitten/mm.h>
#include <kitten/mmap.h>
#include <kitten/panic.h>
#include <kitten/pmem.h>
#include <kitten/proc.h>
#include <kitten/shm.h>
#include <kitten/string.h>

#define KERNEL_FIRST_SLOT 256

static unsigned next_id = 1;

/* After a mapping is removed, no CPU may keep it in its TLB. */
static void flush_tlbs(void)
{
	write_cr3(read_cr3());
	smp_tlb_shootdown();
}

static int table_alloc(void *ctx, paddr_t *pa)
{
	(void)ctx;
	if (page_alloc(0, pa))
		return -ENOMEM;
	memset(__va(*pa), 0, PAGE_SIZE);
	return 0;
}

static void table_free(void *ctx, paddr_t pa)
{
	(void)ctx;
	page_free(pa);
}

static const struct pgtable_ops user_pgtable_ops = {
	.to_virt = __va,
	.alloc = table_alloc,
	.free = table_free,
};

int aspace_create(unsigned owner, struct aspace **out)
{
	struct aspace *as = kmem_zalloc(sizeof(*as));
	pte_t *mine, *kernel;
	int err;

	if (!as)
		return -ENOMEM;
	if (pgtable_create(&as->pt, &user_pgtable_ops,
			   kernel_pgtable.huge_pages)) {
		kmem_free(as);
		return -ENOMEM;
	}
	mine = __va(as->pt.root);
	kernel = __va(kernel_pgtable.root);
	memcpy(mine + KERNEL_FIRST_SLOT, kernel + KERNEL_FIRST_SLOT,
	       KERNEL_FIRST_SLOT * sizeof(pte_t));
	as->id = __atomic_fetch_add(&next_id, 1, __ATOMIC_RELAXED);
	as->refs = 1;
	as->owner = owner;
	mutex_init(&as->lock);
	list_init(&as->regions);
	list_init(&as->mmaps);
	list_init(&as->threads);
	spin_lock_init(&as->threads_lock, "threads", LOCK_RANK_THREADS);
	waitqueue_init(&as->threads_wq);
	as->group_exit = -1;
	proc_table_add(as);
	err = vdso_map(as);
	if (err) {
		aspace_put(as);
		return err;
	}
	*out = as;
	return 0;
}

void aspace_get(struct aspace *as)
{
	__atomic_fetch_add(&as->refs, 1, __ATOMIC_RELAXED);
}

bool aspace_tryget(struct aspace *as)
{
	unsigned refs = __atomic_load_n(&as->refs, __ATOMIC_RELAXED);

	do {
		if (!refs)
			return false;
	} while (!__atomic_compare_exchange_n(&as->refs, &refs, refs + 1, true,
					      __ATOMIC_ACQUIRE,
					      __ATOMIC_RELAXED));
	return true;
}

void aspace_put(struct aspace *as)
{
	struct region *r, *tmp;
	pte_t *pml4;

	if (__atomic_sub_fetch(&as->refs, 1, __ATOMIC_ACQ_REL))
		return;
	/* Each thread holds a reference: one still listed is a lost one. */
	if (as->nr_threads || !list_empty(&as->threads))
		panic("address space %u freed with %u threads in it", as->id,
		      as->nr_threads);
	/* SMARTMAP windows show other processes' tables: just forget them. */
	pml4 = __va(as->pt.root);
	for (unsigned i = 1; i < KERNEL_FIRST_SLOT; i++)
		pml4[i] = 0;
	pgtable_free_tables(&as->pt, 0, 0, true);
	list_for_each_entry_safe(r, tmp, &as->regions, node) {
		if (r->shm)
			shm_put(r->shm);
		kmem_free(r);
	}
	mmap_release_all(as);
	if (as->owns_memory)	/* a forked or exec'd process's own memory */
		pmem_release_all(as->owner);
	proc_table_del(as);	/* last: a job's end waits for its memory */
	kmem_free(as);
}

static struct region *find_region(struct aspace *as, vaddr_t va)
{
	struct region *r;

	list_for_each_entry(r, &as->regions, node)
		if (va >= r->start && va < r->end)
			return r;
	return NULL;
}

int aspace_add_region(struct aspace *as, vaddr_t start, uint64_t size,
		      unsigned perms, const char *name)
{
	vaddr_t end = start + size;
	struct region *r, *pos;

	if (!size || (start | size) & (PAGE_SIZE - 1) || end < start ||
	    end > USER_SLOT_SIZE || perms & ~(ASPACE_R | ASPACE_W | ASPACE_X))
		return -EINVAL;
	r = kmem_zalloc(sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->start = start;
	r->end = end;
	r->perms = perms;
	strlcpy(r->name, name ? name : "", sizeof(r->name));

	mutex_lock(&as->lock);
	list_for_each_entry(pos, &as->regions, node) {
		if (pos->start < end && start < pos->end) {
			mutex_unlock(&as->lock);
			kmem_free(r);
			return -EEXIST;
		}
		if (pos->start >= end)
			break;
	}
	list_add_tail(&r->node, &pos->node);	/* before pos: keeps order */
	mutex_unlock(&as->lock);
	return 0;
}

int aspace_del_region(struct aspace *as, vaddr_t start, uint64_t size)
{
	struct region *r;
	int err = -ENOENT;

	mutex_lock(&as->lock);
	r = find_region(as, start);
	if (r && r->start == start && r->end == start + size) {
		err = pgtable_unmap(&as->pt, r->start, r->end - r->start);
		if (!err) {
			list_del(&r->node);
			kmem_free(r);
		}
	}
	mutex_unlock(&as->lock);
	if (!err)
		flush_tlbs();
	return err;
}

/*
 * x86 cannot express write-only or execute-only pages: any access right
 * makes a page readable. No right at all keeps the page present (its
 * physical address stays in the entry) but for the kernel only.
 */
static uint64_t pte_flags(unsigned perms)
{
	return (perms ? PTE_USER : 0) | (perms & ASPACE_W ? PTE_WRITE : 0) |
	       (perms & ASPACE_X ? 0 : paging_nx());
}

int aspace_map_pmem(struct aspace *as, vaddr_t va, paddr_t pa, uint64_t size)
{
	struct region *r;
	int err;

	if (!size || va + size < va)
		return -EINVAL;
	mutex_lock(&as->lock);
	r = find_region(as, va);
	if (!r || va + size > r->end)
		err = -EFAULT;	/* not inside one region */
	else
		err = pgtable_map(&as->pt, va, pa, size, pte_flags(r->perms));
	mutex_unlock(&as->lock);
	return err;
}

/*
 * Only inside one region, as for aspace_map_pmem: a job may unmap its own
 * pages (kitten_aspace_unmap on itself), and a length running past its
 * region reached the kernel's half of the page table.
 */
int aspace_unmap(struct aspace *as, vaddr_t va, uint64_t size)
{
	struct region *r;
	int err;

	if (!size || va + size < va)
		return -EINVAL;
	mutex_lock(&as->lock);
	r = find_region(as, va);
	err = r && va + size <= r->end ? pgtable_unmap(&as->pt, va, size) : -EFAULT;
	mutex_unlock(&as->lock);
	if (!err)
		flush_tlbs();
	return err;
}

int aspace_virt_to_phys(struct aspace *as, vaddr_t va, paddr_t *pa,
			uint64_t *page_size)
{
	if (va >= USER_TOP)
		return -ENOENT;
	return pgtable_lookup(&as->pt, va, pa, NULL, page_size);
}

int aspace_smartmap_attach(struct aspace *as, unsigned rank,
			   struct aspace *target)
{
	pte_t *mine = __va(as->pt.root), *theirs = __va(target->pt.root);

	if (rank >= SMARTMAP_MAX_RANKS)
		return -EINVAL;
	/*
	 * Slot 0 of the target may not have its PDPT yet; create it so both
	 * address spaces share one and later mappings show through.
	 */
	if (!(theirs[0] & PTE_PRESENT)) {
		paddr_t pdpt;

		if (table_alloc(NULL, &pdpt))
			return -ENOMEM;
		theirs[0] = pdpt | PTE_PRESENT | PTE_WRITE | PTE_USER;
	}
	mine[rank + 1] = theirs[0];
	return 0;
}

bool aspace_range_ok(struct aspace *as, vaddr_t va, uint64_t len,
		     unsigned perms)
{
	vaddr_t end = va + len;

	if (end < va || end > USER_TOP)
		return false;
	for (vaddr_t p = ALIGN_DOWN(va, PAGE_SIZE); p < end;) {
		uint64_t flags, size;

		if (pgtable_lookup(&as->pt, p, NULL, &flags, &size) ||
		    (perms && !(flags & PTE_USER)) ||
		    ((perms & ASPACE_W) && !(flags & PTE_WRITE)) ||
		    ((perms & ASPACE_X) && (flags & PTE_NX)))
			return false;
		p = ALIGN_DOWN(p, size) + size;
	}
	return true;
}

/*
 * Does every page of [va, end) lie in a region that allows perms? Reading
 * comes with any right, as the page tables cannot do otherwise.
 */
static int regions_allow(struct aspace *as, vaddr_t va, vaddr_t end,
			 unsigned perms)
{
	while (va < end) {
		struct region *r = find_region(as, va);

		if (!r)
			return -ENOENT;
		if (perms & ~(r->perms | (r->perms ? ASPACE_R : 0)))
			return -EACCES;
		va = r->end;
	}
	return 0;
}

/*
 * Tables a split made are redundant once a range has one permission
 * again: put large pages back, and free the tables only after every CPU
 * has flushed, since a CPU may still walk them until then. A large page
 * never spans two regions, so each can still be unmapped alone.
 */
static void merge_tables(struct aspace *as, vaddr_t va, vaddr_t end)
{
	paddr_t detached[16];
	struct region *r;
	unsigned n;

	list_for_each_entry(r, &as->regions, node) {
		vaddr_t lo = MAX(r->start, ALIGN_DOWN(va, HUGE_PAGE_SIZE));
		vaddr_t hi = MIN(r->end, ALIGN_UP(end, HUGE_PAGE_SIZE));

		if (lo >= hi)
			continue;
		while ((n = pgtable_merge(&as->pt, lo, hi - lo, detached,
					  ARRAY_SIZE(detached)))) {
			flush_tlbs();
			for (unsigned i = 0; i < n; i++)
				table_free(NULL, detached[i]);
		}
	}
}

int aspace_protect_locked(struct aspace *as, vaddr_t va, uint64_t len,
			  unsigned perms)
{
	int err;

	if (!len || (va | len) & (PAGE_SIZE - 1) || va + len < va ||
	    perms & ~(ASPACE_R | ASPACE_W | ASPACE_X))
		return -EINVAL;
	err = regions_allow(as, va, va + len, perms);
	if (!err)
		err = pgtable_protect(&as->pt, va, len, pte_flags(perms));
	if (err <= 0)
		return err;
	flush_tlbs();
	merge_tables(as, va, va + len);
	return 0;
}

int aspace_protect(struct aspace *as, vaddr_t va, uint64_t len,
		   unsigned perms)
{
	int err;

	mutex_lock(&as->lock);
	err = aspace_protect_locked(as, va, len, perms);
	mutex_unlock(&as->lock);
	return err;
}

/* The rights of va's page, and (in *size) its page size: 0 if unmapped. */
static unsigned page_perms(struct aspace *as, vaddr_t va, uint64_t *size)
{
	uint64_t flags;

	*size = PAGE_SIZE;
	if (pgtable_lookup(&as->pt, va, NULL, &flags, size) ||
	    !(flags & PTE_USER))
		return 0;
	return ASPACE_R | (flags & PTE_WRITE ? ASPACE_W : 0) |
	       (flags & PTE_NX && paging_nx() ? 0 : ASPACE_X);
}

/* How far from va, up to max, the pages have the rights va's has. */
static uint64_t same_perms(struct aspace *as, vaddr_t va, uint64_t max,
			   unsigned *perms)
{
	uint64_t run = 0, size;

	*perms = page_perms(as, va, &size);
	while (run < max) {
		vaddr_t p = va + run;

		if (page_perms(as, p, &size) != *perms)
			break;
		run += ALIGN_DOWN(p, size) + size - p;
	}
	return MIN(run, max);
}

int aspace_copy_protection(struct aspace *as, vaddr_t va, struct aspace *from,
			   vaddr_t from_va, uint64_t len)
{
	uint64_t off = 0;

	/* One change per run of pages with the same rights keeps pages large. */
	while (off < len) {
		unsigned perms, mine;
		uint64_t run = same_perms(from, from_va + off, len - off, &perms);
		int err = 0;

		if (same_perms(as, va + off, run, &mine) < run || mine != perms)
			err = aspace_protect_locked(as, va + off, run, perms);
		if (err)
			return err;
		off += run;
	}
	return 0;
}

int aspace_map_shared(struct aspace *as, vaddr_t va, uint64_t len,
		      paddr_t pa, unsigned perms, unsigned maxperms,
		      struct shm_obj *o, uint64_t off)
{
	struct region *r;
	int err;

	err = aspace_add_region(as, va, len, maxperms, "shared");
	if (err)
		return err;
	mutex_lock(&as->lock);
	r = find_region(as, va);
	err = pgtable_map(&as->pt, va, pa, len, pte_flags(perms));
	if (err) {
		pgtable_unmap(&as->pt, va, len);
		list_del(&r->node);
		kmem_free(r);
	} else {
		shm_get(o);
		r->shm = o;
		r->shm_off = off;
	}
	mutex_unlock(&as->lock);
	return err;
}

/*
 * The object of a region unmapped whole is let go only after every CPU
 * has flushed its TLB: until then another thread of the process may
 * still write through a cached translation, and pages freed first could
 * already be the kernel's again.
 */
int aspace_unmap_shared(struct aspace *as, vaddr_t va, uint64_t len)
{
	vaddr_t end = va + len;
	struct region *r, *tmp, *upper;
	LIST_HEAD(gone);
	int err = 0;

	mutex_lock(&as->lock);
	list_for_each_entry_safe(r, tmp, &as->regions, node) {
		vaddr_t lo = MAX(va, r->start), hi = MIN(end, r->end);

		if (lo >= hi || !r->shm)
			continue;
		upper = NULL;
		if (lo > r->start && hi < r->end) {	/* a hole: two regions */
			upper = kmem_zalloc(sizeof(*upper));
			if (!upper) {
				err = -ENOMEM;
				break;
			}
		}
		err = pgtable_unmap_split(&as->pt, lo, hi - lo);
		if (err) {
			kmem_free(upper);
			break;
		}
		if (upper) {
			*upper = *r;
			upper->start = hi;
			upper->shm_off = r->shm_off + (hi - r->start);
			shm_get(upper->shm);
			list_add(&upper->node, &r->node);
		}
		if (lo == r->start && hi == r->end) {
			list_del(&r->node);
			list_add(&r->node, &gone);
		} else if (lo == r->start) {
			r->shm_off += hi - r->start;
			r->start = hi;
		} else {
			r->end = lo;
		}
	}
	mutex_unlock(&as->lock);
	flush_tlbs();
	list_for_each_entry_safe(r, tmp, &gone, node) {
		shm_put(r->shm);
		kmem_free(r);
	}
	return err;
}

static void zero_phys(void *ctx, paddr_t pa, uint64_t size)
{
	(void)ctx;
	memset(__va(pa), 0, size);
}

int aspace_zero_locked(struct aspace *as, vaddr_t va, uint64_t len)
{
	vaddr_t end = va + len;
	struct region *r;
	int changed = 0;

	if ((va | len) & (PAGE_SIZE - 1) || end < va || end > USER_SLOT_SIZE)
		return -EINVAL;
	if (regions_allow(as, va, end, 0))	/* a gap: -ENOENT */
		return -ENOENT;
	list_for_each_entry(r, &as->regions, node) {
		vaddr_t lo = MAX(va, r->start), hi = MIN(end, r->end);
		int err;

		/* Shared pages, and the vDSO every process maps, are not the
		 * process's to wipe (Linux maps the vDSO back unchanged). */
		if (lo >= hi || r->shm || vdso_region(r->start))
			continue;
		err = pgtable_zero(&as->pt, lo, hi - lo, zero_phys, NULL);
		if (err < 0)
			return err;
		changed |= err;
	}
	/* Until every CPU forgets the dirty bits it cached, a write there
	 * would not set them again. */
	if (changed)
		flush_tlbs();
	return 0;
}

void aspace_activate(struct aspace *as)
{
	paddr_t root = as ? as->pt.root : kernel_pgtable.root;

	if (read_cr3() != root)
		write_cr3(root);
}
