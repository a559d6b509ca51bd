// SPDX-License-Identifier: GPL-2.0
/*
 * Shadow paging: the hardware walks tables the VMM builds, which map the
 * guest's virtual addresses straight to host-physical memory.
 *
 * The shadow tables are a software TLB of the guest's tables. They start
 * empty; a page fault on a missing or too-weak shadow entry walks the
 * guest's tables (paging/guest_walk.c, setting the guest's accessed and
 * dirty bits as the CPU would) and either fills one 4 KiB shadow entry
 * or reflects the fault into the guest. The guest must already tell a
 * real TLB about its changes, and it tells us the same way: INVLPG drops
 * an entry, a CR3 write or a paging-mode change drops them all. So guest
 * page-table writes need no write protection: a page that becomes present
 * or gains rights faults once more and is refilled, and one that loses
 * them is followed by the guest's INVLPG or CR3 reload.
 *
 * A page the guest may write but has not yet dirtied is shadowed
 * read-only, so its first write faults and the guest's D bit is set
 * exactly when the CPU would set it. Guest large pages are shadowed with
 * 4 KiB entries; the shadow page table that holds them is marked, so an
 * INVLPG anywhere in the large page drops the whole table. Where the
 * guest's large page lies in one 2 MiB-aligned run of RAM (guest RAM is
 * one aligned host extent), it is shadowed with a 2 MiB page instead.
 *
 * 32-bit guests (paging off, two-level or PAE) run on PAE shadow tables,
 * which reach all host memory; 64-bit guests on four-level ones. Freed
 * table pages are kept in a small per-vCPU cache for the next fills,
 * because a guest that switches CR3 often empties and refills the
 * shadow at a high rate.
 */
#include <palacios/arch.h>
#include <palacios/paging.h>
#include <palacios/vmm.h>

#define CR0_PE		(1ull << 0)
#define CR0_WP		(1ull << 16)
#define CR0_NW		(1ull << 29)
#define CR0_CD		(1ull << 30)
#define CR0_PG		(1ull << 31)
#define CR4_PSE		(1ull << 4)
#define CR4_PAE		(1ull << 5)
#define CR4_PGE		(1ull << 7)
#define EFER_SCE	(1ull << 0)
#define EFER_LME	(1ull << 8)
#define EFER_LMA	(1ull << 10)
#define EFER_NXE	(1ull << 11)

#define SHADOW_FROM_LARGE	(1ull << 9)	/* an available bit */
#define CACHE_PAGES		256

struct v3_shadow {
	uint64_t root;
	unsigned levels;	/* 3 (PAE) or 4 */
	uint64_t cache[CACHE_PAGES];
	unsigned cached;
	struct v3_pt_pages pages;
};

static uint64_t cache_alloc(void *ctx)
{
	struct v3_shadow *s = ctx;
	uint64_t pa;

	if (!s->cached)
		return v3_host->alloc_pages(1, V3_PAGE_SIZE);
	pa = s->cache[--s->cached];
	v3_memset(v3_host->phys_to_virt(pa), 0, V3_PAGE_SIZE);
	return pa;
}

static void cache_free(void *ctx, uint64_t pa)
{
	struct v3_shadow *s = ctx;

	if (s->cached < CACHE_PAGES)
		s->cache[s->cached++] = pa;
	else
		v3_host->free_pages(pa, 1);
}

static void *page_virt(void *ctx, uint64_t pa)
{
	(void)ctx;
	return v3_host->phys_to_virt(pa);
}

static bool long_mode(const struct v3_vcpu *v)
{
	return (v->efer & EFER_LME) && (v->cr0 & CR0_PG);
}

int v3_shadow_init(struct v3_vcpu *v)
{
	struct v3_shadow *s = v3_zalloc(sizeof(*s));

	if (!s)
		return -V3_ENOMEM;
	s->pages = (struct v3_pt_pages){
		.ctx = s, .alloc = cache_alloc, .free = cache_free,
		.to_virt = page_virt,
	};
	/* PAE's CR3 holds 32 bits: the root must lie below 4 GiB. */
	s->root = v3_host->alloc_pages(1, V3_PAGE_SIZE);
	if (!s->root || s->root >= (1ull << 32)) {
		if (s->root)
			v3_host->free_pages(s->root, 1);
		v3_free(s);
		return -V3_ENOMEM;
	}
	s->levels = 3;
	v->shadow = s;
	return 0;
}

void v3_shadow_free(struct v3_vcpu *v)
{
	struct v3_shadow *s = v->shadow;

	if (!s)
		return;
	v3_pt_clear(&s->pages, s->root, s->levels);
	while (s->cached)
		v3_host->free_pages(s->cache[--s->cached], 1);
	v3_host->free_pages(s->root, 1);
	v3_free(s);
	v->shadow = NULL;
}

void v3_shadow_hw_state(struct v3_vcpu *v, struct v3_shadow_hw *hw)
{
	bool lm = long_mode(v);

	hw->cr0 = (v->cr0 | CR0_PG | CR0_WP) & ~(CR0_CD | CR0_NW);
	hw->cr4 = (v->cr4 & ~(CR4_PSE | CR4_PGE)) | CR4_PAE;
	hw->efer = (v->efer & (EFER_SCE | EFER_NXE)) |
		   (lm ? EFER_LME | EFER_LMA : 0);
	hw->cr3 = v->shadow->root;
}

void v3_shadow_flush(struct v3_vcpu *v)
{
	struct v3_shadow *s = v->shadow;

	v3_pt_clear(&s->pages, s->root, s->levels);
	s->levels = long_mode(v) ? 4 : 3;
	v3_arch->paging_changed(v);
}

static void drop_table(struct v3_shadow *s, uint64_t *pde)
{
	cache_free(s, *pde & PTE_ADDR);
	*pde = 0;
}

/* Drop the shadow of a guest large page: a 2 MiB entry, or a table of
 * 4 KiB entries made from it. */
static void drop_large(struct v3_shadow *s, uint64_t *pde)
{
	if (*pde & PTE_PS)
		*pde = 0;
	else
		drop_table(s, pde);
}

void v3_shadow_invlpg(struct v3_vcpu *v, uint64_t gva)
{
	struct v3_shadow *s = v->shadow;
	uint64_t *pde, *pte;

	if (!long_mode(v))
		gva &= 0xffffffffull;
	pde = v3_pt_entry(&s->pages, s->root, s->levels, gva, 2);
	if (!pde || !(*pde & PTE_P))
		return;
	if (*pde & (PTE_PS | SHADOW_FROM_LARGE)) {
		/* A 32-bit guest's 4 MiB page spans two shadow PDEs. */
		uint64_t other = gva ^ (2ull << 20);
		uint64_t *pde2 = s->levels == 3 && !(v->cr4 & CR4_PAE) ?
			v3_pt_entry(&s->pages, s->root, 3, other, 2) : NULL;

		drop_large(s, pde);
		if (pde2 && (*pde2 & PTE_P) &&
		    (*pde2 & (PTE_PS | SHADOW_FROM_LARGE)))
			drop_large(s, pde2);
	} else {
		pte = v3_pt_entry(&s->pages, s->root, s->levels, gva, 1);
		if (pte)
			*pte = 0;
	}
	v3_arch->flush_tlb(v);
}

/*
 * Shadow the 2 MiB around va with one large page when the guest maps it
 * with a large page and the host memory behind it is one aligned run.
 * Returns false when it cannot (the caller maps 4 KiB).
 */
static bool map_large(struct v3_vcpu *v, struct v3_shadow *s, uint64_t va,
		      const struct v3_gpt_result *res, uint64_t flags)
{
	uint64_t gpa = res->gpa & ~(V3_LARGE_PAGE - 1), hpa, *pde;

	if (res->page_size < V3_LARGE_PAGE ||
	    !v3_mem_ram_hpa(&v->vm->mem, gpa, V3_LARGE_PAGE, &hpa) ||
	    (hpa & (V3_LARGE_PAGE - 1)))
		return false;
	va &= ~(V3_LARGE_PAGE - 1);
	pde = v3_pt_entry(&s->pages, s->root, s->levels, va, 2);
	if (pde && (*pde & PTE_P) && !(*pde & PTE_PS))
		drop_table(s, pde);	/* 4 KiB shadows of it, now redundant */
	return !v3_pt_map(&s->pages, s->root, s->levels, va, hpa, V3_LARGE_PAGE,
			  flags);
}

/* The guest's translation of addr for this access, paging on or off. */
static int guest_translate(struct v3_vcpu *v, uint64_t addr, uint32_t error,
			   struct v3_gpt_result *res)
{
	struct v3_gpt_request rq;
	struct v3_gpt_mem mem;

	if (!(v->cr0 & CR0_PG)) {
		*res = (struct v3_gpt_result){
			.gpa = addr & 0xffffffffull, .page_size = V3_PAGE_SIZE,
			.writable = true, .user = true, .dirty = true,
		};
		return 0;
	}
	v3_guest_gpt_request(v, &rq);
	rq.write = error & PF_W;
	rq.user = error & PF_U;
	rq.fetch = error & PF_I;
	rq.set_ad = true;
	v3_guest_gpt_mem(v->vm, &mem);
	return v3_gpt_walk(&mem, &rq, addr, res);
}

int v3_handle_shadow_pf(struct v3_vcpu *v, uint64_t addr, uint32_t error)
{
	struct v3_shadow *s = v->shadow;
	struct v3_gpt_result res;
	uint64_t gpa, hpa, flags, va;
	bool device;
	int ret;

	ret = guest_translate(v, addr, error, &res);
	if (ret == V3_GPT_FAULT) {
		v3_raise_page_fault(v, addr, res.pf_error);
		return 0;
	}
	if (ret < 0) {
		v3_vm_stop_fmt(v->vm, "guest page tables for 0x%llx lie outside its memory",
			       (unsigned long long)addr);
		return ret;
	}

	gpa = res.gpa & V3_PAGE_MASK;
	if (!v3_mem_backing(&v->vm->mem, gpa, V3_PAGE_SIZE, &hpa, &device)) {
		if (v3_mem_hooked(&v->vm->mem, gpa, V3_PAGE_SIZE))
			return v3_emulate_mmio(v);
		v3_vm_stop_fmt(v->vm, "guest access to unbacked guest-physical 0x%llx (address 0x%llx, rip 0x%llx)",
			       (unsigned long long)res.gpa,
			       (unsigned long long)addr,
			       (unsigned long long)v->rip);
		return -V3_EIO;
	}

	flags = PTE_P;
	if (res.user)
		flags |= PTE_U;
	if (res.writable && (res.dirty || (error & PF_W)))
		flags |= PTE_W;
	if ((error & PF_W) && !res.writable && !(error & PF_U)) {
		/* CR0.WP clear: the kernel may write; user mode may not. */
		flags = (flags | PTE_W) & ~PTE_U;
	}
	if (res.nx)
		flags |= PTE_NX;
	if (device)	/* passed-through device memory: uncached */
		flags |= PTE_PCD | PTE_PWT;

	va = addr & V3_PAGE_MASK;
	if (s->levels == 3)
		va &= 0xffffffffull;
	if (v3_guest_paging(v) && map_large(v, s, va, &res, flags)) {
		v3_arch->flush_tlb(v);
		return 0;
	}
	ret = v3_pt_map(&s->pages, s->root, s->levels, va, hpa, V3_PAGE_SIZE,
			flags);
	if (ret) {
		v3_vm_stop_fmt(v->vm, "out of memory for shadow page tables");
		return ret;
	}
	if (res.page_size > V3_PAGE_SIZE)
		*v3_pt_entry(&s->pages, s->root, s->levels, va, 2) |=
			SHADOW_FROM_LARGE;
	v3_arch->flush_tlb(v);
	return 0;
}
