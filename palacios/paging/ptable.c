// SPDX-License-Identifier: GPL-2.0
/*
 * Building page tables the VMM owns: AMD's nested page tables (the long
 * mode format, four levels) and the shadow tables (four levels for a
 * 64-bit guest, PAE's three for a 32-bit one). Pages for the tables come
 * from the caller, so the same code serves the host tests.
 *
 * PAE's top level is the four-entry PDPT, whose entries take only the
 * present and cache bits; everywhere else intermediate entries are made
 * as permissive as possible and the leaf decides.
 */
#include <palacios/host.h>
#include <palacios/paging.h>

static unsigned shift_of(unsigned level)
{
	return 12 + 9 * (level - 1);	/* level 1 = PTE */
}

static uint64_t *table_of(const struct v3_pt_pages *pg, uint64_t pa)
{
	return pg->to_virt(pg->ctx, pa & PTE_ADDR);
}

static uint64_t *slot(const struct v3_pt_pages *pg, uint64_t table,
		      unsigned level, uint64_t va)
{
	return &table_of(pg, table)[(va >> shift_of(level)) & 511];
}

static uint64_t dir_flags(unsigned levels, unsigned level)
{
	return levels == 3 && level == 3 ? PTE_P : PTE_P | PTE_W | PTE_U;
}

int v3_pt_map(const struct v3_pt_pages *pg, uint64_t root, unsigned levels,
	      uint64_t va, uint64_t pa, uint64_t size, uint64_t flags)
{
	unsigned leaf = size == 4096 ? 1 : size == (2ull << 20) ? 2 :
			size == (1ull << 30) ? 3 : 0;
	uint64_t table = root;

	if (!leaf || leaf >= levels || ((va | pa) & (size - 1)))
		return -V3_EINVAL;
	for (unsigned level = levels; level > leaf; level--) {
		uint64_t *e = slot(pg, table, level, va);

		if (!(*e & PTE_P)) {
			uint64_t t = pg->alloc(pg->ctx);

			if (!t)
				return -V3_ENOMEM;
			*e = t | dir_flags(levels, level);
		} else if (*e & PTE_PS) {
			return -V3_EEXIST;
		}
		table = *e & PTE_ADDR;
	}
	*slot(pg, table, leaf, va) = pa | flags | PTE_P | (leaf > 1 ? PTE_PS : 0);
	return 0;
}

uint64_t *v3_pt_entry(const struct v3_pt_pages *pg, uint64_t root,
		      unsigned levels, uint64_t va, unsigned level)
{
	uint64_t table = root;

	for (unsigned l = levels; l > level; l--) {
		uint64_t e = *slot(pg, table, l, va);

		if (!(e & PTE_P) || (l > 1 && l < levels && (e & PTE_PS)))
			return NULL;
		table = e & PTE_ADDR;
	}
	return slot(pg, table, level, va);
}

uint64_t *v3_pt_lookup(const struct v3_pt_pages *pg, uint64_t root,
		       unsigned levels, uint64_t va, uint64_t *size)
{
	uint64_t table = root;

	for (unsigned level = levels; level >= 1; level--) {
		uint64_t *e = slot(pg, table, level, va);

		if (!(*e & PTE_P))
			return NULL;
		if (level == 1 || (level < levels && (*e & PTE_PS))) {
			*size = 1ull << shift_of(level);
			return e;
		}
		table = *e & PTE_ADDR;
	}
	return NULL;
}

static void clear_level(const struct v3_pt_pages *pg, uint64_t table,
			unsigned levels, unsigned level)
{
	uint64_t *t = table_of(pg, table);
	unsigned n = levels == 3 && level == 3 ? 4 : 512;

	for (unsigned i = 0; i < n; i++) {
		if (!(t[i] & PTE_P))
			continue;
		if (level > 1 && !(level < levels && (t[i] & PTE_PS))) {
			clear_level(pg, t[i] & PTE_ADDR, levels, level - 1);
			pg->free(pg->ctx, t[i] & PTE_ADDR);
		}
		t[i] = 0;
	}
}

void v3_pt_clear(const struct v3_pt_pages *pg, uint64_t root, unsigned levels)
{
	clear_level(pg, root, levels, levels);
}
