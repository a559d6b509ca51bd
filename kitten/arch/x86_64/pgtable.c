// SPDX-License-Identifier: GPL-2.0
/*
 * Page-table construction and walks (see arch/pgtable.h for the model).
 * Levels are numbered from the leaf: 1 = PT (4 KiB), 2 = PD (2 MiB),
 * 3 = PDPT (1 GiB), 4 = PML4.
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
