/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The paging checks shared by paging32, paging_pae and paging64. Each of
 * those builds page tables in its own format, turns paging on and hands
 * paging_run() a description of what it built; paging.c does the rest.
 *
 * All three formats keep P, W, A, D, PS and G at the same bit positions
 * (PTE_* in guest.h) and we use physical addresses below 4 GiB only, so an
 * entry is always "address | flags"; only its width (4 or 8 bytes) and
 * the NX bit differ.
 */
#ifndef PAGING_H
#define PAGING_H

#include "guest.h"

/*
 * Virtual addresses, the same in every mode: the test page table maps
 * TEST_VA onwards in 4 KiB pages, and one large page maps LARGE_PA at
 * LARGE_VA (both aligned for 4 MiB pages). Everything else the guest
 * touches is identity-mapped below 16 MiB.
 */
#define TEST_VA 0x40000000ul
#define LARGE_VA 0x40400000ul
#define LARGE_PA 0x00800000ul

struct paging_mode {
	const char *name;
	bool wide; /* 8-byte entries */
	bool nx_format; /* entries have an NX bit (PAE, long mode) */
	bool nx; /* ... and EFER.NXE is on */
	unsigned long root[2]; /* two CR3 values, root[0] in use at the start */
	volatile void *pt[2]; /* under each root, the table that maps TEST_VA */
	volatile void *large; /* under root[0], the entry that maps LARGE_VA */
	unsigned long large_size;
};

int paging_run(const struct paging_mode *mode);

#endif /* PAGING_H */
