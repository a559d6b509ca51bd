/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The physical memory map: what each range of physical addresses is.
 * It starts as the firmware's (e820) map, is sanitized into sorted,
 * non-overlapping, merged ranges, and then records what the kernel takes
 * for itself (image, boot modules, page tables). Only MEMMAP_USABLE
 * ranges are handed to the page allocator.
 */
#ifndef KITTEN_MEMMAP_H
#define KITTEN_MEMMAP_H

#include <kitten/types.h>

#define MEMMAP_MAX_ENTRIES 128

enum memmap_type {
	MEMMAP_USABLE = 1,	/* the e820 types */
	MEMMAP_RESERVED = 2,
	MEMMAP_ACPI = 3,
	MEMMAP_NVS = 4,
	MEMMAP_BAD = 5,
	MEMMAP_KERNEL = 16,	/* the kernel's own: image, tables, metadata */
	MEMMAP_MODULE = 17,	/* boot modules (the initramfs) */
};

struct memmap_entry {
	uint64_t base;
	uint64_t size;
	uint32_t type;
};

struct memmap {
	struct memmap_entry entries[MEMMAP_MAX_ENTRIES];
	unsigned nr;
};

void memmap_init(struct memmap *mm);
/* Append a raw entry; overlaps are resolved by memmap_sanitize(). */
int memmap_add(struct memmap *mm, uint64_t base, uint64_t size, uint32_t type);
/*
 * Sort, resolve overlaps (the more restrictive type wins: anything beats
 * usable, the kernel's own types beat everything), merge neighbours of
 * one type, drop empty entries. A range running past 2^64 is cut there.
 */
int memmap_sanitize(struct memmap *mm);
/* Mark [base, base+size) as type, splitting what it overlaps. */
int memmap_reserve(struct memmap *mm, uint64_t base, uint64_t size,
		   uint32_t type);
/* Forget usable memory at and above limit (the mem= argument). */
void memmap_clip(struct memmap *mm, uint64_t limit);
uint64_t memmap_total(const struct memmap *mm, uint32_t type);
void memmap_print(const struct memmap *mm);
const char *memmap_type_name(uint32_t type);

#endif
