/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's memory: one buddy pool over all physical RAM (hands out
 * physically contiguous, naturally aligned blocks of 4 KiB to 1 GiB) and
 * the kernel heap on top of it.
 */
#ifndef KITTEN_MM_H
#define KITTEN_MM_H

#include <kitten/types.h>

struct boot_info;
struct memmap;

void mm_init(const struct boot_info *bi);

/* 2^order contiguous pages; 0 or -ENOMEM/-EINVAL. */
int page_alloc(unsigned order, paddr_t *pa);
/* Give back a block from page_alloc(); bad frees are reported, not fatal. */
int page_free(paddr_t pa);

/* size bytes, aligned to align, contiguous: for jobs (see pmem.c). */
int page_alloc_exact(uint64_t size, uint64_t align, paddr_t *pa);
int page_free_range(paddr_t pa, uint64_t size);
/* The largest block that could be allocated now, in bytes. */
uint64_t mm_largest_free(void);
/* Bytes free, and the largest page_alloc_exact(size, align) that could
 * succeed now (Palacios's free_memory). */
uint64_t mm_free_memory(uint64_t align, uint64_t *largest_run);

uint64_t mm_free_bytes(void);
/* All memory the page allocator manages, free or not. */
uint64_t mm_managed_bytes(void);
const struct memmap *mm_memmap(void);

#endif
