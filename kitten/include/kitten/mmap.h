/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mmap() the lightweight-kernel way: a job's anonymous and private file
 * mappings are carved out of the heap the init task mapped before the job
 * started (from its top down, while brk() grows up from its bottom), or
 * at the address asked for (MAP_FIXED, as ld.so maps a library's
 * segments over the range it reserved) if that lies in the heap. No
 * page is ever mapped on demand; the memory is already there, contiguous
 * and in large pages, and is zeroed (or filled from the file) when handed
 * out.
 */
#ifndef KITTEN_MMAP_H
#define KITTEN_MMAP_H

#include <kitten/types.h>

struct aspace;

/* A block of at least len bytes (page multiple): its address or -ENOMEM. */
long mmap_alloc(struct aspace *as, uint64_t len);
/*
 * Hand out exactly [addr, addr+len) (MAP_FIXED), whether its blocks were
 * used or free: it must lie between the break and the top of the heap
 * (-ENOMEM). The caller refills it.
 */
int mmap_claim(struct aspace *as, vaddr_t addr, uint64_t len);
/* Is [addr, addr+len) heap that is not handed out (MAP_FIXED_NOREPLACE)? */
bool mmap_range_free(struct aspace *as, vaddr_t addr, uint64_t len);
/*
 * Give [addr, addr+len) back, with read and write rights again; parts
 * not handed out are ignored.
 */
int mmap_free(struct aspace *as, vaddr_t addr, uint64_t len);
/* Is [addr, addr+len) inside blocks handed out? */
bool mmap_owned(struct aspace *as, vaddr_t addr, uint64_t len);
/*
 * Is all of [addr, addr+len) that lies in the heap handed out (below the
 * break, or in used blocks)? Memory outside the heap counts as handed out.
 */
bool mmap_handed_out(struct aspace *as, vaddr_t addr, uint64_t len);
void mmap_release_all(struct aspace *as);
/* fork(): as gets the same blocks as from. */
int mmap_copy(struct aspace *as, struct aspace *from);

#endif
