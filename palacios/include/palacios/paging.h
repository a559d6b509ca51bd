/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Page tables, three ways: walking the guest's own tables (any x86 paging
 * mode), building host-format tables the VMM owns (nested page tables,
 * shadow tables), and the shadow pager that keeps the latter in step with
 * the former. The walker and the builder are pure and host-tested.
 */
#ifndef PALACIOS_PAGING_H
#define PALACIOS_PAGING_H

#include <stdbool.h>
#include <stdint.h>

#define PTE_P		(1ull << 0)
#define PTE_W		(1ull << 1)
#define PTE_U		(1ull << 2)
#define PTE_PWT		(1ull << 3)
#define PTE_PCD		(1ull << 4)
#define PTE_A		(1ull << 5)
#define PTE_D		(1ull << 6)
#define PTE_PS		(1ull << 7)
#define PTE_G		(1ull << 8)
#define PTE_NX		(1ull << 63)
#define PTE_ADDR	0x000ffffffffff000ull

/* Page-fault error code bits. */
#define PF_P		(1u << 0)
#define PF_W		(1u << 1)
#define PF_U		(1u << 2)
#define PF_RSVD		(1u << 3)
#define PF_I		(1u << 4)

/* --- the guest's tables ------------------------------------------------ */

enum v3_gpt_mode {
	V3_GPT_32,	/* 2-level, 4 KiB and (CR4.PSE) 4 MiB pages */
	V3_GPT_PAE,	/* 3-level, 4 KiB and 2 MiB */
	V3_GPT_64,	/* 4-level, 4 KiB, 2 MiB and 1 GiB */
};

/* Guest-physical memory for the walker. Return 0 or a negative value. */
struct v3_gpt_mem {
	void *ctx;
	int (*read)(void *ctx, uint64_t gpa, uint64_t *val, unsigned size);
	int (*write)(void *ctx, uint64_t gpa, uint64_t val, unsigned size);
};

struct v3_gpt_request {
	enum v3_gpt_mode mode;
	uint64_t cr3;
	bool pse;		/* CR4.PSE (32-bit mode) */
	bool nxe;		/* EFER.NXE */
	bool wp;		/* CR0.WP */
	bool write, user, fetch;
	bool set_ad;		/* set accessed/dirty bits as the CPU would */
};

struct v3_gpt_result {
	uint64_t gpa;		/* of the byte addressed */
	uint64_t page_size;
	bool writable, user, nx;	/* combined over all levels */
	bool dirty;		/* the leaf's D bit (after any update) */
	uint32_t pf_error;	/* when the walk faults */
};

#define V3_GPT_FAULT 1

/*
 * Translate gva as the CPU would. Returns 0, V3_GPT_FAULT (the guest
 * takes a #PF with res->pf_error), or a negative value when a table lies
 * outside guest memory.
 */
int v3_gpt_walk(const struct v3_gpt_mem *mem, const struct v3_gpt_request *rq,
		uint64_t gva, struct v3_gpt_result *res);

/* --- tables the VMM builds --------------------------------------------- */

/* Page-table pages for the builder: zeroed, 4 KiB, host-physical. */
struct v3_pt_pages {
	void *ctx;
	uint64_t (*alloc)(void *ctx);
	void (*free)(void *ctx, uint64_t pa);
	void *(*to_virt)(void *ctx, uint64_t pa);
};

/*
 * Map va -> pa with a page of size 4 KiB, 2 MiB or 1 GiB in the table at
 * root: 4 levels (long mode, AMD NPT) or 3 (PAE). Intermediate tables are
 * allocated as needed and made present, writable and user. Returns 0 or
 * -V3_ENOMEM, -V3_EEXIST (a larger page covers va), -V3_EINVAL.
 */
int v3_pt_map(const struct v3_pt_pages *pg, uint64_t root, unsigned levels,
	      uint64_t va, uint64_t pa, uint64_t size, uint64_t flags);
/* The leaf entry for va and its page size, or NULL when unmapped. */
uint64_t *v3_pt_lookup(const struct v3_pt_pages *pg, uint64_t root,
		       unsigned levels, uint64_t va, uint64_t *size);
/* The entry at `level` (1 = PTE) on va's path, or NULL when absent. */
uint64_t *v3_pt_entry(const struct v3_pt_pages *pg, uint64_t root,
		      unsigned levels, uint64_t va, unsigned level);
/* Free every table below root (root itself stays, emptied). */
void v3_pt_clear(const struct v3_pt_pages *pg, uint64_t root, unsigned levels);

/* --- nested and shadow paging -------------------------------------------- */

struct v3_vm;
struct v3_vcpu;

int v3_npt_build(struct v3_vm *vm);
void v3_npt_free(struct v3_vm *vm);

/* What the hardware runs a shadow-paged guest with. */
struct v3_shadow_hw {
	uint64_t cr0, cr3, cr4, efer;
};

int v3_shadow_init(struct v3_vcpu *v);
void v3_shadow_free(struct v3_vcpu *v);
void v3_shadow_hw_state(struct v3_vcpu *v, struct v3_shadow_hw *hw);
/* The guest changed its paging mode or switched CR3: drop all shadows. */
void v3_shadow_flush(struct v3_vcpu *v);
void v3_shadow_invlpg(struct v3_vcpu *v, uint64_t gva);

/* The guest's paging mode and its memory, for the walker. */
void v3_guest_gpt_request(const struct v3_vcpu *v, struct v3_gpt_request *rq);
void v3_guest_gpt_mem(struct v3_vm *vm, struct v3_gpt_mem *mem);

#endif
