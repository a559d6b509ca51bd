/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Physical memory for jobs. The init task allocates physically contiguous
 * extents and maps them into the address spaces it builds. Each extent
 * has an owner; only the owner may map it or free it, so a job cannot
 * reach memory it was not given.
 */
#ifndef KITTEN_PMEM_H
#define KITTEN_PMEM_H

#include <kitten/types.h>

/* What pmem_query reports (also the user-visible layout). */
struct pmem_info {
	uint64_t total;		/* all memory the allocator manages */
	uint64_t free;
	uint64_t largest_free;	/* largest contiguous allocation possible */
	uint64_t owned;		/* held by the caller */
};

int pmem_alloc(unsigned owner, uint64_t size, uint64_t align, paddr_t *pa);
/* 0, -ENOENT (no such extent) or -EPERM (someone else's). */
int pmem_free(unsigned owner, paddr_t pa);
/* Does owner hold an extent covering [pa, pa+size)? */
bool pmem_owns(unsigned owner, paddr_t pa, uint64_t size);
/* Free everything owner holds (when a job's owner goes away). */
void pmem_release_all(unsigned owner);
void pmem_query(unsigned owner, struct pmem_info *info);
/* All extents of all owners: how many and their bytes. */
void pmem_totals(uint64_t *count, uint64_t *bytes);

#endif
