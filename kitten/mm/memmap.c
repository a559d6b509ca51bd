// SPDX-License-Identifier: GPL-2.0
/*
 * Physical memory map arithmetic. Sanitizing is a sweep over the sorted
 * boundaries of all entries: each elementary interval between two
 * boundaries gets the most restrictive type of the entries covering it,
 * and equal neighbours are merged. With at most MEMMAP_MAX_ENTRIES
 * entries the quadratic sweep costs nothing and is easy to trust.
 */
#define pr_fmt(fmt) "memmap: " fmt

#include <kitten/errno.h>
#include <kitten/memmap.h>
#include <kitten/printk.h>
#include <kitten/string.h>

void memmap_init(struct memmap *mm)
{
	mm->nr = 0;
}

int memmap_add(struct memmap *mm, uint64_t base, uint64_t size, uint32_t type)
{
	if (mm->nr == MEMMAP_MAX_ENTRIES) {
		pr_err("more than %d entries: [%#lx +%#lx] dropped\n",
		       MEMMAP_MAX_ENTRIES, base, size);
		return -ENOSPC;
	}
	if (base + size < base)		/* runs past 2^64: cut it there */
		size = UINT64_MAX - base;
	mm->entries[mm->nr++] = (struct memmap_entry){ base, size, type };
	return 0;
}

/* Higher wins an overlap. Unknown firmware types count as reserved. */
static int rank(uint32_t type)
{
	switch (type) {
	case MEMMAP_USABLE: return 0;
	case MEMMAP_ACPI: return 1;
	case MEMMAP_NVS: return 2;
	case MEMMAP_BAD: return 4;
	case MEMMAP_KERNEL:
	case MEMMAP_MODULE: return 5;
	default: return 3;
	}
}

static void sort_u64(uint64_t *v, unsigned n)
{
	for (unsigned i = 1; i < n; i++)
		for (unsigned j = i; j > 0 && v[j - 1] > v[j]; j--) {
			uint64_t t = v[j];

			v[j] = v[j - 1];
			v[j - 1] = t;
		}
}

int memmap_sanitize(struct memmap *mm)
{
	uint64_t bounds[2 * MEMMAP_MAX_ENTRIES];
	struct memmap_entry out[MEMMAP_MAX_ENTRIES];
	unsigned nb = 0, n = 0;

	for (unsigned i = 0; i < mm->nr; i++) {
		if (!mm->entries[i].size)
			continue;
		bounds[nb++] = mm->entries[i].base;
		bounds[nb++] = mm->entries[i].base + mm->entries[i].size;
	}
	sort_u64(bounds, nb);

	for (unsigned b = 0; b + 1 < nb; b++) {
		uint64_t lo = bounds[b], hi = bounds[b + 1];
		int best = -1;
		uint32_t type = 0;

		if (lo == hi)
			continue;
		for (unsigned i = 0; i < mm->nr; i++) {
			const struct memmap_entry *e = &mm->entries[i];

			if (e->size && e->base <= lo && e->base + e->size >= hi &&
			    rank(e->type) > best) {
				best = rank(e->type);
				type = e->type;
			}
		}
		if (best < 0)
			continue;	/* a hole */
		if (n && out[n - 1].type == type &&
		    out[n - 1].base + out[n - 1].size == lo) {
			out[n - 1].size += hi - lo;
			continue;
		}
		if (n == MEMMAP_MAX_ENTRIES) {
			pr_err("map too fragmented: more than %d ranges; "
			       "keeping the old map\n", MEMMAP_MAX_ENTRIES);
			return -ENOSPC;
		}
		out[n++] = (struct memmap_entry){ lo, hi - lo, type };
	}
	memcpy(mm->entries, out, n * sizeof(out[0]));
	mm->nr = n;
	return 0;
}

int memmap_reserve(struct memmap *mm, uint64_t base, uint64_t size,
		   uint32_t type)
{
	int err;

	if (!size)
		return 0;
	err = memmap_add(mm, base, size, type);
	if (err)
		return err;
	err = memmap_sanitize(mm);
	if (err)
		mm->nr--;	/* sanitize kept the old map: drop our entry */
	return err;
}

void memmap_clip(struct memmap *mm, uint64_t limit)
{
	unsigned n = 0;

	for (unsigned i = 0; i < mm->nr; i++) {
		struct memmap_entry e = mm->entries[i];

		if (e.type == MEMMAP_USABLE) {
			if (e.base >= limit)
				continue;
			if (e.base + e.size > limit)
				e.size = limit - e.base;
		}
		mm->entries[n++] = e;
	}
	mm->nr = n;
}

uint64_t memmap_total(const struct memmap *mm, uint32_t type)
{
	uint64_t total = 0;

	for (unsigned i = 0; i < mm->nr; i++)
		if (mm->entries[i].type == type)
			total += mm->entries[i].size;
	return total;
}

const char *memmap_type_name(uint32_t type)
{
	switch (type) {
	case MEMMAP_USABLE: return "usable";
	case MEMMAP_RESERVED: return "reserved";
	case MEMMAP_ACPI: return "ACPI data";
	case MEMMAP_NVS: return "ACPI NVS";
	case MEMMAP_BAD: return "unusable";
	case MEMMAP_KERNEL: return "kernel";
	case MEMMAP_MODULE: return "boot module";
	default: return "reserved (unknown type)";
	}
}

void memmap_print(const struct memmap *mm)
{
	for (unsigned i = 0; i < mm->nr; i++) {
		const struct memmap_entry *e = &mm->entries[i];

		pr_info("[mem 0x%016lx-0x%016lx] %s\n", e->base,
			e->base + e->size - 1, memmap_type_name(e->type));
	}
}
