/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The paging checks, run in whichever paging mode the guest set up
 * (paging.h). They follow the rules of Intel SDM vol. 3, chapter 4:
 *
 *  - a changed present entry takes effect after INVLPG or a CR3 load;
 *  - an entry that was not present is not cached, so making it present
 *    takes effect at once;
 *  - the CPU sets A in the entry that maps an access and D on a write,
 *    in 4 KiB entries and large-page entries alike;
 *  - with CR0.WP=1 a supervisor write to a read-only page faults
 *    (error P|W), with WP=0 it does not;
 *  - a page fault's error code has P for a protection fault, W for a
 *    write, I/D for an instruction fetch (with NXE), and CR2 the address;
 *  - global entries survive CR3 loads, but clearing CR4.PGE drops them.
 *
 * Under a VMM these are what shadow paging must get right: every guest
 * page-table write, INVLPG and CR3 load has to reach the shadow tables,
 * and A/D bits have to be reflected back into the guest's entries.
 *
 * PTE slots of the test table, one per check so no check inherits
 * another's TLB state: 0 remap and A/D, 1 read-only, 2 not present,
 * 3 the table itself, 4 the entry rewritten through it, 5 CR3 reload,
 * 6 global, 7 execute.
 */
#include "paging.h"

#define MARK_OFF 0x234 /* markers sit inside the page, not at offset 0 */
#define MARK_A 0xa1a1a1a1u
#define MARK_B 0xb2b2b2b2u
#define MARK_C 0xc3c3c3c3u
#define RET_OPCODE 0xc3

static u8 frame_a[PAGE_SIZE] __aligned(PAGE_SIZE);
static u8 frame_b[PAGE_SIZE] __aligned(PAGE_SIZE);
static u8 frame_c[PAGE_SIZE] __aligned(PAGE_SIZE);
static u8 frame_code[PAGE_SIZE] __aligned(PAGE_SIZE);

static const struct paging_mode *m;

static volatile u32 *mark(u8 *frame)
{
	return (volatile u32 *)(frame + MARK_OFF);
}

static unsigned long pa(const void *p)
{
	return (uintptr_t)p; /* identity-mapped */
}

static u64 ent_get(volatile void *table, unsigned int i)
{
	if (m->wide)
		return ((volatile u64 *)table)[i];
	return ((volatile u32 *)table)[i];
}

/* 8-byte entries are written low half last when 32-bit code stores them. */
static void ent_set(volatile void *table, unsigned int i, u64 v)
{
	if (m->wide)
		((volatile u64 *)table)[i] = v;
	else
		((volatile u32 *)table)[i] = v;
}

static void set_pte(unsigned int i, const void *frame, u64 flags)
{
	ent_set(m->pt[0], i, pa(frame) | flags);
}

static unsigned long va_of(unsigned int slot)
{
	return TEST_VA + slot * PAGE_SIZE + MARK_OFF;
}

/* Read va, which must not fault, and compare with want. */
static bool reads(unsigned long va, u32 want)
{
	u32 v = 0;
	int vec = probe_read32(va, &v);

	if (vec >= 0) {
		printf("# read of 0x%lx raised %d, error 0x%lx\n", va, vec,
		       trap_last.error);
		return false;
	}
	if (v != want)
		printf("# read 0x%x at 0x%lx, want 0x%x\n", v, va, want);
	return v == want;
}

static bool writes(unsigned long va, u32 v)
{
	int vec = probe_write32(va, v);

	if (vec >= 0)
		printf("# write to 0x%lx raised %d, error 0x%lx\n", va, vec,
		       trap_last.error);
	return vec < 0;
}

/* The access just probed raised #PF with this error code and CR2. */
static bool page_fault(int vec, unsigned long error, unsigned long va)
{
	bool ok = vec == VEC_PF && trap_last.error == error &&
		  trap_last.cr2 == va;

	if (!ok)
		printf("# vector %d error 0x%lx cr2 0x%lx (want 0x%lx 0x%lx)\n",
		       vec, trap_last.error, trap_last.cr2, error, va);
	return ok;
}

static void check_remap(void)
{
	set_pte(0, frame_a, PTE_P | PTE_W);
	ktap_check(reads(va_of(0), MARK_A), "map_read");
	set_pte(0, frame_b, PTE_P | PTE_W);
	invlpg(va_of(0));
	ktap_check(reads(va_of(0), MARK_B), "remap_invlpg");
}

static void check_cr3_switch(void)
{
	bool ok;

	ent_set(m->pt[1], 0, pa(frame_c) | PTE_P | PTE_W);
	write_cr3(m->root[1]);
	ok = reads(va_of(0), MARK_C);
	write_cr3(m->root[0]);
	ok &= reads(va_of(0), MARK_B);
	ktap_check(ok, "cr3_switch");
}

static void check_large_read(void)
{
	const unsigned long offs[] = {0, 0x1234, m->large_size / 2 + 0x88,
				      m->large_size - 4};
	bool ok = true;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(offs); i++)
		*(volatile u32 *)(LARGE_PA + offs[i]) = 0x1a2b3c00 + i;
	for (i = 0; i < ARRAY_SIZE(offs); i++)
		ok &= reads(LARGE_VA + offs[i], 0x1a2b3c00 + i);
	ktap_check(ok, "large_page_read");
}

/*
 * Clear A and D, flush, read: A is set and D is not; then write: D is set
 * and the data landed in the frame. The TLB entry the read made says the
 * page is clean, so the write must go back to the entry to set D.
 */
static void check_accessed_dirty(volatile void *table, unsigned int i,
				 unsigned long va, volatile u32 *backing,
				 const char *what)
{
	u32 saved = *backing;
	u64 e;

	ent_set(table, i, ent_get(table, i) & ~(PTE_A | PTE_D));
	invlpg(va);
	reads(va, saved);
	e = ent_get(table, i);
	if (!ktap_check((e & PTE_A) && !(e & PTE_D), "accessed_bit_%s", what))
		printf("# entry 0x%llx after a read\n", (unsigned long long)e);
	writes(va, 0x5a5a0000);
	e = ent_get(table, i);
	if (!ktap_check((e & PTE_D) && *backing == 0x5a5a0000, "dirty_bit_%s",
			what))
		printf("# entry 0x%llx after a write, frame holds 0x%x\n",
		       (unsigned long long)e, *backing);
	*backing = saved;
}

static void check_write_protect(void)
{
	int vec;

	set_pte(1, frame_a, PTE_P);
	vec = probe_write32(va_of(1), 0xdead);
	ktap_check(page_fault(vec, PF_P | PF_W, va_of(1)) &&
			   *mark(frame_a) == MARK_A,
		   "wp_write_fault");

	write_cr0(read_cr0() & ~CR0_WP);
	ktap_check(writes(va_of(1), 0x600d) && *mark(frame_a) == 0x600d,
		   "wp0_supervisor_write");
	write_cr0(read_cr0() | CR0_WP);
	*mark(frame_a) = MARK_A;
}

static void check_not_present(void)
{
	u32 v;
	int vec;

	vec = probe_read32(va_of(2), &v);
	ktap_check(page_fault(vec, 0, va_of(2)), "not_present_read_fault");
	vec = probe_write32(va_of(2), 1);
	ktap_check(page_fault(vec, PF_W, va_of(2)), "not_present_write_fault");
	set_pte(2, frame_c, PTE_P | PTE_W); /* no INVLPG: nothing was cached */
	ktap_check(reads(va_of(2), MARK_C), "not_present_to_present");
}

/*
 * Map the test table at slot 3 and rewrite slot 4's entry through that
 * mapping, the way a guest kernel edits page tables it reaches through
 * its own mappings. A VMM must notice the write though it came through
 * an address that is not the table's identity address.
 */
static void check_self_write(void)
{
	volatile void *alias = (volatile void *)(TEST_VA + 3 * PAGE_SIZE);
	bool ok;

	set_pte(4, frame_a, PTE_P | PTE_W);
	ok = reads(va_of(4), MARK_A);
	ent_set(m->pt[0], 3, pa((const void *)m->pt[0]) | PTE_P | PTE_W);
	ent_set(alias, 4, pa(frame_b) | PTE_P | PTE_W);
	invlpg(va_of(4));
	ok &= reads(va_of(4), MARK_B);
	ok &= ent_get(m->pt[0], 4) == (pa(frame_b) | PTE_P | PTE_W | PTE_A);
	ktap_check(ok, "page_table_self_write");
}

static void check_cr3_reload(void)
{
	bool ok;

	set_pte(5, frame_a, PTE_P | PTE_W);
	ok = reads(va_of(5), MARK_A);
	set_pte(5, frame_b, PTE_P | PTE_W);
	write_cr3(read_cr3());
	ok &= reads(va_of(5), MARK_B);
	ktap_check(ok, "cr3_reload_flushes");
}

static void check_global(void)
{
	u32 a, b, c, d;
	bool ok;

	cpuid(1, &a, &b, &c, &d);
	if (!(d & (1u << 13))) {
		ktap_skip("no PGE", "pge_toggle_flushes_global");
		return;
	}
	write_cr4(read_cr4() | CR4_PGE);
	set_pte(6, frame_a, PTE_P | PTE_W | PTE_G);
	ok = reads(va_of(6), MARK_A);
	set_pte(6, frame_b, PTE_P | PTE_W | PTE_G);
	write_cr4(read_cr4() & ~CR4_PGE);
	write_cr4(read_cr4() | CR4_PGE);
	ok &= reads(va_of(6), MARK_B);
	write_cr4(read_cr4() & ~CR4_PGE);
	ktap_check(ok, "pge_toggle_flushes_global");
}

static void check_nx(void)
{
	unsigned long va = TEST_VA + 7 * PAGE_SIZE;
	int vec;

	if (!m->nx) {
		ktap_skip("no NX", "exec_allowed");
		ktap_skip("no NX", "nx_fetch_fault");
		return;
	}
	set_pte(7, frame_code, PTE_P | PTE_W);
	vec = probe_exec(va);
	if (!ktap_check(vec < 0, "exec_allowed"))
		printf("# vector %d error 0x%lx\n", vec, trap_last.error);
	set_pte(7, frame_code, PTE_P | PTE_W | PTE_NX);
	invlpg(va);
	vec = probe_exec(va);
	ktap_check(page_fault(vec, PF_P | PF_ID, va), "nx_fetch_fault");
}

int paging_run(const struct paging_mode *mode)
{
	m = mode;
	if (ram_top() < LARGE_PA + m->large_size) {
		printf("# %s needs %lu MiB of RAM\n", m->name,
		       (LARGE_PA + m->large_size) >> 20);
		return 1;
	}
	*mark(frame_a) = MARK_A;
	*mark(frame_b) = MARK_B;
	*mark(frame_c) = MARK_C;
	frame_code[0] = RET_OPCODE;

	ktap_plan(16 + (m->nx_format ? 2 : 0));
	printf("# %s\n", m->name);
	check_remap();
	check_cr3_switch();
	check_large_read();
	check_accessed_dirty(m->pt[0], 0, va_of(0), mark(frame_b), "pte");
	check_accessed_dirty(m->large, 0, LARGE_VA + MARK_OFF,
			     (volatile u32 *)(LARGE_PA + MARK_OFF), "large");
	check_write_protect();
	check_not_present();
	check_self_write();
	check_cr3_reload();
	check_global();
	if (m->nx_format)
		check_nx();
	return ktap_finish();
}
