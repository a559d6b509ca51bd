// SPDX-License-Identifier: GPL-2.0
/*
 * Page-table construction and walks (see arch/pgtable.h for the model).
 * Levels are numbered from the leaf: 1 = PT (4 KiB), 2 = PD (2 MiB),
 * 3 = PDPT (1 GiB), 4 = PML4.
 *
 * Permissions (pgtable_protect) live in the leaves only. Changing them on
 * part of a large page splits that page into a table of the next smaller
 * pages over the same, still contiguous, physical memory; only the two
 * ends of a range can need that. pgtable_merge undoes splits that are no
 * longer needed, so memory goes back to large pages where it can.
 */
#include <arch/pgtable.h>
#include <kitten/compiler.h>
#include <kitten/errno.h>
#include <kitten/string.h>

#define LEVEL_SHIFT(level) (12 + 9 * ((level) - 1))
#define LEVEL_SIZE(level)  (1ULL << LEVEL_SHIFT(level))

static unsigned index_at(vaddr_t va, int level)
{
	return (va >> LEVEL_SHIFT(level)) & (PGTABLE_ENTRIES - 1);
}

static pte_t *table(const struct pgtable *pt, paddr_t pa)
{
	return pt->ops->to_virt(pa);
}

int pgtable_create(struct pgtable *pt, const struct pgtable_ops *ops,
		   bool huge_pages)
{
	pt->ops = ops;
	pt->huge_pages = huge_pages;
	return ops->alloc(ops->ctx, &pt->root);
}

/* The largest level whose page fits va, pa and len at this point. */
static int leaf_level(const struct pgtable *pt, vaddr_t va, paddr_t pa,
		      uint64_t len)
{
	int top = pt->huge_pages ? 3 : 2;

	for (int level = top; level > 1; level--) {
		uint64_t size = LEVEL_SIZE(level);

		if (((va | pa) & (size - 1)) == 0 && len >= size)
			return level;
	}
	return 1;
}

/* Next-level table under entry *e, created if absent. */
static int descend(struct pgtable *pt, pte_t *e, pte_t **next)
{
	paddr_t pa;
	int err;

	if (*e & PTE_PRESENT) {
		if (*e & PTE_LARGE)
			return -EEXIST;
		*next = table(pt, *e & PTE_ADDR_MASK);
		return 0;
	}
	err = pt->ops->alloc(pt->ops->ctx, &pa);
	if (err)
		return err;
	/* Permissions are decided at the leaf; upper levels allow all. */
	*e = pa | PTE_PRESENT | PTE_WRITE | PTE_USER;
	*next = table(pt, pa);
	return 0;
}

static int map_one(struct pgtable *pt, vaddr_t va, paddr_t pa, int leaf,
		   uint64_t flags)
{
	pte_t *t = table(pt, pt->root);

	for (int level = 4; level > leaf; level--) {
		int err = descend(pt, &t[index_at(va, level)], &t);

		if (err)
			return err;
	}
	pte_t *e = &t[index_at(va, leaf)];

	if (*e & PTE_PRESENT)
		return -EEXIST;
	*e = pa | PTE_PRESENT | (flags & PTE_FLAGS_MASK) |
	     (leaf > 1 ? PTE_LARGE : 0);
	return 0;
}

/*
 * Walk towards va. Returns the entry where the walk stopped and its level:
 * the leaf that maps va, or the first entry that is not present.
 */
static pte_t walk(const struct pgtable *pt, vaddr_t va, int *level)
{
	const pte_t *t = table(pt, pt->root);

	for (int l = 4;; l--) {
		pte_t e = t[index_at(va, l)];

		*level = l;
		if (!(e & PTE_PRESENT) || l == 1 || (e & PTE_LARGE))
			return e;
		t = table(pt, e & PTE_ADDR_MASK);
	}
}

/* The first address after va's page or hole at the level the walk ends. */
static vaddr_t next_boundary(vaddr_t va, int level)
{
	return ALIGN_DOWN(va, LEVEL_SIZE(level)) + LEVEL_SIZE(level);
}

static bool range_unmapped(const struct pgtable *pt, vaddr_t va, vaddr_t end)
{
	while (va < end) {
		int level;

		if (walk(pt, va, &level) & PTE_PRESENT)
			return false;
		va = next_boundary(va, level);
		if (va == 0)	/* wrapped past the top of the address space */
			break;
	}
	return true;
}

int pgtable_map(struct pgtable *pt, vaddr_t va, paddr_t pa, uint64_t len,
		uint64_t flags)
{
	if ((va | pa | len) & (LEVEL_SIZE(1) - 1) || va + len < va)
		return -EINVAL;
	/* Refuse overlaps before changing anything, so failure is clean. */
	if (!range_unmapped(pt, va, va + len))
		return -EEXIST;
	while (len) {
		int leaf = leaf_level(pt, va, pa, len);
		int err = map_one(pt, va, pa, leaf, flags);

		if (err)
			return err;
		va += LEVEL_SIZE(leaf);
		pa += LEVEL_SIZE(leaf);
		len -= LEVEL_SIZE(leaf);
	}
	return 0;
}

int pgtable_lookup(const struct pgtable *pt, vaddr_t va, paddr_t *pa,
		   uint64_t *flags, uint64_t *page_size)
{
	int level;
	pte_t e = walk(pt, va, &level);
	uint64_t size = LEVEL_SIZE(level);

	if (!(e & PTE_PRESENT))
		return -ENOENT;
	if (pa)
		*pa = (e & PTE_ADDR_MASK & ~(size - 1)) + (va & (size - 1));
	if (flags)
		*flags = e & ~PTE_ADDR_MASK;
	if (page_size)
		*page_size = size;
	return 0;
}

void pgtable_count(const struct pgtable *pt, vaddr_t va, uint64_t len,
		   struct pgtable_stats *stats)
{
	vaddr_t end = va + len;

	memset(stats, 0, sizeof(*stats));
	while (va < end) {
		int level;

		if (walk(pt, va, &level) & PTE_PRESENT) {
			if (level == 3)
				stats->pages_1g++;
			else if (level == 2)
				stats->pages_2m++;
			else
				stats->pages_4k++;
		}
		va = next_boundary(va, level);
		if (va == 0)
			break;
	}
}

/* The entry mapping va (present) and its level, or NULL. */
static pte_t *leaf_entry(struct pgtable *pt, vaddr_t va, int *level)
{
	pte_t *t = table(pt, pt->root);

	for (int l = 4;; l--) {
		pte_t *e = &t[index_at(va, l)];

		*level = l;
		if (!(*e & PTE_PRESENT))
			return NULL;
		if (l == 1 || (*e & PTE_LARGE))
			return e;
		t = table(pt, *e & PTE_ADDR_MASK);
	}
}

int pgtable_unmap(struct pgtable *pt, vaddr_t va, uint64_t len)
{
	vaddr_t end = va + len, v;
	int level;

	if ((va | len) & (LEVEL_SIZE(1) - 1) || end < va)
		return -EINVAL;
	for (v = va; v < end && v >= va;) {	/* first pass: only check */
		if (leaf_entry(pt, v, &level) &&
		    (v & (LEVEL_SIZE(level) - 1) || end - v < LEVEL_SIZE(level)))
			return -EINVAL;
		v = next_boundary(v, level);
	}
	for (v = va; v < end && v >= va;) {
		pte_t *e = leaf_entry(pt, v, &level);

		if (e)
			*e = 0;
		v = next_boundary(v, level);
	}
	return 0;
}

static void free_level(struct pgtable *pt, paddr_t pa, int level)
{
	pte_t *t = table(pt, pa);

	if (level > 1)
		for (unsigned i = 0; i < PGTABLE_ENTRIES; i++)
			if ((t[i] & PTE_PRESENT) && !(t[i] & PTE_LARGE))
				free_level(pt, t[i] & PTE_ADDR_MASK, level - 1);
	pt->ops->free(pt->ops->ctx, pa);
}

void pgtable_free_tables(struct pgtable *pt, unsigned first, unsigned last,
			 bool free_root)
{
	pte_t *pml4 = table(pt, pt->root);

	for (unsigned i = first; i <= last && i < PGTABLE_ENTRIES; i++) {
		if (pml4[i] & PTE_PRESENT)
			free_level(pt, pml4[i] & PTE_ADDR_MASK, 3);
		pml4[i] = 0;
	}
	if (free_root)
		pt->ops->free(pt->ops->ctx, pt->root);
}

/* Permission bits of a leaf; everything else in it is left alone. */
#define PTE_PROT_MASK	(PTE_WRITE | PTE_USER | PTE_NX)

/*
 * Replace the large page *e at level by a table of 512 pages one level
 * down, with the same flags and the same physical memory.
 */
static int split(struct pgtable *pt, pte_t *e, int level)
{
	uint64_t sub = LEVEL_SIZE(level - 1);
	paddr_t base = *e & PTE_ADDR_MASK & ~(LEVEL_SIZE(level) - 1), pa;
	pte_t flags = *e & ~PTE_ADDR_MASK & ~PTE_LARGE;
	pte_t *t;
	int err;

	err = pt->ops->alloc(pt->ops->ctx, &pa);
	if (err)
		return err;
	t = table(pt, pa);
	for (unsigned i = 0; i < PGTABLE_ENTRIES; i++)
		t[i] = (base + i * sub) | flags | (level - 1 > 1 ? PTE_LARGE : 0);
	*e = pa | PTE_PRESENT | PTE_WRITE | PTE_USER;
	return 0;
}

/* Split until va starts a page, if the page around it is to change. */
static int split_at(struct pgtable *pt, vaddr_t va, uint64_t prot)
{
	int level;
	pte_t *e;

	while ((e = leaf_entry(pt, va, &level)) && level > 1 &&
	       va & (LEVEL_SIZE(level) - 1) && (*e & PTE_PROT_MASK) != prot) {
		int err = split(pt, e, level);

		if (err)
			return err;
	}
	return 0;
}

int pgtable_unmap_split(struct pgtable *pt, vaddr_t va, uint64_t len)
{
	/* No leaf has every permission bit set: each end splits. */
	int err = split_at(pt, va, ~0ULL);

	if (!err && va + len)
		err = split_at(pt, va + len, ~0ULL);
	return err ? err : pgtable_unmap(pt, va, len);
}

int pgtable_protect(struct pgtable *pt, vaddr_t va, uint64_t len,
		    uint64_t flags)
{
	uint64_t prot = flags & PTE_PROT_MASK;
	vaddr_t end = va + len, v;
	int level, err, changed = 0;

	if ((va | len) & (LEVEL_SIZE(1) - 1) || end < va)
		return -EINVAL;
	for (v = va; v < end && v >= va;) {	/* first pass: only check */
		if (!leaf_entry(pt, v, &level))
			return -ENOENT;
		v = next_boundary(v, level);
	}
	/* Splitting keeps every translation, so a failure here is clean. */
	err = split_at(pt, va, prot);
	if (!err && end)
		err = split_at(pt, end, prot);
	if (err)
		return err;
	for (v = va; v < end && v >= va;) {
		pte_t *e = leaf_entry(pt, v, &level);

		if ((*e & PTE_PROT_MASK) != prot) {
			*e = (*e & ~PTE_PROT_MASK) | prot;
			changed = 1;
		}
		v = next_boundary(v, level);
	}
	return changed;
}

/*
 * Can the table under *e (at level) be one large page: every entry a
 * present leaf, the memory contiguous and aligned, the flags the same?
 */
static bool mergeable(const struct pgtable *pt, pte_t e, int level)
{
	uint64_t sub = LEVEL_SIZE(level - 1);
	const pte_t *t;
	paddr_t base;
	pte_t flags;

	if (!(e & PTE_PRESENT) || (e & PTE_LARGE))
		return false;
	t = table(pt, e & PTE_ADDR_MASK);
	base = t[0] & PTE_ADDR_MASK;
	flags = t[0] & ~PTE_ADDR_MASK & ~(PTE_ACCESSED | PTE_DIRTY);
	if (!(t[0] & PTE_PRESENT) || base & (LEVEL_SIZE(level) - 1) ||
	    (level - 1 > 1) != !!(t[0] & PTE_LARGE))
		return false;
	for (unsigned i = 1; i < PGTABLE_ENTRIES; i++)
		if ((t[i] & PTE_ADDR_MASK) != base + i * sub ||
		    (t[i] & ~PTE_ADDR_MASK & ~(PTE_ACCESSED | PTE_DIRTY)) != flags)
			return false;
	return true;
}

/* The entry at level that covers va, or NULL if the walk ends above it. */
static pte_t *entry_at(struct pgtable *pt, vaddr_t va, int level)
{
	pte_t *t = table(pt, pt->root);

	for (int l = 4; l > level; l--) {
		pte_t e = t[index_at(va, l)];

		if (!(e & PTE_PRESENT) || (e & PTE_LARGE))
			return NULL;
		t = table(pt, e & PTE_ADDR_MASK);
	}
	return &t[index_at(va, level)];
}

unsigned pgtable_merge(struct pgtable *pt, vaddr_t va, uint64_t len,
		       paddr_t *detached, unsigned max)
{
	vaddr_t end = va + len;
	unsigned n = 0;

	if (end < va)
		return 0;
	for (int level = 2; level <= (pt->huge_pages ? 3 : 2); level++) {
		uint64_t size = LEVEL_SIZE(level);

		for (vaddr_t v = ALIGN_UP(va, size); v >= va && v + size > v &&
		     v + size <= end && n < max; v += size) {
			pte_t *e = entry_at(pt, v, level);

			if (e && mergeable(pt, *e, level)) {
				/* One dirty bit cannot stand for 512 pages:
				 * the large page is not known zero. */
				detached[n++] = *e & PTE_ADDR_MASK;
				*e = (*(pte_t *)table(pt, *e & PTE_ADDR_MASK) &
				      ~PTE_ZEROED) | PTE_LARGE;
			}
		}
	}
	return n;
}

int pgtable_zero(struct pgtable *pt, vaddr_t va, uint64_t len,
		 void (*zero)(void *ctx, paddr_t pa, uint64_t size),
		 void *ctx)
{
	vaddr_t end = va + len, v, zeroed_to = va;
	int level, err, changed = 0;

	if ((va | len) & (LEVEL_SIZE(1) - 1) || end < va)
		return -EINVAL;
	for (v = va; v < end && v >= va;) {	/* first pass: only check */
		pte_t *e = leaf_entry(pt, v, &level);
		vaddr_t stop = MIN(end, next_boundary(v, 2));

		if (!e)
			return -ENOENT;
		if (level > 1) {
			v = next_boundary(v, level);
			continue;
		}
		for (; v < stop; v += LEVEL_SIZE(1))	/* a table in a row */
			if (!(*e++ & PTE_PRESENT))
				return -ENOENT;
	}
	for (v = va; v < end && v >= va;) {
		pte_t *e = leaf_entry(pt, v, &level);
		vaddr_t stop;

		if (level > 1) {
			/* Zero its part of the range once, then split. */
			uint64_t size = LEVEL_SIZE(level);
			vaddr_t from = MAX(v, zeroed_to);

			stop = MIN(end, next_boundary(v, level));
			if (from < stop)
				zero(ctx, (*e & PTE_ADDR_MASK & ~(size - 1)) +
						  (from & (size - 1)),
				     stop - from);
			zeroed_to = MAX(zeroed_to, stop);
			err = split(pt, e, level);
			if (err)
				return err;
			changed = 1;	/* the large page may be in a TLB */
			continue;	/* walk it again, smaller */
		}
		/* The rest of this table's pages in the range, in a row. */
		stop = MIN(end, next_boundary(v, 2));
		for (; v < stop; v += LEVEL_SIZE(1), e++) {
			if ((*e & (PTE_ZEROED | PTE_DIRTY)) == PTE_ZEROED)
				continue;
			if (v >= zeroed_to)
				zero(ctx, *e & PTE_ADDR_MASK, LEVEL_SIZE(1));
			changed |= !!(*e & PTE_DIRTY);
			*e = (*e & ~PTE_DIRTY) | PTE_ZEROED;
		}
	}
	return changed;
}
