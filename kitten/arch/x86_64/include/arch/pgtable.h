/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86_64 four-level page tables, as pure data structure code: the tables
 * are reached through ops->to_virt and new tables come from ops->alloc,
 * so the same code builds the kernel's direct map, user address spaces
 * (later, SMARTMAP and guest shadow tables) and runs in host unit tests.
 *
 * pgtable_map() uses the largest page that the alignment of va, pa and
 * the remaining length allow: 1 GiB (when the CPU has it), 2 MiB, 4 KiB.
 * The lightweight-kernel memory model depends on that: contiguous memory
 * mapped linearly ends up in large pages with no demand paging.
 */
#ifndef ARCH_PGTABLE_H
#define ARCH_PGTABLE_H

#include <kitten/types.h>

#define PTE_PRESENT	(1ULL << 0)
#define PTE_WRITE	(1ULL << 1)
#define PTE_USER	(1ULL << 2)
#define PTE_PWT		(1ULL << 3)
#define PTE_PCD		(1ULL << 4)
#define PTE_ACCESSED	(1ULL << 5)
#define PTE_DIRTY	(1ULL << 6)
#define PTE_LARGE	(1ULL << 7)	/* PS: 2 MiB in a PDE, 1 GiB in a PDPTE */
#define PTE_GLOBAL	(1ULL << 8)
/* Software bit of a 4 KiB page: zero since its dirty bit was last cleared. */
#define PTE_ZEROED	(1ULL << 9)
#define PTE_NX		(1ULL << 63)
#define PTE_ADDR_MASK	0x000ffffffffff000ULL

/* Flags a caller may pass to pgtable_map(). */
#define PTE_FLAGS_MASK	(PTE_WRITE | PTE_USER | PTE_PWT | PTE_PCD | \
			 PTE_GLOBAL | PTE_NX)

#define PGTABLE_ENTRIES	512

typedef uint64_t pte_t;

struct pgtable_ops {
	void *(*to_virt)(paddr_t pa);
	/* A zeroed 4 KiB page for a table, or an error. */
	int (*alloc)(void *ctx, paddr_t *pa);
	void (*free)(void *ctx, paddr_t pa);
	void *ctx;
};

struct pgtable {
	paddr_t root;			/* physical address of the PML4 */
	const struct pgtable_ops *ops;
	bool huge_pages;		/* the CPU supports 1 GiB pages */
};

/* Counts of mappings by page size, for reporting and tests. */
struct pgtable_stats {
	uint64_t pages_4k, pages_2m, pages_1g;
};

int pgtable_create(struct pgtable *pt, const struct pgtable_ops *ops,
		   bool huge_pages);
/* Map [va, va+len) to [pa, pa+len); -EEXIST if any of it is mapped. */
int pgtable_map(struct pgtable *pt, vaddr_t va, paddr_t pa, uint64_t len,
		uint64_t flags);
/* Translate va; returns -ENOENT if unmapped. Any out pointer may be NULL. */
int pgtable_lookup(const struct pgtable *pt, vaddr_t va, paddr_t *pa,
		   uint64_t *flags, uint64_t *page_size);
/*
 * Remove the mappings in [va, va+len). A large page that the range covers
 * only in part is refused (-EINVAL) before anything changes.
 */
int pgtable_unmap(struct pgtable *pt, vaddr_t va, uint64_t len);
/* The same, splitting a large page the range covers in part (-ENOMEM). */
int pgtable_unmap_split(struct pgtable *pt, vaddr_t va, uint64_t len);
/*
 * Set the permission bits (PTE_WRITE, PTE_USER, PTE_NX of flags) of every
 * page in [va, va+len), splitting a large page the range covers in part.
 * Returns 1 if a page changed (the TLBs need a flush), 0 if none did,
 * -ENOENT if any of it is unmapped, -ENOMEM if a split needs a table and
 * none is left; either way before any permission changed.
 */
int pgtable_protect(struct pgtable *pt, vaddr_t va, uint64_t len,
		    uint64_t flags);
/*
 * Turn tables for blocks wholly inside [va, va+len) whose pages could be
 * one large page
 * (contiguous, aligned, same flags) back into that page. The tables taken
 * out go to detached (at most max); the caller frees them once no CPU can
 * still walk them (after a TLB flush). Returns how many.
 */
unsigned pgtable_merge(struct pgtable *pt, vaddr_t va, uint64_t len,
		       paddr_t *detached, unsigned max);
/*
 * MADV_DONTNEED without demand paging: make [va, va+len) (mapped) read as
 * zeros, calling zero(ctx, pa, size) only for memory that may not be. A
 * 4 KiB page marked PTE_ZEROED with its dirty bit clear has not been
 * written since it was last zeroed, and is skipped; the others are
 * zeroed, then marked and made clean. A large page is zeroed and split
 * into 4 KiB pages, so the next call can tell. Returns 1 if an entry
 * changed in a way the TLBs must learn before the pages count as clean
 * (the caller flushes them), 0 if none did, -ENOENT if part of the range
 * is unmapped (before anything changed), -ENOMEM if a split found no
 * table (after zeroing what it did).
 */
int pgtable_zero(struct pgtable *pt, vaddr_t va, uint64_t len,
		 void (*zero)(void *ctx, paddr_t pa, uint64_t size),
		 void *ctx);
/* Free every table below the PML4 entries [first, last], and the PML4
 * itself when free_root; the memory mapped is not touched. */
void pgtable_free_tables(struct pgtable *pt, unsigned first, unsigned last,
			 bool free_root);
/* Add up the mappings in [va, va+len). */
void pgtable_count(const struct pgtable *pt, vaddr_t va, uint64_t len,
		   struct pgtable_stats *stats);

#endif
